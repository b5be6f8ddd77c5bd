import pytest
from django.utils import translation

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.intake.models import Application, Sample, Status
from portlab.intake.services import SampleInput, application_register


def register(staff, enterprise, lab, lead, **changes) -> Application:
    arguments = dict(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id],
        samples=[SampleInput("大米 1"), SampleInput("大米 2")],
    )
    arguments.update(changes)
    return application_register(**arguments)


def test_registration_numbers_application_and_samples(staff, enterprise, lab, lead) -> None:
    application = register(staff, enterprise, lab, lead, declaration_number="020220261000123456")
    samples = list(application.samples.order_by("number"))
    assert application.status == Status.SUBMITTED
    assert application.number.startswith("A") and len(application.number) == 11
    assert [s.status for s in samples] == [Status.SUBMITTED, Status.SUBMITTED]
    assert int(samples[1].number[5:]) == int(samples[0].number[5:]) + 1
    assert len(application.query_code) == 16  # 64 bits in hex
    event = AuditEvent.objects.get(action="application_register")
    assert event.after == {"number": application.number, "items": 1, "samples": 2,
                           "status": "submitted"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hs_code": "10063020"}, "hs_code"),
        ({"hs_code": "abcdefghij"}, "hs_code"),
        ({"declaration_number": "12345"}, "declaration_number"),
        ({"goods_description": "  "}, "goods_description"),
        ({"purpose": "holiday"}, "purpose"),
        ({"samples": []}, "samples"),
        ({"test_item_ids": []}, "test_items"),
    ],
)
def test_bad_input_names_the_field(staff, enterprise, lab, lead, changes, field) -> None:
    with pytest.raises(ApplicationError) as caught:
        register(staff, enterprise, lab, lead, **changes)
    assert caught.value.field == field
    assert Application.objects.count() == 0
    assert Sample.objects.count() == 0


def test_hs_code_error_is_translated(staff, enterprise, lab, lead) -> None:
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        register(staff, enterprise, lab, lead, hs_code="10063020")
    assert caught.value.message == "HS编码：必须正好是10位数字，实际为“10063020”。"


def test_reserved_chapter_77_is_refused_as_risk_refuses_it(staff, enterprise, lab, lead) -> None:
    # WCO HS Nomenclature: Chapter 77 is reserved for possible future use (portlab.core.hs_code).
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        register(staff, enterprise, lab, lead, hs_code="7701000000")
    assert caught.value.field == "hs_code"
    assert caught.value.message == "HS编码：HS 第 77 章不存在（章号为 01–97，77 章未使用）。"
    assert Application.objects.count() == 0


def test_item_without_capability_at_the_lab_is_refused(staff, enterprise, other_lab, lead):
    with pytest.raises(ApplicationError, match="holds no accredited capability"):
        register(staff, enterprise, other_lab, lead)


def test_another_enterprise_cannot_file_for_this_one(staff, enterprise, lab, lead) -> None:
    with pytest.raises(PermissionDenied):
        register(staff, enterprise, lab, lead, actor=staff["analyst"])
    assert Application.objects.count() == 0


def test_clerk_may_file_for_an_enterprise(staff, enterprise, lab, lead) -> None:
    application = register(staff, enterprise, lab, lead, actor=staff["clerk"])
    assert application.submitted_by == staff["clerk"]
