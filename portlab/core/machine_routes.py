"""Machine routes: the instrument agents' addresses run through a shorter middleware stack.

An agent sends a heartbeat a minute, with its bearer token, and reads JSON: it has no session,
no cookie, no CSRF token, no page to frame or to guard with a content security policy, no
login to throttle. Those layers (settings.MIDDLEWARE less settings.PORTLAB_MACHINE_MIDDLEWARE)
cost about as much as the heartbeat's own work, so the WSGI application sends these addresses
to a second Django handler built with the shorter list. What stays: HTTPS redirect and security
headers, the Host check, the body size limit, the agent's language, JSON errors; the route's
own authentication (the agent token) is the API's and is untouched.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

MACHINE_PREFIXES = ("/api/v1/instruments/agent/",)


class MachineHandler(WSGIHandler):
    """Django's WSGI handler with settings.PORTLAB_MACHINE_MIDDLEWARE as its middleware."""

    def load_middleware(self, is_async: bool = False) -> None:
        everything = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.PORTLAB_MACHINE_MIDDLEWARE  # read by the base class
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = everything


def with_machine_routes(application: WSGIHandler) -> Callable[..., Iterable[bytes]]:
    """A WSGI application: machine routes to the short stack, everything else to `application`."""
    machine = MachineHandler()

    def route(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(MACHINE_PREFIXES):
            return machine(environ, start_response)
        return application(environ, start_response)

    return route
