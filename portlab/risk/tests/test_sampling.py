"""Selected declarations go to a lab that can test what the HS code's risk profile calls for."""

import pytest

from portlab.accounts.access import holds
from portlab.accounts.credit_code import check_character
from portlab.accounts.models import Enterprise, Role
from portlab.core.errors import ApplicationError
from portlab.intake.models import Application
from portlab.network.models import District, Lab
from portlab.risk.configuration import risk_profile_set, sampling_rate_set
from portlab.risk.sampling import SYSTEM_USERNAME, lab_for_items, system_user
from portlab.risk.services import declaration_submit
from portlab.risk.tests.conftest import add_capability, declaration_data


@pytest.fixture
def always_inspect(officer):
    sampling_rate_set(actor=officer, hs_chapter="", credit_grade="general", rate=1.0)


def test_sampled_rice_is_filed_at_the_lab_with_the_profile_items(
        officer, enterprise, rice_profile, lab, always_inspect) -> None:
    declaration = declaration_submit(actor=officer, data=declaration_data())
    chosen = declaration.selection
    assert (chosen.lane, chosen.note) == ("sample", "")
    application = chosen.application
    assert (application.lab, application.enterprise, application.declaration_number) == (
        lab, enterprise, "020220261000000001")
    assert application.purpose == Application.Purpose.IMPORT
    assert application.product_category.code == "RICE"
    assert sorted(application.items.values_list("test_item__code", flat=True)) == [
        "AFB1", "AS-I", "CD", "PB"]
    assert application.submitted_by.username == SYSTEM_USERNAME
    assert holds(system_user(), Role.RECEPTION_CLERK, lab)
    assert not system_user().has_usable_password()
    assert application.samples.get().description == (
        "Sample of declaration 020220261000000001: 泰国茉莉香米")


def test_the_offices_district_is_preferred(officer, enterprise, lead, lab) -> None:
    ningbo = District.objects.create(code="3100", name_zh="宁波海关", city="宁波")
    ningbo_lab = Lab.objects.create(code="NB-TC", district=ningbo, name_zh="宁波技术中心",
                                    city="宁波")
    add_capability(ningbo_lab, "PB")
    assert lab_for_items([lead.id], office="3101") == ningbo_lab
    assert lab_for_items([lead.id], office="0202") == lab


def test_unaccredited_capability_does_not_count(officer, lab, district) -> None:
    other = Lab.objects.create(code="TJ-2", district=district, name_zh="二号", city="天津")
    item = add_capability(other, "HG", accredited=False)
    assert lab_for_items([item.id], office="0202") is None


def test_no_lab_able_means_physical_inspection(officer, enterprise, lab, lead,
                                               always_inspect) -> None:
    add_capability(lab, "CD")
    item_elsewhere = add_capability(
        Lab.objects.create(code="X", district=lab.district, name_zh="X", city="天津"), "AFB1")
    risk_profile_set(actor=officer, hs_prefix="1006", test_item_codes=["PB", item_elsewhere.code])
    declaration = declaration_submit(actor=officer, data=declaration_data())
    assert declaration.selection.lane == "physical"
    assert declaration.selection.note == (
        "No lab holds accredited capabilities for all of AFB1, PB.")
    assert Application.objects.count() == 0


def test_unknown_importer_is_registered_from_its_credit_code(officer, rice_profile,
                                                            always_inspect) -> None:
    code = "91120116MA05K1234" + check_character("91120116MA05K1234")
    declaration = declaration_submit(actor=officer, data=declaration_data(
        importer_code=code, importer_name="天津粮油进出口有限公司"))
    enterprise = Enterprise.objects.get(credit_code=code)
    assert (enterprise.name_zh, enterprise.credit_grade) == ("天津粮油进出口有限公司", "general")
    assert declaration.importer == enterprise
    assert declaration.selection.application.enterprise == enterprise


def test_importer_known_only_by_customs_code_gets_physical_inspection(
        officer, rice_profile, always_inspect) -> None:
    declaration = declaration_submit(actor=officer, data=declaration_data(
        importer_code="1201960ABC"))
    assert declaration.selection.lane == "physical"
    assert "customs code 1201960ABC" in declaration.selection.note


def test_goods_without_profile_go_to_physical_inspection(officer, enterprise,
                                                         always_inspect) -> None:
    declaration = declaration_submit(actor=officer, data=declaration_data(hs_code="8471300000"))
    assert (declaration.selection.lane, declaration.selection.application) == ("physical", None)


def test_credit_grades_set_the_rate(officer, enterprise) -> None:
    enterprise.credit_grade = "distrusted"
    enterprise.save()
    declaration = declaration_submit(actor=officer, data=declaration_data())
    assert (declaration.credit_grade, declaration.selection.target_rate) == ("distrusted", 0.8)
    enterprise.credit_grade = "advanced"
    enterprise.save()
    sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="general", rate=0.1)
    declaration = declaration_submit(actor=officer, data=declaration_data(
        number="020220261000000002"))
    assert declaration.selection.target_rate == pytest.approx(0.01)


def test_rate_settings_respect_the_credit_bounds(officer) -> None:
    with pytest.raises(ApplicationError) as caught:
        sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="advanced", rate=0.02)
    assert caught.value.message == ("Advanced certified enterprises may be inspected at most at "
                                    "20% of the general rate (5.0%), so at most 1.00%.")
    with pytest.raises(ApplicationError) as caught:
        sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="distrusted", rate=0.5)
    assert caught.value.message == ("Distrusted enterprises must be inspected in at least 80% "
                                    "of their declarations.")
    with pytest.raises(ApplicationError) as caught:
        sampling_rate_set(actor=officer, hs_chapter="77", credit_grade="general", rate=0.1)
    assert caught.value.field == "hs_chapter"
    with pytest.raises(ApplicationError) as caught:
        sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="general", rate=1.5)
    assert caught.value.field == "rate"


def test_profile_needs_known_items_and_a_valid_prefix(officer, lead) -> None:
    with pytest.raises(ApplicationError) as caught:
        risk_profile_set(actor=officer, hs_prefix="10x6", test_item_codes=["PB"])
    assert (caught.value.field, caught.value.message) == (
        "hs_prefix", "hs_prefix: HS code pattern “10x6” must be 2 to 10 digits, nothing else.")
    with pytest.raises(ApplicationError) as caught:
        risk_profile_set(actor=officer, hs_prefix="1006", test_item_codes=["PB", "NOPE"])
    assert caught.value.message == "test_items: unknown test item(s) NOPE."
