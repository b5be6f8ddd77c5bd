"""Reads of reports, limited to what the user may see; the PDF column is loaded only to serve it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language

from portlab.accounts.access import (
    enterprise_ids,
    lab_scope,
    labs_where,
    visible_lab_filter,
)
from portlab.accounts.models import Enterprise, Signature
from portlab.core.errors import NotFound
from portlab.intake.models import Application, Status
from portlab.network.models import Lab
from portlab.reports.desk import PAGE_SIZE as DESK_PAGE_SIZE
from portlab.reports.desk import DeskFilter
from portlab.reports.desk import order_by as desk_order
from portlab.reports.models import Report
from portlab.testing.models import Review, Test


def reports_visible_to(user) -> QuerySet[Report]:
    """An enterprise sees its own reports; lab staff the reports of their labs."""
    rows = Report.objects.select_related("application__enterprise", "lab",
                                                      "issued_by")
    network, labs, districts = lab_scope(user)
    if network:
        # (Q(...) | Q() is the first Q alone, so the whole network is answered here.)
        return rows
    condition = Q(application__enterprise_id__in=enterprise_ids(user))
    if labs or districts:
        condition |= visible_lab_filter(user, "")
    return rows.filter(condition)


def report_get(user, number: str, version: int) -> Report:
    report = reports_visible_to(user).filter(number=number, version=version).first()
    if report is None:
        # The same answer whether it does not exist or belongs to someone else.
        raise NotFound(f"Report {number} v{version} not found.")
    return report


def report_pdf_get(user, number: str, version: int) -> tuple[Report, bytes]:
    report = report_get(user, number, version)
    pdf = Report.objects.values_list("pdf", flat=True).get(pk=report.pk)
    return report, bytes(pdf)


def signatory_filter(user, prefix: str = "") -> Q | None:
    """Rows of the labs where the user is an authorized signatory (None: nowhere)."""
    network, labs, districts = labs_where(user, "report.issue")
    if network:
        return Q()
    if not (labs or districts):
        return None
    return Q(**{f"{prefix}lab_id__in": labs}) | Q(**{f"{prefix}lab__district_id__in": districts})


def _approved_at() -> Subquery:
    """When the application's last test was approved (the latest accepting approval)."""
    return Subquery(Review.objects.filter(
        test__sample__application=OuterRef("pk"), stage=Review.Stage.APPROVAL,
        decision=Review.Decision.ACCEPT).order_by("-at").values("at")[:1])


def desk_page(user, chosen: DeskFilter) -> Page:
    """One page of the applications waiting for a report at the labs where the user signs,
    narrowed by the filter, in the order asked for (PAGE_SIZE a page)."""
    rows = applications_to_report(user).annotate(approved_at=_approved_at())
    if chosen.lab:
        rows = rows.filter(lab_id=chosen.lab)
    if chosen.enterprise:
        rows = rows.filter(enterprise_id=chosen.enterprise)
    if chosen.approved_since:
        since = datetime.combine(chosen.approved_since, time.min,
                                 tzinfo=timezone.get_current_timezone())
        rows = rows.filter(approved_at__gte=since)
    # Applications without an approval time come last either way, on SQLite and PostgreSQL
    # alike (which otherwise disagree on where NULLs sort).
    order = [F(name[1:]).desc(nulls_last=True) if name.startswith("-")
             else F(name).asc(nulls_last=True) for name in desk_order(chosen)]
    return Paginator(rows.order_by(*order), DESK_PAGE_SIZE).get_page(chosen.page)


def issued_reports_page(user, number: int) -> Page:
    """One page of the reports the user may see, newest first (DESK_PAGE_SIZE a page)."""
    rows = reports_visible_to(user).order_by(F("issued_at").desc(nulls_last=True), "-id")
    return Paginator(rows, DESK_PAGE_SIZE).get_page(number)


def desk_choices(user) -> tuple[list[Lab], list[Enterprise]]:
    """The labs where the user signs, and the enterprises with an application waiting there."""
    if signatory_filter(user) is None:
        return [], []
    network, lab_ids, districts = labs_where(user, "report.issue")
    labs = Lab.objects.order_by("code")
    if not network:
        labs = labs.filter(Q(pk__in=lab_ids) | Q(district_id__in=districts))
    enterprises = Enterprise.objects.filter(pk__in=applications_to_report(user).values(
        "enterprise_id")).order_by("name_zh")
    return list(labs), list(enterprises)


def applications_to_report(user) -> QuerySet[Application]:
    """Approved applications waiting for a report at the labs where the user signs."""
    condition = signatory_filter(user)
    if condition is None:
        return Application.objects.none()
    return (Application.objects.select_related("enterprise", "lab")
            .filter(condition, status=Status.APPROVED).order_by("submitted_at", "id"))


@dataclass(frozen=True)
class PublicRecord:
    """Only what a public verdict shows about a report version."""

    number: str
    version: int
    status: str
    issued_at: datetime
    conclusion: str
    payload: str
    pdf_sha256: str
    revocation_reason: str
    revoked_at: datetime | None
    key_id: str
    lab_name: str
    applicant: str
    amendment_reason: str = ""
    changes: tuple[str, ...] = ()


_PUBLIC_FIELDS = ("number", "version", "status", "issued_at", "conclusion", "payload",
                  "pdf_sha256", "revocation_reason", "revoked_at", "key_id", "amendment_reason",
                  "amendment__changes", "lab__name_zh",
                  "lab__name_en", "application__enterprise__name_zh",
                  "application__enterprise__name_en")


def _in_language(chinese: str, english: str) -> str:
    # Same rule as core.bilingual.Bilingual.name, applied to plain values.
    return english if (get_language() or "zh-hans").startswith("en") and english else chinese


def _public(**conditions) -> PublicRecord | None:
    """The hot path of /verify: one flat query, no model instances, no ordering."""
    row = next(iter(Report.objects.filter(**conditions).order_by()
                    .values_list(*_PUBLIC_FIELDS)[:1]), None)
    if row is None:
        return None
    *fields, changes, lab_zh, lab_en, applicant_zh, applicant_en = row
    return PublicRecord(**dict(zip(_PUBLIC_FIELDS, fields, strict=False)),
                        changes=tuple(changes or ()),
                        lab_name=_in_language(lab_zh, lab_en),
                        applicant=_in_language(applicant_zh, applicant_en))


def report_by_code(number: str, code: str) -> PublicRecord | None:
    return _public(number=number, verification_code=code)


def report_by_version(number: str, version: int) -> PublicRecord | None:
    return _public(number=number, version=version)


def report_current_of(number: str) -> tuple[int, str] | None:
    """(version, signed payload) of the latest version of a report number."""
    return Report.objects.filter(number=number).order_by("-version") \
        .values_list("version", "payload").first()


def signatures_of_application(application: Application) -> QuerySet[Signature]:
    """The electronic signatures on an application's tests (reviewed, approved) and reports
    (issued), oldest first: who signed what, when, by which method."""
    test_ids = [str(pk) for pk in Test.objects.filter(sample__application=application)
                .values_list("pk", flat=True)]
    report_ids = [str(pk) for pk in Report.objects.filter(application=application)
                  .values_list("pk", flat=True)]
    return (Signature.objects.select_related("signer")
            .filter(Q(entity_type=Test._meta.label_lower, entity_id__in=test_ids)
                    | Q(entity_type=Report._meta.label_lower, entity_id__in=report_ids))
            .order_by("at", "id"))
