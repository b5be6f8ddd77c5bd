from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.access import lab_scope, roles_for
from portlab.accounts.models import User
from portlab.accounts.signatures import credential_posted
from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.intake import selectors as intake_selectors
from portlab.testing import reception, selectors, services
from portlab.testing.models import Result, Review, Test
from portlab.testing.progress import application_progress, audit_trail


def analysts_visible_to(user):
    """Analysts of the labs where the user works (whole network: every analyst)."""
    network, labs, districts = lab_scope(user)
    rows = User.objects.filter(roles__role__in=roles_for("result.enter"))
    if not network:
        rows = rows.filter(Q(roles__lab_id__in=labs) | Q(roles__lab__district_id__in=districts))
    return rows.distinct().order_by("username")


# The access-table action behind each queue's buttons.
QUEUE_ACTIONS = {"assign": "test.assign", "result": "result.enter", "review": "test.review",
                 "approve": "test.approve"}


def _queue(request: HttpRequest, title: str, status: str, action: str, *, mine: bool = False):
    tests = selectors.worklist(request.user, status, mine=mine, action=QUEUE_ACTIONS[action])[:200]
    return render(request, "testing/queue.html", {
        "title": title, "tests": tests, "action": action, "kinds": Result.Kind.choices,
        "decisions": Review.Decision.choices,
        "analysts": analysts_visible_to(request.user),
    })


@login_required
def assignment(request: HttpRequest) -> HttpResponse:
    return _queue(request, _("Tests waiting for an analyst"), Test.Status.PENDING, "assign")


@login_required
def my_tests(request: HttpRequest) -> HttpResponse:
    return _queue(request, _("My tests"), Test.Status.ASSIGNED, "result", mine=True)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request, _("Results to review (复核)"), Test.Status.RESULTED, "review")


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request, _("Results to approve (批准)"), Test.Status.REVIEWED, "approve")


@require_POST
@login_required
def test_assign(request: HttpRequest, test_id: int) -> HttpResponse:
    test = selectors.test_get(request.user, test_id)
    analyst = User.objects.filter(pk=optional_int(request.POST.get("analyst"))).first()
    attempt(request, lambda: services.test_assign(
        actor=request.user, test=test, analyst=analyst,
        expected_version=optional_int(request.POST.get("version"))), _("Test assigned."))
    return redirect("assignment")


def _decide(request: HttpRequest, test_id: int, service, success: str, target: str):
    """One test's decision, against the version shown on the page the person decided on."""
    test = selectors.test_get(request.user, test_id)
    seen = [services.Seen(test, optional_int(request.POST.get("version")) or 0)]
    attempt(request, lambda: service(
        actor=request.user, seen=seen, decision=request.POST.get("decision", ""),
        comment=request.POST.get("comment", ""), credential=credential_posted(request)), success)
    return redirect(target)


def _decide_batch(request: HttpRequest, service, success: str, target: str):
    """Accept the ticked tests with one signature, each at the version the page showed."""
    seen = [services.Seen(selectors.test_get(request.user, test_id),
                          optional_int(request.POST.get(f"version_{test_id}")) or 0)
            for test_id in map(optional_int, request.POST.getlist("test")) if test_id]
    if not seen:
        messages.error(request, _("Tick the tests to accept."))
        return redirect(target)
    attempt(request, lambda: service(
        actor=request.user, seen=seen, decision=Review.Decision.ACCEPT,
        credential=credential_posted(request)), success)
    return redirect(target)


@require_POST
@login_required
def tests_review(request: HttpRequest) -> HttpResponse:
    return _decide_batch(request, services.tests_review, _("Review recorded."), "review_queue")


@require_POST
@login_required
def tests_approve(request: HttpRequest) -> HttpResponse:
    return _decide_batch(request, services.tests_approve, _("Approval recorded."),
                         "approval_queue")


@require_POST
@login_required
def test_review(request: HttpRequest, test_id: int) -> HttpResponse:
    return _decide(request, test_id, services.tests_review, _("Review recorded."), "review_queue")


@require_POST
@login_required
def test_approve(request: HttpRequest, test_id: int) -> HttpResponse:
    return _decide(request, test_id, services.tests_approve, _("Approval recorded."),
                   "approval_queue")


# The application page shows each sample with its tests, and reception creates tests: pages
# above intake, served under its URLs (config/urls.py).

@login_required
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    application = intake_selectors.application_get(request.user, number)
    samples = list(application.samples.order_by("number").prefetch_related(
        "tests__test_item", "tests__result", "tests__analyst"))
    network, labs, districts = lab_scope(request.user)
    context = {"application": application, "samples": samples,
               "progress": application_progress(application),
               "lab_side": network or bool(labs or districts)}
    if context["lab_side"]:  # the raw audit trail names lab staff: not for enterprises
        context["events"] = audit_trail(application)
    return render(request, "testing/application_detail.html", context)


@require_POST
@login_required
def sample_receive(request: HttpRequest, number: str) -> HttpResponse:
    sample = intake_selectors.sample_get(request.user, number)
    attempt(request, lambda: reception.sample_receive(
        actor=request.user, sample=sample, barcode=request.POST.get("barcode", ""),
        condition=request.POST.get("condition", "intact"),
        condition_note=request.POST.get("condition_note", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s received; its tests are created.") % number)
    return redirect("reception")


@require_POST
@login_required
def sample_reject(request: HttpRequest, number: str) -> HttpResponse:
    sample = intake_selectors.sample_get(request.user, number)
    attempt(request, lambda: reception.sample_reject(
        actor=request.user, sample=sample, reason=request.POST.get("reason", ""),
        expected_version=optional_int(request.POST.get("version"))),
        _("Sample %s rejected.") % number)
    return redirect("reception")


@require_POST
@login_required
def reception_scan(request: HttpRequest) -> HttpResponse:
    """A label scanned at reception (keyboard-wedge scanner: the code, then Enter) receives
    that sample; the page comes back with the field focused for the next one."""
    code = request.POST.get("scan", "")
    try:
        sample = intake_selectors.sample_by_label(request.user, code)
        if sample.status != "submitted":
            raise ApplicationError(_("Sample %(number)s was already received (%(status)s).")
                                   % {"number": sample.number,
                                      "status": sample.get_status_display()}, field="scan")
        reception.sample_receive(actor=request.user, sample=sample,
                                 condition=request.POST.get("condition", "intact"),
                                 expected_version=sample.version)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sample %s received; its tests are created.")
                         % sample.number)
    return redirect("reception")


@require_POST
@login_required
def application_receive_all(request: HttpRequest, number: str) -> HttpResponse:
    """Receive every sample of an application still waiting; any refused one is listed."""
    application = intake_selectors.application_get(request.user, number)
    waiting = list(application.samples.filter(status="submitted").order_by("number"))
    received, refused = reception.samples_receive_all(actor=request.user, samples=waiting)
    if received:
        messages.success(request, _("%(count)d sample(s) of %(number)s received.")
                         % {"count": len(received), "number": number})
    for item in refused:
        messages.error(request, _("%(sample)s not received: %(reason)s")
                       % {"sample": item.sample, "reason": item.reason})
    return redirect("reception")
