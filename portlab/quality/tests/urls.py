"""The project's URLs with the quality pages, for tests (config/urls.py may not mount them)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urls

mounted = any(str(getattr(p, "pattern", "")) == "quality/" for p in project_urls)
urlpatterns = project_urls if mounted else [
    path("quality/", include("portlab.quality.urls")), *project_urls]
