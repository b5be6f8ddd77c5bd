"""Production settings: no deploy warnings, no server on the demo key, HTTPS and CSP headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def run_portlab(arguments: list[str], **environment: str) -> subprocess.CompletedProcess:
    """A fresh process with only the given PortLab variables: none of the suite's own
    (PORTLAB_HTTPS=0, or DJANGO_ALLOW_ASYNC_UNSAFE that the browser tests set)."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PORTLAB_", "DJANGO_"))}
    env.update(environment, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", "from portlab.cli import main; main()",
                           *arguments], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def production(**extra: str) -> dict[str, str]:
    return {"PORTLAB_SECRET_KEY": secrets.token_urlsafe(48),
            "PORTLAB_ALLOWED_HOSTS": "example.org", "PORTLAB_DEBUG": "", **extra}


def test_check_deploy_finds_nothing_in_production_settings() -> None:
    result = run_portlab(["check", "--deploy"], **production())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "?:" not in result.stdout + result.stderr


def test_check_deploy_names_the_demo_key_as_an_error() -> None:
    result = run_portlab(["check", "--deploy"], PORTLAB_ALLOWED_HOSTS="example.org")
    assert result.returncode == 1
    assert "(portlab.E001)" in result.stderr and "Set PORTLAB_SECRET_KEY" in result.stderr


SERVE = ["shell", "--no-imports", "-c", "import config.wsgi; print('serving')"]


def test_the_server_refuses_the_demo_key_and_says_how_to_set_one() -> None:
    result = run_portlab(SERVE)
    assert result.returncode != 0 and "serving" not in result.stdout
    assert "ImproperlyConfigured: PortLab refuses to serve with the demo secret key" in (
        result.stderr)
    assert "Set PORTLAB_SECRET_KEY" in result.stderr


def test_the_demo_and_a_key_file_start(tmp_path: Path) -> None:
    assert run_portlab(SERVE, PORTLAB_DEMO="1").stdout.strip() == "serving"
    key_file = tmp_path / "secret-key"
    key_file.write_text(secrets.token_urlsafe(50) + "\n")
    assert run_portlab(SERVE, PORTLAB_SECRET_KEY_FILE=str(key_file)).stdout.strip() == "serving"


def test_production_settings_redirect_to_https_and_mark_cookies_secure() -> None:
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "'testserver' in s.ALLOWED_HOSTS)")
    result = run_portlab(["shell", "--no-imports", "-c", code],
                         **production(PORTLAB_ALLOWED_HOSTS=""))
    assert result.stdout.split() == ["True", "True", "True", "31536000", "False"]


def test_pages_carry_a_content_security_policy(db) -> None:
    policy = Client().get("/verify")["Content-Security-Policy"].split("; ")
    assert {"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
            "frame-ancestors 'none'", "form-action 'self'"} <= set(policy)


def test_inline_code_carries_the_pages_nonce(db, staff) -> None:
    client = Client()
    client.force_login(staff["manager"])
    response = client.get("/instruments/board/")
    # The nonce appears in the policy only on pages that use it.
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "onclick=" not in response.content.decode()
    assert "onchange=" not in response.content.decode()
