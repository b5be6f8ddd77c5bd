"""Long network work run by the worker: the capability catalog import."""

from django.utils.translation import gettext as _

from portlab.files.services import rawfile_read
from portlab.jobs.registry import job
from portlab.jobs.services import JobFailed
from portlab.network.services import CatalogImportError, catalog_import


@job("catalog_import")
def catalog_import_job(run, progress) -> dict:
    """All or nothing in one transaction, so a worker killed half-way leaves nothing behind
    and the retry imports the whole file; importing the same file twice changes nothing."""
    content = rawfile_read(sha256=run.params["file"])
    progress(0, None, _("Checking and importing %s") % run.params["filename"], force=True)
    try:
        summary = catalog_import(actor=run.started_by, content=content,
                                 filename=run.params["filename"])
    except CatalogImportError as error:
        raise JobFailed(error.message, [
            {"line": e["line"], "reason": f"{e['column']}: {e['reason']}"}
            for e in error.errors]) from error
    progress(summary.rows, summary.rows, force=True)
    return {"rows": summary.rows, "created": summary.created, "updated": summary.updated,
            "labs": ", ".join(summary.labs)}
