"""JSON look-ups behind the guided application form (HS codes, catalog, price and date)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.core.views import optional_int
from portlab.network.models import Lab
from portlab.portal import quote as offers_and_quote
from portlab.portal.hs_codes import hs_code_search


def _accreditation(request: HttpRequest) -> bool:
    return request.GET.get("accredited", "1") != "0"


def _lab(request: HttpRequest) -> Lab | None:
    return Lab.objects.filter(pk=optional_int(request.GET.get("lab"))).first()


@login_required
def hs_codes(request: HttpRequest) -> JsonResponse:
    rows = hs_code_search(request.GET.get("q", ""))
    return JsonResponse({"results": [
        {"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en} for r in rows]})


@login_required
def capabilities(request: HttpRequest) -> JsonResponse:
    """Test items the chosen lab offers that match `q`, with price and turnaround."""
    lab = _lab(request)
    if lab is None:
        return JsonResponse({"detail": _("Choose the lab."), "field": "lab"}, status=400)
    offers = offers_and_quote.capability_offers(lab, request.GET.get("q", ""),
                                                _accreditation(request))
    return JsonResponse({"results": [
        {"test_item": c.test_item_id, "code": c.test_item.code, "name": c.test_item.name,
         "standard": c.method.standard.code, "accredited": c.accredited,
         "price": str(c.price), "turnaround_days": c.turnaround_days} for c in offers]})


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()


def _range_text(result) -> str:
    """The 80 % interval, or why there is no date, in the user's language."""
    if result.completion_date is None:
        return _("No date: %(items)s cannot be done at this lab now (no capacity, or its "
                 "instruments are retired).") % {"items": "、".join(result.blocked)}
    if result.completion_low is None:
        return ""
    if result.completion_low == result.completion_high:
        return _("80 % likely on that day")
    return _("80 %% likely between %(low)s and %(high)s") % {
        "low": result.completion_low.isoformat(), "high": result.completion_high.isoformat()}


@login_required
def quote(request: HttpRequest) -> JsonResponse:
    """Total price and predicted completion date for items × samples at a lab."""
    lab = _lab(request)
    if lab is None:
        return JsonResponse({"detail": _("Choose the lab."), "field": "lab"}, status=400)
    item_ids = [int(i) for i in request.GET.getlist("items") if i.isdigit()]
    samples = max(optional_int(request.GET.get("samples")) or 0, 0)
    result = offers_and_quote.application_quote(
        lab=lab, test_item_ids=item_ids, sample_count=samples,
        requires_accreditation=_accreditation(request), today=timezone.localdate())
    return JsonResponse({
        "lines": [{"test_item": line.test_item.pk, "name": line.test_item.name,
                   "price": str(line.capability.price),
                   "turnaround_days": line.capability.turnaround_days,
                   "backlog": line.backlog,
                   "queue_days": "—" if line.queue_days is None else line.queue_days}
                  for line in result.lines],
        "samples": result.sample_count, "total_price": str(result.total_price),
        "working_days": result.working_days,
        "completion_date": _iso(result.completion_date),
        "completion_provisional": result.completion_provisional,
        "completion_range": _range_text(result),
    })
