from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.models import Role, User
from portlab.accounts.permissions import lab_scope
from portlab.core.views import attempt, optional_int
from portlab.testing import selectors, services
from portlab.testing.models import Result, Review, Test
from portlab.testing.results import ResultInput


def analysts_visible_to(user):
    """Analysts of the labs where the user works (whole network: every analyst)."""
    network, labs, districts = lab_scope(user)
    rows = User.objects.filter(roles__role=Role.ANALYST)
    if not network:
        rows = rows.filter(Q(roles__lab_id__in=labs) | Q(roles__lab__district_id__in=districts))
    return rows.distinct().order_by("username")


def _queue(request: HttpRequest, title: str, status: str, action: str, *, mine: bool = False):
    tests = selectors.worklist(request.user, status, mine=mine)[:200]
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


@require_POST
@login_required
def result_enter(request: HttpRequest, test_id: int) -> HttpResponse:
    test = selectors.test_get(request.user, test_id)
    post = request.POST
    data = ResultInput(kind=post.get("kind", "numeric"), value=post.get("value", ""),
                       unit=post.get("unit", ""), uncertainty=post.get("uncertainty", ""),
                       text=post.get("text", ""),
                       coverage_factor=post.get("coverage_factor", ""))
    attempt(request, lambda: services.result_enter(
        actor=request.user, test=test, data=data, reason=post.get("reason", ""),
        expected_version=optional_int(post.get("version"))), _("Result submitted."))
    return redirect("my_tests")


def _decide(request: HttpRequest, test_id: int, service, success: str, target: str):
    test = selectors.test_get(request.user, test_id)
    attempt(request, lambda: service(
        actor=request.user, test=test, decision=request.POST.get("decision", ""),
        comment=request.POST.get("comment", ""),
        expected_version=optional_int(request.POST.get("version"))), success)
    return redirect(target)


@require_POST
@login_required
def test_review(request: HttpRequest, test_id: int) -> HttpResponse:
    return _decide(request, test_id, services.test_review, _("Review recorded."), "review_queue")


@require_POST
@login_required
def test_approve(request: HttpRequest, test_id: int) -> HttpResponse:
    return _decide(request, test_id, services.test_approve, _("Approval recorded."),
                   "approval_queue")
