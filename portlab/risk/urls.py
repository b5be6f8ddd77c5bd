from django.urls import path

from portlab.risk import views, views_evaluate, views_rates

urlpatterns = [
    path("", views.board, name="risk_board"),
    path("rules/new/", views.rule_create, name="risk_rule_create"),
    path("declarations/<str:number>/", views.declaration_detail, name="risk_declaration"),
    path("declarations/<str:number>/link/", views.declaration_link, name="risk_declaration_link"),
    path("evaluate/", views_evaluate.evaluate_page, name="risk_evaluate"),
    path("rates/", views_rates.rate_list, name="risk_exchange_rates"),
    path("rates/new/", views_rates.rate_set, name="risk_exchange_rate_set"),
    path("rates/upload/", views_rates.rate_upload, name="risk_exchange_rate_upload"),
]
