"""Each workflow transition's public guard, called directly: it reads the access table, and the
pages offer a button only when it passes (accounts.access.passes)."""

import pytest

from conftest import make_user
from portlab.accounts.access import passes
from portlab.accounts.models import Role
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.intake.services import (
    guard_application_cancel,
    guard_receive,
    guard_register,
    guard_sample_reject,
)
from portlab.network.accreditation import guard_accreditation_scope_record
from portlab.quality.services.methods import guard_standard_withdraw
from portlab.testing.services import (
    guard_enter_result,
    guard_test_approve,
    guard_test_assign,
    guard_test_review,
)


def test_intake_guards(staff, application, enterprise, lab, other_lab) -> None:
    sample = application.samples.get()
    guard_register(actor=staff["customer"], enterprise=enterprise, lab=lab)
    guard_register(actor=staff["clerk"], enterprise=enterprise, lab=lab)
    with pytest.raises(PermissionDenied):
        guard_register(actor=staff["analyst"], enterprise=enterprise, lab=lab)
    assert passes(guard_application_cancel, actor=staff["customer"], obj=application)
    assert not passes(guard_application_cancel, actor=staff["analyst"], obj=application)
    other_clerk = make_user("other_clerk", Role.RECEPTION_CLERK, other_lab)
    for guard in (guard_receive, guard_sample_reject):
        guard(actor=staff["clerk"], obj=sample)
        with pytest.raises(PermissionDenied):
            guard(actor=other_clerk, obj=sample)
        with pytest.raises(PermissionDenied):
            guard(actor=staff["customer"], obj=sample)


def test_testing_guards(staff, assigned_test) -> None:
    with pytest.raises(PermissionDenied):
        guard_test_assign(actor=staff["analyst"], obj=assigned_test)
    guard_test_assign(actor=staff["manager"], obj=assigned_test)
    guard_enter_result(actor=staff["analyst"], obj=assigned_test)
    with pytest.raises(PermissionDenied):
        guard_enter_result(actor=staff["reviewer"], obj=assigned_test)
    # Not yet resulted: the reviewer may review tests of the lab, but not this one now.
    with pytest.raises(ApplicationError):
        guard_test_review(actor=staff["reviewer"], obj=assigned_test)
    with pytest.raises(PermissionDenied):
        guard_test_approve(actor=staff["reviewer"], obj=assigned_test)


def test_definition_guards(staff, lab, lead) -> None:
    standard = lead.capabilities.get().method.standard
    assert not passes(guard_standard_withdraw, actor=staff["manager"], obj=standard)
    assert passes(guard_standard_withdraw, actor=staff["admin"], obj=standard)
    quality = make_user("qm", Role.QUALITY_MANAGER, lab)
    assert passes(guard_accreditation_scope_record, actor=quality, obj=lab)
    assert not passes(guard_accreditation_scope_record, actor=staff["manager"], obj=lab)


def test_pages_show_only_the_links_the_table_allows(staff) -> None:
    from django.test import Client

    def navigation(user) -> str:
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        return client.get("/").content.decode()

    clerk, analyst, customer = (navigation(staff[n]) for n in ("clerk", "analyst", "customer"))
    assert 'href="/intake/reception/"' in clerk and 'href="/intake/reception/"' not in analyst
    assert 'href="/testing/mine/"' in analyst and 'href="/testing/mine/"' not in clerk
    assert 'href="/network/search"' not in customer
    assert 'href="/intake/applications/"' in customer


def test_a_queue_lists_only_the_labs_where_its_action_is_allowed(staff, assigned_test,
                                                                  other_lab) -> None:
    from portlab.accounts.services import role_grant
    from portlab.testing.results import ResultInput
    from portlab.testing.selectors import worklist
    from portlab.testing.services import result_enter

    result_enter(actor=staff["analyst"], test=assigned_test,
                 data=ResultInput(kind="numeric", value="0.041", unit="mg/kg"))
    # A reviewer of another lab, who is also an analyst here, reviews nothing here.
    person = make_user("two_hats", Role.REVIEWER, other_lab)
    role_grant(user=person, role=Role.ANALYST, scope=assigned_test.lab)
    assert list(worklist(person, "resulted", action="test.review")) == []
    assert list(worklist(staff["reviewer"], "resulted", action="test.review")) == [assigned_test]
