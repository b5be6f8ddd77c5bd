"""Account pages: enterprise registration, the enterprise's users, invitations, and the
authenticator app used to sign."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts import services, signatures
from portlab.core import ratelimit
from portlab.core.errors import ApplicationError
from portlab.core.views import optional_int

REGISTRATION_FIELDS = ["credit_code", "name_zh", "name_en", "customs_code", "contact_name",
                       "contact_email", "contact_phone", "username", "password"]


class ThrottledLoginView(auth_views.LoginView):
    """Django's login page. Each failure counts against the address (100 in 15 minutes, enough
    for an office behind one NAT); django-axes locks the account itself after 5 failures."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        verdict = ratelimit.peek(request, "login")
        if verdict.limited:
            return ratelimit.too_many_requests(request, verdict.retry_after)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        ratelimit.hit(self.request, "login")
        return super().form_invalid(form)


def login_locked_out(request: HttpRequest, original_response=None,
                     credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer once an account has too many failed logins (AXES_LOCKOUT_CALLABLE)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    message = _("Too many failed logins for this account. It is locked for %(minutes)d minutes; "
                "try again later or ask your administrator.") % {"minutes": minutes}
    return render(request, "registration/login.html",
                  {"form": AuthenticationForm(request), "locked_out": message}, status=429)


def register(request: HttpRequest) -> HttpResponse:
    """Public: an enterprise registers itself and its first administrator."""
    if request.method != "POST":
        return render(request, "accounts/register.html", {})
    verdict = ratelimit.peek(request, "register")
    if not verdict.limited:
        verdict = ratelimit.hit(request, "register-attempt")
    if verdict.limited:
        return ratelimit.too_many_requests(request, verdict.retry_after)
    values = {name: request.POST.get(name, "") for name in REGISTRATION_FIELDS}
    if values["password"] != request.POST.get("password_again", ""):
        error = ApplicationError(_("The two passwords differ."), field="password")
        return render(request, "accounts/register.html", {"error": error, "post": request.POST},
                      status=400)
    try:
        user = services.enterprise_register(**values)
    except ApplicationError as error:
        return render(request, "accounts/register.html", {"error": error, "post": request.POST},
                      status=400)
    ratelimit.hit(request, "register")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your enterprise is registered. You can file applications now."))
    return redirect("application_new")


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """The enterprises this user administers, their users, and the invitation form."""
    enterprises = [
        (enterprise, services.enterprise_members(enterprise),
         set(enterprise.administrators.values_list("user_id", flat=True)))
        for enterprise in services.administered_enterprises(request.user)
    ]
    if not enterprises:
        raise Http404(_("You administer no enterprise."))
    return render(request, "accounts/team.html", {"enterprises": enterprises})


@require_POST
@login_required
def invite(request: HttpRequest) -> HttpResponse:
    enterprise = services.administered_enterprises(request.user).filter(
        pk=optional_int(request.POST.get("enterprise"))).first()
    if enterprise is None:
        raise Http404(_("You administer no such enterprise."))
    email = request.POST.get("email", "")
    try:
        services.enterprise_invite(actor=request.user, enterprise=enterprise, email=email,
                                   base_url=request.build_absolute_uri("/"))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation sent to %s.") % email.strip())
    return redirect("team")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public, with the signed link from the email: the invited person chooses a login."""
    try:
        invitation = services.invitation_read(token)
    except ApplicationError as error:
        return render(request, "accounts/invitation.html", {"invalid": error}, status=400)
    context: dict = {"invitation": invitation}
    if request.method != "POST":
        return render(request, "accounts/invitation.html", context)
    verdict = ratelimit.hit(request, "invitation")
    if verdict.limited:
        return ratelimit.too_many_requests(request, verdict.retry_after)
    post = request.POST
    try:
        if post.get("password", "") != post.get("password_again", ""):
            raise ApplicationError(_("The two passwords differ."), field="password")
        user = services.invitation_accept(
            token=token, username=post.get("username", ""), password=post.get("password", ""),
            display_name=post.get("display_name", ""))
    except ApplicationError as error:
        context.update(error=error, post=post)
        return render(request, "accounts/invitation.html", context, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome to %s.") % invitation.enterprise.name)
    return redirect("application_list")


@login_required
def authenticator(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app for signing: scan the QR code (or type the secret), then
    confirm with a first code; until confirmed the device cannot sign."""
    if request.method == "POST" and "remove" in request.POST:
        return _authenticator_remove(request)
    if request.method == "POST":
        try:
            signatures.totp_confirm(user=request.user, code=request.POST.get("totp", ""))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your authenticator app is enrolled; you may now sign "
                                        "with its codes."))
        return redirect("authenticator")
    device = signatures.totp_device_for_enrolment(user=request.user)
    return render(request, "accounts/authenticator.html", {
        "device": device, "secret": signatures.totp_secret(device),
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
    })


def _authenticator_remove(request: HttpRequest) -> HttpResponse:
    try:
        signatures.totp_remove(user=request.user, password=request.POST.get("password", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your authenticator app is removed; sign with your "
                                    "password, or enrol a new app below."))
    return redirect("authenticator")


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: create one (shown once), see when each expires, revoke one."""
    context: dict = {"default_days": settings.PORTLAB_API_TOKEN_DAYS}
    if request.method == "POST":
        try:
            context["new_token"] = services.api_token_create(
                user=request.user, name=request.POST.get("name", ""),
                lifetime_days=optional_int(request.POST.get("lifetime_days")))
        except ApplicationError as error:
            context["error"] = error
    context["tokens"] = [(token, services.api_token_status(token))
                         for token in services.api_tokens_of(request.user)]
    status = 400 if "error" in context else 200
    return render(request, "accounts/api_tokens.html", context, status=status)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("Token “%s” is revoked.") % token.name)
    return redirect("api_tokens")
