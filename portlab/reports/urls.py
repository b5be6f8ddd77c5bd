from django.urls import path

from portlab.reports import views

urlpatterns = [
    path("verify", views.verify, name="verify"),
    # The QR link: upper case so that it fits the QR alphanumeric mode; lower case if typed.
    path("V/<str:compact>", views.verify_link, name="verify_link"),
    path("v/<str:compact>", views.verify_link, name="verify_link_lower"),
    path("verify/upload", views.verify_upload, name="verify_upload"),
    path("trust-list.json", views.trust_list, name="trust_list"),
    path("healthz", views.healthz, name="healthz"),
    path("reports/", views.report_desk, name="report_desk"),
    path("reports/issue-batch/", views.report_issue_batch, name="report_issue_batch"),
    path("reports/issue/<str:number>/", views.report_issue, name="report_issue"),
    path("reports/issue/<str:number>/preview/", views.report_preview, name="report_preview"),
    path("reports/issue/<str:number>/preview.pdf", views.report_preview_pdf,
         name="report_preview_pdf"),
    path("reports/<str:number>/v<int:version>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<str:number>/v<int:version>/amend/", views.report_amend, name="report_amend"),
    path("reports/<str:number>/v<int:version>/revoke/", views.report_revoke,
         name="report_revoke"),
]
