"""Network-wide definitions change only by network roles; accreditation needs the lab's quality
manager and a CNAS scope entry (issue 11: a lab manager's import renamed lead "Calcium" for
every lab and self-declared accreditation)."""

import pytest

from conftest import make_user
from portlab.accounts.models import Role, User
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.accreditation import accreditation_scope_record, capability_accredit
from portlab.network.models import AccreditationScopeEntry, Capability, Method, TestItem
from portlab.network.services import CatalogImportError, catalog_import
from portlab.network.tests.test_catalog_import import csv_file, lead_row, row


@pytest.fixture
def quality_manager(lab) -> User:
    return make_user("qm", Role.QUALITY_MANAGER, lab)


@pytest.fixture
def cadmium_capability(lab, lead) -> Capability:
    """A capability of the lab that is not accredited yet, on network-defined item/method."""
    item = TestItem.objects.create(code="CD", name_zh="镉", name_en="Cadmium", unit="mg/kg")
    method = Method.objects.create(code="GB 5009.15-2023 GFAAS", technique="GFAAS",
                                   standard=Method.objects.get().standard)
    return Capability.objects.create(lab=lab, test_item=item, method=method, unit="mg/kg",
                                     price=100, turnaround_days=5, daily_capacity=10)


def test_lab_manager_import_cannot_rename_a_network_test_item(staff, lab, lead) -> None:
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=staff["manager"], filename="c.csv",
                       content=csv_file(lead_row(name_zh="钙", name_en="Calcium")))
    assert caught.value.errors == [{
        "line": 2, "column": "test_item_name_zh",
        "reason": "renames test item PB, a network-wide definition; only network roles "
                  "rename it"}]
    assert (TestItem.objects.get(code="PB").name_en, TestItem.objects.get(code="PB").name_zh) \
        == ("Lead", "铅")


def test_lab_manager_import_cannot_add_or_change_network_definitions(staff, lab, lead) -> None:
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(actor=staff["manager"], filename="c.csv", content=csv_file(
            row(), lead_row(clause="第二法")))
    assert caught.value.errors == [
        {"line": 2, "column": "test_item_code",
         "reason": "“CD” is not in the network catalog; only network roles add to it"},
        {"line": 3, "column": "clause",
         "reason": "changes method GB 5009.12-2023 GFAAS, a network-wide definition; only "
                   "network roles change it"}]
    assert not TestItem.objects.filter(code="CD").exists()
    assert Method.objects.get().clause == ""


def test_lab_manager_updates_own_capabilities_under_network_names(staff, lab, lead) -> None:
    summary = catalog_import(actor=staff["manager"], filename="c.csv",
                             content=csv_file(lead_row(price="150")))
    assert (summary.created, summary.updated) == (0, 1)
    assert str(Capability.objects.get().price) == "150.00"


def test_import_cannot_self_declare_accreditation(staff, lab, cadmium_capability) -> None:
    content = csv_file(lead_row(), lead_row(item="CD", name_zh="镉", name_en="Cadmium",
                                            method="GB 5009.15-2023 GFAAS"))
    for actor in (staff["manager"], staff["admin"]):
        with pytest.raises(CatalogImportError) as caught:
            catalog_import(actor=actor, filename="c.csv", content=content)
        assert caught.value.errors == [{
            "line": 3, "column": "accredited",
            "reason": "not in the CNAS accreditation scope of TJ-TC; its quality manager "
                      "records the scope entry first"}]
    cadmium_capability.refresh_from_db()
    assert cadmium_capability.accredited is False


def test_accreditation_needs_the_labs_quality_manager_and_a_scope_entry(
        staff, lab, other_lab, cadmium_capability, quality_manager) -> None:
    item, method = cadmium_capability.test_item, cadmium_capability.method
    with pytest.raises(PermissionDenied):
        capability_accredit(actor=staff["manager"], capability=cadmium_capability)
    with pytest.raises(ApplicationError) as caught:
        capability_accredit(actor=quality_manager, capability=cadmium_capability)
    assert caught.value.field == "accredited"
    other_qm = make_user("other_qm", Role.QUALITY_MANAGER, other_lab)
    with pytest.raises(PermissionDenied):
        accreditation_scope_record(actor=other_qm, lab=lab, test_item=item, method=method,
                                   reference="CNAS L0321 附件 第12项")
    with pytest.raises(ApplicationError) as caught:
        accreditation_scope_record(actor=quality_manager, lab=lab, test_item=item,
                                   method=method, reference=" ")
    assert (caught.value.field, AccreditationScopeEntry.objects.count()) == ("reference", 0)
    accreditation_scope_record(actor=quality_manager, lab=lab, test_item=item, method=method,
                               reference="CNAS L0321 附件 第12项")
    assert capability_accredit(actor=quality_manager, capability=cadmium_capability).accredited


def test_import_marks_accredited_what_the_scope_covers(
        staff, lab, cadmium_capability, quality_manager) -> None:
    accreditation_scope_record(actor=quality_manager, lab=lab,
                               test_item=cadmium_capability.test_item,
                               method=cadmium_capability.method, reference="CNAS L0321 第12项")
    catalog_import(actor=staff["manager"], filename="c.csv", content=csv_file(
        lead_row(item="CD", name_zh="镉", name_en="Cadmium", method="GB 5009.15-2023 GFAAS")))
    cadmium_capability.refresh_from_db()
    assert cadmium_capability.accredited is True
