"""The glossary: one Chinese word per English term across every zh-Hans catalog, and its page."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client

from portlab.core.glossary import GLOSSARY, term_for

CATALOGS = sorted(Path(__file__).resolve().parents[2].glob(
    "**/locale/zh_Hans/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0.\d]*[sdfgr]|%[sd]|\{\w*\}")


def translated_entries(path: Path) -> list[tuple[str, str, int]]:
    """(msgid, msgstr, line) of each entry msgfmt compiles: translated, not fuzzy, not obsolete
    (for a plural, msgstr[0], the only form zh-Hans has)."""
    found: list[tuple[str, str, int]] = []
    entry: dict = {}
    key = None

    def keep() -> None:
        if entry.get("msgid") and entry.get("msgstr") and not entry.get("skip"):
            found.append((entry["msgid"], entry["msgstr"], entry["line"]))

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text:
            keep()
            entry, key = {}, None
        elif text.startswith("#~") or (text.startswith("#,") and "fuzzy" in text):
            entry["skip"] = True
        elif text.startswith("#"):
            continue
        elif text.startswith('"') and key:
            entry[key] = entry.get(key, "") + ast.literal_eval(text)
        else:
            word, _, rest = text.partition(" ")
            key = {"msgid": "msgid", "msgstr": "msgstr", "msgstr[0]": "msgstr"}.get(word, "other")
            entry[key] = ast.literal_eval(rest)
            if word == "msgid":
                entry["line"] = number
    keep()
    return found


def uses_of(english: str, text: str, other_senses: tuple[str, ...]) -> bool:
    text = PLACEHOLDER.sub(" ", text)
    for phrase in other_senses:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    return re.search(rf"\b{re.escape(english)}\b", text, re.IGNORECASE) is not None


def test_every_catalog_uses_the_glossary_word_for_each_term() -> None:
    assert len(CATALOGS) >= 10
    checked, wrong = 0, []
    for path in CATALOGS:
        for msgid, msgstr, line in translated_entries(path):
            for term in GLOSSARY:
                if uses_of(term.english, msgid, term.other_senses):
                    checked += 1
                    if not term.used_in(msgstr):
                        wrong.append(f"{path}:{line} “{term.english}” should be "
                                     f"{term.chinese}: {msgid!r} → {msgstr!r}")
    print(f"{checked} uses of {len(GLOSSARY)} glossary terms checked")
    assert checked > 300
    assert wrong == []


def test_the_check_finds_a_second_translation() -> None:
    term = term_for("review")
    assert term is not None
    assert uses_of(term.english, "enter and review results", term.other_senses)
    assert not term.used_in("录入和审核结果")
    assert not uses_of(term.english, "Release after document review", term.other_senses)
    assert not uses_of("sample", "%(sample)s has no results", ())


def test_terms_are_unique_and_complete() -> None:
    english = [t.english.casefold() for t in GLOSSARY]
    assert len(english) == len(set(english))
    assert all(t.chinese and t.meaning for t in GLOSSARY)
    assert (term_for("Out of control").chinese, term_for("returned").chinese,
            term_for("targeting").chinese) == ("失控", "驳回", "布控")
    assert term_for("no such term") is None


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "术语表"), ("en", "Glossary")])
def test_glossary_page_is_public_in_both_languages(db, language: str, heading: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/glossary/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert "<td>out of control</td><td>失控</td>" in page
    assert page.count("<tr class=\"term\"") == len(GLOSSARY)
