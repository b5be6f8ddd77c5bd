"""Internal quality control (§7.7.1): control materials, runs judged by Westgard rules, and the
link from a run to the tests whose approval depends on it."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.network.models import Lab, TestItem
from portlab.quality import selectors, westgard
from portlab.quality.models import (
    Alert,
    ControlMaterial,
    QCResult,
    QCRun,
    QCRunTest,
)
from portlab.quality.services.common import (
    parse_date,
    parse_number,
    require_text,
)

HISTORY_POINTS = 60  # enough for 10-x on three levels
RUN_STATUS = {westgard.Status.ACCEPT: QCRun.Status.ACCEPTED,
              westgard.Status.WARNING: QCRun.Status.WARNING,
              westgard.Status.REJECT: QCRun.Status.REJECTED}


@transaction.atomic
def control_material_create(*, actor: User, lab: Lab, test_item: TestItem, code: str, name: str,
                            level: str, target_mean: object, target_sd: object,
                            instrument_label: str = "") -> ControlMaterial:
    """A control material level with the target mean and sd its QC values are judged by."""
    access.require(actor, "quality.record", lab=lab)
    code = require_text(code, "code", _("Give the control material a code."))
    if ControlMaterial.objects.filter(lab=lab, code=code).exists():
        raise ApplicationError(_("Control material %s already exists at this lab.") % code,
                               field="code")
    sd = parse_number(target_sd, "target_sd")
    if sd <= 0:
        raise ApplicationError(_("target_sd must be greater than 0 (got %s).") % target_sd,
                               field="target_sd")
    material = ControlMaterial.objects.create(
        lab=lab, test_item=test_item, code=code, name=(name or "").strip() or code,
        level=require_text(level, "level", _("Name the level (e.g. L1, L2).")),
        target_mean=parse_number(target_mean, "target_mean"), target_sd=sd,
        instrument_label=(instrument_label or "").strip())
    audit_record(actor=actor, action="control_material_create", entity=material,
                 after={"code": code, "level": material.level, "mean": material.target_mean,
                        "sd": sd})
    return material


@transaction.atomic
def qc_run_create(*, actor: User, lab: Lab, test_item: TestItem, run_code: str,
                  date: object) -> QCRun:
    access.require(actor, "qc.record", lab=lab)
    run_code = require_text(run_code, "run_code", _("Give the run an id."))
    if QCRun.objects.filter(lab=lab, test_item=test_item, run_code=run_code).exists():
        raise ApplicationError(_("Run %s already exists for this test item.") % run_code,
                               field="run_code")
    run = QCRun.objects.create(lab=lab, test_item=test_item, run_code=run_code,
                               date=parse_date(date, "date"), created_by=actor,
                               created_at=timezone.now())
    audit_record(actor=actor, action="qc_run_create", entity=run,
                 after={"run_code": run_code, "date": str(run.date)})
    return run


def _materials(run: QCRun, values: Mapping[str, object]) -> list[tuple[ControlMaterial, float]]:
    if not values:
        raise ApplicationError(_("Enter at least one control value."), field="values")
    known = {m.code: m for m in ControlMaterial.objects.filter(
        lab=run.lab, test_item=run.test_item, active=True)}
    rows, levels = [], set()
    for code, raw in values.items():
        material = known.get(str(code).strip())
        if material is None:
            raise ApplicationError(
                _("Unknown control material “%(code)s” for %(item)s at %(lab)s.")
                % {"code": code, "item": run.test_item.name, "lab": run.lab.name},
                field=f"values.{code}")
        if material.level in levels:
            raise ApplicationError(_("Two values for level %s in one run.") % material.level,
                                   field=f"values.{code}")
        levels.add(material.level)
        rows.append((material, _level_value(material, raw)))
    return rows


def _level_value(material: ControlMaterial, raw: object) -> float:
    """The level's value; the error names the level in the user's words, the field its code."""
    label = _("Control level %(level)s (%(code)s)") % {"level": material.level,
                                                       "code": material.code}
    try:
        return parse_number(raw, label)
    except ApplicationError as error:
        raise ApplicationError(error.message, field=f"values.{material.code}") from None


def _history(run: QCRun) -> list[westgard.QCPoint]:
    """Earlier points of the lab's test item, oldest first, as z values (mean 0, sd 1)."""
    earlier = (QCResult.objects.filter(run__lab=run.lab, run__test_item=run.test_item)
               .filter(Q(run__date__lt=run.date) | Q(run__date=run.date, run_id__lt=run.pk))
               .select_related("material")
               .order_by("-run__date", "-run_id", "-id")[:HISTORY_POINTS])
    return [westgard.QCPoint(run=str(r.run_id), level=r.material.level, value=r.z, mean=0.0,
                             sd=1.0) for r in reversed(list(earlier))]


def guard_qc_results_record(*, actor, obj: QCRun) -> None:
    """The lab's bench staff record the control results of its run."""
    access.require(actor, "qc.record", lab=obj.lab)


@transaction.atomic
def qc_results_record(*, actor: User, run: QCRun, values: Mapping[str, object]) -> QCRun:
    """Record the run's control values ({material code: value}) and judge the run by Westgard
    multirules over the material history; a rejected run raises an alert."""
    guard_qc_results_record(actor=actor, obj=run)
    if run.results.exists():
        raise ApplicationError(_("Control values of run %s are already recorded.")
                               % run.run_code, field="run")
    rows = _materials(run, values)
    new = [westgard.QCPoint(run=str(run.pk), level=m.level, value=v, mean=m.target_mean,
                            sd=m.target_sd) for m, v in rows]
    report = westgard.evaluate([*_history(run), *new])
    judged = report.points[-len(new):]
    QCResult.objects.bulk_create(
        QCResult(run=run, material=m, value=v, z=p.z, rules=list(p.rules), status=p.status.value)
        for (m, v), p in zip(rows, judged, strict=True))
    run.status = RUN_STATUS[report.runs[str(run.pk)]]
    run.save(update_fields=["status"])
    rules = sorted({rule for p in judged for rule in p.rules}, key=westgard.RULE_ORDER.index)
    audit_record(actor=actor, action="qc_results_record", entity=run,
                 before={"status": QCRun.Status.PENDING},
                 after={"status": run.status, "values": {m.code: v for m, v in rows},
                        "rules": rules})
    if run.status == QCRun.Status.REJECTED:
        Alert.objects.create(kind=Alert.Kind.QC_REJECTED, lab=run.lab, created_at=timezone.now(),
                             subject=f"{run.run_code} · {run.test_item.code}",
                             data={"run": run.pk, "rules": ", ".join(rules)})
    return run


@transaction.atomic
def qc_run_link_tests(*, actor: User, run: QCRun, tests: Iterable[Any]) -> int:
    """Record that these tests (testing.Test rows: typed Any, since quality sits below testing)
    were measured in the run; returns how many links are new."""
    access.require(actor, "qc.record", lab=run.lab)
    now, created = timezone.now(), 0
    for test in tests:
        if test.lab_id != run.lab_id or test.test_item_id != run.test_item_id:
            raise ApplicationError(
                _("Test %(test)s is not a %(item)s test of %(lab)s.")
                % {"test": test.pk, "item": run.test_item.name, "lab": run.lab.name},
                field="tests")
        _link, new = QCRunTest.objects.get_or_create(
            run=run, test=test, defaults={"linked_by": actor, "linked_at": now})
        created += new
    audit_record(actor=actor, action="qc_run_link_tests", entity=run, after={"linked": created})
    return created


@transaction.atomic
def qc_run_record(*, actor: User, lab: Lab, test_item: TestItem, run_code: str, date: object,
                  values: Mapping[str, object], test_ids: Iterable[int] = (),
                  cover_run_date: bool = False) -> QCRun:
    """Record a run with all its control levels at once and link the tests it covers (chosen,
    and/or those of the item with results entered on the run's date). One transaction: when a
    level or a test is refused nothing is stored, so the run code stays free."""
    run = qc_run_create(actor=actor, lab=lab, test_item=test_item, run_code=run_code, date=date)
    qc_results_record(actor=actor, run=run, values=values)
    tests = selectors.qc_run_tests_covered(run, test_ids=test_ids, cover_run_date=cover_run_date)
    if tests:
        qc_run_link_tests(actor=actor, run=run, tests=tests)
    return run


def qc_approval_require(test: Any) -> None:
    """Refuse approval while a QC run of the test is rejected and its corrective action is not
    closed by the quality staff (an open action is not enough)."""
    blocking = selectors.qc_blocks_for_tests([test.pk]).get(test.pk)
    if blocking is not None:
        raise ApplicationError(
            _("QC run %(run)s of this test was rejected (%(date)s): approval waits until the "
              "quality manager closes its corrective action.")
            % {"run": blocking.run_code, "date": blocking.date}, field="qc_run")

