"""Transfers a user may see (those leaving or reaching a lab whose work they see), and the
lateness table and the expected return of a down instrument each lab's predictions use."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portlab.core.errors import NotFound
from portlab.network.lookups import visible_lab_ids
from portlab.transfers.models import DowntimeFit, LatenessFit, Transfer
from portlab.transfers.queue_simulation import DEFAULT_LATENESS, RETURN_DAYS, Lateness

Fit = TypeVar("Fit", LatenessFit, DowntimeFit)
Basis = TypeVar("Basis")


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


@dataclass(frozen=True)
class LatenessBasis:
    """The lateness table a prediction applies to one lab's tests, and where it comes from:
    a fit (the lab's, or the network's when it has no lab) or, without one, the default table
    fitted on generated history."""

    table: Lateness
    fit: LatenessFit | None = None


def lateness_bases(lab_ids: Iterable[int]) -> dict[int, LatenessBasis]:
    """Each lab's table: its newest fit, else the network's newest, else `DEFAULT_LATENESS`."""
    return _newest_fits(LatenessFit, lab_ids, LatenessBasis(DEFAULT_LATENESS), lambda fit: (
        LatenessBasis(Lateness(fit.first, tuple(fit.shares), fit.low, fit.high), fit)))


@dataclass(frozen=True)
class DowntimeBasis:
    """The working days a lab's down instrument is expected to stay down, and where it comes
    from: a fit (the lab's, or the network's when it has no lab) or, without one,
    `RETURN_DAYS` (from generated history)."""

    return_days: int
    fit: DowntimeFit | None = None


def downtime_bases(lab_ids: Iterable[int]) -> dict[int, DowntimeBasis]:
    """Each lab's expected return: its newest fit, else the network's newest, else
    `RETURN_DAYS`."""
    return _newest_fits(DowntimeFit, lab_ids, DowntimeBasis(RETURN_DAYS),
                        lambda fit: DowntimeBasis(fit.return_days, fit))


def _newest_fits(model: type[Fit], lab_ids: Iterable[int], default: Basis,
                 basis: Callable[[Fit], Basis]) -> dict[int, Basis]:
    """Per lab, `basis` of the lab's newest fit, else of the network's newest (a fit with no
    lab), else `default`."""
    newest = model.objects.select_related("lab").order_by("-fitted_at", "-id")

    def of(fit: Fit | None) -> Basis | None:
        return None if fit is None else basis(fit)

    network = of(newest.filter(lab__isnull=True).first()) or default
    return {lab_id: of(newest.filter(lab_id=lab_id).first()) or network
            for lab_id in set(lab_ids)}
