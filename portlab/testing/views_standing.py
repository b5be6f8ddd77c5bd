"""The standing assignments page: the lab manager names, per capability, the analyst who takes
its tests at reception (testing.standing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portlab.accounts.access import roles_for, visible_lab_filter
from portlab.accounts.models import User
from portlab.core.errors import ApplicationError
from portlab.core.views import optional_int
from portlab.network.models import Capability
from portlab.testing import standing
from portlab.testing.models import StandingAssignment


def _capabilities(user: User):
    return Capability.objects.filter(visible_lab_filter(user, "", "test.standing_assign")
                                     ).select_related("lab", "test_item", "method"
                                                      ).order_by("lab__code", "test_item__code")


def _analysts_by_lab(lab_ids: set[int]) -> dict[int, list[User]]:
    by_lab: dict[int, list[User]] = {lab_id: [] for lab_id in lab_ids}
    rows = User.objects.filter(roles__role__in=roles_for("result.enter"),
                               roles__lab_id__in=lab_ids, is_active=True
                               ).values_list("roles__lab_id", "pk").order_by("username")
    users = User.objects.in_bulk({pk for _lab, pk in rows})
    for lab_id, pk in rows:
        if users[pk] not in by_lab[lab_id]:
            by_lab[lab_id].append(users[pk])
    return by_lab


@login_required
def standing_assignments(request: HttpRequest) -> HttpResponse:
    """GET: each capability of the manager's labs with its standing analyst; POST: set one."""
    if request.method == "POST":
        return _set(request)
    capabilities = list(_capabilities(request.user))
    rules = {rule.capability_id: rule for rule in StandingAssignment.objects.filter(
        capability__in=capabilities).select_related("analyst")}
    analysts = _analysts_by_lab({capability.lab_id for capability in capabilities})
    broken = dict((rule.capability_id, reason)
                  for rule, reason in standing.standing_assignments_broken(request.user))
    rows = [{"capability": capability, "rule": rules.get(capability.pk),
             "analysts": analysts[capability.lab_id], "broken": broken.get(capability.pk)}
            for capability in capabilities]
    return render(request, "testing/standing.html", {
        "rows": rows, "several_labs": len({c.lab_id for c in capabilities}) > 1})


def _set(request: HttpRequest) -> HttpResponse:
    capability = _capabilities(request.user).filter(
        pk=optional_int(request.POST.get("capability"))).first()
    if capability is None:
        raise Http404(_("Not found."))
    try:
        analyst = standing.analyst_find(request.POST.get("analyst", ""))
        rule = standing.standing_assignment_set(actor=request.user, capability=capability,
                                                analyst=analyst)
    except ApplicationError as error:
        messages.error(request, _("%(item)s (%(method)s): %(reason)s") % {
            "item": capability.test_item.name, "method": capability.method.code,
            "reason": error.message})
    else:
        if rule is None:
            messages.success(request, _("%(item)s (%(method)s): no standing analyst; its tests "
                                        "wait on the assignment page.") % {
                "item": capability.test_item.name, "method": capability.method.code})
        else:
            messages.success(request, _("%(item)s (%(method)s): new tests go to %(analyst)s "
                                        "on receipt.") % {
                "item": capability.test_item.name, "method": capability.method.code,
                "analyst": rule.analyst})
    return redirect(f"{request.path}#capability-{capability.pk}")
