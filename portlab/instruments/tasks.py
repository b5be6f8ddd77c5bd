"""Long instrument work run by the worker: importing a large result file."""

from django.utils.translation import gettext as _

from portlab.files.services import rawfile_read
from portlab.instruments.models import ResultFile
from portlab.instruments.services.imports import (
    import_counts,
    result_file_publish,
    result_file_stage,
)
from portlab.jobs.registry import job


@job("result_import")
def result_import_job(run, progress) -> dict:
    """Stage the rows chunk by chunk (each chunk committed once: a retry after a crash skips
    the chunks already staged), then publish them in one short step."""
    result_file = ResultFile.objects.select_related("instrument__lab", "raw_file").get(
        pk=run.params["result_file"])
    content = rawfile_read(sha256=result_file.raw_file.sha256)
    progress(0, None, _("Reading and matching %s") % result_file.filename, force=True)

    def report(done: int, total: int) -> None:
        progress(done, total, _("Staged %(done)d of %(total)d rows")
                 % {"done": done, "total": total})

    result_file_stage(result_file=result_file, content=content, progress=report)
    result_file_publish(result_file=result_file)
    counts = import_counts(result_file)
    progress(result_file.rows_total, result_file.rows_total, force=True)
    return {"file": result_file.filename, "rows": result_file.rows_total, **counts}
