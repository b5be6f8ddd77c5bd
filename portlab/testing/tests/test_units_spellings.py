"""Unit conversion edge cases pinned for mutation testing: spellings, identity, messages."""

import pytest

from portlab.testing.units import Conversion, UnitError, conversion, normalize


def test_the_same_unit_converts_with_factor_1_under_its_normalised_name() -> None:
    assert conversion("ug/L", "µg/L") == Conversion(1.0, "μg/L", "μg/L")


def test_a_conversion_names_both_normalised_units() -> None:
    assert conversion("mg/kg", "ug/kg") == Conversion(1000.0, "mg/kg", "μg/kg")


@pytest.mark.parametrize(("spelling", "unit"), [("ng/ml", "ng/mL"), ("mg/ml", "mg/mL")])
def test_millilitre_in_lower_case_is_read(spelling: str, unit: str) -> None:
    assert normalize(spelling) == unit
    assert conversion(spelling, "μg/L").from_unit == unit


def test_u_for_micro_applies_to_two_character_units() -> None:
    assert (normalize("ug"), normalize("uL")) == ("μg", "μL")


def test_a_lone_u_or_a_u_before_another_letter_is_not_a_micro_prefix() -> None:
    assert (normalize("u"), normalize("uX")) == ("u", "uX")
    with pytest.raises(UnitError, match="^unknown unit 'u'$"):
        conversion("u", "mg/kg")


def test_an_unknown_target_unit_is_named() -> None:
    with pytest.raises(UnitError) as raised:
        conversion("mg/kg", "furlong")

    assert str(raised.value) == "unknown unit 'furlong'"


def test_mixing_dimensions_names_both_dimensions() -> None:
    with pytest.raises(UnitError) as raised:
        conversion("mg/kg", "mg/L")

    assert str(raised.value) == (
        "'mg/kg' (mass fraction) cannot be converted to 'mg/L' (mass concentration)"
    )
