from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseForbidden
from django.template.loader import render_to_string

from portlab.accounts.routes import PAGES, gate, is_public
from portlab.core.errors import NotFound, PermissionDenied


class RouteGateMiddleware:
    """Applies the access table to every page before its view runs (the API applies it in its
    authentication; Django's admin keeps its own staff check)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or request.path.startswith("/api/") or "admin" in match.namespaces:
            return None
        route = PAGES.get(match.url_name)
        if route is not None and is_public(route):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            gate(request.user, route, view_kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except PermissionDenied as error:
            return HttpResponseForbidden(
                render_to_string("403.html", {"reason": error.message}, request=request))
        return None
