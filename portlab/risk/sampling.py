"""Sending a selected declaration's goods to a lab: the lab, the enterprise, the application."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.access import holds
from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.services import enterprise_create, role_grant
from portlab.audit.services import audit_record
from portlab.intake.models import OPEN_STATUSES, Application
from portlab.intake.services import SampleInput, application_register
from portlab.network.models import Capability, Lab
from portlab.network.selectors import capabilities_for_items
from portlab.risk.models import Declaration, RiskProfile

SYSTEM_USERNAME = "risk-system"


class NotRoutable(Exception):
    """The goods cannot go to a lab; the message says why (already translated)."""


def system_user() -> User:
    """The account risk analysis files applications under; it cannot log in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"display_name": "风险分析系统 Risk analysis"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _system_clerk(lab: Lab) -> User:
    user = system_user()
    if not holds(user, Role.RECEPTION_CLERK, lab):
        role_grant(user=user, role=Role.RECEPTION_CLERK, scope=lab)
        audit_record(actor=user, action="role_grant", entity=user,
                     after={"role": Role.RECEPTION_CLERK, "lab": lab.code})
    return user


def _system_credit_officer() -> User:
    """The risk system registers importers with the credit grade customs gave them on the
    declaration, as a credit officer would."""
    user = system_user()
    if not access.may(user, "enterprise.grade"):
        role_grant(user=user, role=Role.CREDIT_OFFICER)
        audit_record(actor=user, action="role_grant", entity=user,
                     after={"role": Role.CREDIT_OFFICER})
    return user


def lab_for_items(item_ids: list[int], office: str) -> Lab | None:
    """A lab accredited for every item: the office's own district first, then the least busy.

    A customs office code's first two digits name its district (0202 Xingang is in 0200
    Tianjin), so labs whose district code shares them are "in the district".
    """
    wanted = set(item_ids)
    lab_ids = (Capability.objects.filter(test_item_id__in=wanted, accredited=True)
               .values("lab_id").annotate(n=Count("test_item_id", distinct=True))
               .filter(n=len(wanted)).values_list("lab_id", flat=True))
    labs = list(Lab.objects.filter(id__in=list(lab_ids)).select_related("district"))
    busy = dict(Application.objects.filter(lab__in=labs, status__in=OPEN_STATUSES)
                .values_list("lab_id").annotate(n=Count("id")))
    labs.sort(key=lambda lab: (lab.district.code[:2] != office[:2], busy.get(lab.id, 0),
                               lab.code))
    for lab in labs:
        if len(capabilities_for_items(lab, list(wanted), True)) == len(wanted):
            return lab
    return None


def importer_enterprise(declaration: Declaration) -> Enterprise:
    """The importer's enterprise record, registered from its credit code when missing."""
    if declaration.importer is not None:
        return declaration.importer
    code = declaration.importer_code
    enterprise = Enterprise.objects.filter(credit_code=code).first()
    if enterprise is None:
        if len(code) != 18:
            raise NotRoutable(_("The importer is known only by customs code %s; an application "
                                "needs its unified social credit code.") % code)
        enterprise = enterprise_create(actor=_system_credit_officer(), credit_code=code,
                                       name_zh=declaration.importer_name or code,
                                       credit_grade=declaration.credit_grade)
    declaration.importer = enterprise
    declaration.save(update_fields=["importer"])
    return enterprise


def application_for(declaration: Declaration, profile: RiskProfile) -> Application:
    """File the lab application the risk profile calls for; NotRoutable if no lab can."""
    items = list(profile.test_items.order_by("code"))
    if not items:
        raise NotRoutable(_("Risk profile %s lists no test items.") % profile.hs_prefix)
    lab = lab_for_items([item.id for item in items], declaration.office)
    if lab is None:
        raise NotRoutable(_("No lab holds accredited capabilities for all of %s.")
                          % ", ".join(item.code for item in items))
    enterprise = importer_enterprise(declaration)
    goods = declaration.goods_description or f"HS {declaration.hs_code}"
    return application_register(
        actor=_system_clerk(lab), enterprise=enterprise, lab=lab, goods_description=goods,
        hs_code=declaration.hs_code, purpose=Application.Purpose.IMPORT,
        test_item_ids=[item.id for item in items],
        samples=[SampleInput(description=_("Sample of declaration %(number)s: %(goods)s")
                             % {"number": declaration.number, "goods": goods[:120]})],
        declaration_number=declaration.number, product_category=profile.product_category,
    )
