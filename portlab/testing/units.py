"""Unit conversion for reported results: mass fractions and mass concentrations, and the
absorbance readings of chromatography detectors (peak height in mAU, peak area in mAU·s).

A result entered in one unit is reported in the capability's unit; units of different
dimensions (mg/kg vs mg/L) never convert, since that would need the sample's density.
"""

from dataclasses import dataclass
from decimal import Decimal

# Factor from each unit to its dimension's base unit (mg/kg or mg/L).
_MASS_FRACTION = {
    "mg/kg": 1.0, "ppm": 1.0, "μg/g": 1.0, "g/t": 1.0,
    "μg/kg": 1e-3, "ppb": 1e-3, "ng/g": 1e-3,
    "ng/kg": 1e-6, "ppt": 1e-6,
    "g/kg": 1e3, "mg/g": 1e3,
    "mg/100g": 10.0, "g/100g": 1e4, "%": 1e4,
}
_MASS_CONCENTRATION = {
    "mg/L": 1.0, "μg/mL": 1.0, "g/m³": 1.0,
    "μg/L": 1e-3, "ng/mL": 1e-3,
    "ng/L": 1e-6,
    "g/L": 1e3, "mg/mL": 1e3,
}
# A UV/DAD detector's absorbance (AU) and its integral over time, a peak's area: Agilent
# OpenLab CDS and ChemStation report peak height in mAU and area in mAU·s (written "mAU*s",
# or "mAU.s" in allotropy's ASM documents).
_ABSORBANCE = {"AU": 1.0, "mAU": 1e-3}
_PEAK_AREA = {"AU.s": 1.0, "mAU.s": 1e-3}
AMOUNTS = {"mass fraction": _MASS_FRACTION, "mass concentration": _MASS_CONCENTRATION}
DIMENSIONS = {**AMOUNTS, "absorbance": _ABSORBANCE, "peak area (absorbance × time)": _PEAK_AREA}


class UnitError(ValueError):
    pass


def normalize(unit: str) -> str:
    """Accept the common spellings: µ (micro sign) or u for μ, 'mg/l', '% (m/m)', 'mAU*s'."""
    text = unit.strip().replace("µ", "μ").replace(" ", "")
    text = text.replace("*", ".").replace("·", ".")
    if text.startswith("u") and len(text) > 1 and text[1] in "gL":
        text = "μ" + text[1:]
    text = text.replace("/l", "/L").replace("/ml", "/mL").replace("(m/m)", "")
    return text


def _dimension(unit: str, dimensions: dict[str, dict[str, float]] = DIMENSIONS,
               ) -> tuple[str, float] | None:
    for name, table in dimensions.items():
        if unit in table:
            return name, table[unit]
    return None


@dataclass(frozen=True)
class Conversion:
    factor: float
    from_unit: str
    to_unit: str


def conversion(from_unit: str, to_unit: str) -> Conversion:
    """The factor that turns a value in `from_unit` into `to_unit`, or UnitError."""
    source, target = normalize(from_unit), normalize(to_unit)
    if source == target:
        return Conversion(1.0, source, target)
    source_dimension, target_dimension = _dimension(source), _dimension(target)
    if source_dimension is None:
        raise UnitError(f"unknown unit '{from_unit}'")
    if target_dimension is None:
        raise UnitError(f"unknown unit '{to_unit}'")
    if source_dimension[0] != target_dimension[0]:
        raise UnitError(
            f"'{from_unit}' ({source_dimension[0]}) cannot be converted to "
            f"'{to_unit}' ({target_dimension[0]})"
        )
    return Conversion(source_dimension[1] / target_dimension[1], source, target)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    return value * conversion(from_unit, to_unit).factor


def decimal_factor(from_unit: str, to_unit: str) -> Decimal:
    """The conversion factor as an exact decimal power of ten (1E+3, not 1000.0), so that a
    converted value keeps the significant figures it was typed with."""
    return Decimal(repr(conversion(from_unit, to_unit).factor)).normalize()


def is_amount(unit: str) -> bool:
    """A mass fraction or a mass concentration: never negative (an absorbance may be, below
    the baseline)."""
    return _dimension(normalize(unit), AMOUNTS) is not None
