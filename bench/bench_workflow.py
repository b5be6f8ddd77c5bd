"""The foundation's three figures against SENAITE, each beside a plain-insert baseline.

- register one application with 184 test items (SENAITE ~65 s; target < 100 ms)
- create 10 samples (SENAITE 6.4 s; target < 50 ms)
- submit-and-verify one result (SENAITE ~125 ms; target < 5 ms)
Each service call runs in a transaction and writes its audit events, as in production.
"""

import time
from decimal import Decimal
from itertools import count

from django_bench import median_ms, paired_medians, report, setup_django

RUNS = 30


def build_network():
    from portlab.accounts.models import Role
    from portlab.accounts.services import enterprise_create, role_grant, user_create
    from portlab.network.models import Capability, District, Lab, Method, Standard, TestItem

    district = District.objects.create(code="0200", name_zh="天津海关", city="天津")
    lab = Lab.objects.create(code="TJ", district=district, name_zh="技术中心", city="天津")
    standard = Standard.objects.create(code="GB 5009.268-2016", name_zh="多元素")
    items = TestItem.objects.bulk_create(TestItem(code=f"I{i:03d}", name_zh=f"项目{i}",
                                                  unit="mg/kg") for i in range(184))
    methods = Method.objects.bulk_create(Method(code=f"M{i:03d}", standard=standard,
                                                technique="ICP-MS") for i in range(184))
    Capability.objects.bulk_create(
        Capability(lab=lab, test_item=i, method=m, accredited=True, lod=0.001, unit="mg/kg",
                   price=Decimal(100), turnaround_days=5, daily_capacity=50)
        for i, m in zip(items, methods, strict=True))
    users = {role: user_create(username=role, password="x-bench-1", roles=[(role, lab)])
             for role in (Role.RECEPTION_CLERK, Role.LAB_MANAGER, Role.ANALYST, Role.REVIEWER)}
    admin = user_create(username="admin", password="x-bench-1")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    enterprise = enterprise_create(actor=admin, credit_code="914403001922038216", name_zh="华为")
    authorize(lab, users, users[Role.LAB_MANAGER])
    return lab, [i.id for i in items], users, enterprise


def authorize(lab, users, manager) -> None:
    """ISO/IEC 17025 §6.2: the analyst and reviewer hold authorizations for every capability."""
    from portlab.quality.services import authorization_grant

    for capability in lab.capabilities.all():
        for role, duty in (("analyst", "testing"), ("reviewer", "review")):
            authorization_grant(actor=manager, user=users[role], lab=lab, duty=duty,
                                capability=capability, valid_from="2020-01-01")


def bench_register(lab, item_ids, users, enterprise) -> None:
    from django.db import transaction
    from django.utils import timezone

    from portlab.intake.models import Application, ApplicationItem, Sample
    from portlab.intake.services import SampleInput, application_register

    clerk = users["reception_clerk"]

    def ours():
        application_register(actor=clerk, enterprise=enterprise, lab=lab,
                             goods_description="大米", hs_code="1006302000", purpose="import",
                             test_item_ids=item_ids, samples=[SampleInput("大米 1 kg")])

    numbers = count()

    @transaction.atomic
    def baseline():
        n = next(numbers)
        application = Application.objects.create(
            number=f"B{n:09d}", enterprise=enterprise, lab=lab, goods_description="大米",
            hs_code="1006302000", purpose="import", submitted_by=clerk,
            submitted_at=timezone.now())
        ApplicationItem.objects.bulk_create(ApplicationItem(application=application,
                                                            test_item_id=i) for i in item_ids)
        Sample.objects.create(number=f"B{n:09d}", application=application, description="x")

    report("Register one application with 184 test items", median_ms(ours, RUNS),
           median_ms(baseline, RUNS), "plain inserts of the same rows", "< 100 ms; SENAITE ~65 s")


def bench_samples(lab, item_ids, users, enterprise) -> None:
    from django.db import transaction

    from portlab.intake.models import Sample
    from portlab.intake.services import SampleInput, application_register, samples_add

    clerk = users["reception_clerk"]
    application = application_register(
        actor=clerk, enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=item_ids[:5],
        samples=[SampleInput("first")])
    batch = [SampleInput(f"大米 {i}", "1 kg") for i in range(10)]
    numbers = count()

    def ours():
        samples_add(actor=clerk, application=application, samples=batch)

    @transaction.atomic
    def baseline():
        n = next(numbers)
        Sample.objects.bulk_create(Sample(number=f"C{n:07d}{i:02d}", application=application,
                                          description=s.description) for i, s in enumerate(batch))

    report("Create 10 samples", median_ms(ours, RUNS), median_ms(baseline, RUNS),
           "one bulk insert of 10 rows", "< 50 ms; SENAITE 6.4 s")


def bench_result(lab, item_ids, users, enterprise) -> None:
    from django.db import transaction
    from django.utils import timezone

    from portlab.accounts.signatures import Credential
    from portlab.intake.services import SampleInput, application_register
    from portlab.testing.models import Result, Test
    from portlab.testing.reception import sample_receive
    from portlab.testing.results import ResultInput
    from portlab.testing.services import result_enter, test_assign, test_review

    clerk, analyst = users["reception_clerk"], users["analyst"]
    application = application_register(
        actor=clerk, enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=item_ids,
        samples=[SampleInput("a"), SampleInput("b")])
    for sample in application.samples.all():
        sample_receive(actor=clerk, sample=sample)
    tests = list(Test.objects.filter(sample__application=application)
                 .select_related("sample__application", "capability", "test_item", "lab"))
    for test in tests:
        test_assign(actor=users["lab_manager"], test=test, analyst=analyst)
    ours_tests, baseline_tests = iter(tests[: len(tests) // 2]), iter(tests[len(tests) // 2:])
    data = ResultInput(kind="numeric", value="0.041", uncertainty="0.006")

    def ours():
        test = next(ours_tests)
        result_enter(actor=analyst, test=test, data=data)
        test_review(actor=users["reviewer"], test=test, decision="accept",
                    expected_version=test.version, credential=Credential(password="x-bench-1"))

    @transaction.atomic
    def baseline():
        test = next(baseline_tests)
        Result.objects.create(test=test, kind="numeric", value=0.041, unit="mg/kg",
                              entered_by=analyst, entered_at=timezone.now())
        Test.objects.filter(pk=test.pk).update(status="reviewed")

    # The review is an electronic signature: the reviewer's password is checked with Django's
    # PBKDF2 hasher, slow on purpose; its cost is printed beside the workflow's.
    report("Submit and verify one result, the review signed with a password",
           *(1000 * t for t in paired_medians(ours, baseline, 30)),
           "insert the result + update the test", "< 5 ms; SENAITE ~125 ms")
    reviewer = users["reviewer"]
    print(f"  of which re-authentication (check_password alone): "
          f"{median_ms(lambda: reviewer.check_password('x-bench-1'), 10):.2f} ms median")
    # The workflow's own cost (guards, versioned saves, roll-up, audit chain, the signature
    # row): the same calls with the password stored by a cheap hasher, so PBKDF2's deliberate
    # cost does not hide it. Every guard and the audit chain still run.
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        reviewer.set_password("x-bench-1")
        reviewer.save(update_fields=["password"])
        print_queries(ours, baseline)
        report("Submit and verify one result, signed, without the hasher's cost",
               *(1000 * t for t in paired_medians(ours, baseline, 60)),
               "insert the result + update the test", "<= 4x the baseline")
        report("  the same in CPU time (time.thread_time: what the load does not stretch)",
               *(1000 * t for t in paired_medians(ours, baseline, 60, time.thread_time)),
               "insert the result + update the test", "<= 4x the baseline")


def print_queries(ours, baseline) -> None:
    """SQL statements of one submit-and-verify and of one baseline, transaction control
    included (BEGIN and COMMIT are round trips too)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for action in (ours, baseline):
        with CaptureQueriesContext(connection) as queries:
            action()
        counts.append(len(queries))
    print(f"  SQL statements per operation: {counts[0]} (baseline {counts[1]})")


def main() -> None:
    vendor = setup_django("workflow")
    print(f"== Workflow benchmarks on {vendor} ==")
    network = build_network()
    bench_register(*network)
    bench_samples(*network)
    bench_result(*network)


if __name__ == "__main__":
    main()
