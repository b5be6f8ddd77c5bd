from django.urls import path

from portlab.intake import views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/<str:number>/labels/", views.application_labels,
         name="application_labels"),
    path("applications/<str:number>/cancel/", views.application_cancel,
         name="application_cancel"),
    path("reception/", views.reception, name="reception"),
]
