from django.urls import path

from portlab.portal import lookups, views

urlpatterns = [
    path("", views.home, name="home"),
    path("progress/", views.progress_lookup, name="progress_lookup"),
    path("lookup/hs-codes/", lookups.hs_codes, name="lookup_hs_codes"),
    path("lookup/capabilities/", lookups.capabilities, name="lookup_capabilities"),
    path("lookup/quote/", lookups.quote, name="lookup_quote"),
]
