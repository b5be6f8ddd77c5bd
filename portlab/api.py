"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json): thin routers over services."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from portlab.accounts.models import ApiToken
from portlab.accounts.services import token_digest
from portlab.core.errors import ApplicationError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        row = ApiToken.objects.select_related("user").filter(token_hash=token_digest(token)).first()
        if row is None or not row.user.is_active:
            return None
        request.user = row.user
        return row.user


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


def _mount() -> None:
    from portlab.accounts.api import router as accounts
    from portlab.accounts.audit_trail import router as audit
    from portlab.boards.api import router as boards
    from portlab.instruments.api import router as instruments
    from portlab.intake.api import router as intake
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


_mount()
__all__ = ["api"]
