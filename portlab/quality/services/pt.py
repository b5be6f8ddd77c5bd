"""Proficiency testing in an alliance (§7.7.2): rounds, coded participants, results, scores."""

import secrets
from collections import Counter
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.core.versioning import require_version, save_versioned
from portlab.network.models import Alliance, TestItem
from portlab.quality import robust, scores
from portlab.quality.models import Alert, PTParticipant, PTResult, PTRound, PTScheme
from portlab.quality.services.common import (
    parse_date,
    parse_number,
    require_text,
)


@transaction.atomic
def pt_scheme_create(*, actor: User, alliance: Alliance, test_item: TestItem, code: str,
                     name_zh: str,
                     name_en: str = "", unit: str = "") -> PTScheme:
    """A PT scheme of the alliance; the lead lab's quality staff run it."""
    access.require(actor, "pt.coordinate", lab=alliance.lead_lab)
    code = require_text(code, "code", _("Give the scheme a code."))
    if PTScheme.objects.filter(code=code).exists():
        raise ApplicationError(_("Scheme %s already exists.") % code, field="code")
    scheme = PTScheme.objects.create(
        code=code, alliance=alliance, test_item=test_item, unit=unit or test_item.unit,
        name_zh=require_text(name_zh, "name_zh", _("Name the scheme.")), name_en=name_en)
    audit_record(actor=actor, action="pt_scheme_create", entity=scheme,
                 after={"code": code, "alliance": alliance.code, "test_item": test_item.code})
    return scheme


def _round_parameters(method: str, sigma_pt: object, assigned: object,
                      assigned_u: object) -> dict:
    if method not in PTRound.Method.values:
        raise ApplicationError(_("Unknown method “%s”: use algorithm-a or q-hampel.") % method,
                               field="method")
    sigma = parse_number(sigma_pt, "sigma_pt", optional=True)
    if sigma is not None and sigma <= 0:
        raise ApplicationError(_("sigma_pt must be greater than 0 (got %s).") % sigma_pt,
                               field="sigma_pt")
    value = parse_number(assigned, "assigned_value", optional=True)
    u = parse_number(assigned_u, "assigned_value_u", optional=True, non_negative=True)
    if (value is None) != (u is None):
        raise ApplicationError(_("Give the assigned value together with its standard "
                                 "uncertainty, or neither (consensus value)."),
                               field="assigned_value_u" if u is None else "assigned_value")
    return {"method": method, "sigma_pt": sigma, "assigned_value": value,
            "assigned_value_u": u}


@transaction.atomic
def pt_round_open(*, actor: User, scheme: PTScheme, code: str, deadline: object,
                  method: str = PTRound.Method.ALGORITHM_A, sigma_pt: object = None,
                  assigned_value: object = None, assigned_value_u: object = None) -> PTRound:
    """Open a round for every member lab of the alliance, each under a random coded id."""
    access.require(actor, "pt.coordinate", lab=scheme.alliance.lead_lab)
    code = require_text(code, "code", _("Give the round a code."))
    if PTRound.objects.filter(code=code).exists():
        raise ApplicationError(_("Round %s already exists.") % code, field="code")
    due = parse_date(deadline, "deadline")
    if due < timezone.localdate():
        raise ApplicationError(_("The deadline %s is in the past.") % due, field="deadline")
    labs = list(scheme.alliance.members.order_by("code"))
    if len(labs) < 2:
        raise ApplicationError(_("A round needs at least 2 member labs in the alliance."),
                               field="scheme")
    parameters = _round_parameters(method, sigma_pt, assigned_value, assigned_value_u)
    round_ = PTRound.objects.create(scheme=scheme, code=code, deadline=due, opened_by=actor,
                                    opened_at=timezone.now(), **parameters)
    numbers = list(range(1, len(labs) + 1))
    secrets.SystemRandom().shuffle(numbers)
    PTParticipant.objects.bulk_create(
        PTParticipant(round=round_, lab=lab, coded_id=f"P{number:02d}")
        for lab, number in zip(labs, numbers, strict=True))
    audit_record(actor=actor, action="pt_round_open", entity=round_,
                 after={"code": code, "deadline": str(due), "participants": len(labs),
                        **parameters})
    return round_


def guard_pt_result_submit(*, actor, obj: PTParticipant) -> None:
    """The participating lab's bench staff submit its result."""
    access.require(actor, "pt.submit", lab=obj.lab)


@transaction.atomic
def pt_result_submit(*, actor: User, participant: PTParticipant, value: object, u: object = "",
                     expanded_u: object = "", expected_version: int | None = None,
                     version_required: bool = False) -> PTResult:
    """A lab's result for an open round; it may be corrected until the round closes (a
    correction checks `expected_version`, required from the API)."""
    guard_pt_result_submit(actor=actor, obj=participant)
    round_ = participant.round
    if round_.status != PTRound.Status.OPEN:
        raise ApplicationError(_("Round %s is closed: results can no longer be submitted.")
                               % round_.code, field="round")
    if timezone.localdate() > round_.deadline:
        raise ApplicationError(_("The deadline of round %(round)s (%(deadline)s) has passed.")
                               % {"round": round_.code, "deadline": round_.deadline},
                               field="round")
    numbers = {"value": parse_number(value, "value"),
               "u": parse_number(u, "u", optional=True, non_negative=True),
               "expanded_u": parse_number(expanded_u, "U", optional=True, non_negative=True)}
    existing = PTResult.objects.select_for_update().filter(participant=participant).first()
    before = {k: getattr(existing, k) for k in numbers} if existing else None
    fields = {**numbers, "submitted_at": timezone.now(), "submitted_by": actor}
    if existing is None:
        result = PTResult.objects.create(participant=participant, **fields)
    else:
        require_version(existing, expected_version, required=version_required)
        for name, field_value in fields.items():
            setattr(existing, name, field_value)
        save_versioned(existing, expected_version, list(fields))
        result = existing
    audit_record(actor=actor, action="pt_result_submit", entity=result, before=before,
                 after=numbers)
    return result


def guard_pt_round_close(*, actor, obj: PTRound) -> None:
    """The alliance lead lab's quality staff close a round."""
    access.require(actor, "pt.coordinate", lab=obj.scheme.alliance.lead_lab)


@transaction.atomic
def pt_round_close(*, actor: User, round_: PTRound, expected_version: int | None = None) -> PTRound:
    guard_pt_round_close(actor=actor, obj=round_)
    if round_.status != PTRound.Status.OPEN:
        raise ApplicationError(_("Round %s is not open.") % round_.code, field="round")
    round_.status, round_.closed_at = PTRound.Status.CLOSED, timezone.now()
    save_versioned(round_, expected_version, ["status", "closed_at"])
    audit_record(actor=actor, action="pt_round_close", entity=round_,
                 before={"status": PTRound.Status.OPEN}, after={"status": round_.status})
    return round_


def _evaluate(round_: PTRound, results: list[PTResult]) -> scores.RoundEvaluation:
    if len(results) < 2:
        raise ApplicationError(_("At least 2 results are needed to score round %(round)s; "
                                 "%(count)d submitted.")
                               % {"round": round_.code, "count": len(results)}, field="round")
    if len({r.value for r in results}) == 1:
        raise ApplicationError(_("All results of round %s are equal: the robust standard "
                                 "deviation would be 0, so no scores can be computed.")
                               % round_.code, field="round")
    most_common = Counter(r.value for r in results).most_common(1)[0][1]
    if 2 * most_common > len(results):
        raise ApplicationError(_("More than half of the results of round %s are equal: the "
                                 "robust standard deviation is 0, so no scores can be "
                                 "computed.") % round_.code, field="round")
    try:
        return scores.evaluate_round(
            # The round's method column only takes the choices scores.Method names.
            [r.value for r in results], method=cast(scores.Method, round_.method),
            sigma_pt=round_.sigma_pt,
            assigned=round_.assigned_value, assigned_u=round_.assigned_value_u,
            standard_uncertainties=[r.u for r in results],
            expanded_uncertainties=[r.expanded_u for r in results])
    except robust.PTInputError as error:
        raise ApplicationError(_("Round %(round)s cannot be scored: %(reason)s")
                               % {"round": round_.code, "reason": error}, field="round") from None


def _store_scores(round_: PTRound, results: list[PTResult],
                  evaluation: scores.RoundEvaluation) -> list[PTResult]:
    unsatisfactory = []
    for result, score in zip(results, evaluation.scores, strict=True):
        judged = score.z_evaluation if evaluation.uncertainty_negligible else \
            score.z_prime_evaluation
        result.z, result.z_prime, result.zeta, result.en = (score.z, score.z_prime, score.zeta,
                                                            score.en)
        result.evaluation = judged.value
        if judged != scores.Evaluation.SATISFACTORY:
            unsatisfactory.append(result)
    PTResult.objects.bulk_update(results, ["z", "z_prime", "zeta", "en", "evaluation"])
    return unsatisfactory


def guard_pt_round_score(*, actor, obj: PTRound) -> None:
    """The alliance lead lab's quality staff score a closed round."""
    access.require(actor, "pt.coordinate", lab=obj.scheme.alliance.lead_lab)


SCORED_FIELDS = ["robust_mean", "robust_sd", "x_pt", "u_x_pt", "sigma_pt_used", "status",
                 "scored_at"]


@transaction.atomic
def pt_round_score(*, actor: User, round_: PTRound, expected_version: int | None = None) -> PTRound:
    """ISO 13528 robust statistics and every participant's z, z′, zeta and En after closing."""
    guard_pt_round_score(actor=actor, obj=round_)
    if round_.status != PTRound.Status.CLOSED:
        raise ApplicationError(_("Close round %s before scoring it.") % round_.code
                               if round_.status == PTRound.Status.OPEN
                               else _("Round %s is already scored.") % round_.code,
                               field="round")
    results = list(PTResult.objects.filter(participant__round=round_)
                   .select_related("participant__lab").order_by("participant__coded_id"))
    evaluation = _evaluate(round_, results)
    flagged = _store_scores(round_, results, evaluation)
    round_.robust_mean, round_.robust_sd = evaluation.robust.mean, evaluation.robust.sd
    round_.x_pt, round_.u_x_pt = evaluation.assigned_value, evaluation.assigned_value_uncertainty
    round_.sigma_pt_used, round_.status = evaluation.sigma_pt, PTRound.Status.SCORED
    round_.scored_at = timezone.now()
    save_versioned(round_, expected_version, SCORED_FIELDS)
    now = timezone.now()
    Alert.objects.bulk_create(
        Alert(kind=Alert.Kind.PT_UNSATISFACTORY, lab=r.participant.lab, created_at=now,
              subject=f"{round_.code} · {r.participant.coded_id}",
              data={"round": round_.pk, "evaluation": r.evaluation, "z": f"{r.z:.2f}"})
        for r in flagged)
    audit_record(actor=actor, action="pt_round_score", entity=round_,
                 before={"status": PTRound.Status.CLOSED},
                 after={"status": round_.status, "x_pt": round_.x_pt, "s*": round_.robust_sd,
                        "sigma_pt": round_.sigma_pt_used, "flagged": len(flagged)})
    return round_

