"""Long network work run by the worker: the capability catalog import."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portlab.accounts import access
from portlab.core.errors import ApplicationError
from portlab.files.services import rawfile_read, rawfile_store
from portlab.jobs.models import JobRun
from portlab.jobs.registry import job
from portlab.jobs.services import JobFailed, job_start
from portlab.network.services import CatalogImportError, catalog_import

MAX_UPLOAD = 20 * 1024 * 1024


def catalog_import_start(*, actor, content: bytes, filename: str,
                         content_type: str = "") -> JobRun:
    """Store the file and queue its import as a job (the page and the API both start it here).
    Only what needs no reading of the rows is refused now; a bad row fails the job, which then
    lists every bad line and imports nothing."""
    access.require(actor, "capability.edit")
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ApplicationError(_("Choose a CSV or XLSX file."), field="file")
    if not content:
        raise ApplicationError(_("The file is empty."), field="file")
    if len(content) > MAX_UPLOAD:
        raise ApplicationError(_("The file is larger than 20 MB."), field="file")
    raw = rawfile_store(content=content, name=filename, actor=actor, content_type=content_type)
    return job_start(kind="catalog_import", actor=actor,
                     params={"file": raw.sha256, "filename": filename})


@job("catalog_import")
def catalog_import_job(run, progress) -> dict:
    """The page counts the rows checked, then the rows written, chunk by chunk. The write is one
    transaction, so a worker killed or a cancel between its chunks leaves nothing behind (the
    retry imports the whole file; importing the same file twice changes nothing)."""
    content = rawfile_read(sha256=run.params["file"])
    name = run.params["filename"]
    progress(0, None, _("Reading %s") % name, force=True)

    def report(stage: str, done: int, total: int) -> None:
        if stage == "check":
            progress(done, total, _("Checked %(done)d of %(total)d rows")
                     % {"done": done, "total": total}, force=done == total)
        elif done == 0:  # the transaction opens next
            progress(0, total, _("Writing %d rows in one transaction") % total, force=True)
        else:
            progress.within_transaction(done, total, _("Written %(done)d of %(total)d rows")
                                        % {"done": done, "total": total})

    try:
        summary = catalog_import(actor=run.started_by, content=content, filename=name,
                                 progress=report)
    except CatalogImportError as error:
        raise JobFailed(error.message, [
            {"line": e["line"], "column": e["column"], "reason": f"{e['column']}: {e['reason']}"}
            for e in error.errors]) from error
    progress(summary.rows, summary.rows, ngettext("%d row imported", "%d rows imported",
                                                  summary.rows) % summary.rows, force=True)
    return {"rows": summary.rows, "created": summary.created, "updated": summary.updated,
            "labs": ", ".join(summary.labs)}
