import pytest
from django.utils import translation

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, ConflictError, PermissionDenied
from portlab.testing.models import Result, Test
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter


def enter(staff, test, reason: str = "", version=None, **fields) -> Result:
    return result_enter(actor=staff["analyst"], test=test, data=ResultInput(**fields),
                        reason=reason, expected_version=version)


def test_numeric_result_is_converted_and_judged(staff, assigned_test) -> None:
    result = enter(staff, assigned_test, kind="numeric", value="41", unit="μg/kg",
                   uncertainty="6")
    assigned_test.refresh_from_db()
    assert (result.value, result.unit) == (pytest.approx(0.041), "mg/kg")
    assert result.uncertainty == pytest.approx(0.006)
    assert (result.entered_value, result.entered_unit) == ("41", "μg/kg")
    assert (result.conformity, result.decision_rule) == ("pass", "simple")
    assert assigned_test.status == Test.Status.RESULTED
    assert assigned_test.sample.status == "in_review"


def test_value_above_the_limit_fails(staff, assigned_test) -> None:
    result = enter(staff, assigned_test, kind="numeric", value="0.25")
    assert result.conformity == "fail"


def test_value_exactly_on_the_limit_conforms_under_simple_acceptance(staff, assigned_test):
    assert enter(staff, assigned_test, kind="numeric", value="0.2").conformity == "pass"


def test_below_lod_reports_the_lod_and_conforms(staff, assigned_test) -> None:
    result = enter(staff, assigned_test, kind="below_lod")
    assert (result.kind, result.value, result.conformity) == ("below_lod", 0.005, "pass")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "numeric", "value": "abc"}, "value", "“abc” is not a number."),
        ({"kind": "numeric", "value": "nan"}, "value", "“nan” is not a finite number."),
        ({"kind": "numeric", "value": ""}, "value", "Enter the measured value."),
        ({"kind": "numeric", "value": "0.1", "unit": "mg/L"}, "unit",
         "Unit “mg/L” cannot be reported as “mg/kg”."),
        ({"kind": "numeric", "value": "0.1", "uncertainty": "-0.01"}, "uncertainty",
         "Uncertainty cannot be negative."),
        ({"kind": "text", "text": "阴性"}, "kind", "This test item takes a numeric result."),
        ({"kind": "guess"}, "kind", "Unknown result kind “guess”."),
    ],
)
def test_bad_results_are_refused_with_the_field(staff, assigned_test, fields, field, message):
    with pytest.raises(ApplicationError) as caught:
        enter(staff, assigned_test, **fields)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert Result.objects.count() == 0
    assigned_test.refresh_from_db()
    assert assigned_test.status == Test.Status.ASSIGNED


def test_wrong_unit_message_in_chinese(staff, assigned_test) -> None:
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        enter(staff, assigned_test, kind="numeric", value="0.1", unit="mg/L")
    assert caught.value.message == "单位“mg/L”无法换算为“mg/kg”。"


def test_changing_a_submitted_result_needs_a_reason_and_is_audited(staff, assigned_test):
    first = enter(staff, assigned_test, kind="numeric", value="0.05")
    with pytest.raises(ApplicationError) as caught:
        enter(staff, assigned_test, kind="numeric", value="0.06")
    assert caught.value.field == "reason"
    changed = enter(staff, assigned_test, kind="numeric", value="0.06", reason="transcription",
                    version=first.version)
    assert (changed.value, changed.version) == (0.06, 2)
    event = AuditEvent.objects.get(action="result_change")
    assert (event.before["value"], event.after["value"], event.reason) == ("0.05", "0.06",
                                                                           "transcription")


def test_second_editor_with_a_stale_version_gets_a_conflict(staff, assigned_test) -> None:
    first = enter(staff, assigned_test, kind="numeric", value="0.05")
    enter(staff, assigned_test, kind="numeric", value="0.06", reason="A", version=first.version)
    with pytest.raises(ConflictError):
        enter(staff, assigned_test, kind="numeric", value="0.07", reason="B",
              version=first.version)
    assert Result.objects.get().value == 0.06


def test_only_the_assigned_analyst_enters(staff, assigned_test) -> None:
    with pytest.raises(PermissionDenied):
        result_enter(actor=staff["reviewer"], test=assigned_test,
                     data=ResultInput(kind="numeric", value="0.1"))


def test_text_result(staff, lab, salmonella, enterprise) -> None:
    from portlab.intake.services import SampleInput, application_register
    from portlab.testing.reception import sample_receive
    from portlab.testing.services import test_assign

    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="冻虾",
        hs_code="0306171100", purpose="import", test_item_ids=[salmonella.id],
        samples=[SampleInput("冻虾")])
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    with pytest.raises(ApplicationError, match="takes a text result"):
        enter(staff, test, kind="numeric", value="1")
    result = enter(staff, test, kind="text", text="未检出/25g")
    assert (result.text, result.conformity) == ("未检出/25g", "not_judged")


def test_a_negative_concentration_is_refused(staff, assigned_test) -> None:
    with pytest.raises(ApplicationError) as caught:
        enter(staff, assigned_test, kind="numeric", value="-0.2")
    assert (caught.value.field, caught.value.message) == (
        "value", "“-0.2” cannot be right: a content or concentration is never negative.")
    assert Result.objects.count() == 0


def test_a_number_below_the_lod_must_be_reported_as_below_lod(staff, assigned_test) -> None:
    with pytest.raises(ApplicationError) as caught:
        enter(staff, assigned_test, kind="numeric", value="3", unit="μg/kg")  # LOD 0.005 mg/kg
    assert caught.value.message == (
        "3 mg/kg is below the limit of detection (0.005 mg/kg): report it as “< LOD”.")
    assert enter(staff, assigned_test, kind="numeric", value="0.005").reported_value == "0.005"


@pytest.mark.parametrize(("typed", "reported"), [("0.125", "0.12"), ("0.135", "0.14"),
                                                 ("125", "0.12"), ("0.0415", "0.04")])
def test_reported_value_is_rounded_by_gb_t_8170_at_the_capabilitys_decimals(
        staff, assigned_test, typed: str, reported: str) -> None:
    assigned_test.capability.reported_decimals = 2
    assigned_test.capability.save()
    unit = "μg/kg" if typed == "125" else "mg/kg"
    assert enter(staff, assigned_test, kind="numeric", value=typed, unit=unit).reported_value \
        == reported


def test_without_a_rounding_rule_the_value_keeps_its_typed_figures(staff, assigned_test):
    assert enter(staff, assigned_test, kind="numeric", value="41.50",
                 unit="μg/kg").reported_value == "0.04150"


@pytest.mark.parametrize(("comparison", "conformity"),
                         [("full_value", "fail"), ("rounded_value", "pass")])
def test_the_specification_names_the_comparison_method(staff, assigned_test, comparison,
                                                       conformity) -> None:
    # GB 2762 lead in rice ≤ 0.2 mg/kg; 0.24 rounds to 0.2 (GB/T 8170 §4.3.3) but exceeds
    # it as a full value (§4.3.2).
    from portlab.network.models import Specification

    Specification.objects.update(comparison=comparison)
    assert enter(staff, assigned_test, kind="numeric", value="0.24").conformity == conformity


def test_coverage_factor_is_kept_with_the_uncertainty(staff, assigned_test) -> None:
    result = enter(staff, assigned_test, kind="numeric", value="0.041", uncertainty="0.009",
                   coverage_factor="3")
    result.refresh_from_db()
    assert (result.uncertainty, result.coverage_factor) == (pytest.approx(0.009), 3.0)


def test_uncertainty_without_k_is_taken_at_k_2(staff, assigned_test) -> None:
    result = enter(staff, assigned_test, kind="numeric", value="0.041", uncertainty="0.006")
    assert result.coverage_factor == 2.0


def test_no_uncertainty_means_no_coverage_factor(staff, assigned_test) -> None:
    assert enter(staff, assigned_test, kind="numeric", value="0.041").coverage_factor is None


@pytest.mark.parametrize(("uncertainty", "k", "message"), [
    ("", "2", "without the expanded uncertainty U"),
    ("0.006", "0.5", "between 1 and 10"),
    ("0.006", "abc", "“abc” is not a number."),
])
def test_a_bad_coverage_factor_is_refused_and_nothing_stored(staff, assigned_test, uncertainty,
                                                             k, message) -> None:
    with translation.override("en"), pytest.raises(ApplicationError) as error:
        enter(staff, assigned_test, kind="numeric", value="0.041", uncertainty=uncertainty,
              coverage_factor=k)
    assert message in error.value.message
    assert error.value.field == "coverage_factor"
    assert not Result.objects.filter(test=assigned_test).exists()
