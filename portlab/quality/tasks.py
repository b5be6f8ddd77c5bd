"""The quality system's part of the daily alerts (authorizations ending within 30 days) and
its long work run by the worker: the PT round report."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.files.services import rawfile_store
from portlab.jobs.alerts import alert_source
from portlab.jobs.registry import job
from portlab.quality import report
from portlab.quality.models import Authorization, PTRound
from portlab.quality.selectors import authorizations_expiring


def authorization_line(row: Authorization) -> str:
    what = (row.capability.test_item.name if row.capability
            else row.method.code if row.method else "")
    return _("%(person)s, %(duty)s %(what)s: ends %(day)s") % {
        "person": row.user.get_full_name() or row.user.username,
        "duty": row.get_duty_display(), "what": what, "day": row.valid_to.isoformat()}


alert_source("authorizations_expiring", gettext_lazy("Authorizations ending within 30 days"),
             lambda lab, today: authorizations_expiring(lab, 30, today), authorization_line)


def pt_report_links(run, user) -> list[tuple[str, str]]:
    return [(_("Download the round report (PDF)"),
             reverse("quality_pt_report_file", args=[run.pk]))]


@job("pt_round_report", links=pt_report_links)
def pt_round_report_job(run, progress) -> dict:
    """Render the round report as its requester may see it and keep the PDF in the file store
    (served by quality's own view, which checks the requester may still see the round). A
    retry renders it again: nothing but the stored file is written."""
    round_ = PTRound.objects.select_related("scheme").get(pk=run.params["round"])
    progress(0, 2, _("Scoring table and charts of round %s") % round_.code, force=True)
    pdf = report.pt_round_report_pdf(run.started_by, round_)
    progress(1, 2, _("Storing the report"), force=True)
    stored = rawfile_store(content=pdf, name=f"pt-{round_.code}.pdf", actor=run.started_by,
                           content_type="application/pdf")
    progress(2, 2, force=True)
    return {"round": round_.code, "file": stored.sha256, "filename": stored.name}
