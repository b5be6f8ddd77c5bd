"""The report PDF, laid out with ReportLab: A4, Noto Sans CJK (cut and embedded as a subset),
header with the lab and its CNAS mark, applicant, samples, results, conclusion, decision rule,
signatories, verification code and QR code, and "number · version" and "page / pages" on
every page. Called inside translation.override(report language)."""

from __future__ import annotations

import io
import threading
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from portlab.reports import fonts
from portlab.reports.qr_drawing import QrCode
from portlab.reports.report_labels import (
    BILINGUAL,
    _,
    column_head,
    disclaimer_lines,
    english_too,
    is_bilingual,
    pgettext,
)

NAVY, BLUE, LINE, SHADE = (colors.HexColor(code) for code in
                           ("#0a2540", "#0b5cab", "#9aa5b1", "#eef2f6"))
FAIL_RED, AMBER = colors.HexColor("#b42318"), colors.HexColor("#7a4700")
WIDTH = A4[0] - 30 * mm  # 15 mm margins left and right
# Sample, test item, method, result, unit, U (k), LOD / LOQ, limit, conformity. Every cell wraps
# (CJK line breaking in Chinese, long words split in English), so no value runs into the next.
RESULT_COLUMNS = (0.11, 0.13, 0.14, 0.12, 0.07, 0.12, 0.095, 0.115, 0.10)
SAMPLE_COLUMNS = (0.24, 0.44, 0.18, 0.14)
REGULAR, BOLD = "PortLabReportCJK", "PortLabReportCJK-Bold"
RESULT_FONT_SIZE, RESULT_LEADING = 7.6, 10

_lock = threading.Lock()
_registered: set[str] = set()


def _register(name: str, path) -> None:
    with _lock:
        if name not in _registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))
            _registered.add(name)


def _setup_fonts() -> None:
    """Register the cut fonts with ReportLab, once per process."""
    if {REGULAR, BOLD} <= _registered:
        return
    # The cut fonts carry their PostScript names; ReportLab asks for one in every font.
    rl_config.autoGenerateTTFMissingTTFName = True
    for name, weight in zip((REGULAR, BOLD), fonts.WEIGHTS, strict=True):
        path = fonts.truetype_font(weight)
        if path is None:
            raise RuntimeError("Noto Sans CJK SC is not installed (Debian: fonts-noto-cjk).")
        _register(name, path)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)


class _Text:
    """Paragraph markup for report text: escaped, and characters the cut font lacks set in a
    small extra font taken from the full Noto Sans CJK."""

    def __init__(self, strings: list[str]):
        covered = fonts.report_characters()
        missing = {ord(char) for text in strings for char in text
                   if ord(char) not in covered and not char.isspace()}
        self.missing, self.extra = missing, None
        if missing and (path := fonts.extra_font(missing)) is not None:
            self.extra = f"PortLabReportExtra-{path.stem.rsplit('-', 1)[-1]}"
            _register(self.extra, path)

    def __call__(self, text: object) -> str:
        # A line break in a value (a bilingual report's "中文\nEnglish") is kept as one.
        value = escape(str(text)).replace("\n", "<br/>")
        if not self.extra:
            return value
        return "".join(f'<font name="{self.extra}">{char}</font>' if ord(char) in self.missing
                       else char for char in value)


def _table_style(commands: list) -> TableStyle:
    """A table's style with every cell in the report's font. ReportLab's cells default to
    Helvetica, which it then lists, unembedded, in each page's fonts even when every cell
    holds a paragraph of its own font."""
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR), *commands])


def _styles(language: str) -> dict[str, ParagraphStyle]:
    wrap = "CJK" if language.startswith("zh") else None
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=8.8, leading=12.6,
                          textColor=colors.HexColor("#111111"), wordWrap=wrap)

    def style(name: str, **changes) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "body": base,
        "cell": style("cell", fontSize=8.3, leading=11.2),
        # Western line breaking in the result table in both languages: a number is split
        # only when it is longer than its column (CJK breaking cuts "0.00123456" anywhere);
        # a Chinese run longer than the column is still split by splitLongWords.
        "result": style("result", fontSize=RESULT_FONT_SIZE, leading=RESULT_LEADING,
                        splitLongWords=1, wordWrap=None),
        "result_head": style("result_head", fontName=BOLD, fontSize=7.4, leading=9.5),
        "result_fail": style("result_fail", fontName=BOLD, fontSize=7.6, leading=10,
                             textColor=FAIL_RED),
        "head": style("head", fontName=BOLD, fontSize=8, leading=10.5),
        "fail": style("fail", fontName=BOLD, fontSize=8.3, leading=11.2, textColor=FAIL_RED),
        "lab": style("lab", fontName=BOLD, fontSize=13, leading=17, textColor=NAVY),
        "sub": style("sub", fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")),
        "label": style("label", textColor=colors.HexColor("#444444")),
        "title": style("title", fontName=BOLD, fontSize=17, leading=24, alignment=TA_CENTER),
        "center": style("center", fontSize=8.5, leading=12, alignment=TA_CENTER,
                        textColor=colors.HexColor("#444444")),
        "h2": style("h2", fontName=BOLD, fontSize=10, leading=13),
        "note": style("note", fontSize=7.8, leading=10.8, textColor=colors.HexColor("#333333")),
        "strong": style("strong", fontName=BOLD),
        "mark": style("mark", fontName=BOLD, fontSize=8, leading=10, alignment=TA_CENTER,
                      textColor=NAVY),
        "code": style("code", fontName=BOLD, fontSize=9.5, leading=12),
        "amend": style("amend", textColor=AMBER),
        "caption": style("caption", fontSize=7, leading=9, alignment=TA_CENTER),
    }


def _grid(rows: list[list], widths: tuple[float, ...], header: bool = True,
          font_size: float = 8.3, leading: float = 11.2) -> Table:
    table = Table(rows, colWidths=[WIDTH * share for share in widths],
                  repeatRows=1 if header else 0)
    commands = [("GRID", (0, 0), (-1, -1), 0.6, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), REGULAR, font_size, leading),  # plain-text cells
                ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(_table_style(commands))
    return table


def _boxed(content, border=NAVY, width: float = 1.0) -> Table:
    table = Table([[content]], colWidths=[WIDTH])
    table.setStyle(_table_style([("BOX", (0, 0), (-1, -1), width, border),
                               ("LEFTPADDING", (0, 0), (-1, -1), 7),
                               ("TOPPADDING", (0, 0), (-1, -1), 4),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _heading(text: str, styles) -> Table:
    table = Table([[Paragraph(text, styles["h2"])]], colWidths=[WIDTH])
    table.setStyle(_table_style([("LINEBEFORE", (0, 0), (0, 0), 2.5, BLUE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 5),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return KeepTogether([Spacer(1, 3 * mm), table, Spacer(1, 1.5 * mm)])


def _mark(name: str, number: str, styles, text: _Text) -> Table:
    mark = Table([[Paragraph(f'{name}<br/><font name="{REGULAR}" size="6.5">'
                             f"{text(number)}</font>", styles["mark"])]])
    mark.setStyle(_table_style([("BOX", (0, 0), (-1, -1), 1.5, NAVY)]))
    return mark


def _header(context: dict, styles, text: _Text) -> list:
    lab = context["lab"]
    place = " · ".join(part for part in (lab.address, lab.city) if part)
    left = [Paragraph(text(lab.name), styles["lab"]), Paragraph(text(place), styles["sub"])]
    if is_bilingual() and lab.name_en:
        left.insert(1, Paragraph(text(lab.name_en), styles["sub"]))
    marks = []
    # CMA (检验检测机构资质认定): the lab's legal qualification to issue data to society, printed
    # where the lab holds it; CNAS only when an item on the report is within its accreditation.
    if lab.cma_number:
        marks.append(_mark("CMA", lab.cma_number, styles, text))
    if context["accredited_any"] and lab.cnas_number:
        marks.append(_mark("CNAS", lab.cnas_number, styles, text))
    mark = ""
    if marks:
        mark = Table([marks], colWidths=[32 * mm] * len(marks))
        mark.setStyle(_table_style([("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    marks_width = 34 * mm * max(len(marks), 1)
    head = Table([[left, mark]], colWidths=[WIDTH - marks_width, marks_width])
    head.setStyle(_table_style([("LINEBELOW", (0, 0), (-1, 0), 2, NAVY),
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    title = gettext("TEST REPORT")
    if context["language"].startswith("zh"):
        title = "\u2002".join(title)  # spaced out, as printed reports set it
    if is_bilingual():
        title += "<br/>TEST REPORT"
    issued = formats.date_format(context["issue_date"], "Y-m-d")
    line = (f"{_('Report No.')} <b>{text(context['number'])}</b> · {_('Version')} "
            f"{context['version']} · {_('Issued')} {issued}")
    story = [head, Spacer(1, 3 * mm), Paragraph(title, styles["title"]),
             Paragraph(line, styles["center"]), Spacer(1, 2.5 * mm)]
    if context["supersedes"]:
        story += [_boxed(_change_block(context, styles, text), AMBER), Spacer(1, 2 * mm)]
    return story


def _change_block(context: dict, styles, text: _Text) -> list:
    """"This report replaces N v1; changed: …; reason: …" on a corrected or re-issued version."""
    old = context["supersedes"]
    lines = [Paragraph(_("This report replaces %(number)s version %(old)s, which is no longer "
                         "valid.") % {"number": text(old.number), "old": old.version},
                       styles["amend"])]
    if context.get("changes"):
        changed = _("Changed")
        lines.append(Paragraph(f"{changed}:", styles["amend"]))
        lines += [Paragraph(f"• {text(change)}", styles["amend"])
                  for change in context["changes"]]
    lines.append(Paragraph(f"{_('Reason')}: {text(context['amendment_reason'])}",
                           styles["amend"]))
    return lines


def _information(context: dict, styles, text: _Text) -> Table:
    application, enterprise = context["application"], context["enterprise"]

    def key(label: str) -> Paragraph:
        return Paragraph(label, styles["cell"])

    def value(content: object) -> Paragraph:
        return Paragraph(text(content) if content not in ("", None) else "—", styles["cell"])

    name = enterprise.name
    if is_bilingual() and enterprise.name_en:
        name = f"{enterprise.name}\n{enterprise.name_en}"
    applicant = Paragraph(f"{text(name)}<br/><font size='7.5' color='#444444'>"
                          f"{_('Unified social credit code')} {text(enterprise.credit_code)}"
                          "</font>", styles["cell"])
    category = application.product_category.name if application.product_category else ""
    rows = [
        [key(_("Applicant")), applicant, "", ""],
        [key(_("Goods")), value(application.goods_description), key(_("HS code")),
         value(application.hs_code)],
        [key(_("Application No.")), value(application.number), key(_("Declaration No.")),
         value(application.declaration_number)],
        [key(_("Purpose")), value(application.get_purpose_display()),
         key(_("Product category")), value(category)],
    ]
    table = Table(rows, colWidths=[WIDTH * share for share in (0.17, 0.38, 0.17, 0.28)])
    table.setStyle(_table_style([
        ("GRID", (0, 0), (-1, -1), 0.6, LINE), ("SPAN", (1, 0), (3, 0)),
        ("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 1), (2, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _described(sample) -> str:
    """The description, and the condition on receipt when the sample was not intact."""
    if sample.condition in ("", "intact"):
        return sample.description
    condition = " · ".join(filter(None, [sample.get_condition_display(),
                                         sample.condition_note]))
    return f"{sample.description}\n{_('Condition on receipt: %s') % condition}"


def _samples(context: dict, styles, text: _Text) -> Table:
    head = [_("Sample No."), pgettext("report column", "Description"), _("Quantity"),
            pgettext("report column", "Received")]
    rows = [[Paragraph(column_head(label), styles["head"]) for label in head]]
    for sample in context["samples"]:
        received = (formats.date_format(timezone.localtime(sample.received_at), "Y-m-d")
                    if sample.received_at else "")
        rows.append([sample.number, Paragraph(text(_described(sample)), styles["cell"]),
                     Paragraph(text(sample.quantity or "—"), styles["cell"]), received])
    return _grid(rows, SAMPLE_COLUMNS)


def _uncertainty_markup(escaped: str) -> str:
    """"U = 0.006 (k = 2)" with the coverage factor on its own line."""
    value, _separator, factor = escaped.partition(" (k")
    return value + (f"<br/>(k{factor}" if factor else "")


def _results(context: dict, styles, text: _Text) -> Table:
    head = [_("Sample No."), _("Test item"), pgettext("report column", "Method"), _("Result"),
            _("Unit"), _("Expanded uncertainty"), _("LOD / LOQ"), _("Limit"), _("Conformity")]
    rows = [[Paragraph(column_head(label), styles["result_head"]) for label in head]]
    for row in context["rows"]:
        failed = row.conformity_code in ("fail", "conditional_fail")
        item = text(row.test_item) + (f" {row.accreditation_mark}"
                                      if row.accreditation_mark else "")
        def cell(value: str, column: int) -> str | Paragraph:
            return _fitting(value, column, text, styles["result"])

        uncertainty = row.uncertainty.replace(" (k", "\n(k")
        rows.append([
            cell(row.sample, 0), _fitting(f"{row.test_item} {row.accreditation_mark}".strip(), 1,
                                          text, styles["result"], markup=item),
            cell(row.method, 2), cell(row.value, 3), cell(row.unit, 4),
            _fitting(uncertainty, 5, text, styles["result"],
                     markup=_uncertainty_markup(text(row.uncertainty))),
            cell(row.detection_limits, 6), cell(row.limit, 7),
            Paragraph(text(row.conformity), styles["result_fail"]) if failed
            else cell(row.conformity, 8)])
    return _grid(rows, RESULT_COLUMNS, font_size=RESULT_FONT_SIZE, leading=RESULT_LEADING)


def _fitting(value: str, column: int, text: _Text, style: ParagraphStyle,
             markup: str = "") -> str | Paragraph:
    """The value as a plain cell when each of its lines fits the column in the cut font
    (quicker to set), else a Paragraph (of `markup`, by default the escaped value) that wraps."""
    room = WIDTH * RESULT_COLUMNS[column] - 8  # 4 pt padding each side
    if (not any(ord(char) in text.missing for char in value)
            and all(pdfmetrics.stringWidth(line, REGULAR, RESULT_FONT_SIZE) <= room
                    for line in value.split("\n"))):
        return value
    return Paragraph(markup or text(value), style)


def _conclusion(context: dict, styles, text: _Text) -> list:
    lab, story = context["lab"], []
    if context["accredited_any"]:
        if lab.cnas_number:
            note = (_("Items marked * are within the scope of CNAS accreditation %(cnas)s.")
                    % {"cnas": text(lab.cnas_number)})
        else:
            note = _("Items marked * are within the lab's accredited scope.")
        if not context["all_accredited"]:
            note += " " + _("Items without * are not covered by accreditation.")
        story.append(Paragraph("* " + note, styles["note"]))
    story += [Paragraph(f"{mark} {text(performer)}.", styles["note"])
              for mark, performer in context["performer_notes"]]
    # The space after the box keeps its border off the first line of the notes below.
    story += [_heading(_("Conclusion"), styles),
              _boxed(Paragraph(text(context["conclusion"]), styles["strong"])),
              Spacer(1, 2 * mm)]
    if context["rules"]:
        story.append(Paragraph(
            f"{_('Statement of conformity according to ILAC-G8:09/2019, decision rule')}: "
            f"{text('; '.join(context['rules']))}. "
            + _("The expanded uncertainty U, stated with its coverage factor k (k = 2: about "
                "95 %% coverage), is taken into account as the rule defines.") % {},
            styles["note"]))
    if context["sources"]:
        story.append(Paragraph(f"{_('Specification')}: {text(', '.join(context['sources']))}",
                               styles["note"]))
    return story


def _signatures(context: dict, styles, text: _Text) -> list:
    people = context["people"]
    issued = formats.date_format(context["issued_at"], "Y-m-d H:i")

    def names(key: str) -> str:
        return text(", ".join(people[key])) if people[key] else "—"

    rows = [(_("Tested by"), names("analysts")), (_("Reviewed by"), names("reviewers")),
            (_("Approved by"), names("approvers")),
            (_("Authorized signatory"), f"<b>{text(context['signatory'])}</b> · {issued}")]
    table = [[Paragraph(label, styles["label"]), Paragraph(value, styles["body"])]
             for label, value in rows]
    table.append([Paragraph(_("Verification code"), styles["label"]),
                  Paragraph(text(context["verification_code"]), styles["code"])])
    qr_image = QrCode(context["qr_modules"])
    qr_column = max(42 * mm, qr_image.width + 5 * mm)
    people_table = Table(table, colWidths=[34 * mm, WIDTH - 34 * mm - qr_column])
    people_table.setStyle(_table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    qr = [qr_image, Paragraph(_("Scan to verify"), styles["caption"])]
    block = Table([[people_table, qr]], colWidths=[WIDTH - qr_column, qr_column])
    block.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    verify = Paragraph(
        _("Verify this report at %(verify_url)s with its number and verification code, by "
          "scanning the QR code, or by uploading this PDF. It carries an electronic signature "
          "(PAdES).") % {"verify_url": text(context["verify_url"])}, styles["note"])
    rule = Table([[verify]], colWidths=[WIDTH])
    rule.setStyle(_table_style([("LINEABOVE", (0, 0), (-1, 0), 0.6, LINE),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 5 * mm), KeepTogether([block, Spacer(1, 2 * mm), rule])]


# Electronic signatures (foureyes): who signed what, when; a small block kept apart from the
# layout above so the report layout can place it elsewhere.
def _electronic_signatures(context: dict, styles, text: _Text) -> list:
    lines = [f"{text(line.meaning)}: {text(line.signer)} "
             f"{formats.date_format(timezone.localtime(line.at), 'Y-m-d H:i')}"
             for line in context.get("signatures", [])]
    if not lines:
        return []
    heading = _("Electronic signatures (re-authenticated)")
    return [Paragraph(f"{heading}: {'; '.join(lines)}.", styles["note"])]


def _numbered_canvas(footer_left: str, disclaimer: list[str], watermark: str = ""):
    """A canvas that holds its pages until the end, so each can say "page / pages"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "initialFontName": REGULAR})
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                if watermark:
                    self._watermark()
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            self.setFillColor(colors.HexColor("#555555"))
            self.setFont(REGULAR, 7.5)
            self.drawString(15 * mm, 10 * mm, footer_left)
            self.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{number} / {total}")
            self.setFillColor(colors.HexColor("#777777"))
            self.setFont(REGULAR, 7)
            for line, text in enumerate(disclaimer):  # a bilingual report: two lines
                self.drawCentredString(A4[0] / 2, (10 + 3 * (len(disclaimer) - 1 - line)) * mm,
                                       text)

        def _watermark(self) -> None:
            self.saveState()
            self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.22))
            self.setFont(BOLD, 64)
            self.translate(A4[0] / 2, A4[1] / 2)
            self.rotate(35)
            self.drawCentredString(0, 0, watermark)
            self.restoreState()

    return NumberedCanvas


def report_pdf(context: dict) -> bytes:
    """The unsigned report PDF for the context services._context builds."""
    _setup_fonts()
    styles = _styles(context["language"])
    enterprise, application = context["enterprise"], context["application"]
    strings = [str(value) for value in (
        enterprise.name, application.goods_description, context["lab"].name,
        context["lab"].address, context["conclusion"], context["signatory"],
        context["amendment_reason"], *context["sources"], *context.get("changes", []),
        *(_described(sample) for sample in context["samples"]),
        *(value for people in context["people"].values() for value in people),
        *(line.signer for line in context.get("signatures", [])),
        *(note for _mark, note in context["performer_notes"]),
        *(value for row in context["rows"] for value in (row.test_item, row.method, row.value)))]
    text = _Text(strings)
    output = io.BytesIO()
    with english_too(context["language"] == BILINGUAL):
        _build_document(output, context, _story(context, styles, text))
    return output.getvalue()


def _build_document(output: io.BytesIO, context: dict, story: list) -> None:
    document = SimpleDocTemplate(
        output, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=16 * mm,
        bottomMargin=20 * mm, title=f"{context['number']} v{context['version']}",
        author=str(context["lab"].name))
    footer = f"{context['number']} · {_('Version')} {context['version']}"
    # A preview is marked on every page in both languages: it is not a report.
    watermark = "预览 / PREVIEW" if context.get("preview") else ""
    document.build(story, canvasmaker=_numbered_canvas(footer, disclaimer_lines(), watermark))


def _story(context: dict, styles, text: _Text) -> list:
    return [*_header(context, styles, text), _information(context, styles, text),
            _heading(_("Samples"), styles), _samples(context, styles, text),
            _heading(pgettext("report section", "Results"), styles),
            _results(context, styles, text), Spacer(1, 1.5 * mm),
            *_conclusion(context, styles, text), *_signatures(context, styles, text),
            *_electronic_signatures(context, styles, text)]
