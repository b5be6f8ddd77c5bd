"""The 403, 404 and 500 pages: styled, in the user's language, never a bare English line."""

import pytest
from django.test import Client
from django.utils import translation


@pytest.mark.parametrize(("language", "title", "text"), [
    ("zh-hans", "页面不存在", "此地址没有内容，或您无权查看。"),
    ("en", "Page not found", "There is nothing at this address, or it is not yours to see."),
])
def test_not_found_page_in_both_languages(db, language: str, title: str, text: str) -> None:
    response = Client(headers={"accept-language": language}).get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f"<title>{title} · PortLab</title>" in page
    assert text in page
    assert "site.css" in page


def test_forbidden_page_names_the_missing_role(staff) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(staff["clerk"])
    response = client.get("/risk/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<title>无权操作 · PortLab</title>" in page
    assert "返回首页" in page


def test_server_error_page_is_bilingual_and_standalone() -> None:
    from django.template.loader import render_to_string

    with translation.override("en"):
        page = render_to_string("500.html")
    assert "服务器出错" in page and "Server error" in page
    assert "{%" not in page
