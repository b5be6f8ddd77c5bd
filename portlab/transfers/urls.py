"""Cross-lab pages, served under /network/ as before the app was split out of network."""

from django.urls import path

from portlab.transfers import views

urlpatterns = [
    path("workload", views.network_workload, name="network_workload"),
    path("cross-district", views.cross_district, name="cross_district"),
    path("routing", views.routing_page, name="routing"),
    path("routing/apply", views.routing_apply, name="routing_apply"),
    path("routing/job", views.routing_job, name="routing_job"),
    path("transfers", views.transfer_list, name="transfer_list"),
    path("transfers/<int:transfer_id>/<str:step>", views.transfer_step, name="transfer_step"),
]
