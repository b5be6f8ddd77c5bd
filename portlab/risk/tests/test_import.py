"""CSV import of declaration history: all rows or none, errors by line, idempotent."""

import pytest
from django.core.management import CommandError, call_command

from portlab.core.errors import ApplicationError
from portlab.risk.importing import declarations_import
from portlab.risk.models import Declaration
from portlab.risk.tests.conftest import HEADER, history_csv


def replace_line(text: str, line: int, old: str, new: str) -> str:
    lines = text.splitlines()
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines) + "\n"


def refused(text: str) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        declarations_import(actor=None, text=text)
    assert Declaration.objects.count() == 0
    return caught.value


def test_history_is_imported_with_its_labels(db) -> None:
    assert declarations_import(actor=None, text=history_csv(40)) == {"created": 40,
                                                                     "unchanged": 0}
    first = Declaration.objects.get(number="000000000000000001")
    assert (first.office, first.currency, first.credit_grade) == ("0202", "USD", "general")
    labelled = Declaration.objects.filter(nonconforming__isnull=False).count()
    assert labelled == 40
    assert Declaration.objects.filter(label_source="import").count() == 40


def test_importing_the_same_file_again_changes_nothing(db) -> None:
    text = history_csv(10)
    declarations_import(actor=None, text=text)
    assert declarations_import(actor=None, text=text) == {"created": 0, "unchanged": 10}


def test_negative_mass_on_line_5_imports_nothing(db) -> None:
    text = history_csv(8)
    mass = text.splitlines()[4].split(",")[14]
    error = refused(replace_line(text, 5, f",{mass},", f",-{mass},"))
    assert error.message == (f"Line 5, net_mass_kg: must be greater than 0, got -{mass}; "
                             "nothing was imported.")
    assert (error.field, error.extra) == ("net_mass_kg", {"line": 5})


def test_unknown_hs_chapter_is_reported_by_line(db) -> None:
    text = history_csv(8)
    hs_code = text.splitlines()[2].split(",")[7]
    error = refused(replace_line(text, 3, hs_code, "7700000000"))
    assert error.message == ("Line 3, hs_code: HS chapter 77 does not exist (chapters are 01-97, "
                             "77 is unused); nothing was imported.")


def test_duplicate_in_file_and_conflicting_record_are_refused(db) -> None:
    text = history_csv(3)
    lines = text.splitlines()
    error = refused("\n".join([*lines, lines[1]]) + "\n")
    assert error.message == ("Line 5: declaration 000000000000000001 already appears on line 2; "
                             "nothing was imported.")
    declarations_import(actor=None, text=history_csv(1))
    changed = replace_line(text, 2, ",USD,", ",EUR,")
    with pytest.raises(ApplicationError) as caught:
        declarations_import(actor=None, text=changed)
    assert caught.value.message == ("Line 2: declaration 000000000000000001 is already "
                                    "registered with other content; nothing was imported.")
    assert Declaration.objects.count() == 1


def test_missing_column_bad_label_and_short_row(db) -> None:
    assert refused("number,office\n1,2\n").message == (
        "Line 1: missing column(s) declared_on, importer_code, hs_code, origin_country, "
        "departure_country, transport_mode, net_mass_kg, value, currency; nothing was imported.")
    text = history_csv(2)
    assert refused(text.rstrip("\n")[:-1] + "yes\n").message == (
        "Line 3, nonconforming: must be 1, 0 or empty, got “yes”; nothing was imported.")
    assert refused(HEADER + "\n000000000000000009,2025-01-01\n").message == (
        "Line 2: expected 18 fields; nothing was imported.")


def test_command_imports_and_reports_errors(db, tmp_path, capsys) -> None:
    path = tmp_path / "history.csv"
    path.write_text(history_csv(5), encoding="utf-8")
    call_command("risk_import", str(path))
    assert "5 declarations imported, 0 already present" in capsys.readouterr().out
    path.write_text(history_csv(2).replace(",sea,", ",ship,"), encoding="utf-8")
    with pytest.raises(CommandError, match="Line 2, transport_mode: must be one of sea, rail"):
        call_command("risk_import", str(path))
