"""Look-up over a table of common HS codes of China's tariff for food and agricultural goods.

The table (portlab/intake/data/hs_codes.csv) helps applicants find a code; it is not the
tariff: any 10-digit code in an existing HS chapter (portlab.core.hs_code) is accepted.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "intake" / "data" / "hs_codes.csv"


@dataclass(frozen=True)
class HsCode:
    code: str
    name_zh: str
    name_en: str


@lru_cache(maxsize=1)
def hs_codes() -> tuple[HsCode, ...]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return tuple(HsCode(row["code"], row["name_zh"], row["name_en"])
                     for row in csv.DictReader(handle))


def hs_code_search(text: str, limit: int = 20) -> list[HsCode]:
    """Codes starting with the digits typed, or whose Chinese or English name contains the text."""
    text = text.strip()
    if not text:
        return []
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit():
        found = [row for row in hs_codes() if row.code.startswith(digits)]
    else:
        lowered = text.lower()
        found = [row for row in hs_codes()
                 if lowered in row.name_zh or lowered in row.name_en.lower()]
    return found[:limit]


def hs_code_name(code: str) -> HsCode | None:
    return next((row for row in hs_codes() if row.code == code), None)
