from django.urls import path

from portlab.network import views

urlpatterns = [
    path("capabilities/", views.capability_list, name="capability_list"),
    path("capabilities/import/", views.catalog_import, name="catalog_import"),
    path("capabilities/export.<str:file_format>", views.catalog_export, name="catalog_export"),
    path("search", views.network_search, name="network_search"),
    path("agreements", views.agreement_list, name="agreement_list"),
]
