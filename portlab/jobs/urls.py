from django.urls import path

from portlab.jobs import views

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("schedule/", views.schedule, name="job_schedule"),
    path("schedule/retraining/", views.retrain_schedule, name="retrain_schedule"),
    path("<str:job_id>/", views.job_detail, name="job_detail"),
    path("<str:job_id>/status/", views.job_status, name="job_status"),
    path("<str:job_id>/cancel/", views.job_cancel_view, name="job_cancel"),
]
