from django.urls import path

from portlab.network import views, views_network

urlpatterns = [
    path("capabilities/", views.capability_list, name="capability_list"),
    path("capabilities/import/", views.catalog_import, name="catalog_import"),
    path("capabilities/export.<str:file_format>", views.catalog_export, name="catalog_export"),
    path("search", views_network.network_search, name="network_search"),
    path("workload", views_network.network_workload, name="network_workload"),
    path("cross-district", views_network.cross_district, name="cross_district"),
    path("agreements", views_network.agreement_list, name="agreement_list"),
    path("routing", views_network.routing_page, name="routing"),
    path("routing/apply", views_network.routing_apply, name="routing_apply"),
    path("transfers", views_network.transfer_list, name="transfer_list"),
    path("transfers/<int:transfer_id>/<str:step>", views_network.transfer_step,
         name="transfer_step"),
]
