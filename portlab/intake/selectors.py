"""Reads of applications and samples, limited to what the user may see."""

from django.db.models import Q, QuerySet

from portlab.accounts.permissions import enterprise_ids, lab_scope, visible_lab_filter
from portlab.core.errors import NotFound
from portlab.intake.models import Application, Sample


def applications_visible_to(user) -> QuerySet[Application]:
    rows = Application.objects.select_related("enterprise", "lab")
    network, labs, districts = lab_scope(user)
    condition = Q(enterprise_id__in=enterprise_ids(user))
    if network or labs or districts:
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


def samples_awaiting_reception(user) -> QuerySet[Sample]:
    rows = Sample.objects.select_related("application__enterprise", "application__lab")
    rows = rows.filter(status="submitted")
    return rows.filter(visible_lab_filter(user, "application__")).order_by("number")
