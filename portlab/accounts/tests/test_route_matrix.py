"""The route matrix: every page from the URL resolver and every operation from the OpenAPI
document, called as every role, with an object of the caller's own lab or enterprise and as the
same role of another one, compared with the access table (accounts/access.py, routes.py).

It cannot go stale: a route missing from the table, or a table entry with no route, fails it.
Expected answers: anonymous callers are sent to the login page (pages) or get 401 (API) on
private routes; a role that may not use a route at all gets 403 before any look-up; an object of
another lab or enterprise answers 404; an allowed caller gets anything but 401/403/404 (pages are
fetched with GET, API operations called with their method and an empty body: what matters is
that the refusal comes before validation). It prints the number of checks and of leaks.

Run it once per CI run (pytest -m matrix, on PostgreSQL); a second database run may deselect it
with -m "not matrix".
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import make_user
from portlab.accounts.access import Scope, Tenant, may, may_anywhere, rules_for
from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.routes import API, PAGES, Route, is_public, tenant_lookups

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

OWN_LAB, OTHER_LAB = "TJ-TC", "BJ-PG"  # BJ-PG: another district, outside the JJJ alliance
LAB_ROLES = [Role.RECEPTION_CLERK, Role.ANALYST, Role.REVIEWER, Role.SIGNATORY,
             Role.QUALITY_MANAGER, Role.LAB_MANAGER]
NETWORK_ROLES = [Role.ADMINISTRATOR, Role.RISK_OFFICER, Role.CREDIT_OFFICER, Role.EXTERNAL_USER]
SKIPPED_NAMESPACES = {"admin", "api"}  # Django's admin keeps its own staff check; API below


@dataclass
class Caller:
    label: str
    tenant: str  # "own", "other", "network" or "anonymous"
    user: User | None
    client: Client = field(default_factory=lambda: Client(headers={"accept-language": "en"}))


@dataclass
class Tally:
    checks: int = 0
    leaks: list = field(default_factory=list)  # refused in the table, not refused by the code
    denials: list = field(default_factory=list)  # allowed in the table, refused by the code
    errors: list = field(default_factory=list)  # server errors


def page_patterns(resolver=None, namespaces=()) -> list[tuple[str, list[str]]]:
    """(URL name, its parameter names) of every page the resolver serves."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            found += page_patterns(pattern, (*namespaces, pattern.namespace))
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
            found.append((pattern.name, list(pattern.pattern.converters)
                          or re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))))
    return found


def api_operations(client: Client) -> list[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return [(method.upper(), path.removeprefix("/api/v1"))
            for path, operations in document["paths"].items() for method in operations]


def _first(queryset, label: str):
    row = queryset.first()
    assert row is not None, f"the demo has no {label} of {OWN_LAB}"
    return row


def _instrument_with_certificate(instrument) -> dict:
    """The instrument's path values, with a calibration whose certificate is in the file store."""
    import datetime

    from portlab.accounts.models import User
    from portlab.files.services import rawfile_store
    from portlab.instruments.models import Calibration, IntermediateCheck

    certificate = rawfile_store(content=b"%PDF-1.7 matrix certificate", name="cert.pdf",
                                content_type="application/pdf")
    calibration = Calibration.objects.create(
        instrument=instrument, date=datetime.date(2026, 1, 5), due_date=datetime.date(2027, 1, 5),
        certificate_number="MATRIX-1", provider="NIM", result="pass", certificate=certificate,
        recorded_by=_first(User.objects.order_by("id"), "user"))
    check = IntermediateCheck.objects.create(
        instrument=instrument, date=datetime.date(2026, 4, 5), result="pass",
        certificate=certificate, recorded_by=calibration.recorded_by)
    return {"asset_number": instrument.asset_number, "calibration_id": calibration.pk,
            "check_id": check.pk}


def path_values() -> dict[str, dict]:
    """Path parameters naming an object of the own lab (and its enterprise), per kind."""
    from portlab.instruments.models import Booking, ImportRow, Instrument, ResultFile
    from portlab.intake.models import Application, Sample
    from portlab.quality.models import (
        Alert,
        Authorization,
        ControlMaterial,
        Nonconformity,
        PTRound,
        QCRun,
    )
    from portlab.reports.models import Report
    from portlab.testing.models import Test
    from portlab.transfers.models import Transfer

    lab = {"lab__code": OWN_LAB}
    test = _first(Test.objects.filter(**lab, sample__application__lab__code=OWN_LAB), "test")
    report = _first(Report.objects.filter(**lab), "report")
    transfer = _first(Transfer.objects.filter(from_lab__code=OWN_LAB), "transfer")
    values = {
        "application": {"number": _first(Application.objects.filter(
            **lab, status="submitted"), "application").number},
        "sample": {"number": _first(Sample.objects.filter(
            application__lab__code=OWN_LAB, status="submitted"), "sample").number},
        "test": {"test_id": test.pk},
        "report": {"number": report.number, "version": report.version},
        "instrument": _instrument_with_certificate(_first(Instrument.objects.filter(**lab),
                                                          "instrument")),
        "booking": {"booking_id": _first(Booking.objects.filter(
            instrument__lab__code=OWN_LAB), "booking").pk, "decision": "approve"},
        "lab": {"code": OWN_LAB},
        "pt_round": {"round_id": _first(PTRound.objects.filter(
            scheme__alliance__members__code=OWN_LAB), "PT round").pk, "step": "close"},
        "qc_run": {"run_id": _first(QCRun.objects.filter(**lab), "QC run").pk},
        "control_material": {"material_id": _first(ControlMaterial.objects.filter(**lab),
                                                    "control material").pk},
        "alert": {"alert_id": _first(Alert.objects.filter(**lab), "alert").pk},
        "quality_record": {"kind": "nonconformity", "record_id": _first(
            Nonconformity.objects.filter(**lab), "nonconformity").pk},
        "audited_entity": {"entity_type": "test", "entity_id": test.pk},
        "authorization": {"authorization_id": _first(Authorization.objects.filter(**lab),
                                                     "authorization").pk},
    }
    result_file = _first(ResultFile.objects.filter(instrument__lab__code=OWN_LAB), "result file")
    values["result_file"] = {"file_id": result_file.pk}
    values["import_row"] = {"row_id": _first(ImportRow.objects.filter(
        result_file=result_file), "import row").pk}
    values["rawfile"] = {"sha256": result_file.raw_file.sha256}
    for kind in ("transfer", "transfer_origin", "transfer_destination"):
        values[kind] = {"transfer_id": transfer.pk, "step": "receive"}
    shared = _first(Instrument.objects.filter(**lab, shareable=True), "shared instrument")
    # Parameters of routes that name no tenant object (their views look them up).
    values[None] = {"asset_number": shared.asset_number, "file_format": "csv",
                    "token": "not-a-token", "kind": "nonconformity", "number": "0" * 18,
                    "credit_code": "0" * 18,
                    "code": "GB 5009.12-2023", "rule_id": 1, "command_id": 1,
                    "job_id": "00000000-0000-0000-0000-000000000000", "token_id": 1,
                    "compact": "AAAA"}
    return values


def callers(enterprise_own: Enterprise, enterprise_other: Enterprise) -> list[Caller]:
    from portlab.network.models import Lab

    own, other = Lab.objects.get(code=OWN_LAB), Lab.objects.get(code=OTHER_LAB)
    found = [Caller("anonymous", "anonymous", None)]
    for role in LAB_ROLES:
        found.append(Caller(role, "own", make_user(f"m_own_{role}", role, own)))
        found.append(Caller(role, "other", make_user(f"m_other_{role}", role, other)))
    for role in NETWORK_ROLES:
        found.append(Caller(role, "network", make_user(f"m_{role}", role, None)))
    found.append(Caller(Role.ENTERPRISE_USER, "own", make_user(
        "m_own_enterprise", Role.ENTERPRISE_USER, enterprise_own)))
    found.append(Caller(Role.ENTERPRISE_USER, "other", make_user(
        "m_other_enterprise", Role.ENTERPRISE_USER, enterprise_other)))
    for caller in found:
        if caller.user is not None:
            caller.client.force_login(caller.user)
    return found


def expected(route: Route, caller: Caller, tenant: Tenant | None) -> str:
    if is_public(route):
        return "allowed"
    if any(rule.scope == Scope.INSTRUMENT for rule in rules_for(route.action)):
        return "instrument"  # the instrument agent's own token, never a person's session
    if caller.user is None:
        return "unauthenticated"
    if not may_anywhere(caller.user, route.action):
        return "forbidden"
    if route.on is not None and not may(caller.user, route.action, tenant=tenant):
        return "hidden"
    return "allowed"


def check(tally: Tally, what: str, route: Route, caller: Caller, tenant, response,
          api: bool) -> None:
    tally.checks += 1
    status = response.status_code
    to_login = status == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    want = expected(route, caller, tenant)
    refused = {"unauthenticated": 401 if api else None, "forbidden": 403, "hidden": 404}
    entry = (what, caller.label, caller.tenant, want, status)
    if status >= 500:
        tally.errors.append(entry)
    elif want == "instrument":
        # 401 without an agent token; the gateway relay carries one token per heartbeat in its
        # body, so an empty body is refused (422) before any instrument is touched.
        if status not in (401, 422):
            tally.leaks.append(entry)
    elif want == "unauthenticated" and not api:
        if not to_login:
            tally.leaks.append(entry)
    elif want in refused:
        if status != refused[want]:
            tally.leaks.append(entry)
    elif status in (401, 403) or to_login or (status == 404 and route.on is not None):
        tally.denials.append(entry)


def fill(template: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: quote(str(values[m.group(1)]), safe=""), template)


def run_pages(tally: Tally, everyone: list[Caller], values: dict) -> None:
    for name, parameters in page_patterns():
        route = PAGES[name]
        kwargs = {p: {**values[None], **values.get(route.on, {})}[p] for p in parameters}
        url = reverse(name, kwargs=kwargs)
        tenant = tenant_lookups[route.on](kwargs) if route.on else None
        for caller in everyone:
            check(tally, f"GET {url}", route, caller, tenant, caller.client.get(url), api=False)


def run_api(tally: Tally, everyone: list[Caller], values: dict) -> None:
    for method, path in api_operations(everyone[0].client):
        route = API[f"{method} {path}"]
        kwargs = {**values[None], **values.get(route.on, {})}
        url = "/api/v1" + fill(path, kwargs)
        tenant = tenant_lookups[route.on](kwargs) if route.on else None
        for caller in everyone:
            response = caller.client.generic(method, url, "{}", content_type="application/json")
            check(tally, f"{method} {url}", route, caller, tenant, response, api=True)


@pytest.fixture
def demo_network(settings, tmp_path):
    from portlab.demo.loader import load_demo

    settings.PORTLAB_KEYS_DIR = tmp_path / "keys"
    return load_demo()


def test_every_route_is_in_the_access_table_and_no_entry_is_stale(client) -> None:
    pages = {name for name, _parameters in page_patterns()}
    operations = {f"{m} {p}" for m, p in api_operations(client)}
    assert pages - set(PAGES) == set(), "pages with no entry in the access table"
    assert operations - set(API) == set(), "API operations with no entry in the access table"
    assert set(PAGES) - pages == set(), "access table entries for pages that do not exist"
    # Two documentation routes are not operations of the OpenAPI document itself.
    assert set(API) - operations == {"GET /openapi.json", "GET /docs"}


def test_route_matrix(demo_network) -> None:
    from portlab.intake.models import Application
    from portlab.testing.models import Test

    values = path_values()
    own_enterprise = Application.objects.get(number=values["application"]["number"]).enterprise
    other_enterprise = Enterprise.objects.exclude(pk=own_enterprise.pk).first()
    everyone = callers(own_enterprise, other_enterprise)
    # The own analyst is the one the test is assigned to: entering another analyst's result is
    # refused by the transition's guard, a rule beyond who-may-do-what.
    own_analyst = next(c.user for c in everyone if (c.label, c.tenant) == (Role.ANALYST, "own"))
    Test.objects.filter(pk=values["test"]["test_id"]).update(analyst=own_analyst)
    tally = Tally()
    run_pages(tally, everyone, values)
    run_api(tally, everyone, values)
    routes = len(page_patterns()) + len(api_operations(everyone[0].client))
    print(f"\nRoute matrix: {routes} routes × {len(everyone)} callers "
          f"({len(LAB_ROLES) + 1} roles of the own and another lab or enterprise, "
          f"{len(NETWORK_ROLES)} network roles, anonymous) = {tally.checks} checks; "
          f"leaks {len(tally.leaks)}, wrongful refusals {len(tally.denials)}, "
          f"server errors {len(tally.errors)}")
    for name, entries in (("leak", tally.leaks), ("server error", tally.errors),
                          ("wrongful refusal", tally.denials)):
        for entry in entries:
            print(name, *entry)
    assert (tally.leaks, tally.errors, tally.denials) == ([], [], [])
