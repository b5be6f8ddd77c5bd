"""The risk officer's evaluation page: two labelled files in, an evaluation job out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portlab.core.errors import ApplicationError
from portlab.risk.tasks import risk_evaluate_start


@require_http_methods(["GET", "POST"])
@login_required
def evaluate_page(request: HttpRequest) -> HttpResponse:
    """Train on one file and rank the other, in the background (the job page shows it)."""
    if request.method == "GET":
        return render(request, "risk/evaluate.html")
    files = {part: (upload.name, upload.read()) for part in ("train", "test")
             if (upload := request.FILES.get(part)) is not None}
    try:
        run = risk_evaluate_start(actor=request.user, files=files)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("risk_evaluate")
    return redirect("job_detail", job_id=run.pk)
