from django.urls import path

from portlab.risk import views

urlpatterns = [
    path("", views.board, name="risk_board"),
    path("rules/new/", views.rule_create, name="risk_rule_create"),
    path("declarations/<str:number>/", views.declaration_detail, name="risk_declaration"),
]
