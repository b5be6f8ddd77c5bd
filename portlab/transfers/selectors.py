"""Transfers a user may see: those leaving or reaching a lab whose work they see."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portlab.core.errors import NotFound
from portlab.network.lookups import visible_lab_ids
from portlab.transfers.models import Transfer


def visible_transfers(user) -> QuerySet[Transfer]:
    rows = Transfer.objects.select_related(
        "test__test_item", "test__sample__application", "from_lab", "to_lab", "agreement"
    ).order_by("-dispatched_at", "-id")
    lab_ids = visible_lab_ids(user)
    if lab_ids is None:
        return rows
    return rows.filter(Q(from_lab_id__in=lab_ids) | Q(to_lab_id__in=lab_ids))


def transfer_get(user, transfer_id: int) -> Transfer:
    transfer = visible_transfers(user).filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(_("Transfer %s not found.") % transfer_id)
    return transfer
