"""Long instrument work run by the worker (importing a large result file), and the
instruments' part of the daily alerts: calibrations and intermediate checks falling due within
14 days, or overdue."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.accounts.routes import may_open
from portlab.files.services import rawfile_read
from portlab.instruments.models import ResultFile
from portlab.instruments.selectors import Due, calibrations_due
from portlab.instruments.services.imports import (
    import_counts,
    result_file_publish,
    result_file_stage,
)
from portlab.jobs.alerts import alert_source
from portlab.jobs.registry import job, job_links


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
    progress(result_file.rows_total, result_file.rows_total,
             _("%s imported: its held rows are on the instrument's result files page")
             % result_file.filename, force=True)
    return {"file": result_file.filename, "rows": result_file.rows_total, **counts}


@job_links("result_import")
def result_import_links(run, user) -> list[tuple[str, str]]:
    """The imported file itself and its rows, for those the routes let open them."""
    result_file = ResultFile.objects.filter(pk=run.params.get("result_file")).select_related(
        "raw_file").first()
    if result_file is None:
        return []
    links = []
    if result_file.raw_file is not None and may_open(
            user, "rawfile_download", {"sha256": result_file.raw_file.sha256}):
        links.append((_("Download the imported file, %(name)s (SHA-256 %(digest)s…)")
                      % {"name": result_file.filename, "digest": result_file.sha256[:12]},
                      reverse("rawfile_download", args=[result_file.raw_file.sha256])))
    if may_open(user, "result_file_detail", {"file_id": result_file.pk}):
        links.append((_("The file's rows: held, awaiting confirmation, entered"),
                      reverse("result_file_detail", args=[result_file.pk])))
    return links


def due_line(row: Due) -> str:
    what = _("calibration") if row.what == "calibration" else _("intermediate check")
    when = (_("due %s") % row.due_date.isoformat() if row.due_date
            else _("never done"))
    return f"{row.instrument.asset_number} {row.instrument.name}: {what}, {when}"


alert_source("calibrations_due", gettext_lazy("Calibrations and intermediate checks due"),
             lambda lab, today: calibrations_due(lab, 14, today), due_line)
