"""What the servers check before they serve: no production server runs on the demo secret key."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

INSECURE_KEY_MESSAGE = (
    "PortLab refuses to serve with the demo secret key outside debug or demo mode: anyone "
    "could forge invitation links and sessions with it. Set PORTLAB_SECRET_KEY to a long random "
    "value (e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
    "or PORTLAB_SECRET_KEY_FILE to a file holding one; PORTLAB_DEMO=1 runs the demo instead."
)


def uses_demo_key_in_production() -> bool:
    demo_or_debug = settings.DEBUG or getattr(settings, "DEMO", False)
    return not demo_or_debug and settings.SECRET_KEY == settings.DEMO_SECRET_KEY


def refuse_demo_key() -> None:
    """Called by config/wsgi.py and config/asgi.py (so runserver and gunicorn alike)."""
    if uses_demo_key_in_production():
        raise ImproperlyConfigured(INSECURE_KEY_MESSAGE)


@checks.register(checks.Tags.security, deploy=True)
def demo_key_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if uses_demo_key_in_production():
        return [checks.Error(INSECURE_KEY_MESSAGE, id="portlab.E001")]
    return []
