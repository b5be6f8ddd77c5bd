"""Refuse a request body by its declared size (Content-Length) before anything reads it.

Django parses a multipart body into temporary files as soon as something touches request.POST
(the CSRF check does, before any view), so a view's own size check comes after the whole upload
sits on disk. This middleware runs before the CSRF check and answers 413 from the header alone.
"""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024


def body_limit(path: str) -> int:
    """The largest body `path` accepts: the first matching PORTLAB_UPLOAD_LIMITS pattern, else
    PORTLAB_MAX_UPLOAD_BYTES."""
    for pattern, limit in getattr(settings, "PORTLAB_UPLOAD_LIMITS", []):
        if re.match(pattern, path):
            return limit
    return settings.PORTLAB_MAX_UPLOAD_BYTES


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads such a body as empty


def too_large(request: HttpRequest, declared: int, limit: int) -> HttpResponse:
    message = _("The request is %(size).1f MB; this address accepts at most %(limit).1f MB.") % {
        "size": declared / MEGABYTE, "limit": limit / MEGABYTE}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "field": "file"}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class DeclaredSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared, limit = declared_length(request), body_limit(request.path)
        if declared > limit:
            # Say it before reading: the client may still be sending, so close the connection.
            response = too_large(request, declared, limit)
            response["Connection"] = "close"
            return response
        return self.get_response(request)
