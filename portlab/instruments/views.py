import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from portlab.accounts import access
from portlab.core import charts
from portlab.core.errors import ApplicationError, NotFound
from portlab.core.views import attempt, optional_int
from portlab.instruments import selectors, services
from portlab.instruments.calendar import week_grid
from portlab.instruments.models import AgentState, Command


def _hours_chart(lab_name: str, rows: list) -> str:
    """Running hours per instrument on an axis whose quarters are round numbers."""
    longest = max(row.hours_week for row in rows)
    bars = [charts.Bar(row.instrument.asset_number, row.hours_week,
                       text=f"{row.hours_week:.1f} h") for row in rows]
    return charts.row_chart(bars, _("Running hours, last 7 days: %s") % lab_name, width=690,
                            row=26, label_width=190, text_width=80, font_size=12, ticks=4,
                            maximum=charts.nice_ceiling(max(longest, 1.0), charts.QUARTER_STEPS))


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The live board: instruments by lab, their state, and running hours over 7 days."""
    lab_code = request.GET.get("lab", "")
    groups = selectors.board(request.user, lab_code=lab_code)
    for lab, rows in groups:
        lab.chart = _hours_chart(lab.name, rows)
        lab.due = selectors.calibrations_due(lab)
    context = {"groups": groups, "lab_code": lab_code, "states": dict(AgentState.choices),
               "command_kinds": Command.Kind.choices, "now": timezone.now()}
    partial = request.GET.get("partial")
    return render(request, "instruments/_board.html" if partial else "instruments/board.html",
                  context)


@require_POST
@login_required
def command_create(request: HttpRequest, asset_number: str) -> HttpResponse:
    instrument = selectors.instrument_get(request.user, asset_number)
    attempt(request, lambda: services.command_create(
        actor=request.user, instrument=instrument, kind=request.POST.get("kind", ""),
        sequence_name=request.POST.get("sequence_name", "")), _("Command queued for the agent."))
    return redirect("instrument_board")


@login_required
def shared(request: HttpRequest) -> HttpResponse:
    return render(request, "instruments/shared.html", {
        "instruments": selectors.shared_instruments(),
        "my_bookings": selectors.bookings_of(request.user)[:50],
        "to_decide": selectors.bookings_to_decide(request.user)[:100],
    })


def _week(request: HttpRequest) -> dt.date:
    day = parse_date(request.GET.get("week", "") or "") or timezone.localdate()
    return selectors.week_start(day)


@login_required
def calendar(request: HttpRequest, asset_number: str) -> HttpResponse:
    """A week of bookings on one shared instrument, with the form to ask for a slot."""
    instrument = selectors.shared_instrument_get(asset_number)
    monday = _week(request)
    bookings = list(selectors.week_bookings(instrument, monday))
    manages = selectors.instruments_visible_to(request.user).filter(pk=instrument.pk).exists()
    return render(request, "instruments/calendar.html", {
        "instrument": instrument, "monday": monday, "manages": manages,
        "can_book": access.may(request.user, "booking.request"),
        "grid": week_grid(monday, bookings, viewer=request.user, manages=manages),
        "previous": monday - dt.timedelta(days=7), "next": monday + dt.timedelta(days=7),
    })


def _moment(raw: str, field: str) -> dt.datetime:
    moment = parse_datetime(raw or "")
    if moment is None:
        raise ApplicationError(_("Enter a date and time."), field=field)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@require_POST
@login_required
def booking_request(request: HttpRequest, asset_number: str) -> HttpResponse:
    instrument = selectors.shared_instrument_get(asset_number)
    post = request.POST

    def book() -> None:
        services.booking_request(
            actor=request.user, instrument=instrument, start=_moment(post.get("start"), "start"),
            end=_moment(post.get("end"), "end"), purpose=post.get("purpose", ""),
            organisation=post.get("organisation", ""))

    attempt(request, book, _("Booking requested; the lab will confirm it."))
    week = (parse_datetime(post.get("start") or "") or timezone.now()).date()
    return redirect(reverse("instrument_calendar", args=[asset_number]) + f"?week={week}")


DECISIONS = {
    "approve": (services.booking_approve, gettext_noop("Booking approved.")),
    "reject": (services.booking_reject, gettext_noop("Booking rejected.")),
    "cancel": (services.booking_cancel, gettext_noop("Booking cancelled.")),
}


@require_POST
@login_required
def booking_decide(request: HttpRequest, booking_id: int, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise NotFound(decision)
    booking = selectors.booking_get(request.user, booking_id)
    service, _message = DECISIONS[decision]
    attempt(request, lambda: service(
        actor=request.user, booking=booking, note=request.POST.get("note", ""),
        expected_version=optional_int(request.POST.get("version"))), _(_message))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("instrument_shared")
    return redirect(target)
