"""Shared fixtures: a small lab network built through the real services."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation

from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.services import enterprise_create, role_grant, user_create
from portlab.accounts.signatures import Credential
from portlab.intake.models import Application
from portlab.intake.services import SampleInput, application_register
from portlab.network.models import (
    Capability,
    District,
    Lab,
    Method,
    ProductCategory,
    Specification,
    Standard,
    TestItem,
)

PASSWORD = "test-password-1"
SIGNED = Credential(password=PASSWORD)  # what test people re-enter to sign
VALID_CREDIT_CODE = "914403001922038216"  # Huawei Technologies Co., Ltd. (public record)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness dominates a suite that creates many users; MD5 is enough
    for test passwords (production keeps Django's default hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache(request, django_db_blocker):
    """Rate-limit counters live in the database cache: a test's transaction takes its own with it,
    but tests that commit (live server, threads) would leave theirs to the next test."""
    yield
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def english_by_default():
    """Tests read messages in English unless they switch language themselves."""
    with translation.override("en"):
        yield


@pytest.fixture
def district(db) -> District:
    return District.objects.create(code="0200", name_zh="天津海关", name_en="Tianjin Customs",
                                   city="天津")


@pytest.fixture
def lab(district) -> Lab:
    return Lab.objects.create(code="TJ-TC", district=district, kind=Lab.Kind.KEY,
                              cnas_number="CNAS L0321", name_zh="天津海关技术中心",
                              name_en="Tianjin Customs Technology Center", city="天津")


@pytest.fixture
def other_lab(district) -> Lab:
    return Lab.objects.create(code="TJ-XG", district=district, kind=Lab.Kind.REGIONAL,
                              name_zh="新港海关实验室", name_en="Xingang Lab", city="天津")


@pytest.fixture
def lead(lab) -> TestItem:
    standard = Standard.objects.create(code="GB 5009.12-2023", name_zh="食品中铅的测定")
    method = Method.objects.create(code="GB 5009.12-2023 GFAAS", standard=standard,
                                   technique="GFAAS")
    item = TestItem.objects.create(code="PB", name_zh="铅", name_en="Lead", unit="mg/kg")
    Capability.objects.create(lab=lab, test_item=item, method=method, accredited=True, lod=0.005,
                              loq=0.02, unit="mg/kg", price=Decimal("120"), turnaround_days=5,
                              daily_capacity=40)
    return item


@pytest.fixture
def salmonella(lab) -> TestItem:
    standard = Standard.objects.create(code="GB 4789.4-2024", name_zh="沙门氏菌检验")
    method = Method.objects.create(code="GB 4789.4-2024 culture", standard=standard,
                                   technique="Culture")
    item = TestItem.objects.create(code="SALMONELLA", name_zh="沙门氏菌", name_en="Salmonella",
                                   result_kind=TestItem.ResultKind.TEXT)
    Capability.objects.create(lab=lab, test_item=item, method=method, accredited=True, unit="",
                              price=Decimal("150"), turnaround_days=5, daily_capacity=20)
    return item


@pytest.fixture
def rice(lead) -> ProductCategory:
    category = ProductCategory.objects.create(code="RICE", name_zh="大米", name_en="Rice")
    source = Standard.objects.create(code="GB 2762-2022", name_zh="食品中污染物限量")
    Specification.objects.create(product_category=category, test_item=lead, limit_high=0.2,
                                 unit="mg/kg", source_standard=source)
    return category


@pytest.fixture
def enterprise(db) -> Enterprise:
    admin = User.objects.create(username="setup")
    return enterprise_create(actor=admin, credit_code=VALID_CREDIT_CODE, name_zh="华为技术有限公司",
                             name_en="Huawei Technologies")


def make_user(username: str, role: str, scope) -> User:
    return user_create(username=username, password=PASSWORD, display_name=username,
                       roles=[(role, scope)])


@pytest.fixture
def staff(request, lab, enterprise) -> dict[str, User]:
    # Capabilities the test asks for exist before the staff are authorized for them.
    for name in ("lead", "salmonella"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    users = {
        "clerk": make_user("clerk", Role.RECEPTION_CLERK, lab),
        "manager": make_user("manager", Role.LAB_MANAGER, lab),
        "analyst": make_user("analyst", Role.ANALYST, lab),
        "reviewer": make_user("reviewer", Role.REVIEWER, lab),
        "signatory": make_user("signatory", Role.SIGNATORY, lab),
        "customer": make_user("customer", Role.ENTERPRISE_USER, enterprise),
    }
    users["admin"] = user_create(username="admin", password=PASSWORD)
    role_grant(user=users["admin"], role=Role.ADMINISTRATOR)
    authorize_lab_staff(users, lab)
    return users


@pytest.fixture
def application(staff, lab, lead, rice, enterprise) -> Application:
    return application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab,
        goods_description="泰国茉莉香米", hs_code="1006302000", purpose="import",
        test_item_ids=[lead.id], samples=[SampleInput(description="大米 2 kg")],
        product_category=rice,
    )


@pytest.fixture
def assigned_test(staff, application):
    from portlab.testing.models import Test
    from portlab.testing.reception import sample_receive
    from portlab.testing.services import test_assign

    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    return test


STAFF_DUTIES = {"analyst": "testing", "reviewer": "review", "signatory": "signing"}


def authorize_lab_staff(users: dict[str, User], lab: Lab) -> None:
    """ISO/IEC 17025 §6.2.6: analyst, reviewer and signatory authorized on every capability."""
    from portlab.quality.services import authorization_grant

    for capability in Capability.objects.filter(lab=lab):
        for username, duty in STAFF_DUTIES.items():
            authorization_grant(actor=users["manager"], user=users[username], lab=lab, duty=duty,
                                capability=capability, valid_from="2020-01-01")


@pytest.fixture
def file_store(settings, tmp_path):
    """The raw-file store in a fresh directory for the test."""
    settings.STORAGES = {**settings.STORAGES, "rawfiles": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "files")}}}
    return tmp_path / "files"


def run_queued_jobs() -> None:
    """Run the queued jobs in this process, as the worker would (inside a test's transaction,
    where the real worker's connection handling cannot run; portlab/jobs/tests use it)."""
    from portlab.jobs.models import JobRun
    from portlab.jobs.services import job_run

    for job_id in JobRun.objects.filter(state=JobRun.State.QUEUED).values_list("pk", flat=True):
        job_run(str(job_id))


@pytest.fixture
def latest_schema_after():
    """For a test that migrates an app back: every app's latest migration is applied again
    afterwards. Migrating one app back also unapplies the later migrations of the apps that
    depend on it (transfers' forecast tables depend on intake's priority), and migrating that
    one app forward again does not bring them back: the tests after it would miss tables."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
