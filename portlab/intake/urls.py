from django.urls import path

from portlab.intake import custody_views, views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/<str:number>/labels/", views.application_labels,
         name="application_labels"),
    path("applications/<str:number>/cancel/", views.application_cancel,
         name="application_cancel"),
    path("applications/<str:number>/priority/", views.application_priority,
         name="application_priority"),
    path("reception/", views.reception, name="reception"),
    path("labels.pdf", custody_views.labels_print, name="labels_print"),
    path("storage/", custody_views.storage, name="storage"),
    path("storage/new/", custody_views.storage_location_create,
         name="storage_location_create"),
    path("storage/retention/", custody_views.retention_period_set, name="retention_period_set"),
    path("storage/labels.pdf", custody_views.storage_labels, name="storage_labels"),
    path("custody/", custody_views.custody_scan, name="custody_scan"),
    path("samples/<str:number>/", custody_views.sample_timeline, name="sample_timeline"),
    path("samples/<str:number>/aliquots/", custody_views.sample_aliquot, name="sample_aliquot"),
    path("samples/<str:number>/dispose/", custody_views.sample_dispose, name="sample_dispose"),
    path("samples/<str:number>/dispose/approve/", custody_views.sample_dispose_approve,
         name="sample_dispose_approve"),
    path("disposal/", custody_views.disposal_list, name="disposal_list"),
]
