"""Public: the signed audit checkpoints, beside the trust list, for anyone to copy and keep."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portlab.audit.checkpoints import checkpoint_index
from portlab.audit.models import Checkpoint

JSON = "application/json; charset=utf-8"


@require_GET
@cache_control(public=True, max_age=60)
def checkpoints(request: HttpRequest) -> HttpResponse:
    """The index of checkpoints, newest first."""
    base = reverse("audit_checkpoint", args=[0]).removesuffix("0.json")
    index = checkpoint_index(base_path=base)
    return HttpResponse(json.dumps(index, indent=2, ensure_ascii=False) + "\n",
                        content_type=JSON)


@require_GET
@cache_control(public=True, max_age=86400)
def checkpoint(request: HttpRequest, number: int) -> HttpResponse:
    """One signed checkpoint, byte for byte as it was made (it never changes)."""
    document = Checkpoint.objects.filter(number=number).values_list("document", flat=True)
    if not document:
        raise Http404
    return HttpResponse(document[0], content_type=JSON)
