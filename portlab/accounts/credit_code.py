"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z):
registration authority (1), organisation type (1), administrative division (6 digits),
organisation code (9), and a check character computed modulo 31 over the first 17.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {character: value for value, character in enumerate(ALPHABET)}


def _(template: str) -> str:
    """Marks a message for translation by the caller (this module has no Django)."""
    return template


class CreditCodeError(ValueError):
    """`template % params` says why; callers translate the template."""

    def __init__(self, template: str, **params: object):
        self.template, self.params = template, params
        super().__init__(template % params)


def check_character(first_17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first_17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the code if valid; raise CreditCodeError with the reason otherwise."""
    if len(code) != 18:
        raise CreditCodeError(_("must be 18 characters, got %(length)d"), length=len(code))
    if code != code.upper():
        raise CreditCodeError(_("letters must be capitals"))
    for position, character in enumerate(code, start=1):
        if character not in VALUES:
            raise CreditCodeError(
                _("character %(position)d “%(character)s” is not allowed (I, O, S, V, Z never "
                  "appear)"), position=position, character=character)
    if not code[2:8].isdigit():
        raise CreditCodeError(_("characters 3-8 (administrative division) must be digits"))
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(
            _("check character is “%(found)s”, expected “%(expected)s”"),
            found=code[17], expected=expected)
    return code
