"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json): thin routers over services."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from portlab.accounts.routes import API, api_key, gate
from portlab.accounts.services import api_token_user
from portlab.core.errors import ApplicationError


def route_gate(request: HttpRequest, user):
    """Applies the access table to an API operation once its caller is known."""
    match = request.resolver_match
    gate(user, API.get(api_key(request.method, match.route)), match.kwargs)
    return user

logger = logging.getLogger("portlab.api")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)  # an expired or revoked token raises: 401 with the reason
        if user is None:
            return None
        request.user = user
        return route_gate(request, user)


class GatedSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        return route_gate(request, user) if user is not None else None


django_auth = GatedSession()


api = NinjaAPI(
    title="PortLab API",
    version="1",
    description="Network of inspection laboratories: catalog, applications, samples, tests.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, error: ApplicationError):
    return api.create_response(request, error.as_dict(), status=error.status_code)


@api.exception_handler(DjangoPermissionDenied)
def permission_denied(request: HttpRequest, error: DjangoPermissionDenied):
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


def storage_full(error: Exception) -> bool:
    """An OSError (full disk, unwritable directory) or SQLite's "database or disk is full"."""
    return isinstance(error, OSError) or (isinstance(error, DatabaseError)
                                          and "full" in str(error).lower())


@api.exception_handler(Exception)
def server_error(request: HttpRequest, error: Exception):
    """Any other failure: logged with its traceback, answered in JSON, never an HTML page."""
    logger.error("API error on %s %s", request.method, request.path, exc_info=error)
    if storage_full(error):
        message = _("The server cannot store data right now (its disk may be full). "
                    "Your request was not completed; try again later.")
        return api.create_response(request, {"detail": message}, status=503)
    message = _("Internal server error: the request was not completed. The error was logged.")
    return api.create_response(request, {"detail": message}, status=500)


def _mount() -> None:
    from portlab.accounts.api import router as accounts
    from portlab.accounts.audit_trail import router as audit
    from portlab.boards.api import router as boards
    from portlab.instruments.api import router as instruments
    from portlab.intake.api import router as intake
    from portlab.jobs.api import router as jobs
    from portlab.network.api import router as network
    from portlab.quality.api import router as quality
    from portlab.reports.api import router as reports
    from portlab.risk.api import router as risk
    from portlab.testing.api import router as testing
    from portlab.transfers.api import router as transfers

    api.add_router("/", network, tags=["network"])
    api.add_router("/", transfers, tags=["transfers"])
    api.add_router("/", accounts, tags=["accounts"])
    api.add_router("/", intake, tags=["intake"])
    api.add_router("/", testing, tags=["testing"])
    api.add_router("/", audit, tags=["audit"])
    api.add_router("/", instruments, tags=["instruments"])
    api.add_router("/", quality, tags=["quality"])
    api.add_router("/", boards, tags=["quality"])
    api.add_router("/", reports, tags=["reports"])
    api.add_router("/", risk, tags=["risk"])
    api.add_router("/", jobs, tags=["jobs"])


_mount()
__all__ = ["api"]
