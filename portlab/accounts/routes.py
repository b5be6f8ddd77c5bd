"""Every route's action in the access table, and the gate that applies it before the view.

Pages are keyed by URL name, API operations by "METHOD /path" as in the OpenAPI document.
A route may name the kind of object its path points at; the gate then looks the object up
(`tenant_lookups`, registered by the app that owns the model) and answers 404 when the object
belongs to a lab or enterprise where the caller may not do the action, so that its existence is
not revealed; a caller who may not do the action anywhere gets 403. A route missing from this
table is refused (403) and fails the route matrix test.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portlab.accounts.access import (
    ACCESS,
    Scope,
    Tenant,
    denied_message,
    may,
    may_anywhere,
    rules_for,
)
from portlab.core.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class Route:
    action: str
    on: str | None = None  # kind of object the path names, looked up in tenant_lookups


PAGES: dict[str, Route] = {
    # Public and sign-in pages.
    "home": Route("public"), "progress_lookup": Route("public"),
    "login": Route("public"), "logout": Route("public"), "register": Route("public"),
    "invitation_accept": Route("public"), "set_language": Route("public"),
    "glossary": Route("public"),
    "verify": Route("public"), "verify_upload": Route("public"),
    "verify_link": Route("public"), "verify_link_lower": Route("public"),
    "trust_list": Route("public"), "healthz": Route("public"),
    # Signed audit checkpoints, published beside the trust list.
    "audit_checkpoints": Route("public"), "audit_checkpoint": Route("public"),
    # Enterprise self-service.
    "team": Route("enterprise.team"), "invite": Route("enterprise.team"),
    # Catalog and portal look-ups.
    "capability_list": Route("catalog.view"), "catalog_export": Route("catalog.view"),
    "catalog_import": Route("capability.edit"),
    "lookup_hs_codes": Route("catalog.view"), "lookup_capabilities": Route("catalog.view"),
    "lookup_quote": Route("catalog.view"),
    # Network.
    "network_search": Route("network.view"), "network_workload": Route("network.view"),
    "cross_district": Route("network.view"), "agreement_list": Route("network.view"),
    "routing": Route("routing.plan"), "routing_apply": Route("routing.plan"),
    "routing_job": Route("routing.plan"),
    "transfer_list": Route("transfer.view"),
    "transfer_step": Route("transfer.view", on="transfer"),
    # Intake.
    "application_list": Route("application.view"),
    "application_new": Route("application.register"),
    "application_detail": Route("application.view", on="application"),
    "application_receipt": Route("application.view", on="application"),
    "application_labels": Route("application.view", on="application"),
    "application_cancel": Route("application.cancel", on="application"),
    "application_priority": Route("application.prioritize", on="application"),
    "reception": Route("sample.receive"), "reception_scan": Route("sample.receive"),
    "application_receive_all": Route("sample.receive", on="application"),
    "sample_receive": Route("sample.receive", on="sample"),
    "sample_reject": Route("sample.reject", on="sample"),
    # Custody inside the lab.
    "labels_print": Route("custody.view"), "storage": Route("custody.view"),
    "storage_labels": Route("custody.view"),
    "storage_location_create": Route("storage.manage"),
    "retention_period_set": Route("storage.manage"),
    "custody_scan": Route("custody.move"),
    "sample_timeline": Route("custody.view", on="sample"),
    "sample_aliquot": Route("custody.move", on="sample"),
    "disposal_list": Route("sample.dispose"),
    "sample_dispose": Route("sample.dispose", on="sample"),
    "sample_dispose_approve": Route("sample.dispose", on="sample"),
    # Testing.
    "assignment": Route("test.assign"), "my_tests": Route("result.enter"),
    "review_queue": Route("test.review"), "approval_queue": Route("test.approve"),
    "test_assign": Route("test.assign", on="test"),
    "result_enter": Route("result.enter", on="test"),
    "test_review": Route("test.review", on="test"),
    "test_approve": Route("test.approve", on="test"),
    "tests_review": Route("test.review"), "tests_approve": Route("test.approve"),
    "tests_assign": Route("test.assign"), "results_enter": Route("result.enter"),
    "standing_assignments": Route("test.standing_assign"),
    # Electronic signatures: each person enrols their own authenticator.
    "authenticator": Route("signed_in"),
    # API tokens: each person lists and revokes their own (others' answer 404).
    "api_tokens": Route("signed_in"), "api_token_revoke": Route("signed_in"),
    # Reports.
    "report_desk": Route("report.issue"),
    "report_issue": Route("report.issue", on="application"),
    "report_issue_batch": Route("report.issue"),  # each ticked application checked in the service
    "report_preview": Route("report.issue", on="application"),
    "report_preview_pdf": Route("report.issue", on="application"),
    "report_pdf": Route("report.view", on="report"),
    "report_amend": Route("report.amend", on="report"),
    "report_revoke": Route("report.revoke", on="report"),
    # Instruments.
    "instrument_board": Route("instrument.view"),
    "instrument_shared": Route("instrument.shared"),
    "instrument_command": Route("instrument.command", on="instrument"),
    "instrument_calendar": Route("instrument.shared"),
    # Result file imports: the held-row queue, the analyst's confirmation, raw files.
    "result_files": Route("instrument.view", on="instrument"),
    "result_file_upload": Route("instrument.files", on="instrument"),
    "result_file_detail": Route("instrument.view", on="result_file"),
    "import_rows_confirm": Route("result.enter", on="result_file"),
    "import_row_match": Route("instrument.files", on="import_row"),
    "import_row_reject": Route("instrument.files", on="import_row"),
    "rawfile_download": Route("test.view", on="rawfile"),
    "booking_request": Route("booking.request"),
    "booking_decide": Route("booking.decide", on="booking"),
    "instrument_calibrations": Route("instrument.view", on="instrument"),
    "instrument_calibration_record": Route("instrument.calibrate", on="instrument"),
    "instrument_certificate": Route("instrument.view", on="instrument"),
    "instrument_check_certificate": Route("instrument.view", on="instrument"),
    "instrument_check_record": Route("instrument.check", on="instrument"),
    # Quality.
    "quality_board": Route("quality.view"), "quality_board_tests": Route("quality.view"),
    "quality_alert_resolve": Route("quality.record", on="alert"),
    "quality_qc": Route("qc.record"), "quality_qc_run_record": Route("qc.record"),
    "quality_qc_run_action": Route("quality.record", on="qc_run"),
    "quality_material": Route("qc.record", on="control_material"),
    "quality_pt": Route("pt.view"), "quality_pt_round": Route("pt.view", on="pt_round"),
    "quality_pt_submit": Route("pt.submit", on="pt_round"),
    "quality_pt_step": Route("pt.coordinate", on="pt_round"),
    "quality_pt_report_start": Route("pt.view", on="pt_round"),
    "quality_pt_report_file": Route("pt.view"),  # the view checks the job and the round
    "quality_personnel": Route("quality.view"),
    "quality_authorization_grant": Route("authorization.grant"),
    "quality_authorization_renew": Route("authorization.grant", on="authorization"),
    "quality_authorization_edit": Route("authorization.grant", on="authorization"),
    "quality_records": Route("quality.view"),
    "quality_record_create": Route("quality.record"),
    "quality_record_edit": Route("quality.record", on="quality_record"),
    "quality_record_close": Route("quality.record", on="quality_record"),
    # Risk.
    "risk_board": Route("risk.view"), "risk_rule_create": Route("risk.manage"),
    "risk_declaration": Route("risk.view"),
    "risk_declaration_link": Route("risk.manage"), "risk_evaluate": Route("risk.manage"),
    "risk_exchange_rates": Route("exchange_rate.define"),
    "risk_exchange_rate_set": Route("exchange_rate.define"),
    "risk_exchange_rate_upload": Route("exchange_rate.define"),
    "enterprise_verification": Route("enterprise.verify"),
    "enterprise_verify": Route("enterprise.verify"),
    # Background jobs: each person sees their own (the views answer 404 for others).
    "job_list": Route("signed_in"), "job_detail": Route("signed_in"),
    "job_status": Route("signed_in"), "job_cancel": Route("signed_in"),
    "job_schedule": Route("jobs.schedule"),
    "retrain_schedule": Route("risk.manage"),
}

API: dict[str, Route] = {
    # Catalog and network.
    "GET /labs": Route("catalog.view"), "GET /capabilities": Route("catalog.view"),
    "POST /catalog/import": Route("capability.edit"), "GET /catalog/export": Route("catalog.view"),
    "GET /network/search": Route("network.view"), "GET /network/workload": Route("network.view"),
    "GET /network/cross-district": Route("network.view"),
    "POST /agreements": Route("agreement.create"),
    "GET /transfers": Route("transfer.view"), "POST /transfers": Route("transfer.dispatch"),
    "POST /transfers/{transfer_id}/in-transit": Route("transfer.send", on="transfer_origin"),
    "POST /transfers/{transfer_id}/receive": Route("transfer.receive",
                                                   on="transfer_destination"),
    "POST /transfers/{transfer_id}/reject": Route("transfer.receive", on="transfer_destination"),
    # Routing runs as a job started by POST; the GET, where it once ran, says so (405).
    "POST /labs/{code}/routing": Route("routing.plan", on="lab"),
    "GET /labs/{code}/routing": Route("routing.plan", on="lab"),
    "POST /labs/{code}/routing/apply": Route("routing.plan", on="lab"),
    "GET /applications/{number}/prediction": Route("application.view", on="application"),
    # Background jobs: each person reads their own (job_get answers 404 for another's).
    "GET /jobs": Route("signed_in"), "GET /jobs/{job_id}": Route("signed_in"),
    # Accounts.
    "GET /me": Route("signed_in"),
    "GET /tokens": Route("signed_in"), "POST /tokens": Route("signed_in"),
    "POST /tokens/{token_id}/revoke": Route("signed_in"),
    "POST /enterprises": Route("enterprise.create"),
    "POST /enterprises/{credit_code}/verify": Route("enterprise.verify"),
    # Intake.
    "POST /applications": Route("application.register"),
    "GET /applications": Route("application.view"),
    "GET /applications/{number}": Route("application.view", on="application"),
    "POST /applications/{number}/cancel": Route("application.cancel", on="application"),
    "POST /samples/{number}/receive": Route("sample.receive", on="sample"),
    "POST /samples/{number}/reject": Route("sample.reject", on="sample"),
    # Testing.
    "GET /tests": Route("test.view"), "GET /tests/{test_id}": Route("test.view", on="test"),
    "POST /tests/{test_id}/assign": Route("test.assign", on="test"),
    "POST /tests/{test_id}/result": Route("result.enter", on="test"),
    "POST /tests/{test_id}/review": Route("test.review", on="test"),
    "POST /tests/{test_id}/approve": Route("test.approve", on="test"),
    "POST /reviews": Route("test.review"), "POST /approvals": Route("test.approve"),
    # Audit trail of one object: the object's own lab decides.
    "GET /audit/{entity_type}/{entity_id}": Route("audit.view", on="audited_entity"),
    # Instruments; the agent routes authenticate the instrument with its own token.
    "GET /instruments/ping": Route("public"),
    "POST /instruments/agent/heartbeat": Route("instrument.agent"),
    "POST /instruments/agent/heartbeats": Route("instrument.agent"),
    "POST /instruments/agent/files": Route("instrument.agent"),
    "GET /instruments/agent/commands": Route("instrument.agent"),
    "POST /instruments/agent/commands/{command_id}/ack": Route("instrument.agent"),
    "GET /instruments": Route("instrument.view"),
    "POST /instruments/{asset_number}/commands": Route("instrument.command", on="instrument"),
    "POST /instruments/{asset_number}/files": Route("instrument.files", on="instrument"),
    "GET /instruments/shared": Route("instrument.shared"),
    # Shared instruments are open to the whole network: the view answers 404 for others.
    "POST /instruments/{asset_number}/bookings": Route("booking.request"),
    "POST /instruments/bookings/{booking_id}/{decision}": Route("booking.decide", on="booking"),
    # Quality.
    "GET /quality/board": Route("quality.view"),
    "POST /quality/authorizations": Route("authorization.grant"),
    "GET /quality/authorizations/expiring": Route("quality.view"),
    "POST /quality/qc/runs": Route("qc.record"),
    "GET /quality/pt/rounds/{round_id}": Route("pt.view", on="pt_round"),
    "POST /quality/pt/rounds/{round_id}/results": Route("pt.submit", on="pt_round"),
    "POST /quality/pt/rounds/{round_id}/{step}": Route("pt.coordinate", on="pt_round"),
    "POST /quality/standards/withdraw/{code}": Route("standard.withdraw"),
    # Reports.
    "POST /verify": Route("public"), "POST /verify/pdf": Route("public"),
    "GET /reports": Route("report.view"),
    "POST /applications/{number}/report": Route("report.issue", on="application"),
    "POST /reports/{number}/v{version}/amend": Route("report.amend", on="report"),
    "POST /reports/{number}/v{version}/revoke": Route("report.revoke", on="report"),
    # Risk.
    "POST /declarations": Route("risk.manage"), "GET /declarations/{number}": Route("risk.view"),
    "POST /declarations/{number}/label": Route("risk.manage"),
    "POST /declarations/{number}/link": Route("risk.manage"),
    "GET /risk/rules": Route("risk.view"), "POST /risk/rules": Route("risk.manage"),
    "POST /risk/rules/{rule_id}/retire": Route("risk.manage"),
    "PUT /risk/rates": Route("risk.manage"), "PUT /risk/profiles": Route("risk.manage"),
    "GET /risk/models": Route("risk.view"), "POST /risk/rates/adapt": Route("risk.manage"),
    # The API's own documentation.
    "GET /openapi.json": Route("public"), "GET /docs": Route("public"),
}

# kind of object -> function(path kwargs) -> Tenant, or None when there is no such object.
tenant_lookups: dict[str, Callable[[dict], Tenant | None]] = {}


def tenant_lookup(kind: str):
    """Register the function that finds where an object of `kind` belongs (in an app's
    tenants.py, imported by its AppConfig.ready)."""
    def register(function: Callable[[dict], Tenant | None]):
        tenant_lookups[kind] = function
        return function
    return register


def is_public(route: Route) -> bool:
    return any(rule.scope == Scope.PUBLIC for rule in rules_for(route.action))


def gate(user, route: Route | None, kwargs: dict) -> None:
    """Refuse the request before the view runs: 403 when the caller may not use the route at
    all, 404 when the object named by the path is not one the caller may act on."""
    if route is None:
        raise PermissionDenied(_("This address has no entry in the access table."))
    if not may_anywhere(user, route.action):
        raise PermissionDenied(denied_message(route.action))
    if route.on is None:
        return
    try:
        tenant = tenant_lookups[route.on](kwargs)
    except (ValueError, TypeError, ValidationError):  # "true" where an id belongs: no such object
        tenant = None
    if tenant is None or not may(user, route.action, tenant=tenant):
        # Where one path parameter names the object, the answer names it (e.g. a lab's code).
        raise NotFound(_("Not found."), field=next(iter(kwargs)) if len(kwargs) == 1 else None)


def may_open(user, name: str, kwargs: dict) -> bool:
    """Whether the page route `name` with these path arguments lets `user` through its gate
    (for showing a link only to those it would not refuse)."""
    try:
        gate(user, PAGES.get(name), kwargs)
    except (PermissionDenied, NotFound):
        return False
    return True


API_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def api_key(method: str, django_route: str, prefix: str = "api/v1/") -> str:
    """"GET /tests/{test_id}" from Django's "api/v1/tests/<int:test_id>"."""
    path = API_PARAMETER.sub(r"{\1}", django_route.removeprefix(prefix))
    return f"{method} /{path}"


def unknown_actions() -> set[str]:
    """Actions routes name that the access table lacks (checked by the tests)."""
    return {r.action for r in [*PAGES.values(), *API.values()]} - set(ACCESS)


@tenant_lookup("audited_entity")
def audited_entity(kwargs: dict) -> Tenant | None:
    """The lab of an audited object; objects of no lab (network-wide definitions, enterprises)
    belong to the network, whose audit trail only network roles read."""
    lookup = tenant_lookups.get(f"audit:{kwargs['entity_type']}")
    if lookup is None:
        return Tenant()
    if not str(kwargs["entity_id"]).isdigit():
        return None
    return lookup({"pk": kwargs["entity_id"]})
