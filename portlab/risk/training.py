"""Learning from outcomes: retrain on labelled declarations, and adapt the target rates."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.risk import model as learned
from portlab.risk import scoring, selection, selectors
from portlab.risk.features import LABEL_COLUMN, RiskInputError, SingleClassError
from portlab.risk.models import Declaration, ModelVersion, SamplingRate, Selection

ADAPT_WINDOW_DAYS = 90


def labelled_records() -> list[dict]:
    # Declarations without a value in yuan (foreign currency, stored before conversion) would
    # teach the model a wrong price: they are left out.
    rows = (Declaration.objects.filter(nonconforming__isnull=False, value_cny__isnull=False)
            .order_by("declared_on", "id"))
    return [dict(scoring.model_record(d), **{LABEL_COLUMN: int(d.nonconforming)})
            for d in rows.iterator(chunk_size=2000)]


def model_train_from_history(*, actor: User | None = None, rounds: int = learned.ROUNDS,
                             threads: int = 1) -> ModelVersion:
    """Train on every labelled declaration, save the file, make it the active version."""
    records = labelled_records()
    if not records:
        raise ApplicationError(_("No declaration has a label yet: label lab or inspection "
                                 "outcomes before training."))
    try:
        trained = learned.train(records, rounds=rounds, threads=threads)
    except SingleClassError as error:
        label = _("nonconforming") if records[0][LABEL_COLUMN] else _("conforming")
        raise ApplicationError(
            _("All %(count)d labelled declarations are %(label)s; training needs both "
              "conforming and nonconforming ones.") % {"count": len(records), "label": label}
        ) from error
    except RiskInputError as error:
        raise ApplicationError(str(error)) from error
    directory = scoring.models_directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{trained.version.replace('+', '-')}.json"
    learned.save(trained, path)
    return _model_version_record(actor, trained, path, records)


@transaction.atomic
def _model_version_record(actor: User | None, trained: learned.TrainedModel, path,
                          records) -> ModelVersion:
    ModelVersion.objects.filter(active=True).update(active=False)
    version, _created = ModelVersion.objects.update_or_create(
        version=trained.version,
        defaults={"trained_at": timezone.now(), "trained_rows": trained.trained_rows,
                  "positives": sum(r[LABEL_COLUMN] for r in records),
                  "holdout_metrics": _finite(trained.holdout_metrics),
                  "file_path": str(path), "active": True})
    audit_record(actor=actor, action="model_train", entity=version,
                 after={"version": version.version, "rows": version.trained_rows,
                        "metrics": version.holdout_metrics})
    return version


def _finite(metrics: dict[str, float]) -> dict[str, float | None]:
    """JSON has no NaN: a metric that cannot be computed is stored as null."""
    return {k: (None if v != v else round(float(v), 6)) for k, v in metrics.items()}


def _rate_set(chapter: str, grade: str, rate: float, reason: str) -> SamplingRate:
    row = SamplingRate.objects.filter(hs_chapter=chapter, credit_grade=grade).first()
    if row is None:
        return SamplingRate.objects.create(hs_chapter=chapter, credit_grade=grade, rate=rate,
                                           reason=reason, updated_at=timezone.now())
    row.rate, row.reason, row.updated_at = rate, reason, timezone.now()
    row.version += 1
    row.save(update_fields=["rate", "reason", "updated_at", "version"])
    return row


def _hit_counts(since) -> list[dict]:
    return list(
        Declaration.objects.filter(received_at__gte=since, nonconforming__isnull=False)
        .exclude(selection__lane=Selection.Lane.RELEASE).filter(selection__isnull=False)
        .annotate(chapter=Substr("hs_code", 1, 2)).values("chapter", "credit_grade")
        .annotate(labelled=Count("id"), hits=Count("id", filter=Q(nonconforming=True)))
        .order_by("chapter", "credit_grade"))


@transaction.atomic
def sampling_rates_adapt(*, actor: User | None = None,
                         window_days: int = ADAPT_WINDOW_DAYS) -> list[dict]:
    """Move each category's target rate by its recent hit rate (selection.adapted_rate).

    Every rate row is locked first and each change moves the row's version: an officer who
    loaded a rate before the adaptation and saves it afterwards gets a conflict, not a silent
    overwrite, and an officer's save never lands between the reading and the writing here."""
    list(SamplingRate.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    groups = _hit_counts(timezone.now() - timedelta(days=window_days))
    labelled = sum(g["labelled"] for g in groups)
    overall = sum(g["hits"] for g in groups) / labelled if labelled else 0.0
    changes = []
    # General grades first: the advanced ceiling depends on the general rate.
    for group in sorted(groups, key=lambda g: g["credit_grade"] != selection.GENERAL):
        chapter, grade = group["chapter"], group["credit_grade"]
        current = selectors.target_rate(chapter, grade)
        proposed = selection.adapted_rate(current, group["hits"], group["labelled"], overall)
        bounded = selection.effective_rate(grade, proposed,
                                           selectors.target_rate(chapter, selection.GENERAL))
        if abs(bounded - current) < 1e-9:
            continue
        reason = _("hit rate %(hits)d/%(labelled)d against %(overall).1f%% overall") % {
            "hits": group["hits"], "labelled": group["labelled"], "overall": overall * 100}
        row = _rate_set(chapter, grade, bounded, reason)
        audit_record(actor=actor, action="sampling_rate_adapt", entity=row,
                     before={"rate": current}, after={"rate": bounded}, reason=reason)
        changes.append({"hs_chapter": chapter, "credit_grade": grade, "before": current,
                        "after": bounded, "reason": reason})
    return changes
