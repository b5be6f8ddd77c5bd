"""An enterprise registers, files an application through the guided form, prints its labels,
and follows the progress while the lab works on it."""

from pathlib import Path

import pytest
from django.utils import timezone

from conftest import SIGNED
from portlab.intake.models import Application
from portlab.testing import services as testing
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput
from portlab.transfers.models import LatenessFit

pytestmark = pytest.mark.e2e
CREDIT_CODE = "91310115MA1K3YJ31F"  # well-formed; the fixtures already hold Huawei's code


class Shooter:
    """Saves each page in Chinese and in English (the language cookie, then a reload)."""

    def __init__(self, page, base_url: str, folder: Path):
        self.page, self.base_url, self.folder = page, base_url, folder

    def language(self, code: str) -> None:
        self.page.context.add_cookies([{"name": "django_language", "value": code,
                                        "url": self.base_url}])

    def __call__(self, name: str, *, reload: bool = True) -> None:
        self.page.screenshot(path=self.folder / f"{name}.zh.png", full_page=True)
        if reload:
            self.language("en")
            self.page.reload()
            self.page.screenshot(path=self.folder / f"{name}.en.png", full_page=True)
            self.language("zh-hans")
            self.page.reload()


def register(page, url: str) -> None:
    page.fill("#id_name_zh", "天津示例粮油进出口有限公司")
    page.fill("#id_name_en", "Tianjin Example Grain & Oil Trading")
    page.fill("#id_credit_code", CREDIT_CODE)
    page.fill("#id_customs_code", "1207960123")
    page.fill("#id_contact_name", "张伟")
    page.fill("#id_contact_email", "zhang.wei@example.com")
    page.fill("#id_contact_phone", "022-2560 1234")
    page.fill("#id_username", "zhangwei")
    page.fill("#id_password", "jasmine-rice-2026")
    page.fill("#id_password_again", "jasmine-rice-2026")


def fill_application(page, lab, rice) -> None:
    page.fill("#id_goods_description", "泰国茉莉香米，25千克袋装")
    page.type("#id_hs_code", "大米", delay=30)
    page.click("#hs_suggestions button[data-code='1006302000']")
    page.select_option("#id_lab", str(lab.pk))
    page.select_option("#id_product_category", str(rice.pk))
    for text, name in (("铅", "铅"), ("沙门", "沙门氏菌")):
        page.fill("#item_search", text)
        page.locator("#item_results tr", has_text=name).get_by_role("button").click()
        page.locator("#chosen_items .chip", has_text=name).wait_for()
    rows = page.locator("#sample_rows input[name=sample_description]")
    rows.nth(0).fill("大米 2 kg，批号 24-117")
    rows.nth(1).fill("大米 2 kg，批号 24-118")
    page.click("#add_sample")
    rows.nth(2).fill("大米 2 kg，复样")
    page.locator("#sample_rows input[name=sample_quantity]").nth(2).fill("2 kg")


def look_up_progress(browser, url: str, application: Application, language: str,
                     path: Path) -> None:
    """A visitor without an account, holding the receipt."""
    visitor = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"Accept-Language": language}).new_page()
    visitor.goto(f"{url}/progress/")
    visitor.fill("#id_number", application.number)
    visitor.fill("#id_query_code", application.query_code)
    visitor.click("button[type=submit]")
    visitor.locator("#public-progress").wait_for()
    assert visitor.locator("#public-progress [data-step=approved].step-current").count() == 1
    for secret in ("泰国茉莉香米", "天津示例粮油", "0.041", "analyst"):
        assert secret not in visitor.content()
    visitor.screenshot(path=path, full_page=True)
    visitor.context.close()


def lab_processes(staff, application: Application) -> None:
    for sample in application.samples.order_by("number"):
        sample_receive(actor=staff["clerk"], sample=sample)
    for test in Test.objects.filter(sample__application=application).order_by("id"):
        testing.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
        test.refresh_from_db()
        data = (ResultInput(kind="numeric", value="0.041", uncertainty="0.006")
                if test.test_item.code == "PB" else ResultInput(kind="text", text="未检出/25g"))
        testing.result_enter(actor=staff["analyst"], test=test, data=data)
        testing.test_review(actor=staff["reviewer"], test=test, decision="accept",
                            expected_version=test.version, credential=SIGNED)
        testing.test_approve(actor=staff["signatory"], test=test, decision="accept",
                             expected_version=test.version, credential=SIGNED)


def test_enterprise_files_and_follows_an_application(live_server, browser, screenshots, staff,
                                                    lab, lead, salmonella, rice) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  extra_http_headers={"Accept-Language": "zh-hans"})
    page = context.new_page()
    shoot = Shooter(page, live_server.url, screenshots)
    shoot.language("zh-hans")

    page.goto(f"{live_server.url}/accounts/register/")
    shoot("enterprise-register")
    register(page, live_server.url)
    page.screenshot(path=screenshots / "enterprise-register-filled.zh.png", full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url("**/intake/applications/new/")
    shoot("application-form")

    fill_application(page, lab, rice)
    page.locator("#quote_total", has_text="¥810.00").wait_for()  # (120 + 150) × 3 samples
    assert page.locator("#submit_button").is_visible()
    assert page.locator("#quote_date").inner_text() != ""
    page.screenshot(path=screenshots / "application-form-summary.zh.png", full_page=True)
    page.click("#submit_button")
    page.wait_for_url("**/receipt/")
    application = Application.objects.get(enterprise__credit_code=CREDIT_CODE)
    assert page.locator("#application_number").inner_text() == application.number
    assert page.locator("#query_code").inner_text() == application.query_code
    assert page.locator("#receipt_total").inner_text() == "¥810.00"
    shoot("application-receipt")

    page.click("#print_labels")
    page.wait_for_url("**/labels/")
    assert page.locator(".label svg").count() == 3
    shoot("sample-labels")
    page.emulate_media(media="print")
    page.screenshot(path=screenshots / "sample-labels-print.zh.png", full_page=True)
    page.pdf(path=screenshots / "sample-labels.zh.pdf", format="A4", print_background=True)
    page.emulate_media(media="screen")

    # The lab's lateness table, as the nightly refit stores it once 412 of its tests completed
    # with a forecast (transfers/forecasts.py): the prediction says which table it allows for.
    LatenessFit.objects.create(lab=lab, fitted_at=timezone.now(), tests=412, first=-1,
                               shares=[0.05, 0.7, 0.15, 0.1], low=0.21, high=0.86)
    page.goto(f"{live_server.url}/intake/applications/{application.number}/")
    basis = page.locator("#prediction_lateness")
    assert "按天津海关技术中心 412 项已完成检测学习" in basis.inner_text()
    shoot.language("en")
    page.reload()
    assert "learned from 412 completed tests of Tianjin Customs Technology Center" in (
        basis.inner_text())
    shoot.language("zh-hans")
    page.reload()
    shoot("application-prediction")

    lab_processes(staff, application)
    page.goto(f"{live_server.url}/intake/applications/{application.number}/")
    assert page.locator("#application-progress [data-step=approved].step-current").count() == 1
    assert page.locator(".sample-progress").count() == 3
    shoot("application-progress")

    for language, suffix in (("zh-hans", "zh"), ("en", "en")):
        look_up_progress(browser, live_server.url, application, language,
                         screenshots / f"public-progress.{suffix}.png")

    page.goto(f"{live_server.url}/accounts/team/")
    shoot("enterprise-users")
    context.close()
