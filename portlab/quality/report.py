"""The PT round report (PDF): robust statistics, every coded result and score, two charts."""

import base64

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from portlab.core.errors import ApplicationError
from portlab.quality import pt_charts, selectors
from portlab.quality.models import PTRound


def _data_uri(svg_text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode()).decode()


def pt_round_charts(round_: PTRound, rows: list[dict]) -> dict[str, str]:
    scored = [row["result"] for row in rows if row["result"] is not None
              and row["result"].z is not None]
    if len(scored) < 2:
        return {}
    unit = round_.scheme.unit
    histogram = pt_charts.results_histogram(
        [r.value for r in scored], round_.x_pt, round_.sigma_pt_used,
        x_label=_("Result (%s)") % unit if unit else _("Result"),
        y_label=_("Density"), assigned_label=_("Assigned value x_pt"))
    bars = pt_charts.z_score_bars([r.participant.coded_id for r in scored],
                                  [r.z for r in scored], y_label=_("z score"))
    return {"histogram": _data_uri(histogram), "z_bars": _data_uri(bars)}


def pt_round_report_pdf(user, round_: PTRound) -> bytes:
    """The round report as the user may see it; only a scored round has one."""
    if round_.status != PTRound.Status.SCORED:
        raise ApplicationError(_("Round %s has no report before it is scored.") % round_.code,
                               field="round")
    rows = selectors.pt_round_rows(user, round_)
    html = render_to_string("quality/pt_report.html", {
        "round": round_, "rows": rows, "charts": pt_round_charts(round_, rows),
        "submitted": sum(1 for row in rows if row["submitted"])})
    return HTML(string=html).write_pdf()
