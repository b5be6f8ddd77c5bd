"""The report font: Noto Sans CJK SC cut down once to the characters reports are written in.

WeasyPrint embeds a subset of each font a PDF uses, but it keeps the source glyph ids, so
with the 65,535-glyph CJK face every report pays for subsetting and embedding a font table
that long. Cutting the face once (HarfBuzz, about 0.3 s per weight) to GB 2312, Latin and the
punctuation and symbols of test reports makes each render faster and the PDF a third of the
size. The cut fonts are cached on disk; a character outside the cut is still drawn, from the
full system font that follows in the CSS font list.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import threading
from pathlib import Path

import uharfbuzz
from django.conf import settings

logger = logging.getLogger(__name__)

FAMILY = "PortLab Report CJK"
SOURCE_FAMILY = "Noto Sans CJK SC"
WEIGHTS = {400: "Regular", 700: "Bold"}
# Bump when the character ranges change, so cached files are rebuilt.
CHARSET_VERSION = "1"
RANGES = (
    (0x20, 0x7E), (0xA0, 0x24F),  # ASCII, Latin-1, Latin Extended-A/B (names, µ, ±, ×, °)
    (0x370, 0x3FF),  # Greek (α, β, µ as a letter)
    (0x2000, 0x209F),  # general punctuation, super- and subscripts (m³, 10⁻³)
    (0x2100, 0x22FF),  # letterlike (℃), number forms, arrows, mathematical operators (≤ ≥)
    (0x2460, 0x25FF),  # enclosed numbers, box drawing, geometric shapes
    (0x3000, 0x303F), (0xFF00, 0xFFEF),  # CJK punctuation, full-width forms
)

_lock = threading.Lock()
_css: str | None = None


def report_characters() -> list[int]:
    """Code points kept: the ranges above plus every character of GB 2312 (6,763 hanzi)."""
    points = {point for low, high in RANGES for point in range(low, high + 1)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(points)


def system_font(weight: str) -> tuple[Path, int] | None:
    """The file and face index fontconfig resolves Noto Sans CJK SC of one weight to."""
    try:
        found = subprocess.run(
            ["fc-match", "--format=%{file}\n%{index}\n%{family}", f"{SOURCE_FAMILY}:{weight}"],
            capture_output=True, text=True, check=True, timeout=10).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(found) < 3 or SOURCE_FAMILY not in found[2].split(","):
        return None
    return Path(found[0]), int(found[1] or 0)


def cut_font(source: Path, index: int, target: Path) -> None:
    """Write the face's glyphs for report_characters() to `target` (atomically)."""
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(source)), index)
    request = uharfbuzz.SubsetInput()
    for point in report_characters():
        request.unicode_set.add(point)
    request.sets(uharfbuzz.SubsetInputSets.LAYOUT_FEATURE_TAG).invert()  # keep all features
    request.sets(uharfbuzz.SubsetInputSets.NAME_ID).invert()  # and the names (licence)
    data = uharfbuzz.subset(face, request).blob.data
    partial = target.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, target)


def _cached_font(weight: str) -> Path | None:
    found = system_font(weight)
    if found is None:
        return None
    source, index = found
    status = source.stat()
    key = f"{source}:{index}:{status.st_size}:{status.st_mtime_ns}:{CHARSET_VERSION}"
    directory = Path(settings.PORTLAB_CACHE_DIR) / "fonts"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = directory / f"report-cjk-{weight.lower()}-{digest}.otf"
    if not target.exists():
        directory.mkdir(parents=True, exist_ok=True)
        cut_font(source, index, target)
    return target


def font_face_css() -> str:
    """@font-face rules for FAMILY, built once per process; "" when the system font is missing
    (the report is then set in whatever fontconfig offers, more slowly)."""
    global _css
    with _lock:
        if _css is None:
            rules = []
            for number, weight in WEIGHTS.items():
                try:
                    path = _cached_font(weight)
                except (OSError, RuntimeError) as error:
                    logger.warning("Cannot cut the report font (%s); using the system font.",
                                   error)
                    path = None
                if path is not None:
                    rules.append(f'@font-face {{ font-family: "{FAMILY}"; '
                                 f'src: url("{path.as_uri()}"); font-weight: {number}; }}')
            _css = "\n".join(rules)
        return _css
