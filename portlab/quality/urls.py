from django.urls import path

from portlab.quality import qc_pages, views

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
    path("pt/<int:round_id>/report.pdf", views.pt_report, name="quality_pt_report"),
    path("personnel/", views.personnel, name="quality_personnel"),
    path("records/<str:kind>/", views.records, name="quality_records"),
    path("records/<str:kind>/<int:record_id>/close/", views.record_close,
         name="quality_record_close"),
]
