"""ILAC G8 guarded and non-binary rules applied through result entry (per application)."""

import pytest

from portlab.testing.models import Result
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter


@pytest.mark.parametrize(("rule", "value", "expected"), [
    ("guarded", "0.17", Result.Conformity.PASS),            # 0.17 + 0.02 <= 0.2
    ("guarded", "0.19", Result.Conformity.FAIL),            # inside the guard band
    ("non_binary", "0.17", Result.Conformity.PASS),
    ("non_binary", "0.19", Result.Conformity.CONDITIONAL_PASS),
    ("non_binary", "0.21", Result.Conformity.CONDITIONAL_FAIL),
    ("non_binary", "0.23", Result.Conformity.FAIL),
])
def test_rules_chosen_on_the_application(staff, assigned_test, rule, value, expected) -> None:
    application = assigned_test.sample.application
    application.decision_rule = rule
    application.save(update_fields=["decision_rule"])
    result = result_enter(actor=staff["analyst"], test=assigned_test,
                          data=ResultInput(kind="numeric", value=value, uncertainty="0.02"))
    assert (result.conformity, result.decision_rule) == (expected, rule)


def test_guarded_rule_without_uncertainty_is_refused(staff, assigned_test) -> None:
    from portlab.core.errors import ApplicationError

    application = assigned_test.sample.application
    application.decision_rule = "guarded"
    application.save(update_fields=["decision_rule"])
    with pytest.raises(ApplicationError) as caught:
        result_enter(actor=staff["analyst"], test=assigned_test,
                     data=ResultInput(kind="numeric", value="0.1"))
    assert caught.value.field == "uncertainty"
    assert not Result.objects.exists()
