"""Reads of the quality system, limited to the labs the user may see."""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from portlab.accounts.access import lab_scope, visible_lab_filter
from portlab.accounts.models import User
from portlab.core.errors import NotFound
from portlab.network.models import Capability, Lab
from portlab.quality.models import (
    Alert,
    Authorization,
    Complaint,
    ControlMaterial,
    CorrectiveAction,
    InternalAudit,
    Nonconformity,
    PTParticipant,
    PTResult,
    PTRound,
    QCResult,
    QCRun,
    QCRunTest,
)

TRACKED: dict[str, type[Nonconformity] | type[Complaint] | type[InternalAudit]
              | type[CorrectiveAction]] = {
    "nonconformity": Nonconformity, "complaint": Complaint, "audit": InternalAudit,
    "action": CorrectiveAction}


def visible_labs(user) -> QuerySet[Lab]:
    """Labs where the user holds a lab-side role (directly, through the district or network)."""
    network, labs, districts = lab_scope(user)
    rows = Lab.objects.select_related("district")
    if network:
        return rows
    return rows.filter(Q(id__in=labs) | Q(district_id__in=districts))


def _of_labs(labs: Lab | Iterable[int] | None) -> Q:
    """Rows of a lab or of several; None is every lab of the network (no filter at all)."""
    if labs is None:
        return Q()
    return Q(lab_id__in=[labs.pk] if isinstance(labs, Lab) else list(labs))


def authorizations_expiring(labs: Lab | Iterable[int] | None, days: int = 30,
                            today: datetime.date | None = None) -> QuerySet[Authorization]:
    """Authorizations still valid today that end within `days` days, soonest first."""
    today = today or timezone.localdate()
    return (Authorization.objects.filter(_of_labs(labs), revoked_at__isnull=True,
                                         valid_to__gte=today,
                                         valid_to__lte=today + datetime.timedelta(days=days))
            .select_related("user", "lab", "capability__test_item", "method")
            .order_by("valid_to", "id"))


def authorizations_of(labs: Lab | Iterable[int]) -> QuerySet[Authorization]:
    return (Authorization.objects.filter(_of_labs(labs), revoked_at__isnull=True)
            .select_related("user", "lab", "capability__test_item", "capability__method",
                            "method").order_by("user__username", "duty", "id"))


def control_materials_visible_to(user) -> QuerySet[ControlMaterial]:
    return (ControlMaterial.objects.filter(visible_lab_filter(user, ""))
            .select_related("lab", "test_item").order_by("lab__code", "test_item__code", "level"))


def control_material_get(user, material_id: int) -> ControlMaterial:
    material = control_materials_visible_to(user).filter(pk=material_id).first()
    if material is None:
        raise NotFound(f"Control material {material_id} not found.")
    return material


def material_history(material: ControlMaterial, limit: int = 60) -> list[QCResult]:
    """The material's latest control results, oldest first."""
    rows = (QCResult.objects.filter(material=material).select_related("run")
            .order_by("-run__date", "-run_id")[:limit])
    return list(reversed(list(rows)))


def qc_runs_visible_to(user) -> QuerySet[QCRun]:
    return (QCRun.objects.filter(visible_lab_filter(user, ""))
            .select_related("lab", "test_item").order_by("-date", "-id"))


def qc_run_get(user, run_id: int) -> QCRun:
    run = qc_runs_visible_to(user).filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"QC run {run_id} not found.")
    return run


def pt_rounds_visible_to(user) -> QuerySet[PTRound]:
    """Rounds of the alliances that one of the user's labs belongs to."""
    labs = visible_labs(user)
    return (PTRound.objects.filter(scheme__alliance__members__in=labs).distinct()
            .select_related("scheme__alliance", "scheme__test_item")
            .order_by("-deadline", "-id"))


def pt_round_get(user, round_id: int) -> PTRound:
    round_ = pt_rounds_visible_to(user).filter(pk=round_id).first()
    if round_ is None:
        raise NotFound(f"PT round {round_id} not found.")
    return round_


def pt_round_rows(user, round_: PTRound) -> list[dict]:
    """One row per participant. Before the round closes a lab sees only its own result; after,
    every coded result. Lab names are shown for the user's own labs only."""
    own = set(visible_labs(user).values_list("id", flat=True))
    rows = []
    participants = (PTParticipant.objects.filter(round=round_).select_related("lab", "result")
                    .order_by("coded_id"))
    for participant in participants:
        mine = participant.lab_id in own
        result = getattr(participant, "result", None)
        shown = result if (mine or round_.status != PTRound.Status.OPEN) else None
        rows.append({"participant": participant, "mine": mine, "result": shown,
                     "lab": participant.lab if mine else None,
                     "submitted": result is not None})
    return rows


def pt_history(lab: Lab) -> QuerySet[PTResult]:
    """A lab's PT results across rounds, newest first."""
    return (PTResult.objects.filter(participant__lab=lab)
            .select_related("participant__round__scheme__test_item")
            .order_by("-participant__round__deadline", "-id"))


def tracked_visible_to(user, kind: str, *, open_only: bool = False) -> QuerySet:
    model = TRACKED.get(kind)
    if model is None:
        raise NotFound(f"Unknown record kind {kind}.")
    rows = model.objects.filter(visible_lab_filter(user, "")).select_related(
        "lab", "owner", "closed_by", *(["qc_run"] if model is CorrectiveAction else []))
    if open_only:
        rows = rows.filter(status="open")
    return rows.order_by("status", "due_date", "id")


def tracked_get(user, kind: str, record_id: int):
    record = tracked_visible_to(user, kind).filter(pk=record_id).first()
    if record is None:
        raise NotFound(f"Record {record_id} not found.")
    return record


def alerts_open(lab_ids: Iterable[int] | None) -> QuerySet[Alert]:
    return (Alert.objects.filter(_of_labs(lab_ids), resolved_at__isnull=True)
            .select_related("lab").order_by("-created_at", "-id"))


def alert_get(user, alert_id: int) -> Alert:
    alert = Alert.objects.filter(visible_lab_filter(user, ""), pk=alert_id).first()
    if alert is None:
        raise NotFound(f"Alert {alert_id} not found.")
    return alert


def _test_model():
    """testing.Test through the QC link's foreign key (quality sits below testing)."""
    return QCRunTest._meta.get_field("test").related_model


def qc_blocks_for_tests(test_ids: Iterable[int]) -> dict[int, QCRun]:
    """{test id: the earliest rejected QC run linked to it whose corrective action is not yet
    closed}. A rejected run is cleared only by a closed corrective action."""
    cleared = CorrectiveAction.objects.filter(qc_run__isnull=False,
                                              status=CorrectiveAction.Status.CLOSED)
    links = (QCRunTest.objects.filter(test_id__in=list(test_ids),
                                      run__status=QCRun.Status.REJECTED)
             .exclude(run_id__in=cleared.values("qc_run_id"))
             .select_related("run").order_by("run__date", "run_id"))
    blocks: dict[int, QCRun] = {}
    for link in links:
        blocks.setdefault(link.test_id, link.run)
    return blocks


def qc_run_tests_covered(run: QCRun, *, test_ids: Iterable[int] = (),
                         cover_run_date: bool = False) -> list:
    """The tests a run covers: those chosen by id, plus (when asked) the tests of the run's lab
    and test item whose result was entered on the run's date. A chosen id of another lab or item
    is kept, so that linking refuses it by name."""
    test_model = _test_model()
    ids = {int(pk) for pk in test_ids}
    rows = test_model.objects.filter(pk__in=ids) if ids else test_model.objects.none()
    if cover_run_date:
        rows = rows | test_model.objects.filter(lab_id=run.lab_id, test_item_id=run.test_item_id,
                                                result__entered_at__date=run.date)
    return list(rows.distinct().order_by("id"))


def qc_open_tests(lab_id: int, test_item_id: int, limit: int = 100) -> list:
    """Tests of a lab and item still awaiting approval: those a new QC run may cover."""
    rows = _test_model().objects.filter(lab_id=lab_id, test_item_id=test_item_id,
                                        status__in=["assigned", "resulted", "reviewed"])
    return list(rows.select_related("sample").order_by("-id")[:limit])


def lab_people(lab: Lab) -> QuerySet[User]:
    """People holding a role at the lab: the owners and holders its quality records may name."""
    return (User.objects.filter(roles__lab=lab, is_active=True).distinct()
            .order_by("username"))


def people_of_labs(labs: QuerySet[Lab]) -> QuerySet[User]:
    """People holding a role at one of these labs (candidate holders and owners)."""
    return (User.objects.filter(roles__lab__in=labs, is_active=True).distinct()
            .order_by("username"))


def capabilities_of_labs(labs: QuerySet[Lab]) -> QuerySet[Capability]:
    return (Capability.objects.filter(lab__in=labs)
            .select_related("lab", "test_item", "method").order_by("lab__code", "test_item__code"))


def authorization_get(user, authorization_id: int) -> Authorization:
    row = (Authorization.objects.filter(lab__in=visible_labs(user), pk=authorization_id)
           .select_related("user", "lab").first())
    if row is None:
        raise NotFound(f"Authorization {authorization_id} not found.")
    return row


def tracked_filtered(user, kind: str, filters, today: datetime.date) -> QuerySet:
    """A record list filtered by status (open by default), lab, owner, overdue and words."""
    rows = tracked_visible_to(user, kind)
    status = filters.get("status", "open")
    if status in ("open", "closed"):
        rows = rows.filter(status=status)
    if str(filters.get("lab", "")).isdigit():
        rows = rows.filter(lab_id=int(filters["lab"]))
    if filters.get("mine"):
        rows = rows.filter(owner=user)
    if filters.get("overdue"):
        rows = rows.filter(status="open", due_date__lt=today)
    if filters.get("q"):
        rows = rows.filter(Q(title__icontains=filters["q"])
                           | Q(description__icontains=filters["q"]))
    return rows


def action_subjects(user) -> list[tuple[str, str]]:
    """Open records a corrective action may answer, as (key, label) choices."""
    choices = []
    for kind in ("nonconformity", "complaint", "audit"):
        for row in tracked_visible_to(user, kind, open_only=True)[:200]:
            choices.append((f"{kind}:{row.pk}", f"{TRACKED[kind]._meta.verbose_name} · "
                                                f"{row.lab.code} · {row.title}"))
    return choices


def action_subject_get(user, key: str):
    """The record behind an `action_subjects` key ("complaint:12"); None when unknown."""
    kind, _sep, pk = str(key).partition(":")
    if kind not in ("nonconformity", "complaint", "audit") or not pk.isdigit():
        return None
    return tracked_visible_to(user, kind).filter(pk=int(pk)).first()
