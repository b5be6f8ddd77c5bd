"""The audit trail's cost: one audited event, and result entry by 8 labs at once.

One audited event (lock the chain's head, hash, insert, move the head) beside the ORM
inserting the same row without chain or hash, on any database.

Audited result entry with 8 writers in 8 labs versus 1 writer, on PostgreSQL only:

Each writer is a process with its own connection, entering results in its own lab through
`result_enter` (guards, judgement, test transition, audit events), one transaction each.
Figures: results per second for 1 writer and for 8, and the longest time any writer was
blocked on a lock held by another writer, as PostgreSQL reports it (pg_stat_activity sampled
every few milliseconds: a writer merely waiting for a CPU is not counted). The same 8-writer
run is repeated with every event sent to one shared chain, as every audited write in the
network did before per-lab chains: the baseline, measured in the same run.

Needs DATABASE_URL pointing at PostgreSQL (on SQLite one writer holds the whole database, so
writers queue by design), e.g. DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB.
"""

import multiprocessing
import os
import threading
import time
from decimal import Decimal

from django_bench import median_ms, setup_django

EVENTS_PER_TRANSACTION = 20

LABS = 8
RESULTS_PER_WRITER = 40
ITEMS_PER_LAB = 3 * RESULTS_PER_WRITER  # lab 0's tests serve all three runs
SAMPLE_EVERY_SECONDS = 0.003


def build_lab(n: int, district, standard, items, methods, admin, enterprise) -> dict:
    from bench_workflow import authorize

    from portlab.accounts.models import Role
    from portlab.accounts.services import user_create
    from portlab.intake.services import SampleInput, application_register
    from portlab.network.models import Capability, Lab
    from portlab.testing.models import Test
    from portlab.testing.reception import sample_receive
    from portlab.testing.services import test_assign

    lab = Lab.objects.create(code=f"L{n}", district=district, name_zh=f"实验室{n}", city="天津")
    Capability.objects.bulk_create(
        Capability(lab=lab, test_item=i, method=m, accredited=True, lod=0.001, unit="mg/kg",
                   price=Decimal(100), turnaround_days=5, daily_capacity=50)
        for i, m in zip(items, methods, strict=True))
    users = {role: user_create(username=f"{role}{n}", password="x-bench-1", roles=[(role, lab)])
             for role in (Role.RECEPTION_CLERK, Role.LAB_MANAGER, Role.ANALYST, Role.REVIEWER)}
    authorize(lab, users, users[Role.LAB_MANAGER])
    application = application_register(
        actor=users[Role.RECEPTION_CLERK], enterprise=enterprise, lab=lab,
        goods_description="大米", hs_code="1006302000", purpose="import",
        test_item_ids=[i.id for i in items], samples=[SampleInput("a")])
    sample_receive(actor=users[Role.RECEPTION_CLERK], sample=application.samples.get())
    test_ids = list(Test.objects.filter(sample__application=application)
                    .order_by("id").values_list("id", flat=True))
    for test in Test.objects.filter(id__in=test_ids):
        test_assign(actor=users[Role.LAB_MANAGER], test=test, analyst=users[Role.ANALYST])
    return {"analyst": users[Role.ANALYST].id, "tests": test_ids}


def build_network() -> list[dict]:
    from portlab.accounts.models import Role
    from portlab.accounts.services import enterprise_create, role_grant, user_create
    from portlab.network.models import District, Method, Standard, TestItem

    district = District.objects.create(code="0200", name_zh="天津海关", city="天津")
    standard = Standard.objects.create(code="GB 5009.268-2016", name_zh="多元素")
    items = TestItem.objects.bulk_create(TestItem(code=f"I{i:03d}", name_zh=f"项目{i}",
                                                  unit="mg/kg") for i in range(ITEMS_PER_LAB))
    methods = Method.objects.bulk_create(Method(code=f"M{i:03d}", standard=standard,
                                                technique="ICP-MS")
                                         for i in range(ITEMS_PER_LAB))
    admin = user_create(username="admin", password="x-bench-1")
    role_grant(user=admin, role=Role.ADMINISTRATOR)
    enterprise = enterprise_create(actor=admin, credit_code="914403001922038216", name_zh="华为")
    return [build_lab(n, district, standard, items, methods, admin, enterprise)
            for n in range(LABS)]


def writer(lab: dict, test_ids: list[int], shared_chain: bool) -> None:
    """Enter one result per test, each in its own transaction."""
    from django.db import connection

    from portlab.accounts.models import User
    from portlab.audit import chain, services
    from portlab.testing.models import Test
    from portlab.testing.results import ResultInput
    from portlab.testing.services import result_enter

    if shared_chain:  # the former design: every audited write appended to one chain
        services.chain_key_of = lambda entity: chain.NETWORK_CHAIN
    analyst = User.objects.get(pk=lab["analyst"])
    tests = list(Test.objects.filter(id__in=test_ids).order_by("id")
                 .select_related("sample__application", "capability", "test_item", "lab"))
    data = ResultInput(kind="numeric", value="0.041", uncertainty="0.006")
    for test in tests:
        result_enter(actor=analyst, test=test, data=data)
    connection.close()


class LockWaits(threading.Thread):
    """Samples which backends of this database are blocked on a lock, and for how long."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop, self.longest_ms, self.blocked_ms = threading.Event(), 0.0, 0.0

    def run(self) -> None:
        from django.db import connection

        since: dict[int, float] = {}
        with connection.cursor() as cursor:
            while not self.stop.is_set():
                cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = "
                               "current_database() AND wait_event_type = 'Lock'")
                now, waiting = time.perf_counter(), {row[0] for row in cursor.fetchall()}
                for pid in waiting - since.keys():
                    since[pid] = now
                for pid in since.keys() - waiting:
                    self._ended((now - since.pop(pid)) * 1000)
                self.stop.wait(SAMPLE_EVERY_SECONDS)
        connection.close()

    def _ended(self, waited_ms: float) -> None:
        self.longest_ms = max(self.longest_ms, waited_ms)
        self.blocked_ms += waited_ms


def run(labs: list[dict], writers: int, offset: int, shared_chain: bool) -> dict:
    from django.db import connections

    connections.close_all()  # each forked writer opens its own connection
    jobs = [(labs[n], labs[n]["tests"][offset:offset + RESULTS_PER_WRITER], shared_chain)
            for n in range(writers)]
    with multiprocessing.get_context("fork").Pool(writers) as pool:
        waits = LockWaits()
        waits.start()
        started = time.perf_counter()
        pool.starmap(writer, jobs)
        wall = time.perf_counter() - started
        waits.stop.set()
        waits.join()
    return {"rate": writers * RESULTS_PER_WRITER / wall, "longest": waits.longest_ms,
            "blocked": waits.blocked_ms, "wall": wall}


def bench_one_event() -> None:
    from django.db import transaction
    from django.utils import timezone

    from portlab.audit.models import AuditChain, AuditEvent
    from portlab.audit.services import audit_record
    from portlab.network.models import District, Lab

    district = District.objects.create(code="0100", name_zh="北京海关", city="北京")
    lab = Lab.objects.create(code="BJ", district=district, name_zh="技术中心", city="北京")
    plain_chain = AuditChain.objects.create(key="bench", length=0, last_hash="0" * 64)
    sequence = iter(range(1, 10**9))
    before, after = {"status": "resulted"}, {"status": "reviewed"}

    @transaction.atomic
    def ours():
        for _ in range(EVENTS_PER_TRANSACTION):
            audit_record(actor=None, action="test_review", entity=lab, before=before,
                         after=after)

    @transaction.atomic
    def baseline():
        for _ in range(EVENTS_PER_TRANSACTION):
            AuditEvent.objects.create(
                chain=plain_chain, sequence=next(sequence), at=timezone.now(),
                actor_name="system", action="test_review", entity_type="lab",
                entity_id=str(lab.pk), before=before, after=after, previous_hash="",
                hash="")

    ours_us = median_ms(ours, 30) / EVENTS_PER_TRANSACTION * 1000
    baseline_us = median_ms(baseline, 30) / EVENTS_PER_TRANSACTION * 1000
    print(f"One audited event (head locked, hashed, inserted, head moved): {ours_us:.0f} us "
          f"median; baseline the ORM inserting the same row without chain or hash: "
          f"{baseline_us:.0f} us; ratio {ours_us / baseline_us:.2f}")


def main() -> None:
    vendor = setup_django("audit-chains")
    print(f"== Audit trail on {vendor} ==")
    bench_one_event()
    if vendor != "postgresql":
        print("Result entry by 8 labs at once: PostgreSQL only (set DATABASE_URL); on SQLite "
              "one writer holds the whole database, so writers queue by design.")
        return
    print(f"== Audited result entry, {LABS} labs, {RESULTS_PER_WRITER} results per writer, "
          f"on {vendor}, {os.cpu_count()} cores ==")
    labs = build_network()
    one = run(labs, 1, 0, shared_chain=False)
    per_lab = run(labs, LABS, RESULTS_PER_WRITER, shared_chain=False)
    shared = run(labs, LABS, 2 * RESULTS_PER_WRITER, shared_chain=True)
    print(f"1 writer: {one['rate']:.0f} results/s")
    for name, figures in (("8 writers, a chain per lab", per_lab),
                          ("8 writers, one shared chain (former design, baseline)", shared)):
        print(f"{name}: {figures['rate']:.0f} results/s "
              f"({figures['rate'] / one['rate']:.2f}x one writer); longest wait of a writer "
              f"behind another {figures['longest']:.0f} ms; writers blocked "
              f"{figures['blocked'] / 1000:.2f} s in all over {figures['wall']:.1f} s")


if __name__ == "__main__":
    main()
