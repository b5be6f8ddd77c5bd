"""Parsers for instrument result exports: pure Python, no Django.

Each parser turns the text of one export into `ParsedRow`s (one measured analyte of one
sample, with the line it came from) or raises `ParseError` naming the line and the reason.
Messages are templates the caller translates (see `_`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial


def _(template: str) -> str:
    """Marks a message for translation by the caller (this package has no Django)."""
    return template


@dataclass(frozen=True)
class ParsedRow:
    line: int
    sample_id: str
    analyte: str
    kind: str  # numeric / below_lod / not_detected (the names of testing's Result.Kind)
    value: str = ""
    unit: str = ""
    uncertainty: str = ""


class ParseError(ValueError):
    """`template % params` says why; `line` is 1-based (0 when the whole file is at fault)."""

    def __init__(self, line: int, template: str, **params: object):
        self.line, self.template, self.params = line, template, params
        super().__init__(f"line {line}: {template % params}")


BELOW_LOD = {"<lod", "< lod", "<loq", "< loq", "<dl", "< dl", "<mdl", "bdl"}
NOT_DETECTED = {"nd", "n.d.", "not detected", "未检出"}


def measurement(raw: str, line: int, column: str) -> tuple[str, str]:
    """(kind, value) of a reported number, '<LOD' or 'ND'; anything else is refused."""
    text = raw.strip()
    folded = text.lower()
    if folded in NOT_DETECTED:
        return "not_detected", ""
    if folded in BELOW_LOD or (folded.startswith("<") and _is_number(folded[1:])):
        return "below_lod", ""
    if not _is_number(text):
        raise ParseError(line, _("“%(value)s” in column “%(column)s” is not a number"),
                         value=raw, column=column)
    return "numeric", text


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text.strip()))
    except ValueError:
        return False


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, as instrument PCs in China often write."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ParseError(0, _("the file is neither UTF-8 nor GB18030 text")) from None


Parser = Callable[[str], list[ParsedRow]]


def parser_for(export_format: str, text: str, column_map: dict[str, str] | None = None) -> Parser:
    """The parser for a declared format, or the one whose signature the text carries."""
    from portlab.instruments.parsers import chromatography, generic_csv, icpms, syngistix, xrf

    generic = partial(generic_csv.parse, column_map=column_map)
    parsers: dict[str, Parser] = {
        "generic_csv": generic, "icpms_masshunter": icpms.parse,
        "chromatography_quant": chromatography.parse, "xrf_elements": xrf.parse,
        "icpms_syngistix": syngistix.parse,
    }
    if export_format in parsers:
        return parsers[export_format]
    if export_format != "auto":
        raise ParseError(0, _("unknown export format “%(format)s”"), format=export_format)
    head = text[:2000]
    if icpms.SIGNATURE in head:
        return icpms.parse
    if syngistix.SIGNATURE in head.partition("\n")[0]:
        return syngistix.parse
    if chromatography.is_masshunter_quant(head.partition("\n")[0]):
        return chromatography.parse
    if xrf.SIGNATURE in head:
        return xrf.parse
    return generic


def parse(content: bytes, export_format: str = "auto",
          column_map: dict[str, str] | None = None) -> list[ParsedRow]:
    text = decode(content)
    if not text.strip():
        raise ParseError(0, _("the file is empty"))
    rows = parser_for(export_format, text, column_map)(text)
    if not rows:
        raise ParseError(0, _("the file holds no sample results"))
    return rows


@dataclass(frozen=True)
class Export:
    """The rows of one export and, for formats read through allotropy, its ASM document."""

    rows: list[ParsedRow]
    asm: dict | None = None


def read(content: bytes, export_format: str = "auto",
         column_map: dict[str, str] | None = None, filename: str = "") -> Export:
    """Rows of an export in any supported format (ParseError names the line and reason)."""
    from portlab.instruments.parsers import allotrope

    if export_format in allotrope.VENDORS:
        asm = allotrope.to_asm(content, export_format, filename)
        rows = allotrope.rows(asm)
        if not rows:
            raise ParseError(0, _("the file holds no sample results"))
        return Export(rows=rows, asm=asm)
    return Export(rows=parse(content, export_format, column_map))
