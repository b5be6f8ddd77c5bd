from django.contrib.auth import views as auth_views
from django.urls import path

from portlab.accounts import verification_views, views

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("team/", views.team, name="team"),
    path("authenticator/", views.authenticator, name="authenticator"),
    path("team/invite/", views.invite, name="invite"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("enterprises/verification/", verification_views.enterprise_queue,
         name="enterprise_verification"),
    path("enterprises/<str:credit_code>/verify/", verification_views.enterprise_verify,
         name="enterprise_verify"),
]
