"""Authorization pages: grant, correct and renew (never by the holder), revoke."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError
from portlab.core.views import optional_int
from portlab.quality import selectors, services
from portlab.quality.models import Duty


def _render(request: HttpRequest, status: int = 200, error: ApplicationError | None = None,
            form: str = "", form_id: int | None = None) -> HttpResponse:
    labs = selectors.visible_labs(request.user)
    lab_ids = list(labs.values_list("id", flat=True))
    today = timezone.localdate()
    return render(request, "quality/personnel.html", {
        "expiring": selectors.authorizations_expiring(lab_ids, 30)[:100],
        "authorizations": selectors.authorizations_of(lab_ids).select_related("renewal")[:500],
        "today": today, "soon": today + datetime.timedelta(30),
        "people": selectors.people_of_labs(labs), "duties": Duty.choices,
        "capabilities": selectors.capabilities_of_labs(labs)[:500],
        "users": selectors.people_of_labs(labs).filter(authorizations__lab__in=labs).count(),
        "error": error, "kept": request.POST if error else {}, "kept_form": form,
        "kept_id": form_id}, status=status)


@login_required
def personnel(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _done(request: HttpRequest, action, success: str, form: str,
          form_id: int | None = None) -> HttpResponse:
    try:
        action()
    except ApplicationError as error:  # PermissionDenied too: the holder is told why
        return _render(request, 422, error, form, form_id)
    messages.success(request, success)
    return redirect("quality_personnel")


@require_POST
@login_required
def authorization_grant(request: HttpRequest) -> HttpResponse:
    post = request.POST
    labs = selectors.visible_labs(request.user)
    capability = selectors.capabilities_of_labs(labs).filter(
        pk=optional_int(post.get("capability"))).first()
    holder = selectors.people_of_labs(labs).filter(pk=optional_int(post.get("user"))).first()

    def grant() -> None:
        if capability is None:
            raise ApplicationError(_("Choose the capability."), field="capability")
        if holder is None:
            raise ApplicationError(_("Choose the person to authorize."), field="user")
        services.authorization_grant(
            actor=request.user, user=holder, lab=capability.lab, duty=post.get("duty", ""),
            capability=capability, valid_from=post.get("valid_from", ""),
            valid_to=post.get("valid_to", ""))

    return _done(request, grant, _("Authorization granted."), "grant")


@require_POST
@login_required
def authorization_renew(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = selectors.authorization_get(request.user, authorization_id)
    return _done(request, lambda: services.authorization_renew(
        actor=request.user, authorization=authorization,
        valid_to=request.POST.get("valid_to", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Authorization renewed."), "renew", authorization.pk)


@require_POST
@login_required
def authorization_edit(request: HttpRequest, authorization_id: int) -> HttpResponse:
    authorization = selectors.authorization_get(request.user, authorization_id)
    post = request.POST
    return _done(request, lambda: services.authorization_update(
        actor=request.user, authorization=authorization, valid_from=post.get("valid_from", ""),
        valid_to=post.get("valid_to", ""), expected_version=optional_int(post.get("version"))),
        _("Authorization changed."), "edit", authorization.pk)
