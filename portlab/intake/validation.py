"""Checks on the identifiers an application carries (pure, no Django); the HS code has its
own module, portlab.core.hs_code, shared with risk."""

import re

DECLARATION_NUMBER = re.compile(r"\d{18}")


class IdentifierError(ValueError):
    pass


def validate_declaration_number(number: str) -> str:
    """Customs declaration number (报关单号): 18 digits."""
    if not DECLARATION_NUMBER.fullmatch(number):
        raise IdentifierError(f"declaration number must be exactly 18 digits, got '{number}'")
    return number
