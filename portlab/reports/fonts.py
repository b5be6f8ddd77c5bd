"""The report font: Noto Sans CJK SC cut down once to the characters reports are written in.

The system face has 65,535 glyphs in PostScript outlines. Cut once (HarfBuzz, about 0.3 s per
weight) to GB 2312, Latin and the punctuation and symbols of test reports, and rewritten with
TrueType outlines (fontTools, a few seconds, once), it is what ReportLab embeds, as a subset,
in every report. The files are cached on disk; characters a report needs beyond the cut get a
small extra font from the full face (extra_font).
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
import threading
from pathlib import Path

import uharfbuzz
from django.conf import settings
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE_FAMILY = "Noto Sans CJK SC"
WEIGHTS = ("Regular", "Bold")
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

# One thread at a time makes the cached files; other processes are kept apart by the
# per-process and per-thread names of the partial files, which are renamed into place.
_making = threading.RLock()


def _directory() -> Path:
    directory = Path(settings.PORTLAB_CACHE_DIR) / "fonts"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _partial(target: Path) -> Path:
    return target.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")


@functools.cache
def report_characters() -> frozenset[int]:
    """Code points kept: the ranges above plus every character of GB 2312 (6,763 hanzi)."""
    points = {point for low, high in RANGES for point in range(low, high + 1)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return frozenset(points)


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


def cut_font(source: Path, index: int, target: Path,
             characters: list[int] | None = None) -> None:
    """Write the face's glyphs for `characters` (default report_characters()) to `target`
    (atomically)."""
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(source)), index)
    request = uharfbuzz.SubsetInput()
    for point in sorted(report_characters()) if characters is None else characters:
        request.unicode_set.add(point)
    request.sets(uharfbuzz.SubsetInputSets.LAYOUT_FEATURE_TAG).invert()  # keep all features
    request.sets(uharfbuzz.SubsetInputSets.NAME_ID).invert()  # and the names (licence)
    data = uharfbuzz.subset(face, request).blob.data
    partial = _partial(target)
    partial.write_bytes(data)
    os.replace(partial, target)


def to_truetype(source: Path, target: Path, postscript_name: str) -> None:
    """Rewrite a CFF (PostScript-outline) font with TrueType outlines, which ReportLab embeds:
    each cubic curve becomes quadratic ones within 1 unit of 1,000 per em (fontTools cu2qu)."""
    font = TTFont(source)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements", "maxPoints", "maxContours", "maxCompositePoints",
                  "maxCompositeContours"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["head"].indexToLocFormat = font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font["name"].setName(postscript_name, 6, 3, 1, 0x409)
    font["name"].setName(postscript_name, 6, 1, 0, 0)
    font.sfntVersion = "\x00\x01\x00\x00"
    partial = _partial(target)
    font.save(partial)
    os.replace(partial, target)


def truetype_font(weight: str) -> Path | None:
    """The cut font of `weight` with TrueType outlines (for ReportLab), made once and cached;
    None without the system font."""
    with _making:
        return _truetype_font(weight)


def _truetype_font(weight: str) -> Path | None:
    cut = _cached_font(weight)
    if cut is None:
        return None
    target = cut.with_suffix(".ttf")
    if not target.exists():
        to_truetype(cut, target, f"PortLabReportCJK-{weight}")
    return target


def extra_font(characters: set[int]) -> Path | None:
    """A small TrueType font with just `characters` from the full system font: for text of a
    report that the cut font lacks (rare names, Extension A hanzi). Cached by content."""
    found = system_font("Regular")
    if found is None:
        return None
    with _making:
        return _extra_font(found, characters)


def _extra_font(found: tuple[Path, int], characters: set[int]) -> Path:
    source, index = found
    wanted = sorted(characters)
    key = f"{source}:{index}:" + ",".join(map(str, wanted))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = _directory() / f"report-extra-{digest}.ttf"
    if not target.exists():
        cut = _partial(target).with_suffix(".otf")
        cut_font(source, index, cut, wanted)
        to_truetype(cut, target, f"PortLabReportExtra-{digest}")
        cut.unlink()
    return target


def _cached_font(weight: str) -> Path | None:
    found = system_font(weight)
    if found is None:
        return None
    source, index = found
    status = source.stat()
    key = f"{source}:{index}:{status.st_size}:{status.st_mtime_ns}:{CHARSET_VERSION}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = _directory() / f"report-cjk-{weight.lower()}-{digest}.otf"
    if not target.exists():
        cut_font(source, index, target)
    return target
