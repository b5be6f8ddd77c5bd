import pytest

from portlab.testing.units import UnitError, convert, is_amount, normalize


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (41.0, "μg/kg", "mg/kg", 0.041),
        (41.0, "µg/kg", "mg/kg", 0.041),  # micro sign U+00B5
        (41.0, "ug/kg", "mg/kg", 0.041),
        (0.2, "mg/kg", "ppm", 0.2),
        (0.2, "mg/kg", "μg/kg", 200.0),
        (1.5, "g/kg", "mg/kg", 1500.0),
        (12.5, "mg/100g", "mg/kg", 125.0),
        (3.1, "%", "g/100g", 3.1),
        (0.5, "μg/L", "ng/mL", 0.5),
        (2.0, "mg/l", "μg/L", 2000.0),
    ],
)
def test_conversions(value: float, source: str, target: str, expected: float) -> None:
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12)


def test_dimensions_do_not_mix() -> None:
    with pytest.raises(UnitError, match="'mg/L' \\(mass concentration\\) cannot be converted"):
        convert(1.0, "mg/L", "mg/kg")


def test_unknown_unit() -> None:
    with pytest.raises(UnitError, match="unknown unit 'furlong'"):
        convert(1.0, "furlong", "mg/kg")


def test_spellings_normalise() -> None:
    assert normalize(" µg / kg ") == "μg/kg"
    assert normalize("% (m/m)") == "%"


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (250.0, "mAU", "AU", 0.25),  # a peak's height, as OpenLab CDS reports it
        (1.2, "AU", "mAU", 1200.0),
        (1146.5, "mAU*s", "mAU.s", 1146.5),  # ChemStation's and allotropy's spellings of area
        (0.5, "AU·s", "mAU.s", 500.0),
    ],
)
def test_absorbance_and_peak_area_convert(value: float, source: str, target: str,
                                          expected: float) -> None:
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12)


def test_a_peak_height_is_not_a_peak_area() -> None:
    with pytest.raises(UnitError, match="'mAU' \\(absorbance\\) cannot be converted to 'mAU.s' "
                                        "\\(peak area"):
        convert(1.0, "mAU", "mAU.s")


def test_an_absorbance_may_be_negative_a_content_may_not() -> None:
    assert (is_amount("mAU"), is_amount("mAU*s"), is_amount("mg/kg"), is_amount("μg/L")) == (
        False, False, True, True)
