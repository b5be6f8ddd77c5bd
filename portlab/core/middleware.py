from django.http import Http404, HttpRequest, HttpResponseForbidden
from django.template.loader import render_to_string

from portlab.core.errors import NotFound, PermissionDenied


class ApplicationErrorMiddleware:
    """Turns a service's NotFound / PermissionDenied raised in a page into 404 / 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message)
        if isinstance(exception, PermissionDenied):
            return HttpResponseForbidden(
                render_to_string("403.html", {"reason": exception.message}, request=request))
        return None
