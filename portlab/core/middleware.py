from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

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


API_PREFIX = "/api/"


def json_error_message(status: int) -> str:
    messages = {
        403: _("You may not do this (or the CSRF check failed)."),
        404: _("No such API address."),
        405: _("This API address does not accept this method."),
        500: _("Internal server error: the request was not completed. The error was logged."),
    }
    return messages.get(status, _("The request failed (HTTP %(status)d).") % {"status": status})


class JsonApiErrorsMiddleware:
    """The JSON API answers errors in JSON: Django's own HTML error pages under /api/ (an unknown
    address, a CSRF failure, a 500 from outside the API's handlers) become {"detail": ...}."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.path.startswith(API_PREFIX) and response.status_code >= 400
                and response.get("Content-Type", "").startswith("text/html")):
            return JsonResponse({"detail": json_error_message(response.status_code)},
                                status=response.status_code)
        return response
