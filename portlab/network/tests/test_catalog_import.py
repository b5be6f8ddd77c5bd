import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from portlab.audit.models import AuditEvent
from portlab.core.errors import PermissionDenied
from portlab.network import catalog_rows
from portlab.network.models import Capability, Method, Standard, TestItem
from portlab.network.services import CatalogImportError, catalog_export, catalog_import

HEADER = ",".join(catalog_rows.COLUMNS)


def row(lab="TJ-TC", item="CD", method="GB 5009.15-2023 GFAAS", standard="GB 5009.15-2023",
        accredited="no", lod="0.001", loq="0.003", price="120", days="5", capacity="40",
        name_zh="镉", name_en="Cadmium", clause="第一法") -> str:
    """A file row; accreditation is "no" because only a CNAS scope entry allows "yes"."""
    return ",".join([lab, item, name_zh, name_en, standard, method, clause, "GFAAS", accredited,
                     lod, loq, "mg/kg", price, days, capacity])


def lead_row(**overrides) -> str:
    """A row for the lead capability of the shared fixtures, as the network names it."""
    values = {"item": "PB", "name_zh": "铅", "name_en": "Lead", "standard": "GB 5009.12-2023",
              "method": "GB 5009.12-2023 GFAAS", "clause": "", "accredited": "yes"}
    return row(**{**values, **overrides})


def csv_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8-sig")


def test_csv_import_creates_catalog_entries(staff, lab) -> None:
    summary = catalog_import(actor=staff["admin"], filename="cat.csv", content=csv_file(
        row(), row(item="PB", method="GB 5009.12-2023 GFAAS", standard="GB 5009.12-2023")))
    assert (summary.rows, summary.created, summary.updated) == (2, 2, 0)
    capability = Capability.objects.get(test_item__code="CD")
    assert (capability.accredited, capability.lod, str(capability.price)) == (False, 0.001,
                                                                              "120.00")
    assert TestItem.objects.get(code="CD").name_en == "Cadmium"
    assert Method.objects.get(code="GB 5009.15-2023 GFAAS").standard.code == "GB 5009.15-2023"


def test_reimport_is_idempotent_and_updates(staff, lab) -> None:
    catalog_import(actor=staff["admin"], filename="cat.csv", content=csv_file(row()))
    summary = catalog_import(actor=staff["admin"], filename="cat.csv",
                             content=csv_file(row(price="99.50")))
    assert (summary.created, summary.updated) == (0, 1)
    assert str(Capability.objects.get().price) == "99.50"
    assert Capability.objects.count() == 1


def test_a_broken_row_in_the_middle_imports_nothing(staff, lab) -> None:
    content = csv_file(row(), row(item="PB", price="abc"), row(item="AS", lab="NOPE"))
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=staff["admin"], filename="cat.csv", content=content)
    assert caught.value.errors == [
        {"line": 3, "column": "price", "reason": "“abc” is not a number"},
        {"line": 4, "column": "lab_code", "reason": "no lab has code “NOPE”"},
    ]
    assert caught.value.message.startswith("Nothing was imported: 2 problem(s), the first on "
                                           "line 3 (price)")
    assert Capability.objects.count() == 0
    assert Standard.objects.count() == 0


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        (row(capacity="0"), "daily_capacity", "must be at least 1"),
        (row(lod="0.01", loq="0.001"), "loq", "LOQ 0.001 is below LOD 0.01"),
        (row(accredited="maybe"), "accredited", "“maybe” is not yes/no"),
        (row(days="-1"), "turnaround_days", "-1 is negative"),
        (row(item=""), "test_item_code", "is empty"),
    ],
)
def test_row_errors_name_line_column_and_reason(staff, lab, bad, column, reason) -> None:
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=staff["admin"], filename="c.csv", content=csv_file(row(), bad))
    assert caught.value.errors == [{"line": 3, "column": column, "reason": reason}]


def test_duplicate_rows_and_method_under_another_standard(staff, lab) -> None:
    content = csv_file(row(), row(), row(item="PB", standard="GB 5009.12-2023"))
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=staff["admin"], filename="c.csv", content=content)
    assert [(e["line"], e["column"]) for e in caught.value.errors] == [
        (3, "method_code"), (4, "standard_code")]


def test_wrong_file_type_and_header(staff, lab) -> None:
    with pytest.raises(CatalogImportError, match="must be .csv or .xlsx"):
        catalog_import(actor=staff["admin"], filename="cat.txt", content=b"x")
    with pytest.raises(CatalogImportError, match="missing from the header row"):
        catalog_import(actor=staff["admin"], filename="cat.csv", content=b"lab_code\nTJ-TC\n")
    with pytest.raises(CatalogImportError, match="not a readable XLSX"):
        catalog_import(actor=staff["admin"], filename="cat.xlsx", content=b"PK\x03\x04junk")


def test_xlsx_round_trip(staff, lab, lead) -> None:
    exported = catalog_export(lab_ids=None, file_format="xlsx")
    sheet = load_workbook(io.BytesIO(exported)).active
    assert [c.value for c in sheet[1]] == catalog_rows.COLUMNS
    assert sheet["B2"].value == "PB"
    summary = catalog_import(actor=staff["admin"], filename="export.xlsx", content=exported)
    assert (summary.created, summary.updated) == (0, 1)


def test_xlsx_with_a_broken_row(staff, lab) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(catalog_rows.COLUMNS)
    sheet.append(row().split(","))
    sheet.append(row(item="PB", days="two").split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=staff["admin"], filename="c.xlsx", content=buffer.getvalue())
    assert caught.value.errors == [
        {"line": 3, "column": "turnaround_days", "reason": "“two” is not a number"}]
    assert Capability.objects.count() == 0


def test_csv_export_reimports_as_a_no_op(staff, lab, lead) -> None:
    exported = catalog_export(lab_ids=[lab.id], file_format="csv")
    assert exported.decode("utf-8-sig").splitlines()[1].startswith("TJ-TC,PB,铅,Lead,")
    assert catalog_import(actor=staff["admin"], filename="e.csv", content=exported).updated == 1


def test_lab_manager_imports_only_their_lab(staff, lab, other_lab, lead) -> None:
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=staff["manager"], filename="c.csv",
                       content=csv_file(lead_row(), lead_row(lab="TJ-XG", accredited="no")))
    assert caught.value.errors == [
        {"line": 3, "column": "lab_code", "reason": "you do not manage lab TJ-XG"}]
    with pytest.raises(PermissionDenied):
        catalog_import(actor=staff["analyst"], filename="c.csv", content=csv_file(row()))


def test_a_district_catalog_of_8500_rows_imports(staff, lab) -> None:
    rows = [row(item=f"ITEM{i:05d}", method=f"M{i % 400}", standard=f"GB {i % 400}")
            for i in range(8500)]
    summary = catalog_import(actor=staff["admin"], filename="big.csv", content=csv_file(*rows))
    assert summary.created == 8500
    assert Capability.objects.filter(lab=lab).count() == 8500


def five_rows() -> bytes:
    return csv_file(*[row(item=f"IT{n}", method=f"M{n}", standard=f"GB {n}-2020")
                      for n in range(5)])


def test_progress_is_reported_per_chunk_of_rows(staff, lab) -> None:
    seen: list[tuple[str, int, int, int]] = []

    def recorder(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total, Capability.objects.count()))

    catalog_import(actor=staff["admin"], filename="cat.csv", content=five_rows(),
                   progress=recorder, chunk=2)
    # Checked in chunks of 2 before anything is written, then written in chunks of 2 (the
    # last number: capabilities as the import's own transaction sees them).
    assert seen == [("check", 2, 5, 0), ("check", 4, 5, 0), ("check", 5, 5, 0),
                    ("write", 0, 5, 0), ("write", 2, 5, 2), ("write", 4, 5, 4),
                    ("write", 5, 5, 5)]


class Stop(Exception):
    pass


def test_a_stop_between_written_chunks_leaves_nothing_written(staff, lab) -> None:
    catalog_import(actor=staff["admin"], filename="cat.csv", content=csv_file(
        row(item="IT4", method="M4", standard="GB 4-2020", price="50")))
    events = AuditEvent.objects.count()

    def stop_after_first_chunk(stage: str, done: int, total: int) -> None:
        if (stage, done) == ("write", 2):
            raise Stop

    with pytest.raises(Stop):
        catalog_import(actor=staff["admin"], filename="cat.csv", content=csv_file(
            row(item="IT4", method="M4", standard="GB 4-2020", price="99"),
            *[row(item=f"IT{n}", method=f"M{n}", standard=f"GB {n}-2020") for n in range(4)]),
            progress=stop_after_first_chunk, chunk=2)
    assert list(Capability.objects.values_list("test_item__code", "price")) == [
        ("IT4", Decimal("50.00"))]  # the first chunk's update is undone too
    assert list(TestItem.objects.values_list("code", flat=True)) == ["IT4"]
    assert list(Standard.objects.values_list("code", flat=True)) == ["GB 4-2020"]
    assert AuditEvent.objects.count() == events


def test_a_definition_named_in_several_chunks_takes_the_last_rows_values(staff, lab,
                                                                          other_lab) -> None:
    catalog_import(actor=staff["admin"], filename="cat.csv", chunk=1, content=csv_file(
        row(name_en="Cadmium (old name)", clause="第一法"),
        row(lab="TJ-XG", name_en="Cadmium", clause="第二法")))
    item, method = TestItem.objects.get(code="CD"), Method.objects.get()
    assert (item.name_en, method.clause, Capability.objects.count()) == ("Cadmium", "第二法", 2)
    assert Standard.objects.count() == 1
