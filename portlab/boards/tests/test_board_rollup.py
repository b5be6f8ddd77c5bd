"""The board's roll-ups give the same figures as the live tables (the workload of
test_quality_board), the board reads them while they are fresh and says so, and falls back to
the live tables when they are over an hour old."""

import datetime
import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portlab.boards.models import RollupState
from portlab.boards.quality_board import board_data, board_scope
from portlab.boards.rollup import board_rollup_refresh
from portlab.boards.tests.test_quality_board import (  # noqa: F401 (fixtures)
    TODAY,
    friday_after_national_day,
    workload,
)
from portlab.jobs.schedule import SCHEDULE
from portlab.testing.models import Test


def _figures(data: dict) -> tuple:
    turnaround, work = data["turnaround"], data["work"]
    return (turnaround["bins"], turnaround["completed"], turnaround["on_time"],
            turnaround["median_days"], dict(turnaround["by_lab"]), work["by_status"],
            work["open"], work["overdue"], {k: dict(+v) for k, v in work["by_lab"].items()})


def test_rollup_figures_equal_the_live_ones(staff, lab, workload) -> None:  # noqa: F811
    scope = board_scope(staff["manager"], lab=lab.code)
    live = board_data(scope, TODAY)
    board_rollup_refresh()
    rolled = board_data(scope, TODAY)
    assert rolled["rollup"] is not None and live["rollup"] is None
    assert _figures(rolled) == _figures(live)
    # working days, as test_quality_board counts them live (calendar days: 2, 9, 2, 4, 53)
    assert rolled["turnaround"]["bins"] == [0, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert (rolled["work"]["open"], rolled["work"]["overdue"]) == (3, 2)


def test_board_reads_the_rollup_until_it_is_an_hour_old(staff, lab, workload) -> None:  # noqa: F811
    scope = board_scope(staff["manager"], lab=lab.code)
    board_rollup_refresh()
    Test.objects.filter(lab=lab, status="pending").update(status="assigned")
    assert board_data(scope, TODAY)["work"]["by_status"]["pending"] == 1  # as rolled up
    assert board_data(scope, TODAY, live=True)["work"]["by_status"]["pending"] == 0
    RollupState.objects.update(refreshed_at=timezone.now() - datetime.timedelta(minutes=61))
    stale = board_data(scope, TODAY)
    assert stale["rollup"] is None and stale["work"]["by_status"]["pending"] == 0


def test_page_says_how_fresh_the_figures_are(staff, lab, workload) -> None:  # noqa: F811
    client = Client()
    client.force_login(staff["manager"])

    def freshness(language: str) -> str:
        body = client.get("/quality/board/", {"lab": lab.code},
                          HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return body.split('id="qb-freshness">')[1].split("</div>")[0]

    assert freshness("en") == "All figures are live."
    state = board_rollup_refresh()
    at = timezone.localtime(state.refreshed_at).strftime("%Y-%m-%d %H:%M")
    assert freshness("en") == (f"Open work and turnaround as of {at} (refreshed every 10 "
                               "minutes); QC, proficiency testing, authorizations, "
                               "calibrations, improvement and alerts are live.")
    assert freshness("zh-hans") == (f"在办检测与检测周期截至 {at}（每 10 分钟刷新）；质控、"
                                    "能力验证、人员授权、校准、改进与提醒为实时数据。")


def test_scheduler_rebuilds_the_rollup_every_ten_minutes() -> None:
    entry = next(entry for entry in SCHEDULE if entry.name == "board_rollup")
    assert (entry.command, entry.trigger, entry.when) == ("board_rollup", "interval",
                                                          {"minutes": 10})


def test_command_recounts_every_kept_day_on_demand(staff, lab, workload) -> None:  # noqa: F811
    board_rollup_refresh()
    out = io.StringIO()
    call_command("board_rollup", "--full", stdout=out)
    assert "approvals recounted from 2026-09-06," in out.getvalue()  # TODAY - 40 days
    call_command("board_rollup", stdout=out)
    assert "approvals recounted from 2026-10-16," in out.getvalue()
