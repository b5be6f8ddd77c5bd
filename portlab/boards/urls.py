"""The quality board, served under /quality/ as before it left the quality app."""

from django.urls import path

from portlab.boards import views

urlpatterns = [
    path("board/", views.board_page, name="quality_board"),
    path("board/tests/", views.board_tests, name="quality_board_tests"),
]
