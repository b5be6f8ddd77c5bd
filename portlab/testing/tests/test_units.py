import pytest

from portlab.testing.units import UnitError, convert, normalize


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
