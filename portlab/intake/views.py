from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.models import Enterprise
from portlab.accounts.permissions import enterprise_ids
from portlab.audit.selectors import audit_events_for
from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.intake import selectors, services
from portlab.intake.models import Application
from portlab.network.models import Lab, ProductCategory, TestItem


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.applications_visible_to(request.user).order_by("-id")
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(request, "intake/application_list.html",
                  {"applications": rows[:200], "status": status,
                   "statuses": Application._meta.get_field("status").choices})


def _form_choices(request: HttpRequest) -> dict:
    own = enterprise_ids(request.user)
    enterprises = Enterprise.objects.filter(id__in=own) if own else Enterprise.objects.all()
    return {"enterprises": enterprises.order_by("name_zh"),
            "labs": Lab.objects.order_by("code"),
            "categories": ProductCategory.objects.order_by("code"),
            "test_items": TestItem.objects.order_by("code"),
            "purposes": Application.Purpose.choices}


def _register_from_post(request: HttpRequest) -> Application:
    post = request.POST
    descriptions = [d for d in post.getlist("sample_description") if d.strip()]
    enterprise = Enterprise.objects.filter(pk=optional_int(post.get("enterprise"))).first()
    lab = Lab.objects.filter(pk=optional_int(post.get("lab"))).first()
    if enterprise is None:
        raise ApplicationError(_("Choose the applicant enterprise."), field="enterprise")
    if lab is None:
        raise ApplicationError(_("Choose the lab."), field="lab")
    return services.application_register(
        actor=request.user, enterprise=enterprise, lab=lab,
        goods_description=post.get("goods_description", ""), hs_code=post.get("hs_code", ""),
        declaration_number=post.get("declaration_number", "").strip(),
        purpose=post.get("purpose", ""),
        product_category=ProductCategory.objects.filter(
            pk=optional_int(post.get("product_category"))).first(),
        test_item_ids=[int(i) for i in post.getlist("test_items") if i.isdigit()],
        samples=[services.SampleInput(description=d) for d in descriptions],
        requires_accreditation=post.get("requires_accreditation") == "on",
    )


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    context = _form_choices(request)
    if request.method == "POST":
        try:
            application = _register_from_post(request)
        except ApplicationError as error:
            context.update(error=error, post=request.POST,
                           chosen=[int(i) for i in request.POST.getlist("test_items")])
            return render(request, "intake/application_form.html", context, status=400)
        return redirect("application_detail", number=application.number)
    return render(request, "intake/application_form.html", context)


@login_required
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    samples = list(application.samples.order_by("number").prefetch_related(
        "tests__test_item", "tests__result", "tests__analyst"))
    events = audit_events_for("sample", [s.pk for s in samples]).union(
        audit_events_for("application", [application.pk])).order_by("id")
    return render(request, "intake/application_detail.html",
                  {"application": application, "samples": samples, "events": events})


@require_POST
@login_required
def application_cancel(request: HttpRequest, number: str) -> HttpResponse:
    application = selectors.application_get(request.user, number)
    attempt(request, lambda: services.application_cancel(
        actor=request.user, application=application, reason=request.POST.get("reason", ""),
        expected_version=optional_int(request.POST.get("version"))), _("Application cancelled."))
    return redirect("application_detail", number=number)


@login_required
def reception(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/reception.html",
                  {"samples": selectors.samples_awaiting_reception(request.user)[:200]})


@require_POST
@login_required
def sample_receive(request: HttpRequest, number: str) -> HttpResponse:
    sample = selectors.sample_get(request.user, number)
    attempt(request, lambda: services.sample_receive(
        actor=request.user, sample=sample, barcode=request.POST.get("barcode", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s received; its tests are created.") % number)
    return redirect("reception")


@require_POST
@login_required
def sample_reject(request: HttpRequest, number: str) -> HttpResponse:
    sample = selectors.sample_get(request.user, number)
    attempt(request, lambda: services.sample_reject(
        actor=request.user, sample=sample, reason=request.POST.get("reason", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s rejected.") % number)
    return redirect("reception")
