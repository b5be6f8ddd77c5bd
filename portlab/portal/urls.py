from django.urls import path

from portlab.portal import views

urlpatterns = [path("", views.home, name="home")]
