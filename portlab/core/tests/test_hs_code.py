"""The HS code rule. Source for the chapters: WCO, Harmonized System Nomenclature 2022 Edition —
chapters 01 to 97, Chapter 77 "(Reserved for possible future use in the Harmonized System)";
chapters 98 and 99 are left to national use and China's tariff uses neither."""

import pytest

from portlab.core.hs_code import HsCodeError, hs_chapter_exists, hs_code_check


@pytest.mark.parametrize("code", ["0101210010", "1006302000", "7601100000", "7801100000",
                                  "9701100000"])
def test_ten_digit_codes_in_chapters_01_to_97_pass(code: str) -> None:
    assert hs_code_check(code) == code


@pytest.mark.parametrize("chapter", ["00", "77", "98", "99"])
def test_chapters_00_77_98_99_are_refused_by_number(chapter: str) -> None:
    with pytest.raises(HsCodeError) as caught:
        hs_code_check(chapter + "01000000")
    assert str(caught.value) == (f"HS chapter {chapter} does not exist "
                                 "(chapters are 01-97, 77 is unused)")
    assert caught.value.params == {"chapter": chapter}


def test_chapter_boundaries() -> None:
    assert [c for c in ["00", "01", "76", "77", "78", "97", "98", "99"]
            if hs_chapter_exists(c)] == ["01", "76", "78", "97"]


@pytest.mark.parametrize("code", ["100630200", "10063020001", "1006.30.20", "10063020OO",
                                  "10063020", "", "１００６３０２０００"])
def test_anything_but_ten_ascii_digits_is_refused(code: str) -> None:
    with pytest.raises(HsCodeError) as caught:
        hs_code_check(code)
    assert str(caught.value) == f"must be exactly 10 digits, got “{code}”"
