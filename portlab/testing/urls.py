from django.urls import path

from portlab.testing import views

urlpatterns = [
    path("assignment/", views.assignment, name="assignment"),
    path("mine/", views.my_tests, name="my_tests"),
    path("review/", views.review_queue, name="review_queue"),
    path("approval/", views.approval_queue, name="approval_queue"),
    path("review/batch/", views.tests_review, name="tests_review"),
    path("approval/batch/", views.tests_approve, name="tests_approve"),
    path("tests/<int:test_id>/assign/", views.test_assign, name="test_assign"),
    path("tests/<int:test_id>/review/", views.test_review, name="test_review"),
    path("tests/<int:test_id>/approve/", views.test_approve, name="test_approve"),
]

# Served under intake/ (config/urls.py) so their addresses stay those of the application pages.
intake_pages = [
    path("reception/scan/", views.reception_scan, name="reception_scan"),
    path("applications/<str:number>/receive-all/", views.application_receive_all,
         name="application_receive_all"),
    path("applications/<str:number>/", views.application_detail, name="application_detail"),
    path("samples/<str:number>/receive/", views.sample_receive, name="sample_receive"),
    path("samples/<str:number>/reject/", views.sample_reject, name="sample_reject"),
]
