import pytest
from django.core import mail
from django.db import transaction

from conftest import make_user
from portlab.accounts.models import Role
from portlab.intake.notifications import notify_report_issued, recipients
from portlab.testing.reception import sample_receive, sample_reject


@pytest.fixture
def addresses(staff, enterprise):
    enterprise.contact_email = "qa@huawei.example.com"
    enterprise.save()
    staff["customer"].email = "customer@huawei.example.com"
    staff["customer"].save()
    colleague = make_user("colleague", Role.ENTERPRISE_USER, enterprise)
    colleague.email = "QA@huawei.example.com"  # the contact address again, other case
    colleague.save()
    retired = make_user("retired", Role.ENTERPRISE_USER, enterprise)
    retired.email, retired.is_active = "retired@huawei.example.com", False
    retired.save()
    staff["clerk"].email = "clerk@lab.example.com"
    staff["clerk"].save()
    return ["customer@huawei.example.com", "qa@huawei.example.com"]


def test_recipients_are_contact_and_active_users_once(addresses, enterprise) -> None:
    assert recipients(enterprise) == addresses


def test_reception_mails_the_enterprise_in_chinese_then_english(
        addresses, staff, application, django_capture_on_commit_callbacks) -> None:
    sample = application.samples.get()
    with django_capture_on_commit_callbacks(execute=True):
        sample_receive(actor=staff["clerk"], sample=sample)
    (message,) = mail.outbox
    assert message.to == addresses
    number = application.number
    assert message.subject == (f"样品 {sample.number} 已接收（申请 {number}） / "
                               f"Sample {sample.number} received (application {number})")
    chinese, english = message.body.split("\n\n----\n\n")
    assert "天津海关技术中心已接收您的申请" in chinese
    assert "Tianjin Customs Technology Center has received sample" in english
    assert application.query_code in chinese and application.query_code in english


def test_rejection_mail_gives_the_reason(addresses, staff, application,
                                         django_capture_on_commit_callbacks) -> None:
    sample = application.samples.get()
    with django_capture_on_commit_callbacks(execute=True):
        sample_reject(actor=staff["clerk"], sample=sample, reason="包装破损，样品受潮")
    (message,) = mail.outbox
    assert message.to == addresses
    assert message.subject.endswith(
        f"Sample {sample.number} rejected (application {application.number})")
    assert message.body.count("包装破损，样品受潮") == 2
    assert "原因：包装破损，样品受潮" in message.body
    assert "Reason: 包装破损，样品受潮" in message.body


def test_nothing_is_sent_when_the_reception_rolls_back(addresses, staff, application,
                                                       django_capture_on_commit_callbacks):
    sample = application.samples.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            sample_receive(actor=staff["clerk"], sample=sample)
            raise RuntimeError("printer jammed")
    assert (callbacks, mail.outbox) == ([], [])


def test_report_issued_mail_for_the_reports_app(addresses, application) -> None:
    assert notify_report_issued(application, "R2026000042") == 1
    (message,) = mail.outbox
    assert message.to == addresses
    assert message.subject == (f"报告 R2026000042 已签发（申请 {application.number}） / "
                               f"Report R2026000042 issued (application {application.number})")


def test_enterprise_without_addresses_gets_nothing(staff, application,
                                                   django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sample_receive(actor=staff["clerk"], sample=application.samples.get())
    assert mail.outbox == []
