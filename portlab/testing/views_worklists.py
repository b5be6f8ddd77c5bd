"""The worklists (assignment, my tests, review, approval): filtered, sorted, paged lists with
bulk actions. Every action comes back to the same list, filters and place kept (#worklist)."""

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.accounts.access import lab_scope, may, roles_for
from portlab.accounts.models import User
from portlab.accounts.signatures import credential_posted
from portlab.core.errors import ApplicationError
from portlab.core.views import attempt, optional_int
from portlab.intake.models import Application
from portlab.intake.models import Status as ApplicationStatus
from portlab.testing import bulk, selectors, services, standing
from portlab.testing.bulk import Refusal
from portlab.testing.models import Review, Test
from portlab.testing.worklist_rows import RowMaker
from portlab.testing.worklists import QUEUES, SORTS, Queue, read_filter


def analysts_visible_to(user):
    """Analysts of the labs where the user works (whole network: every analyst)."""
    network, labs, districts = lab_scope(user)
    rows = User.objects.filter(roles__role__in=roles_for("result.enter"))
    if not network:
        rows = rows.filter(Q(roles__lab_id__in=labs) | Q(roles__lab__district_id__in=districts))
    return rows.distinct().order_by("username")


TITLES = {
    "assign": lambda: _("Tests waiting for an analyst"),
    "result": lambda: _("My tests"),
    "review": lambda: _("Results to review (复核)"),
    "approve": lambda: _("Results to approve (批准)"),
}
PROBLEMS = {
    "status": lambda text: _("Status: “%s” is not a status of this list; its first status "
                             "is shown.") % text,
    "due_by": lambda text: _("Due by: “%s” is not a date (YYYY-MM-DD); the filter was not "
                             "applied.") % text,
}


def worklist_render(request: HttpRequest, queue_name: str, *, query: Mapping[str, str],
                    entered: Mapping[int, Mapping[str, str]] | None = None,
                    row_errors: Mapping[int, str] | None = None) -> HttpResponse:
    """A worklist page; `entered` and `row_errors` re-show typed results with their errors."""
    queue = QUEUES[queue_name]
    chosen = read_filter(query, queue)
    for field, text in chosen.problems:
        messages.error(request, PROBLEMS[field](text))
    today = timezone.localdate()
    page = selectors.worklist_page(request.user, queue, chosen, today)
    labs, items = selectors.worklist_choices(request.user, queue)
    assigning = queue_name == "assign"
    analysts = list(analysts_visible_to(request.user)) if assigning else []
    maker = RowMaker(request, queue_name, next_query=chosen.query(), several_labs=len(labs) > 1,
                     analysts=analysts)
    rows = maker.rows(page.object_list, today, entered or {}, row_errors or {})
    return render(request, "testing/queue.html", {
        "title": TITLES[queue_name](), "queue": queue, "action": queue_name, "page": page,
        "rows": rows, "chosen": chosen, "labs": labs, "several_labs": len(labs) > 1,
        "next": chosen.query(), "sort_links": {c: chosen.sorted_by(c) for c in SORTS},
        "previous_page": chosen.query(page=page.number - 1) if page.has_previous() else None,
        "next_page": chosen.query(page=page.number + 1) if page.has_next() else None,
        "items": items, "statuses": [(s, Test.Status(s).label) for s in queue.statuses],
        "analysts": analysts, "words": maker.words,
        "standing_broken": standing.standing_assignments_broken(request.user) if assigning else [],
        "may_set_standing": assigning and may(request.user, "test.standing_assign"),
    })


def _page(queue_name: str):
    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        return worklist_render(request, queue_name, query=request.GET)
    view.__name__ = f"worklist_{queue_name}"
    return view


assignment = _page("assign")
my_tests = _page("result")
review_queue = _page("review")
approval_queue = _page("approve")


def back_to_list(request: HttpRequest, queue: Queue) -> HttpResponseRedirect:
    """The list the form was posted from, with its filters, order and page, at the table."""
    chosen = read_filter(QueryDict(request.POST.get("next", "")), queue)
    return redirect(f"{reverse(queue.url_name)}?{chosen.query()}#worklist")


def _ticked(request: HttpRequest) -> list[tuple[int, int]]:
    return [(test_id, optional_int(request.POST.get(f"version_{test_id}")) or 0)
            for test_id in map(optional_int, request.POST.getlist("test")) if test_id]


def _report(request: HttpRequest, done: list[Test], refused: list[Refusal], success: str) -> None:
    if done:
        messages.success(request, success % {"count": len(done)})
    for item in refused:
        messages.error(request, _("%(test)s not done: %(reason)s")
                       % {"test": item.test, "reason": item.reason})


def _bulk(request: HttpRequest, queue: Queue, action, success: str) -> HttpResponse:
    """Run a bulk action on the ticked tests; report what was done and each refusal."""
    ticked = _ticked(request)
    if not ticked:
        messages.error(request, _("Tick the tests first."))
        return back_to_list(request, queue)
    seen, missing = bulk.ticked_tests(request.user, ticked)
    try:
        done, refused = action(seen)
    except ApplicationError as error:  # the batch itself (analyst, signature) was refused
        messages.error(request, error.message)
        return back_to_list(request, queue)
    _report(request, done, missing + refused, success)
    if queue.name == "approve":
        to_issue = _offer_reports(request, done)
        if request.POST.get("then") == "preview" and len(to_issue) == 1:
            return redirect("report_preview", to_issue[0].number)
    return back_to_list(request, queue)


def _offer_reports(request: HttpRequest, approved: list[Test]) -> list[Application]:
    """For each application these approvals completed, a link straight to its report preview
    (if the user may issue its report): one page load fewer than going by the report desk.
    Returns those applications (the "accept and preview" button opens the preview of one)."""
    completed = Application.objects.filter(
        pk__in={test.sample.application_id for test in approved},
        status=ApplicationStatus.APPROVED).select_related("lab").order_by("number")
    to_issue = [application for application in completed
                if may(request.user, "report.issue", lab=application.lab)]
    for application in to_issue:
        messages.success(request, format_html(
            '{} <a class="button" href="{}" data-preview="{}">{}</a>',
            _("Application %s is approved in full.") % application.number,
            reverse("report_preview", args=[application.number]), application.number,
            _("Preview and issue")))
    return to_issue


@require_POST
@login_required
def tests_assign(request: HttpRequest) -> HttpResponse:
    analyst = User.objects.filter(pk=optional_int(request.POST.get("analyst"))).first()
    return _bulk(request, QUEUES["assign"], lambda seen: bulk.tests_assign_bulk(
        actor=request.user, seen=seen, analyst=analyst), _("%(count)d test(s) assigned."))


def _decide_bulk(request: HttpRequest, queue: Queue, stage: str, success: str) -> HttpResponse:
    return _bulk(request, queue, lambda seen: bulk.tests_decide_bulk(
        actor=request.user, seen=seen, stage=stage,
        decision=request.POST.get("decision", Review.Decision.ACCEPT),
        comment=request.POST.get("comment", ""), credential=credential_posted(request)),
        success)


@require_POST
@login_required
def tests_review(request: HttpRequest) -> HttpResponse:
    return _decide_bulk(request, QUEUES["review"], Review.Stage.REVIEW,
                        _("%(count)d test(s) reviewed under one signature."))


@require_POST
@login_required
def tests_approve(request: HttpRequest) -> HttpResponse:
    return _decide_bulk(request, QUEUES["approve"], Review.Stage.APPROVAL,
                        _("%(count)d test(s) approved under one signature."))


@require_POST
@login_required
def test_assign(request: HttpRequest, test_id: int) -> HttpResponse:
    test = selectors.test_get(request.user, test_id)
    analyst = User.objects.filter(pk=optional_int(request.POST.get("analyst"))).first()
    attempt(request, lambda: services.test_assign(
        actor=request.user, test=test, analyst=analyst,
        expected_version=optional_int(request.POST.get("version"))), _("Test assigned."))
    return back_to_list(request, QUEUES["assign"])


def _decide(request: HttpRequest, test_id: int, service, success: str, queue: Queue):
    """One test's decision, against the version shown on the page the person decided on."""
    test = selectors.test_get(request.user, test_id)
    seen = [services.Seen(test, optional_int(request.POST.get("version")) or 0)]
    done = attempt(request, lambda: service(
        actor=request.user, seen=seen, decision=request.POST.get("decision", ""),
        comment=request.POST.get("comment", ""), credential=credential_posted(request)), success)
    if done and queue.name == "approve":
        _offer_reports(request, [test])
    return back_to_list(request, queue)


@require_POST
@login_required
def test_review(request: HttpRequest, test_id: int) -> HttpResponse:
    return _decide(request, test_id, services.tests_review, _("Review recorded."),
                   QUEUES["review"])


@require_POST
@login_required
def test_approve(request: HttpRequest, test_id: int) -> HttpResponse:
    return _decide(request, test_id, services.tests_approve, _("Approval recorded."),
                   QUEUES["approve"])
