"""China's customs commodity code (商品编码), checked the same way wherever one arrives: on an
application (intake, the portal's guided form) and on a declaration (risk). Pure, no Django.

The code has 10 digits: the Harmonized System's 6 (chapter, heading, subheading), 2 of China's
tariff and 2 for customs supervision. The HS has chapters 01 to 97, and Chapter 77 is
"reserved for possible future use in the Harmonized System" (WCO, HS Nomenclature 2022
Edition, Section XV); 98 and 99 are left to national use and China's tariff uses neither.
"""

import re

# [0-9], not \d: \d also matches full-width digits (１), which would be stored as typed.
HS_CODE = re.compile(r"[0-9]{10}")
LAST_CHAPTER = 97
RESERVED_CHAPTERS = frozenset({"00", "77"})


def _(template: str) -> str:
    """Marks a message for translation by the caller (this module has no Django)."""
    return template


class HsCodeError(ValueError):
    """The code is wrong; `template % params` says why (callers translate the template)."""

    def __init__(self, template: str, **params: object) -> None:
        self.template, self.params = template, params
        super().__init__(template % params)


def hs_chapter_exists(chapter: str) -> bool:
    """True for a two-digit chapter of the Harmonized System (01-97, 77 excepted)."""
    return (len(chapter) == 2 and chapter.isascii() and chapter.isdigit()
            and chapter not in RESERVED_CHAPTERS and int(chapter) <= LAST_CHAPTER)


def hs_code_check(code: str) -> str:
    """Return the code when it is 10 digits in an existing chapter, else raise HsCodeError."""
    if not HS_CODE.fullmatch(code):
        raise HsCodeError(_("must be exactly 10 digits, got “%(value)s”"), value=code)
    if not hs_chapter_exists(code[:2]):
        raise HsCodeError(_("HS chapter %(chapter)s does not exist (chapters are 01-97, "
                            "77 is unused)"), chapter=code[:2])
    return code
