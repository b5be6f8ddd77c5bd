from django.urls import path

from portlab.instruments import result_entry, views

urlpatterns = [
    path("board/", views.board, name="instrument_board"),
    path("shared/", views.shared, name="instrument_shared"),
    path("bookings/<int:booking_id>/<str:decision>/", views.booking_decide,
         name="booking_decide"),
    path("<str:asset_number>/commands/", views.command_create, name="instrument_command"),
    path("<str:asset_number>/calendar/", views.calendar, name="instrument_calendar"),
    path("<str:asset_number>/bookings/", views.booking_request, name="booking_request"),
]

# Mounted under testing/ beside the testing app's own pages (config/urls.py).
testing_pages = [
    path("tests/<int:test_id>/result/", result_entry.result_enter, name="result_enter"),
    path("tests/results/", result_entry.results_enter, name="results_enter"),
]
