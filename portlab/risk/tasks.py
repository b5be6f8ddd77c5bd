"""Risk work run by the worker: retraining the model on every labelled declaration, then
adapting the target rates (the same as `portlab risk-train`, with its progress on a page), and
evaluating the pipeline on two uploaded files (the same as `portlab risk-evaluate`)."""

import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.core.errors import ApplicationError
from portlab.files.services import rawfile_read, rawfile_store
from portlab.jobs.models import JobRun
from portlab.jobs.registry import job
from portlab.jobs.services import JobFailed, job_start
from portlab.risk import training
from portlab.risk.evaluate import evaluate
from portlab.risk.features import DeclarationRowError, RiskInputError, read_declarations


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


def risk_evaluate_start(*, actor, files: dict[str, tuple[str, bytes]]) -> JobRun:
    """Keep the training and test files ({"train": (name, bytes), "test": ...}) in the file
    store and queue their evaluation."""
    access.require(actor, "risk.manage")
    params = {}
    for part, label in (("train", _("Training file")), ("test", _("Test file"))):
        name, content = files.get(part) or ("", b"")
        if not content:
            raise ApplicationError(_("%s: choose a labelled declarations CSV.") % label,
                                   field=part)
        stored = rawfile_store(content=content, name=name, actor=actor, content_type="text/csv")
        params.update({part: stored.sha256, f"{part}_name": name})
    return job_start(kind="risk_evaluate", params=params, actor=actor)


def _refusal(name: str, path: Path, error: RiskInputError) -> JobFailed:
    if isinstance(error, DeclarationRowError):
        return JobFailed(_("%s: a line is refused; nothing was evaluated.") % name, [
            {"line": error.line, "reason": f"{name}, {error.column}: {error.problem}"}])
    return JobFailed(str(error).replace(str(path), name))


def _evaluate_files(run, folder: Path) -> dict:
    """Check each file first, so that a refusal names the file it is in."""
    paths = {}
    for part in ("train", "test"):
        paths[part] = folder / part
        paths[part].write_bytes(rawfile_read(sha256=run.params[part]))
        try:
            read_declarations(paths[part], require_label=True)
        except RiskInputError as error:
            raise _refusal(run.params[f"{part}_name"], paths[part], error) from error
    try:
        return evaluate(paths["train"], paths["test"])
    except RiskInputError as error:  # e.g. a training file with one class only
        raise _refusal(run.params["train_name"], paths["train"], error) from error


@job("risk_evaluate")
def risk_evaluate_job(run, progress) -> dict:
    """Writes nothing but its outcome, so a retry after a killed worker evaluates again."""
    progress(0, 1, _("Training on %(train)s and ranking %(test)s")
             % {"train": run.params["train_name"], "test": run.params["test_name"]}, force=True)
    with tempfile.TemporaryDirectory() as folder:
        result = _evaluate_files(run, Path(folder))
    progress(1, 1, force=True)
    return {"n_train": result["n_train"], "n_test": result["n_test"],
            "precision_at_k": f"{result['precision@10%']:.3f}",
            "recall_at_k": f"{result['recall@10%']:.3f}",
            "auc": "—" if result["roc_auc"] != result["roc_auc"] else f"{result['roc_auc']:.3f}"}
