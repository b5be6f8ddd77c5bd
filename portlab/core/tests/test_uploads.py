"""A body is refused by its declared size, before Django reads (and spools) any of it."""

from django.test import Client


def post_declaring(path: str, content_length: int, language: str = "en") -> tuple[str, bytes]:
    """POST one byte while declaring `content_length`: the test client's payload raises if
    anything tries to read past that byte, so an answer proves the body was left unread."""
    response = Client(headers={"accept-language": language}).generic(
        "POST", path, b"x", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(content_length))
    return str(response.status_code), response.content


def test_a_declared_gigabyte_to_public_verification_is_refused_unread(db) -> None:
    status, body = post_declaring("/verify/upload", 1024 ** 3)
    assert status.startswith("413")
    assert body.decode() == "The request is 1024.0 MB; this address accepts at most 10.1 MB."


def test_the_api_answers_in_json_and_in_chinese(db) -> None:
    status, body = post_declaring("/api/v1/verify/pdf", 1024 ** 3, language="zh-hans")
    assert status.startswith("413")
    assert body.decode() == ('{"detail": "\\u8bf7\\u6c42\\u5927\\u5c0f\\u4e3a 1024.0 MB\\uff0c'
                             '\\u6b64\\u5730\\u5740\\u6700\\u591a\\u63a5\\u53d7 10.1 MB\\u3002",'
                             ' "field": "file"}')


def test_other_routes_take_the_general_limit(db, settings) -> None:
    settings.PORTLAB_MAX_UPLOAD_BYTES = 1000
    status, _body = post_declaring("/network/capabilities/import", 1001)
    assert status.startswith("413")
    response = Client().post("/progress/", {"number": "A1", "query_code": "x"})
    assert response.status_code == 200
