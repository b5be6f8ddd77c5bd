"""Risk work run by the worker: retraining the model on every labelled declaration, then
adapting the target rates (the same as `portlab risk-train`, with its progress on a page)."""

from django.utils.translation import gettext as _

from portlab.jobs.registry import job
from portlab.risk import training


@job("risk_train")
def risk_train_job(run, progress) -> dict:
    """Training writes a new model version (one transaction at the end), so a retry after a
    killed worker trains again from the same history and nothing is half-written."""
    progress(0, 3, _("Reading the labelled declarations"), force=True)
    records = training.labelled_records()
    progress(1, 3, _("Training on %d labelled declarations") % len(records), force=True)
    version = training.model_train_from_history(actor=run.started_by)
    progress(2, 3, _("Adapting the target rates"), force=True)
    changes = training.sampling_rates_adapt(actor=run.started_by)
    progress(3, 3, force=True)
    auc = version.holdout_metrics.get("roc_auc")
    return {"version": version.version, "rows": version.trained_rows,
            "positives": version.positives, "auc": "—" if auc is None else f"{auc:.3f}",
            "rates": len(changes)}
