"""The quality board in the JSON API (/api/v1/quality/board)."""

from django.http import HttpRequest
from ninja import Router, Schema

from portlab.boards.quality_board import board_data, board_scope
from portlab.core.replica import reads_from_replica

router = Router()


class LabWork(Schema):
    lab: str
    open: int
    overdue: int
    completed: int
    on_time: int


class BoardOut(Schema):
    scope: str
    labs: list[str]
    today: str
    window_days: int
    open_tests: int
    overdue_tests: int
    open_by_status: dict[str, int]
    completed: int
    on_time_rate: float | None
    median_turnaround_days: int | None
    turnaround_histogram: list[int]
    qc_runs: int
    qc_rejected: int
    qc_rejection_rate: float | None
    pt_latest: list[dict]
    authorizations_expiring: list[dict]
    open_nonconformities: int
    overdue_nonconformities: int
    open_alerts: list[dict]
    by_lab: list[LabWork]


def _board_out(data: dict) -> BoardOut:
    scope, work, turnaround = data["scope"], data["work"], data["turnaround"]
    return BoardOut(
        scope=scope.kind, labs=[lab.code for lab in scope.labs.values()],
        today=data["today"].isoformat(), window_days=data["window_days"],
        open_tests=work["open"], overdue_tests=work["overdue"],
        open_by_status=work["by_status"], completed=turnaround["completed"],
        on_time_rate=turnaround["on_time_rate"], median_turnaround_days=turnaround["median_days"],
        turnaround_histogram=turnaround["bins"], qc_runs=data["qc"]["total"],
        qc_rejected=data["qc"]["rejected"], qc_rejection_rate=data["qc"]["rejection_rate"],
        pt_latest=[{"round": r.participant.round.code, "lab": r.participant.lab.code,
                    "z": r.z, "zeta": r.zeta, "evaluation": r.evaluation} for r in data["pt"]],
        authorizations_expiring=[{"user": a.user.username, "lab": a.lab.code, "duty": a.duty,
                                  "valid_to": a.valid_to.isoformat()}
                                 for a in data["authorizations"]],
        open_nonconformities=data["improvement"]["nonconformity"]["open"],
        overdue_nonconformities=data["improvement"]["nonconformity"]["overdue"],
        open_alerts=[{"id": a.pk, "kind": a.kind, "lab": a.lab.code, "message": a.message}
                     for a in data["alerts"]],
        by_lab=[LabWork(lab=lab.code, open=work["by_lab"].get(pk, {}).get("open", 0),
                        overdue=work["by_lab"].get(pk, {}).get("overdue", 0),
                        completed=turnaround["by_lab"].get(pk, (0, 0))[0],
                        on_time=turnaround["by_lab"].get(pk, (0, 0))[1])
                for pk, lab in scope.labs.items()],
    )


@router.get("/quality/board", response=BoardOut)
@reads_from_replica
def quality_board(request: HttpRequest, lab: str = "", district: str = ""):
    return _board_out(board_data(board_scope(request.user, lab, district)))
