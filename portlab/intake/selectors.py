"""Reads of applications and samples, limited to what the user may see."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portlab.accounts.access import enterprise_ids, lab_scope, visible_lab_filter
from portlab.core.errors import NotFound
from portlab.intake.models import Application, Sample


def applications_visible_to(user) -> QuerySet[Application]:
    rows = Application.objects.select_related("enterprise", "lab")
    network, labs, districts = lab_scope(user)
    if network:
        # (Q(...) | Q() is the first Q alone, so the whole network is answered here.)
        return rows
    condition = Q(enterprise_id__in=enterprise_ids(user))
    if labs or districts:
        condition |= visible_lab_filter(user, "")
    return rows.filter(condition)


def application_get(user, number: str) -> Application:
    application = applications_visible_to(user).filter(number=number).first()
    if application is None:
        # The same answer whether it does not exist or belongs to someone else.
        raise NotFound(f"Application {number} not found.")
    return application


def sample_get(user, number: str) -> Sample:
    sample = (Sample.objects.select_related("application__lab", "application__enterprise")
              .filter(number=number, application__in=applications_visible_to(user)).first())
    if sample is None:
        raise NotFound(f"Sample {number} not found.")
    return sample


def sample_by_label(user, code: str) -> Sample:
    """The sample whose label (QR or barcode: its number, or the barcode given at reception)
    was scanned, among those the user may receive; any other answers "not found" alike."""
    text = code.strip().upper()
    sample = (samples_awaiting_reception(user, include_received=True)
              .filter(Q(number=text) | Q(barcode=code.strip())).first())
    if sample is None:
        raise NotFound(_("No sample of yours has the label “%s”.") % code.strip(), field="scan")
    return sample


def samples_awaiting_reception(user, text: str = "", *, include_received: bool = False,
                               filed_from: date | None = None,
                               filed_to: date | None = None) -> QuerySet[Sample]:
    """Submitted samples of the labs where the user receives, found by application or sample
    number, enterprise, goods or HS code, and by the days their application was filed."""
    rows = Sample.objects.select_related("application__enterprise", "application__lab")
    if not include_received:
        rows = rows.filter(status="submitted")
    if filed_from:
        rows = rows.filter(application__submitted_at__date__gte=filed_from)
    if filed_to:
        rows = rows.filter(application__submitted_at__date__lte=filed_to)
    if text.strip():
        word = text.strip()
        rows = rows.filter(Q(number__iexact=word) | Q(application__number__iexact=word)
                           | Q(application__enterprise__name_zh__icontains=word)
                           | Q(application__enterprise__name_en__icontains=word)
                           | Q(application__goods_description__icontains=word)
                           | Q(application__hs_code__startswith=word))
    return (rows.filter(visible_lab_filter(user, "application__", "sample.receive"))
            .order_by("number"))
