"""Checks on the identifiers an application carries (pure, no Django)."""

import re

HS_CODE = re.compile(r"\d{10}")
DECLARATION_NUMBER = re.compile(r"\d{18}")


class IdentifierError(ValueError):
    pass


def validate_hs_code(code: str) -> str:
    """China's customs commodity code: 10 digits (HS 6 + 2 national + 2 supervision)."""
    if not HS_CODE.fullmatch(code):
        raise IdentifierError(f"HS code must be exactly 10 digits, got '{code}'")
    if code[:2] == "00" or int(code[:2]) > 97:
        raise IdentifierError(f"HS chapter {code[:2]} does not exist (chapters are 01-97)")
    return code


def validate_declaration_number(number: str) -> str:
    """Customs declaration number (报关单号): 18 digits."""
    if not DECLARATION_NUMBER.fullmatch(number):
        raise IdentifierError(f"declaration number must be exactly 18 digits, got '{number}'")
    return number
