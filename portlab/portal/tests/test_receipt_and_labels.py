from django.urls import reverse

from portlab.intake.labels import qr_svg
from portlab.intake.services import SampleInput, samples_add
from portlab.portal.tests.conftest import client_for


def test_receipt_shows_number_query_code_and_price(staff, application) -> None:
    samples_add(actor=staff["customer"], application=application,
                samples=[SampleInput("大米 2 kg 复样")])
    page = client_for(staff["customer"]).get(
        reverse("application_receipt", args=[application.number])).content.decode()
    assert f'<div class="stat" id="application_number">{application.number}</div>' in page
    assert f'<code id="query_code">{application.query_code}</code>' in page
    assert '<td class="num" id="receipt_total">¥240.00</td>' in page  # lead 120 × 2 samples
    assert "Total for 2 samples" in page
    assert reverse("application_labels", args=[application.number]) in page


def test_labels_carry_a_qr_code_and_the_numbers_of_each_sample(staff, application) -> None:
    (second,) = samples_add(actor=staff["customer"], application=application,
                            samples=[SampleInput("大米 2 kg 复样")])
    first = application.samples.order_by("number").first()
    page = client_for(staff["customer"]).get(
        reverse("application_labels", args=[application.number])).content.decode()
    assert page.count('<div class="label" data-sample=') == 2
    for sample in (first, second):
        assert str(qr_svg(sample.number)) in page
        assert f'<div class="sample-number">{sample.number}</div>' in page
    assert page.count(f"Application {application.number}") == 2
    assert page.count('<div class="goods">泰国茉莉香米</div>') == 2
    assert page.count('<div class="enterprise">Huawei Technologies</div>') == 2
    assert "@page { size: A4" in open(  # noqa: SIM115 — the stylesheet the page links
        "portlab/intake/static/intake/labels.css", encoding="utf-8").read()
    assert 'href="/static/intake/labels.css"' in page


def test_qr_code_encodes_the_sample_number() -> None:
    svg = str(qr_svg("S2026000001"))
    assert svg.startswith('<svg viewBox="0 0 25 25" class="segno"><title>S2026000001</title>')
