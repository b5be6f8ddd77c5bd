from django.urls import path

from portlab.intake import views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<str:number>/receipt/", views.application_receipt,
         name="application_receipt"),
    path("applications/<str:number>/labels/", views.application_labels,
         name="application_labels"),
    path("applications/<str:number>/cancel/", views.application_cancel,
         name="application_cancel"),
    path("reception/", views.reception, name="reception"),
]
