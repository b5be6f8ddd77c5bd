import pytest
from django.urls import reverse
from freezegun import freeze_time

from portlab.intake.models import Application, Sample
from portlab.intake.services import SampleInput, application_register
from portlab.network.models import Capability
from portlab.portal.tests.conftest import client_for
from portlab.testing.reception import sample_receive


@pytest.fixture
def friday():
    """Friday 6 March 2026, 10:00 in Tianjin: the lab's working day (08:30-17:30) has begun."""
    with freeze_time("2026-03-06 10:00:00+08:00"):
        yield


def form(enterprise, lab, rice, /, *items, **changes) -> dict:
    data = {
        "enterprise": enterprise.pk, "purpose": "import", "goods_description": "泰国茉莉香米",
        "hs_code": "1006302000", "declaration_number": "", "lab": lab.pk,
        "product_category": rice.pk, "requires_accreditation": "on",
        "test_items": [item.pk for item in items],
        "sample_description": ["大米 2 kg", "大米 2 kg 复样", ""],
        "sample_quantity": ["2 kg", "2 kg", ""],
    }
    data.update(changes)
    return data


def test_guided_form_files_the_application_and_shows_the_receipt(staff, enterprise, lab, rice,
                                                                 lead, salmonella) -> None:
    client = client_for(staff["customer"])
    response = client.post(reverse("application_new"),
                           form(enterprise, lab, rice, lead, salmonella, action="submit"))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("application_receipt", args=[application.number])
    assert (application.enterprise, application.lab, application.hs_code) == (
        enterprise, lab, "1006302000")
    assert list(application.samples.order_by("number").values_list("description", "quantity")) == [
        ("大米 2 kg", "2 kg"), ("大米 2 kg 复样", "2 kg")]
    assert sorted(application.items.values_list("test_item__code", flat=True)) == [
        "PB", "SALMONELLA"]


def test_preview_shows_total_price_and_predicted_date(staff, enterprise, lab, rice, lead,
                                                      salmonella, friday) -> None:
    # Three lead tests already wait at a lab that does two a day: two working days of queue.
    Capability.objects.filter(test_item=lead).update(daily_capacity=2)
    queued = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id],
        samples=[SampleInput("1"), SampleInput("2"), SampleInput("3")])
    for sample in queued.samples.all():
        sample_receive(actor=staff["clerk"], sample=sample)
    client = client_for(staff["customer"])
    response = client.post(reverse("application_new"),
                           form(enterprise, lab, rice, lead, salmonella, action="preview"))
    page = response.content.decode()
    assert response.status_code == 200
    # (120 + 150) × 2 samples; lead: the 3 waiting, then our 2 samples at 2 a day (7.5 of 9
    # hours left today: still 2): ours start on days 1 and 2, done on days 6 and 7; salmonella
    # done on day 5. Each test late as DEFAULT_LATENESS says: all done by day 7 with chance
    # 0.85 × 0.74 × 0.93² = 0.55, the median; the 0.86 level is reached on day 10
    # (0.96 × 0.95 × 0.98² = 0.88): 80 % between 03-17 and 03-20
    assert '<div class="stat" id="quote_total">¥540.00</div>' in page
    assert '<span id="quote_date">2026-03-17</span>' in page
    assert '<span id="quote_days">7</span>' in page
    assert "80 % likely between 2026-03-17 and 2026-03-20" in page
    assert 'id="submit_button">' in page  # no longer hidden
    assert Application.objects.count() == 1  # the preview wrote nothing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hs_code": "10063020"}, "hs_code", "HS code: must be exactly 10 digits, got “10063020”."),
        ({"hs_code": "9906302000"}, "hs_code",
         "HS code: HS chapter 99 does not exist (chapters are 01-97, 77 is unused)."),
        ({"test_items": []}, "test_items", "Choose at least one test item."),
        ({"sample_description": ["", ""], "sample_quantity": ["", ""]}, "samples",
         "Add at least one sample."),
        ({"sample_description": ["", "x"], "sample_quantity": ["2 kg", "1 kg"]}, "samples[1]",
         "Sample 1: describe the sample."),
        ({"goods_description": " "}, "goods_description", "Describe the goods."),
        ({"lab": "999999"}, "lab", "Choose the lab."),
    ],
)
@pytest.mark.parametrize("action", ["preview", "submit"])
def test_bad_input_is_shown_next_to_its_field(staff, enterprise, lab, rice, lead, changes, field,
                                              message, action) -> None:
    client = client_for(staff["customer"])
    response = client.post(reverse("application_new"),
                           form(enterprise, lab, rice, lead, action=action, **changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert f'data-field="{field}"' in page
    assert message in page
    assert 'id="submit_button" hidden' in page
    assert (Application.objects.count(), Sample.objects.count()) == (0, 0)


def test_hs_code_error_in_chinese(staff, enterprise, lab, rice, lead) -> None:
    client = client_for(staff["customer"], "zh-hans")
    response = client.post(reverse("application_new"),
                           form(enterprise, lab, rice, lead, action="submit", hs_code="10063020"))
    assert response.status_code == 400
    assert "HS编码：必须正好是10位数字，实际为“10063020”。" in response.content.decode()


def test_enterprise_user_sees_and_files_for_its_own_enterprise_only(
        staff, enterprise, other_enterprise, lab, rice, lead) -> None:
    client = client_for(staff["customer"])
    page = client.get(reverse("application_new")).content.decode()
    assert enterprise.credit_code in page
    assert other_enterprise.credit_code not in page
    response = client.post(reverse("application_new"), form(
        other_enterprise, lab, rice, lead, action="submit"))
    assert response.status_code == 400
    assert "Choose the applicant enterprise." in response.content.decode()
    assert Application.objects.count() == 0


def test_clerk_sees_every_enterprise(staff, enterprise, other_enterprise) -> None:
    page = client_for(staff["clerk"]).get(reverse("application_new")).content.decode()
    assert enterprise.credit_code in page and other_enterprise.credit_code in page


def test_form_offers_search_and_fallback_without_javascript(staff, lead, salmonella) -> None:
    page = client_for(staff["customer"]).get(reverse("application_new")).content.decode()
    assert 'src="/static/portal/application_form.js"' in page
    assert f'name="test_items" value="{lead.pk}"' in page  # the checkbox list
    assert page.count('name="sample_description"') == 2
    assert 'id="submit_button" hidden' in page  # submit comes after the summary
