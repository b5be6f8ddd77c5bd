"""PortLab's one rate limiter: requests per client address (or account) and fixed window,
counted in Django's default cache, which every worker process shares (the database cache table
by default, Redis when REDIS_URL is set; see config/settings.py).

A bucket names what is limited; PORTLAB_RATE_LIMITS in settings overrides its (requests, window
in seconds), and PORTLAB_VERIFY_RATE_LIMIT sets the public verification's requests a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "verify": (30, 60),
    "progress": (10, 600),
    # Successful registrations per address; failed attempts count in "register-attempt" only,
    # so an office's typing mistakes never use up its registrations.
    "register": (10, 3600),
    "register-attempt": (100, 900),
    "invitation": (10, 600),
    # Failed logins per address: high enough for an office behind one NAT address; each
    # account is locked after 5 failures by django-axes.
    "login": (100, 900),
}


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after: int  # seconds until the window resets


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def limit_for(bucket: str) -> tuple[int, int]:
    if bucket == "verify":
        return settings.PORTLAB_VERIFY_RATE_LIMIT, 60
    overrides = getattr(settings, "PORTLAB_RATE_LIMITS", {})
    return tuple(overrides.get(bucket, DEFAULT_LIMITS[bucket]))  # type: ignore[return-value]


def hit_count(key: str, window_seconds: int) -> int:
    """Count one hit under `key`; the count lives `window_seconds` from its first hit. Exact under
    concurrent workers: incr() is atomic in both cache backends, add() creates the entry once.
    incr() comes first because the key usually exists: one transaction per hit, not two."""
    try:
        return cache.incr(key)
    except ValueError:  # the window's first hit
        if cache.add(key, 1, timeout=window_seconds):
            return 1
        return cache.incr(key)  # another worker's first hit came in between


def _window(bucket: str, identity: str) -> tuple[str, int, int, int]:
    limit, window = limit_for(bucket)
    now = time.time()
    retry_after = window - int(now % window)
    key = f"portlab:rate:{bucket}:{identity}:{int(now // window)}"
    return key, limit, window, retry_after


def hit(request: HttpRequest, bucket: str, identity: str | None = None) -> Verdict:
    """Count this request in the bucket (per client address unless `identity` is given)."""
    key, limit, window, retry_after = _window(bucket, identity or client_address(request))
    if limit <= 0:
        return Verdict(False, retry_after)
    return Verdict(hit_count(key, window + 5) > limit, retry_after)


def peek(request: HttpRequest, bucket: str, identity: str | None = None) -> Verdict:
    """Whether the bucket is already full, without counting this request."""
    key, limit, _window_seconds, retry_after = _window(bucket,
                                                       identity or client_address(request))
    return Verdict(0 < limit <= (cache.get(key) or 0), retry_after)


def too_many_requests(request: HttpRequest, retry_after: int, *,
                      as_json: bool = False) -> HttpResponse:
    message = _("Too many requests from your address. Try again in %(seconds)d seconds.") % {
        "seconds": retry_after}
    if as_json:
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "core/too_many_requests.html", {"message": message},
                          status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(bucket: str, *, as_json: bool = False) -> Callable:
    """Decorate a view (or a django-ninja operation): each address gets the bucket's requests."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            verdict = hit(request, bucket)
            if verdict.limited:
                return too_many_requests(request, verdict.retry_after, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
