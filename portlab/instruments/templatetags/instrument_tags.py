"""{% instruments_for test as instruments %}: the instruments of a test's lab a result may name
(the result form on testing's work queue; testing itself imports nothing of instruments)."""

from django import template

from portlab.instruments.models import Instrument
from portlab.instruments.selectors import instruments_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def instruments_for(context, test) -> list[Instrument]:
    rows = context.get("_instruments_visible")
    if rows is None:  # read once per page, not once per row
        rows = list(instruments_visible_to(context["request"].user)
                    .exclude(status=Instrument.Status.RETIRED))
        context.dicts[0]["_instruments_visible"] = rows
    return [instrument for instrument in rows if instrument.lab_id == test.lab_id]
