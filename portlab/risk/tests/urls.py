"""The project's URLs plus the risk API and pages, for as long as they are not mounted there.

The risk router gets its own NinjaAPI here, since the project's API has already built its URLs.
"""

from django.urls import include, path
from ninja import NinjaAPI

from config.urls import urlpatterns as project_urlpatterns
from portlab.api import BearerToken, application_error, django_auth
from portlab.core.errors import ApplicationError
from portlab.risk.api import router
from portlab.risk.urls import urlpatterns as risk_urlpatterns

api = NinjaAPI(title="risk (tests)", auth=[BearerToken(), django_auth],
               urls_namespace="risk_tests_api", docs_url=None, openapi_url=None)
api.add_exception_handler(ApplicationError, application_error)
api.add_router("/", router, tags=["risk"])

urlpatterns = [
    path("api/v1/", api.urls),
    path("risk/", include(risk_urlpatterns)),
    *project_urlpatterns,
]
