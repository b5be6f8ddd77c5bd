"""Pages of custody inside a lab: storage locations, the scan-to-move page, a sample's
timeline with its aliquots, the disposal list, and labels as one PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.access import labs_where, may, roles_for
from portlab.accounts.models import User
from portlab.core.errors import ApplicationError, NotFound
from portlab.core.views import attempt, optional_int
from portlab.intake import custody, disposal
from portlab.intake import custody_selectors as selectors
from portlab.intake.label_pdf import PrintedLabel, labels_pdf
from portlab.intake.models import Aliquot, Disposal, Sample, StorageLocation
from portlab.network.models import Lab, ProductCategory


def _labs(user, action: str):
    network, labs, districts = labs_where(user, action)
    rows = Lab.objects.order_by("code")
    return rows if network else rows.filter(pk__in=labs) | rows.filter(
        district_id__in=districts)


def _sample(user, number: str, action: str = "custody.view") -> Sample:
    sample = (Sample.objects.select_related("application__lab", "location", "holder",
                                            "received_by")
              .filter(selectors.labels_visible(user, action), number=number).first())
    if sample is None:
        raise NotFound(_("Sample %s not found.") % number)
    return sample


@login_required
def storage(request: HttpRequest) -> HttpResponse:
    """The lab's storage locations and retention periods; managers add to them."""
    manage_labs = _labs(request.user, "storage.manage")
    return render(request, "intake/storage.html", {
        "locations": selectors.locations_visible_to(request.user),
        "periods": custody.RetentionPeriod.objects.filter(lab__in=_labs(
            request.user, "custody.view")).select_related("lab", "product_category"),
        "manage_labs": manage_labs, "kinds": StorageLocation.Kind.choices,
        "categories": ProductCategory.objects.order_by("code"),
        "default_days": custody.retention.DEFAULT_RETENTION_DAYS})


@require_POST
@login_required
def storage_location_create(request: HttpRequest) -> HttpResponse:
    lab = _labs(request.user, "storage.manage").filter(
        pk=optional_int(request.POST.get("lab"))).first()
    within = StorageLocation.objects.filter(pk=optional_int(request.POST.get("within"))).first()
    if lab is None:
        messages.error(request, _("Choose the lab of the storage location."))
        return redirect("storage")
    attempt(request, lambda: custody.storage_location_create(
        actor=request.user, lab=lab, kind=request.POST.get("kind", ""),
        name=request.POST.get("name", ""), within=within), _("Storage location added."))
    return redirect("storage")


@require_POST
@login_required
def retention_period_set(request: HttpRequest) -> HttpResponse:
    lab = _labs(request.user, "storage.manage").filter(
        pk=optional_int(request.POST.get("lab"))).first()
    category = ProductCategory.objects.filter(
        pk=optional_int(request.POST.get("category"))).first()
    if lab is None:
        messages.error(request, _("Choose the lab whose retention period you set."))
        return redirect("storage")
    attempt(request, lambda: custody.retention_period_set(
        actor=request.user, lab=lab, product_category=category,
        days=optional_int(request.POST.get("days"))), _("Retention period saved."))
    return redirect("storage")


def _pdf(labels: list[PrintedLabel], name: str) -> HttpResponse:
    response = HttpResponse(labels_pdf(labels), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def storage_labels(request: HttpRequest) -> HttpResponse:
    """Barcode labels of the chosen storage locations (all of them when none is chosen)."""
    locations = selectors.locations_visible_to(request.user)
    chosen = [int(pk) for pk in request.GET.getlist("location") if pk.isdigit()]
    if chosen:
        locations = locations.filter(pk__in=chosen)
    return _pdf([PrintedLabel(row.code, (row.name, row.get_kind_display(), row.lab.name))
                 for row in locations], "storage-labels")


@login_required
def labels_print(request: HttpRequest) -> HttpResponse:
    """One PDF of the labels of the chosen samples and aliquots, in the order chosen."""
    numbers = [text.strip().upper() for text in request.GET.getlist("sample") if text.strip()]
    samples = {row.number: row for row in Sample.objects.select_related(
        "application__enterprise").filter(selectors.labels_visible(request.user, "custody.view"),
                                          number__in=numbers)}
    aliquots = {row.number: row for row in Aliquot.objects.select_related(
        "sample__application").filter(number__in=numbers, sample__in=samples.values())}
    labels = []
    for number in numbers:
        if number in samples:
            application = samples[number].application
            labels.append(PrintedLabel(number, (
                f"{_('Application')} {application.number}", application.goods_description,
                application.enterprise.name)))
        elif number in aliquots:
            aliquot = aliquots[number]
            labels.append(PrintedLabel(number, (
                _("Aliquot of %s") % aliquot.sample.number, aliquot.quantity, aliquot.purpose)))
    if not labels:
        messages.error(request, _("Tick the samples whose labels you print."))
        return redirect(request.META.get("HTTP_REFERER") or "reception")
    return _pdf(labels, "sample-labels")


def _holders(user):
    network, labs, districts = labs_where(user, "custody.move")
    rows = User.objects.filter(roles__role__in=roles_for("custody.move"), is_active=True)
    if not network:
        rows = rows.filter(roles__lab_id__in=labs)
    return rows.distinct().order_by("username")


def _move(request: HttpRequest) -> str:
    sample, aliquot = selectors.custody_item_by_label(request.user, request.POST.get("scan", ""))
    location_code = request.POST.get("location", "").strip()
    location = selectors.location_by_code(request.user, location_code) if location_code else None
    holder = _holders(request.user).filter(pk=optional_int(request.POST.get("holder"))).first()
    move = custody.sample_move(actor=request.user, sample=sample, aliquot=aliquot,
                               location=location, holder=holder)
    target = move.to_location.name if move.to_location else move.to_holder.display_name
    return _("%(item)s is now at %(place)s.") % {
        "item": aliquot.number if aliquot else sample.number, "place": target}


@login_required
def custody_scan(request: HttpRequest) -> HttpResponse:
    """Scan a sample's label, then a location's (keyboard-wedge scanner: code, Enter, code,
    Enter); or choose the person it is handed to. An error keeps what was scanned."""
    typed = {}
    if request.method == "POST":
        try:
            messages.success(request, _move(request))
            return redirect("custody_scan")
        except ApplicationError as error:
            messages.error(request, error.message)
            typed = request.POST
    return render(request, "intake/custody_scan.html", {
        "typed": typed, "holders": _holders(request.user),
        "moves": selectors.recent_moves(request.user)})


@login_required
def sample_timeline(request: HttpRequest, number: str) -> HttpResponse:
    sample = _sample(request.user, number)
    lab = sample.application.lab
    today = timezone.localdate()
    return render(request, "intake/sample_timeline.html", {
        "sample": sample, "events": selectors.sample_timeline(sample),
        "aliquots": sample.aliquots.select_related("location", "holder").order_by("id"),
        "disposal": Disposal.objects.filter(sample=sample).first(),
        "past_retention": bool(sample.retain_until and sample.retain_until < today),
        "may_move": may(request.user, "custody.move", lab=lab),
        "may_dispose": may(request.user, "sample.dispose", lab=lab),
        "methods": Disposal.Method.choices})


@require_POST
@login_required
def sample_aliquot(request: HttpRequest, number: str) -> HttpResponse:
    sample = _sample(request.user, number, "custody.move")
    attempt(request, lambda: custody.aliquot_create(
        actor=request.user, sample=sample, quantity=request.POST.get("quantity", ""),
        purpose=request.POST.get("purpose", "")), _("Aliquot taken."))
    return redirect("sample_timeline", number=number)


@login_required
def disposal_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    due = [row for lab in _labs(request.user, "sample.dispose")
           for row in selectors.samples_past_retention(lab, today)[:200]]
    return render(request, "intake/disposal_list.html", {
        "due": due, "methods": Disposal.Method.choices, "today": today})


@require_POST
@login_required
def sample_dispose(request: HttpRequest, number: str) -> HttpResponse:
    sample = _sample(request.user, number, "sample.dispose")
    attempt(request, lambda: disposal.disposal_propose(
        actor=request.user, sample=sample, method=request.POST.get("method", ""),
        note=request.POST.get("note", "")), _("Disposal of %s proposed.") % number)
    return redirect("disposal_list")


@require_POST
@login_required
def sample_dispose_approve(request: HttpRequest, number: str) -> HttpResponse:
    sample = _sample(request.user, number, "sample.dispose")
    attempt(request, lambda: disposal.disposal_approve(
        actor=request.user, sample=sample,
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s disposed of.") % number)
    return redirect("disposal_list")
