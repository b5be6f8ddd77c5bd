from django.urls import path

from portlab.instruments import calibration_pages, import_views, result_entry, views

urlpatterns = [
    path("board/", views.board, name="instrument_board"),
    path("shared/", views.shared, name="instrument_shared"),
    path("bookings/<int:booking_id>/<str:decision>/", views.booking_decide,
         name="booking_decide"),
    path("<str:asset_number>/commands/", views.command_create, name="instrument_command"),
    path("<str:asset_number>/calendar/", views.calendar, name="instrument_calendar"),
    path("<str:asset_number>/bookings/", views.booking_request, name="booking_request"),
    path("<str:asset_number>/calibrations/", calibration_pages.calibrations,
         name="instrument_calibrations"),
    path("<str:asset_number>/calibrations/new/", calibration_pages.calibration_record,
         name="instrument_calibration_record"),
    path("<str:asset_number>/calibrations/<int:calibration_id>/certificate/",
         calibration_pages.certificate, name="instrument_certificate"),
    path("<str:asset_number>/checks/new/", calibration_pages.check_record,
         name="instrument_check_record"),
    path("<str:asset_number>/checks/<int:check_id>/certificate/",
         calibration_pages.check_certificate, name="instrument_check_certificate"),
    path("<str:asset_number>/files/", import_views.result_files, name="result_files"),
    path("<str:asset_number>/files/upload/", import_views.result_file_upload,
         name="result_file_upload"),
    path("files/<int:file_id>/", import_views.result_file_detail, name="result_file_detail"),
    path("files/<int:file_id>/confirm/", import_views.import_rows_confirm,
         name="import_rows_confirm"),
    path("rows/<int:row_id>/match/", import_views.import_row_match, name="import_row_match"),
    path("rows/<int:row_id>/reject/", import_views.import_row_reject, name="import_row_reject"),
    path("raw/<str:sha256>/", import_views.rawfile_download, name="rawfile_download"),
]

# Mounted under testing/ beside the testing app's own pages (config/urls.py).
testing_pages = [
    path("tests/<int:test_id>/result/", result_entry.result_enter, name="result_enter"),
    path("tests/results/", result_entry.results_enter, name="results_enter"),
]
