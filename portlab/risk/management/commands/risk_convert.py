"""`portlab risk-convert`: convert to yuan the declarations stored before conversion existed,
where their month's customs rate is now known; list, one per line, those still without one."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portlab.risk.conversion import declarations_convert


class Command(BaseCommand):
    help = ("Convert to CNY the stored foreign-currency declarations that have no value in "
            "yuan, where the customs rate of their month is known; list the others.")

    def handle(self, *args, **options) -> None:
        outcome = declarations_convert(actor=None)
        self.stdout.write(_("%(converted)d declarations converted to CNY, %(left)d without a "
                            "customs rate.") % {"converted": len(outcome.converted),
                                                "left": len(outcome.without_rate)})
        for left in outcome.without_rate:
            self.stdout.write(_("%(number)s: no customs exchange rate for %(currency)s in "
                                "%(month)s; not converted.")
                              % {"number": left.number, "currency": left.currency,
                                 "month": left.month})
