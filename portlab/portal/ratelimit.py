"""A per-address counter in Django's cache, for the pages anyone may call without logging in."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portlab.core.ratelimit import hit_count

# Requests per address and window; PORTLAB_RATE_LIMITS in settings may override a bucket.
DEFAULT_LIMITS = {"progress": (10, 600), "register": (10, 3600), "invitation": (10, 600)}


def _limit(bucket: str) -> tuple[int, int]:
    overrides = getattr(settings, "PORTLAB_RATE_LIMITS", {})
    return overrides.get(bucket, DEFAULT_LIMITS[bucket])


def rate_limited(request: HttpRequest, bucket: str) -> bool:
    """Count this request; True once its address has passed the bucket's limit."""
    limit, window = _limit(bucket)
    key = f"portlab:rate:{bucket}:{request.META.get('REMOTE_ADDR', '')}"
    return hit_count(key, window) > limit


def too_many_requests(request: HttpRequest) -> HttpResponse:
    message = _("Too many requests from your address. Please wait a few minutes and try again.")
    return render(request, "portal/too_many_requests.html", {"message": message}, status=429)
