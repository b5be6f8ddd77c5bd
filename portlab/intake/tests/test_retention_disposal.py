"""Retention after the report, the list of samples past retention, disposal with approval."""

from datetime import date, timedelta

import pytest

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError
from portlab.intake import custody, disposal, retention
from portlab.intake.custody_selectors import samples_past_retention
from portlab.intake.models import Aliquot, Disposal, Sample
from portlab.testing.reception import sample_receive

REPORTED = date(2026, 3, 2)


@pytest.mark.parametrize(("days", "failed", "until"), [
    (90, False, date(2026, 5, 31)),   # the category's period
    (5, False, date(2026, 3, 7)),
    (5, True, date(2026, 3, 17)),     # failed: at least the 15-day appeal period
    (90, True, date(2026, 5, 31)),    # failed, with a longer period: the period
])
def test_retain_until(days, failed, until) -> None:
    assert retention.retain_until(reported_on=REPORTED, retention_days=days,
                                  failed=failed) == until


@pytest.fixture
def kept(staff, application) -> Sample:
    """A received sample whose report was issued on 2 March 2026 (no period set: 90 days)."""
    sample = sample_receive(actor=staff["clerk"], sample=application.samples.get())
    return custody.sample_retention_start(actor=staff["signatory"], sample=sample,
                                          reported_on=REPORTED, failed=False)


def test_retention_follows_the_category_then_the_lab_default(staff, lab, rice, kept) -> None:
    assert kept.retain_until == date(2026, 5, 31)
    custody.retention_period_set(actor=staff["manager"], lab=lab, product_category=None,
                                 days=30)
    custody.sample_retention_start(actor=staff["signatory"], sample=kept, reported_on=REPORTED,
                                   failed=False)
    assert kept.retain_until == date(2026, 4, 1)
    custody.retention_period_set(actor=staff["manager"], lab=lab, product_category=rice,
                                 days=10)
    custody.sample_retention_start(actor=staff["signatory"], sample=kept, reported_on=REPORTED,
                                   failed=True)
    kept.refresh_from_db()
    assert kept.retain_until == date(2026, 3, 17)


@pytest.mark.parametrize("days", [None, 0, 3651])
def test_retention_days_out_of_range_are_refused(staff, lab, days) -> None:
    with pytest.raises(ApplicationError) as error:
        custody.retention_period_set(actor=staff["manager"], lab=lab, product_category=None,
                                     days=days)
    assert error.value.field == "days"


def test_past_retention_lists_only_samples_kept_long_enough(staff, lab, kept) -> None:
    assert list(samples_past_retention(lab, date(2026, 5, 31))) == []
    assert list(samples_past_retention(lab, date(2026, 6, 1))) == [kept]


def test_disposal_before_retention_ends_is_refused(staff, kept) -> None:
    with pytest.raises(ApplicationError, match="kept until 2026-05-31"):
        disposal.disposal_propose(actor=staff["clerk"], sample=kept, method="destroyed",
                                  today=date(2026, 5, 31))
    assert not Disposal.objects.exists()


def test_disposal_of_a_sample_without_report_is_refused(staff, application) -> None:
    sample = sample_receive(actor=staff["clerk"], sample=application.samples.get())
    with pytest.raises(ApplicationError, match="no report yet"):
        disposal.disposal_propose(actor=staff["clerk"], sample=sample, method="destroyed",
                                  today=date(2026, 6, 1))


def test_disposal_needs_a_method(staff, kept) -> None:
    with pytest.raises(ApplicationError) as error:
        disposal.disposal_propose(actor=staff["clerk"], sample=kept, method="eaten",
                                  today=date(2026, 6, 1))
    assert error.value.field == "method" and not Disposal.objects.exists()


def test_disposal_approved_by_the_proposer_is_refused(staff, kept) -> None:
    proposed = disposal.disposal_propose(actor=staff["clerk"], sample=kept, method="destroyed",
                                         today=date(2026, 6, 1))
    with pytest.raises(ApplicationError, match="someone other than clerk"):
        disposal.disposal_approve(actor=staff["clerk"], sample=kept,
                                  expected_version=proposed.version, today=date(2026, 6, 1))
    proposed.refresh_from_db()
    assert proposed.approved_at is None


def test_disposal_with_approval_disposes_of_sample_and_aliquots(staff, lab, kept) -> None:
    fridge = custody.storage_location_create(actor=staff["manager"], lab=lab, kind="fridge",
                                             name="留样冰箱")
    custody.sample_move(actor=staff["clerk"], sample=kept, location=fridge)
    custody.aliquot_create(actor=staff["analyst"], sample=kept, quantity="50 g")
    day = date(2026, 6, 1)
    proposed = disposal.disposal_propose(actor=staff["clerk"], sample=kept, method="returned",
                                         note="退回申请人", today=day)
    assert list(samples_past_retention(lab, day)) == [kept]  # proposed, not yet disposed
    disposal.disposal_approve(actor=staff["manager"], sample=kept,
                              expected_version=proposed.version, today=day)
    kept.refresh_from_db()
    assert kept.location is None and not Aliquot.objects.filter(location__isnull=False).exists()
    assert list(samples_past_retention(lab, day)) == []
    assert AuditEvent.objects.get(action="disposal_approve").after == {
        "method": "returned", "proposed_by": "clerk"}
    with pytest.raises(ApplicationError, match="already disposed"):
        disposal.disposal_approve(actor=staff["manager"], sample=kept,
                                  expected_version=None, today=day)


def test_aliquot_or_move_of_a_disposed_sample_is_refused(staff, lab, kept) -> None:
    day = date(2026, 6, 1)
    proposed = disposal.disposal_propose(actor=staff["clerk"], sample=kept, method="destroyed",
                                         today=day)
    disposal.disposal_approve(actor=staff["manager"], sample=kept,
                              expected_version=proposed.version, today=day)
    with pytest.raises(ApplicationError, match="has been disposed of"):
        custody.aliquot_create(actor=staff["analyst"], sample=kept, quantity="10 g")
    fridge = custody.storage_location_create(actor=staff["manager"], lab=lab, kind="fridge",
                                             name="冰箱")
    with pytest.raises(ApplicationError, match="has been disposed of"):
        custody.sample_move(actor=staff["clerk"], sample=kept, location=fridge)
    assert not Aliquot.objects.exists()


def test_a_second_proposal_is_refused(staff, kept) -> None:
    disposal.disposal_propose(actor=staff["clerk"], sample=kept, method="destroyed",
                              today=date(2026, 6, 1) + timedelta(days=1))
    with pytest.raises(ApplicationError, match="already proposed"):
        disposal.disposal_propose(actor=staff["manager"], sample=kept, method="returned",
                                  today=date(2026, 6, 2))
