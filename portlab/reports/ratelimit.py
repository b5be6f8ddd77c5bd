"""Per-client-IP rate limit for public endpoints, counted in Django's cache (fixed minute window).

With several server processes the cache must be shared (database or Redis cache backend);
the default local-memory cache counts per process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from portlab.core.ratelimit import hit_count

WINDOW_SECONDS = 60


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request: HttpRequest, scope: str) -> tuple[bool, int]:
    """Count this request; return (over the limit?, seconds until the window resets)."""
    limit = settings.PORTLAB_VERIFY_RATE_LIMIT
    now = time.time()
    retry_after = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    if limit <= 0:
        return False, retry_after
    key = f"ratelimit:{scope}:{client_ip(request)}:{int(now // WINDOW_SECONDS)}"
    return hit_count(key, WINDOW_SECONDS + 5) > limit, retry_after


def too_many_requests(retry_after: int, *, as_json: bool) -> HttpResponse:
    message = _("Too many verification requests from your address. "
                "Try again in %(seconds)d seconds.") % {"seconds": retry_after}
    if as_json:
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str = "verify", *, as_json: bool = False) -> Callable:
    """Decorate a view (or a django-ninja operation) so that each IP gets N requests a minute."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            limited, retry_after = over_limit(request, scope)
            if limited:
                return too_many_requests(retry_after, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
