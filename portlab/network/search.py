"""Capability search across the network: "which labs can test lead in rice by GB 5009.12,
accredited?" — answered from the (test_item, accredited, lab) index.

The question is read word by word ("铅 大米", "lead rice", "铅大米", pinyin initials "q dm"):
each word names test items or product categories; a product alone stands for the items it
has limits for.

The small tables (test items, standards) are matched first, then the capability index is
read for those items only, so the cost follows the answer, not the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from pypinyin import Style, lazy_pinyin

from portlab.network.models import Capability, Method, ProductCategory, Specification, TestItem

MAX_ROWS = 200


@dataclass(frozen=True, slots=True)
class NetworkSearch:
    item: str = ""
    standard: str = ""
    accredited: bool | None = None
    district_id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.item or self.standard)


# Words between the things asked for: "lead in rice", "大米中的铅".
_FILLERS = {"in", "of", "for", "the", "and", "test", "中", "的", "检测", "测定", "含量"}


def _split(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,，、;；/]+", text.strip().lower()) if t and t not in _FILLERS]


def _initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


@dataclass(frozen=True)
class _Entry:
    id: int
    code: str
    names: tuple[str, ...]  # Chinese, English, full pinyin; all lower case
    initials: str


def _entries(model) -> tuple[_Entry, ...]:
    return tuple(_Entry(row["id"], row["code"].lower(),
                        (row["name_zh"], row["name_en"].lower(),
                         "".join(lazy_pinyin(row["name_zh"])).lower()),
                        _initials(row["name_zh"]))
                 for row in model.objects.values("id", "code", "name_zh", "name_en"))


_index_cache: dict[str, tuple[tuple, tuple[_Entry, ...]]] = {}


def _index(model) -> tuple[_Entry, ...]:
    """Test items or product categories with their search keys, rebuilt when the table
    changes (a few thousand rows at national size)."""
    stamp = tuple(model.objects.aggregate(n=Count("id"), top=Max("id")).values())
    cached = _index_cache.get(model.__name__)
    if cached is None or cached[0] != stamp:
        cached = (stamp, _entries(model))
        _index_cache[model.__name__] = cached
    return cached[1]


def _name_matches(term: str, name: str) -> bool:
    if not name:
        return False
    if name.isascii():  # English or pinyin: a word of the name begins with it ("pow", not "dm")
        return len(term) >= 2 and (name.startswith(term)
                                   or any(word.startswith(term) for word in name.split()))
    return term in name or name in term  # Chinese: "铅" in "四乙基铅", "铅" in "铅大米"


def _matches(term: str, entries: tuple[_Entry, ...]) -> set[int]:
    """By code, by name (zh, en, pinyin) or by pinyin initials ("dm" for 大米)."""
    exact = {e.id for e in entries if e.code == term}
    if exact:
        return exact
    return {e.id for e in entries
            if e.code.startswith(term) or (len(term) >= 2 and e.initials == term)
            or any(_name_matches(term, name) for name in e.names)}


def _phrase_matches(phrase: str, entries: tuple[_Entry, ...]) -> set[int]:
    return {e.id for e in entries if any(name and phrase in name for name in e.names)}


@dataclass(frozen=True)
class Understood:
    """What a question asked for: test items, product categories, and words not understood."""

    item_ids: set[int]
    product_ids: set[int]
    unknown: list[str]


def understand(text: str) -> Understood:
    """The whole text as one name first ("Item 123", "milk powder"), else word by word."""
    phrase = " ".join(text.lower().split())
    if " " in phrase:
        items, products = (_phrase_matches(phrase, _index(TestItem)),
                           _phrase_matches(phrase, _index(ProductCategory)))
        if items or products:
            return Understood(items, products, [])
    items, products, unknown = set(), set(), []
    for term in _split(text):
        item_hits, product_hits = _matches(term, _index(TestItem)), _matches(
            term, _index(ProductCategory))
        items |= item_hits
        products |= product_hits
        if not (item_hits or product_hits):
            unknown.append(term)
    return Understood(items, products, unknown)


def _item_ids(text: str) -> list[int]:
    """Test items a question names; a product alone ("大米") names the items it has limits for.
    A bare item code is one indexed query, without reading the question word by word."""
    exact = list(TestItem.objects.filter(code__iexact=text.strip()).values_list("id", flat=True))
    if exact:
        return exact
    understood = understand(text)
    if understood.item_ids or not understood.product_ids:
        return sorted(understood.item_ids)
    return list(Specification.objects.filter(product_category_id__in=understood.product_ids)
                .values_list("test_item_id", flat=True).distinct())


def _method_ids(text: str) -> list[int]:
    """Methods of the standard: "GB 5009.12" finds GB 5009.12-2023 (any year, any clause),
    not GB 5009.120."""
    same = (Q(standard__code__iexact=text) | Q(standard__code__istartswith=f"{text}-")
            | Q(standard__code__istartswith=f"{text} ") | Q(code__istartswith=f"{text} "))
    return list(Method.objects.filter(same).values_list("id", flat=True))


def network_capability_search(query: NetworkSearch) -> QuerySet[Capability]:
    """Capabilities matching an item (code or name) and/or a standard (code prefix), best
    first: accredited, fastest, cheapest. Neither given: nothing (the catalog is too big)."""
    rows = Capability.objects.select_related("lab__district", "test_item", "method__standard")
    if query.empty:
        return rows.none()
    if query.item:
        rows = rows.filter(test_item_id__in=_item_ids(query.item))
    if query.standard:
        rows = rows.filter(method_id__in=_method_ids(query.standard))
    if query.accredited is not None:
        rows = rows.filter(accredited=query.accredited)
    if query.district_id:
        rows = rows.filter(lab__district_id=query.district_id)
    return rows.order_by("-accredited", "turnaround_days", "price", "lab__code", "id")
