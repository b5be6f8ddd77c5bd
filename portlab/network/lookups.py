"""Codes from requests to rows, with errors naming the field; what each user may see."""

from django.db.models import Q
from django.utils.translation import gettext as _

from portlab.accounts.permissions import lab_scope
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.models import District, Lab, TestItem


def lab_by_code(code: str, field: str) -> Lab:
    lab = Lab.objects.select_related("district").filter(code=code.strip()).first()
    if lab is None:
        raise ApplicationError(_("Unknown lab “%s”.") % code, field=field)
    return lab


def district_by_code(code: str, field: str = "district") -> District:
    district = District.objects.filter(code=code.strip()).first()
    if district is None:
        raise ApplicationError(_("Unknown district “%s”.") % code, field=field)
    return district


def party_by_code(code: str, field: str) -> Lab | District:
    """A lab code, or a district code: agreement parties are either."""
    lab = Lab.objects.filter(code=code.strip()).first()
    if lab is not None:
        return lab
    district = District.objects.filter(code=code.strip()).first()
    if district is None:
        raise ApplicationError(_("“%s” is neither a lab nor a district.") % code, field=field)
    return district


def test_items_by_code(codes: list[str]) -> list[TestItem]:
    found = {item.code: item for item in TestItem.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ApplicationError(_("Unknown test item(s): %s.") % ", ".join(missing),
                               field="test_items")
    return [found[code] for code in codes]


def visible_lab_ids(user) -> set[int] | None:
    """The labs whose work the user sees (None: the whole network); lab-side users only."""
    network, labs, districts = lab_scope(user)
    if network:
        return None
    if not (labs or districts):
        raise PermissionDenied(_("Only laboratory staff see the network's work."))
    return set(Lab.objects.filter(Q(id__in=labs) | Q(district_id__in=districts))
               .values_list("id", flat=True))
