from django.contrib import admin
from django.urls import include, path

from portlab.api import api
from portlab.core import views as core_views
from portlab.instruments.urls import testing_pages as entry_pages
from portlab.portal.urls import intake_pages as filing_pages
from portlab.testing.urls import intake_pages as testing_pages

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portlab.accounts.urls")),
    path("network/", include("portlab.network.urls")),
    path("network/", include("portlab.transfers.urls")),
    path("intake/", include(filing_pages)),  # before applications/<number>/
    path("intake/", include("portlab.intake.urls")),
    path("intake/", include(testing_pages)),
    path("testing/", include("portlab.testing.urls")),
    path("testing/", include(entry_pages)),
    path("instruments/", include("portlab.instruments.urls")),
    path("risk/", include("portlab.risk.urls")),
    path("quality/", include("portlab.quality.urls")),
    path("quality/", include("portlab.boards.urls")),
    path("jobs/", include("portlab.jobs.urls")),
    path("audit/", include("portlab.audit.urls")),
    path("", include("portlab.reports.urls")),
    path("", include("portlab.portal.urls")),
    path("glossary/", core_views.glossary, name="glossary"),
]
