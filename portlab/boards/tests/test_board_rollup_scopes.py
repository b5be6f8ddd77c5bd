"""The roll-up counts each scope exactly: the network's rows, a whole district's and single
labs' give the live figures of the scope's labs and nothing of the others; the whole network is
read without any lab filter; a refresh recounts only today once the earlier days are counted."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portlab.accounts.models import Role
from portlab.accounts.services import user_create
from portlab.boards import views
from portlab.boards.quality_board import board_data, board_scope
from portlab.boards.rollup import board_rollup_refresh, day_start
from portlab.boards.tests.test_board_rollup import _figures
from portlab.boards.tests.test_quality_board import (  # noqa: F401 (fixture)
    TODAY,
    _at,
    friday_after_national_day,
)
from portlab.network.models import Capability, District, Lab
from portlab.testing.models import Test


@pytest.fixture
def ningbo_lab(db) -> Lab:
    ningbo = District.objects.create(code="3100", name_zh="宁波海关", name_en="Ningbo Customs",
                                     city="宁波")
    return Lab.objects.create(code="NB-TC", district=ningbo, kind=Lab.Kind.KEY,
                              name_zh="宁波海关技术中心", name_en="Ningbo Technology Center",
                              city="宁波")


@pytest.fixture
def network_work(application, lab, other_lab, ningbo_lab) -> None:
    """Tests in three labs of two districts: TJ-TC 1 approved and 1 open; TJ-XG 2 approved
    (one late, one whose approval is dated before its reception, as generated data has) and
    1 open overdue; NB-TC 3 approved (one 15+ working days) and 2 open (1 overdue)."""
    sample, capability = application.samples.get(), Capability.objects.get(lab=lab)
    rows = [  # (lab, status, received, approved, due date)
        (lab, "approved", "2026-10-12", "2026-10-14", "2026-10-16"),
        (lab, "assigned", "2026-10-15", None, "2026-10-20"),
        (other_lab, "approved", "2026-10-09", "2026-10-13", "2026-10-12"),
        (other_lab, "approved", "2026-10-14", "2026-10-13", "2026-10-16"),
        (other_lab, "resulted", "2026-10-08", None, "2026-10-14"),
        (ningbo_lab, "approved", "2026-10-12", "2026-10-13", "2026-10-16"),
        (ningbo_lab, "approved", "2026-10-13", "2026-10-15", "2026-10-16"),
        (ningbo_lab, "approved", "2026-08-20", "2026-10-12", "2026-08-27"),
        (ningbo_lab, "pending", "2026-10-15", None, "2026-10-22"),
        (ningbo_lab, "reviewed", "2026-10-08", None, "2026-10-15"),
    ]
    for target, status, received, approved, due in rows:
        Test.objects.create(sample=sample, test_item=capability.test_item, capability=capability,
                            lab=target, status=status, created_at=_at(received),
                            completed_at=_at(approved, 15) if approved else None,
                            due_date=datetime.date.fromisoformat(due))


@pytest.fixture
def managers(staff, district, ningbo_lab) -> dict:
    network = user_create(username="network-qm", password="test-password-1",
                          roles=[(Role.QUALITY_MANAGER, None)])
    tianjin = user_create(username="tianjin-qm", password="test-password-1",
                          roles=[(Role.QUALITY_MANAGER, district)])
    mixed = user_create(username="mixed-qm", password="test-password-1",
                        roles=[(Role.QUALITY_MANAGER, district),
                               (Role.QUALITY_MANAGER, ningbo_lab)])
    return {"network": network, "district": tianjin, "lab": staff["manager"], "mixed": mixed}


def _codes(scope, counts: dict) -> dict:
    return {scope.labs[pk].code: value for pk, value in counts.items()}


@pytest.mark.parametrize(("who", "completed", "open_work", "labs"), [
    ("network", 6, (4, 2), ["NB-TC", "TJ-TC", "TJ-XG"]),
    ("district", 3, (2, 1), ["TJ-TC", "TJ-XG"]),
    ("lab", 1, (1, 0), ["TJ-TC"]),
    ("mixed", 6, (4, 2), ["NB-TC", "TJ-TC", "TJ-XG"]),
])
def test_each_scope_reads_exactly_its_labs(managers, network_work, who, completed, open_work,
                                           labs) -> None:
    scope = board_scope(managers[who])
    assert sorted(lab.code for lab in scope.labs.values()) == labs
    live = board_data(scope, TODAY, live=True)
    board_rollup_refresh()
    rolled = board_data(scope, TODAY)
    assert rolled["rollup"] is not None
    assert _figures(rolled) == _figures(live)
    assert rolled["turnaround"]["completed"] == completed
    assert (rolled["work"]["open"], rolled["work"]["overdue"]) == open_work
    assert sorted(_codes(scope, rolled["turnaround"]["by_lab"])) == labs


def test_scope_flags_say_which_rows_cover_it(managers, district, ningbo_lab) -> None:
    network = board_scope(managers["network"])
    assert (network.whole_network, network.whole_districts) == (True, [])
    tianjin = board_scope(managers["district"])
    assert (tianjin.whole_network, tianjin.whole_districts) == (False, [district.pk])
    mixed = board_scope(managers["mixed"])
    assert mixed.whole_districts == [district.pk]  # NB-TC counts by its own lab row
    lab = board_scope(managers["lab"])
    assert (lab.whole_network, lab.whole_districts) == (False, [])
    # A network manager choosing a district reads that district's rows.
    assert board_scope(managers["network"], district="3100").whole_districts == [
        ningbo_lab.district_id]


def test_turnaround_bins_per_district(managers, network_work) -> None:
    board_rollup_refresh()
    bins = board_data(board_scope(managers["network"], district="3100"), TODAY)["turnaround"]
    # NB-TC: 10-12 → 10-13 one working day, 10-13 → 10-15 two, 08-20 → 10-12 15+
    assert bins["bins"] == [0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert (bins["completed"], bins["on_time"]) == (3, 2)


def test_the_whole_network_is_read_without_a_lab_filter(managers, network_work) -> None:
    board_rollup_refresh()
    scope = board_scope(managers["network"])
    with CaptureQueriesContext(connection) as queries:
        board_data(scope, TODAY)
    filtered = [query["sql"] for query in queries if '"lab_id" IN' in query["sql"]]
    assert filtered == []
    with CaptureQueriesContext(connection) as queries:
        board_data(board_scope(managers["district"]), TODAY)
    assert any('"lab_id" IN' in query["sql"] for query in queries)


def test_a_refresh_recounts_only_today_once_the_day_is_counted(managers, network_work,
                                                               lab, application) -> None:
    scope = board_scope(managers["network"])
    first = board_rollup_refresh()
    assert first.recounted_from == day_start(TODAY - datetime.timedelta(days=40))
    capability = Capability.objects.get(lab=lab)
    Test.objects.create(sample=application.samples.get(), test_item=capability.test_item,
                        capability=capability, lab=lab, status="approved",
                        created_at=_at("2026-10-15"), completed_at=_at("2026-10-16", 16),
                        due_date=TODAY)
    second = board_rollup_refresh()
    assert second.recounted_from == day_start(TODAY)
    assert _figures(board_data(scope, TODAY)) == _figures(board_data(scope, TODAY, live=True))
    assert board_data(scope, TODAY)["turnaround"]["completed"] == 7
    # A test reopened after its day was counted stays counted there until all days are
    # recounted: at the first refresh of the next local day, or on demand.
    Test.objects.filter(lab=lab, completed_at__date="2026-10-14").update(
        status="assigned", completed_at=None)
    board_rollup_refresh()
    assert board_data(scope, TODAY)["turnaround"]["completed"] == 7
    assert board_data(scope, TODAY, live=True)["turnaround"]["completed"] == 6
    board_rollup_refresh(full=True)
    assert _figures(board_data(scope, TODAY)) == _figures(board_data(scope, TODAY, live=True))


def test_the_first_refresh_of_a_day_recounts_every_kept_day(managers, network_work) -> None:
    board_rollup_refresh()
    tomorrow = day_start(TODAY + datetime.timedelta(days=1)) + datetime.timedelta(hours=1)
    state = board_rollup_refresh(now=tomorrow)
    assert state.recounted_from == day_start(TODAY + datetime.timedelta(days=1 - 40))


def test_network_page_lists_the_most_overdue_labs_first(managers, network_work,
                                                        monkeypatch) -> None:
    monkeypatch.setattr(views, "LAB_ROWS_SHOWN", 2)
    client = Client()
    client.force_login(managers["network"])
    body = client.get("/quality/board/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = body.split("<h2>Labs")[1].split("</table>")[0]
    assert [row.split('">')[1].split("<")[0] for row in table.split('<td><a href="')[1:]] == [
        "NB-TC", "TJ-XG"]  # one overdue test each; TJ-TC, none overdue, is left out
    note = "the 2 most overdue of 3 labs; choose a district to see all of its labs"
    assert f'id="qb-labs-shown">{note}</span>' in table
    body = client.get("/quality/board/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "3 个实验室中逾期最多的 2 个；选择直属海关可查看其全部实验室" in body


def test_lab_picker_lists_the_visible_labs_and_marks_the_chosen_one(managers, other_lab) -> None:
    client = Client()
    client.force_login(managers["district"])
    body = client.get("/quality/board/", {"lab": "TJ-XG"},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    picker = body.split('<select name="lab"')[1].split("</select>")[0]
    assert picker.count("<option") == 3  # "All labs", TJ-TC and TJ-XG: not NB-TC
    assert ('<option value="TJ-TC">TJ-TC Tianjin Customs Technology Center</option>'
            '<option value="TJ-XG" selected>TJ-XG Xingang Lab</option>') in picker
