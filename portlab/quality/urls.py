from django.urls import path

from portlab.quality import authorization_pages, qc_pages, record_pages, views

urlpatterns = [
    path("alerts/<int:alert_id>/resolve/", views.alert_resolve, name="quality_alert_resolve"),
    path("qc/", qc_pages.qc_page, name="quality_qc"),
    path("qc/runs/", qc_pages.qc_run_record, name="quality_qc_run_record"),
    path("qc/runs/<int:run_id>/action/", qc_pages.qc_run_action, name="quality_qc_run_action"),
    path("qc/materials/<int:material_id>/", views.material_detail, name="quality_material"),
    path("pt/", views.pt_list, name="quality_pt"),
    path("pt/<int:round_id>/", views.pt_round, name="quality_pt_round"),
    path("pt/<int:round_id>/submit/", views.pt_submit, name="quality_pt_submit"),
    path("pt/<int:round_id>/<str:step>/", views.pt_round_step, name="quality_pt_step"),
    path("pt/<int:round_id>/report/start", views.pt_report_start,
         name="quality_pt_report_start"),
    path("pt/report-job/<str:job_id>.pdf", views.pt_report_file, name="quality_pt_report_file"),
    path("personnel/", authorization_pages.personnel, name="quality_personnel"),
    path("personnel/grant/", authorization_pages.authorization_grant,
         name="quality_authorization_grant"),
    path("personnel/<int:authorization_id>/renew/", authorization_pages.authorization_renew,
         name="quality_authorization_renew"),
    path("personnel/<int:authorization_id>/edit/", authorization_pages.authorization_edit,
         name="quality_authorization_edit"),
    path("records/<str:kind>/", record_pages.records, name="quality_records"),
    path("records/<str:kind>/new/", record_pages.record_create, name="quality_record_create"),
    path("records/<str:kind>/<int:record_id>/edit/", record_pages.record_edit,
         name="quality_record_edit"),
    path("records/<str:kind>/<int:record_id>/close/", record_pages.record_close,
         name="quality_record_close"),
]
