from django.urls import path

from portlab.portal import filing, lookups, views

urlpatterns = [
    path("", views.home, name="home"),
    path("progress/", views.progress_lookup, name="progress_lookup"),
    path("lookup/hs-codes/", lookups.hs_codes, name="lookup_hs_codes"),
    path("lookup/capabilities/", lookups.capabilities, name="lookup_capabilities"),
    path("lookup/quote/", lookups.quote, name="lookup_quote"),
]

# Filing pages, mounted under intake/ beside the intake app's own (config/urls.py).
intake_pages = [
    path("applications/new/", filing.application_new, name="application_new"),
    path("applications/<str:number>/receipt/", filing.application_receipt,
         name="application_receipt"),
]
