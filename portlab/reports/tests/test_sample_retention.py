"""Issuing a report starts its samples' retention: the category's period, and for a failed
result at least the appeal period."""

from datetime import timedelta

from django.utils import timezone

from conftest import SIGNED
from portlab.intake import custody
from portlab.reports.services import report_issue
from portlab.reports.tests.conftest import approve
from portlab.reports.tests.test_report_pdf import _pdf_text
from portlab.testing import services as testing_services
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive


def test_a_passing_sample_is_kept_the_default_period(issued_report) -> None:
    sample = issued_report.application.samples.get()
    assert sample.retain_until == timezone.localdate() + timedelta(days=90)


def test_a_failed_sample_is_kept_until_the_appeal_period_ends(staff, lab, rice, assigned_test,
                                                             keys_dir) -> None:
    custody.retention_period_set(actor=staff["manager"], lab=lab, product_category=rice, days=7)
    approve(staff, assigned_test, value="0.5", uncertainty="0.01")  # limit 0.2 mg/kg
    report = report_issue(actor=staff["signatory"], application=assigned_test.sample.application,
                          language="en", credential=SIGNED)
    sample = report.application.samples.get()
    assert sample.retain_until == timezone.localdate() + timedelta(days=15)


def test_the_report_prints_a_condition_other_than_intact(staff, application, keys_dir,
                                                         tmp_path) -> None:
    sample = sample_receive(actor=staff["clerk"], sample=application.samples.get(),
                            condition="damaged", condition_note="外袋破损")
    test = Test.objects.get(sample=sample)
    testing_services.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    approve(staff, test)
    report = report_issue(actor=staff["signatory"], application=application, language="en",
                          credential=SIGNED)
    text = _pdf_text(bytes(report.pdf), tmp_path)
    assert "Condition on receipt: Packaging damaged" in " ".join(text.split())
