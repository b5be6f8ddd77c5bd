from django.urls import path

from portlab.audit import views

urlpatterns = [
    path("checkpoints.json", views.checkpoints, name="audit_checkpoints"),
    path("checkpoints/<int:number>.json", views.checkpoint, name="audit_checkpoint"),
]
