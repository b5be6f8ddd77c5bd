from django.urls import path

from portlab.testing import views, views_standing
from portlab.testing import views_worklists as lists

urlpatterns = [
    path("assignment/", lists.assignment, name="assignment"),
    path("mine/", lists.my_tests, name="my_tests"),
    path("review/", lists.review_queue, name="review_queue"),
    path("approval/", lists.approval_queue, name="approval_queue"),
    path("assignment/standing/", views_standing.standing_assignments,
         name="standing_assignments"),
    path("assignment/batch/", lists.tests_assign, name="tests_assign"),
    path("review/batch/", lists.tests_review, name="tests_review"),
    path("approval/batch/", lists.tests_approve, name="tests_approve"),
    path("tests/<int:test_id>/assign/", lists.test_assign, name="test_assign"),
    path("tests/<int:test_id>/review/", lists.test_review, name="test_review"),
    path("tests/<int:test_id>/approve/", lists.test_approve, name="test_approve"),
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
