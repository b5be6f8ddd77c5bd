"""Vendor exports read through allotropy into the Allotrope Simple Model (ASM), then into rows.

allotropy (Benchling, MIT) converts each vendor's own export into an ASM JSON document; the
import stores that document beside the original file. The rows taken from it:

- qPCR (Applied Biosystems QuantStudio): the Ct ("cycle threshold result") of each target of
  each sample well; a well without Ct ("Undetermined") is "not detected" (GMO and pathogen
  screening report absence that way).
- Plate readers (Molecular Devices SoftMax Pro, ELISA screening) and UV-Vis (Thermo NanoDrop):
  the absorbance at each wavelength, named "A<nm>" (e.g. "A450"), and any concentration the
  software computed.
- Agilent OpenLab CDS chromatography: each named peak's area (an unnamed peak is named by its
  retention time, "RT 149.5 s").

Standards, blanks and controls (their ASM "sample role type") are not sample results, as in
the vendor's own report. ASM has no line numbers: a row's line is the position of its
measurement in the document (1-based).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator

from portlab.instruments.parsers import ParsedRow, ParseError, _

# Export format (Instrument.ExportFormat) -> allotropy's Vendor name.
VENDORS = {
    "asm_quantstudio": "APPBIO_QUANTSTUDIO",
    "asm_softmax_pro": "MOLDEV_SOFTMAX_PRO",
    "asm_nanodrop": "THERMO_FISHER_NANODROP_8000",
    "asm_openlab_cds": "AGILENT_OPENLAB_CDS",
}
NOT_SAMPLES = {"standard sample role", "blank role", "control sample role",
               "calibration sample role", "experiment control role", "spiked sample role"}


def to_asm(content: bytes, export_format: str, filename: str) -> dict:
    """The ASM document allotropy makes of the export, or ParseError with allotropy's reason."""
    from allotropy.exceptions import AllotropyError
    from allotropy.parser_factory import Vendor
    from allotropy.to_allotrope import allotrope_from_io

    vendor = Vendor[VENDORS[export_format]]
    try:
        return allotrope_from_io(io.BytesIO(content), filename or "export", vendor)
    except AllotropyError as error:
        raise ParseError(0, _("allotropy cannot read this %(vendor)s export: %(reason)s"),
                         vendor=vendor.display_name, reason=str(error)[:300]) from error
    except (ValueError, KeyError, IndexError, TypeError) as error:  # truncated or malformed
        raise ParseError(0, _("the %(vendor)s export is truncated or malformed (%(reason)s)"),
                         vendor=vendor.display_name,
                         reason=f"{type(error).__name__}: {error}"[:300]) from error


def measurements(node: object) -> Iterator[dict]:
    """Every ASM measurement document, in document order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "measurement document" and isinstance(value, list):
                yield from (item for item in value if isinstance(item, dict))
            else:
                yield from measurements(value)
    elif isinstance(node, list):
        for item in node:
            yield from measurements(item)


def rows(asm: dict) -> list[ParsedRow]:
    found: list[ParsedRow] = []
    for number, measurement in enumerate(measurements(asm), start=1):
        sample = measurement.get("sample document", {})
        if sample.get("sample role type") in NOT_SAMPLES:
            continue
        code = str(sample.get("sample identifier") or sample.get("location identifier") or "")
        for analyte, quantity in _values(measurement):
            found.append(_row(number, code, analyte, quantity))
    return found


def _row(line: int, sample: str, analyte: str, quantity: dict | None) -> ParsedRow:
    value = (quantity or {}).get("value")
    unit = str((quantity or {}).get("unit", ""))
    unit = "" if unit in ("(unitless)", "#") else unit
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return ParsedRow(line=line, sample_id=sample, analyte=analyte, kind="not_detected")
    return ParsedRow(line=line, sample_id=sample, analyte=analyte, kind="numeric",
                     value=repr(float(value)), unit=unit)


def _values(measurement: dict) -> Iterator[tuple[str, dict | None]]:
    processed = _processed(measurement)
    if "target DNA description" in measurement:  # qPCR
        ct = next((doc.get("cycle threshold result (qPCR)") or doc.get("cycle threshold result")
                   for doc in processed), None)
        yield str(measurement["target DNA description"]), ct
        return
    if "absorbance" in measurement:
        yield f"A{_wavelength(measurement)}", measurement["absorbance"]
    for doc in processed:
        for key in ("mass concentration", "concentration"):
            if key in doc:
                yield key, doc[key]
        for peak in doc.get("peak list", {}).get("peak", []):
            yield _peak_name(peak), peak.get("peak area")


def _processed(measurement: dict) -> list[dict]:
    aggregate = measurement.get("processed data aggregate document", {})
    return [doc for doc in aggregate.get("processed data document", []) if isinstance(doc, dict)]


def _wavelength(measurement: dict) -> str:
    controls = measurement.get("device control aggregate document", {}).get(
        "device control document", [{}])
    setting = (controls[0] if controls else {}).get("detector wavelength setting", {})
    value = setting.get("value")
    return f"{value:g}" if isinstance(value, (int, float)) else ""


def _peak_name(peak: dict) -> str:
    name = peak.get("written name") or peak.get("analyte name")
    if name:
        return str(name)
    retention = peak.get("retention time", {}).get("value")
    return f"RT {retention:.1f} s" if isinstance(retention, (int, float)) else "peak"
