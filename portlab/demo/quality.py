"""Quality-system demo data: authorizations for the demo staff, QC history with a rejected
run, a scored and an open PT round, records to follow up, and a month of finished tests so the
board has something to show. Called from portlab.demo.loader."""

import datetime
import random
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.services import user_create
from portlab.intake.models import Application, Sample
from portlab.network.models import Alliance, Capability, District, Lab, Standard, TestItem
from portlab.quality import services
from portlab.quality.models import Duty, PTRound
from portlab.testing.models import Test

DEMO_DUTIES = {"analyst": Duty.TESTING, "analyst2": Duty.TESTING, "reviewer": Duty.REVIEW,
               "signatory": Duty.SIGNING}
PASSWORD = "portlab-demo"


def authorize_demo_staff(users: dict[str, User], lab: Lab) -> None:
    """Before the demo workflow runs: the bench staff of `lab` authorized on its capabilities;
    a few authorizations end this month so the board has something to warn about."""
    today = timezone.localdate()
    for index, capability in enumerate(Capability.objects.filter(lab=lab).order_by("id")):
        for username, duty in DEMO_DUTIES.items():
            ends = today + datetime.timedelta(days=9 + index) if (
                username == "analyst2" and index < 4) else None
            services.authorization_grant(actor=users["manager"], user=users[username], lab=lab,
                                         duty=duty, capability=capability,
                                         valid_from=today - datetime.timedelta(days=400),
                                         valid_to=ends)


def _qc(users: dict[str, User], lab: Lab, rng: random.Random) -> None:
    lead = TestItem.objects.get(code="PB")
    levels = [("QC-PB-L1", "L1", 0.100, 0.006), ("QC-PB-L2", "L2", 0.500, 0.025)]
    materials = [services.control_material_create(
        actor=users["quality"], lab=lab, test_item=lead, code=code, name=f"大米粉铅质控品 {level}",
        level=level, target_mean=mean, target_sd=sd, instrument_label="GFAAS AA-7000 #2")
        for code, level, mean, sd in levels]
    today = timezone.localdate()
    for day in range(40, -1, -1):
        run = services.qc_run_create(actor=users["analyst"], lab=lab, test_item=lead,
                                     run_code=f"PB-{(today - datetime.timedelta(days=day)):%m%d}",
                                     date=today - datetime.timedelta(days=day))
        shift = 3.4 if day == 6 else (2.3 if day in (18, 19) else 0.0)
        values = {m.code: f"{m.target_mean + m.target_sd * (rng.gauss(0, 0.6) + shift):.4f}"
                  for m in materials}
        run = services.qc_results_record(actor=users["analyst"], run=run, values=values)
        if run.status == "rejected" and day > 10:
            services.corrective_action_open(
                actor=users["quality"], subject=run, title="更换石墨管、重新校准后复测",
                owner=users["analyst"], due_date=run.date + datetime.timedelta(days=3),
                root_cause="石墨管老化导致灵敏度漂移")


def _pt(users: dict[str, User], rng: random.Random) -> None:
    alliance = Alliance.objects.get(code="JJJ-FOOD")
    lead = TestItem.objects.get(code="PB")
    scheme = services.pt_scheme_create(actor=users["quality"], alliance=alliance, test_item=lead,
                                       code="JJJ-PB", name_zh="大米中铅能力验证",
                                       name_en="Lead in rice PT")
    deadline = timezone.localdate() + datetime.timedelta(days=1)
    scored = services.pt_round_open(actor=users["quality"], scheme=scheme, code="JJJ-PB-2026-1",
                                    deadline=deadline, sigma_pt="0.012")
    members = {p.lab.code: p for p in scored.participants.select_related("lab")}
    staff = {lab_code: _pt_user(lab_code) for lab_code in members}
    values = {"TJ-TC": 0.151, "BJ-TC": 0.162, "SJZ-TC": 0.118, "TJ-XG": 0.149}
    for code, participant in members.items():
        services.pt_result_submit(actor=staff[code], participant=participant,
                                  value=f"{values.get(code, 0.15 + rng.gauss(0, 0.01)):.3f}",
                                  u="0.006", expanded_u="0.012")
    _extra_participants(scored, rng)
    services.pt_round_close(actor=users["quality"], round_=scored)
    services.pt_round_score(actor=users["quality"], round_=scored)
    services.pt_round_open(actor=users["quality"], scheme=scheme, code="JJJ-PB-2026-2",
                           deadline=timezone.localdate() + datetime.timedelta(days=21))


def _pt_user(lab_code: str) -> User:
    existing = User.objects.filter(username=f"pt-{lab_code.lower()}").first()
    return existing or user_create(username=f"pt-{lab_code.lower()}", password=PASSWORD,
                                   display_name=f"{lab_code} PT",
                                   roles=[(Role.QUALITY_MANAGER, Lab.objects.get(code=lab_code))])


def _extra_participants(round_: PTRound, rng: random.Random) -> None:
    """Other alliance laboratories outside the demo network, so the statistics have a crowd."""
    from portlab.quality.models import PTParticipant, PTResult

    now, submitter = timezone.now(), round_.opened_by
    outside, _ = District.objects.get_or_create(
        code="PT-EXT", defaults={"name_zh": "能力验证外部参加单位",
                                 "name_en": "PT participants outside the network", "city": "—"})
    for index in range(5, 29):
        lab = Lab.objects.create(code=f"PT-EXT-{index:02d}", district=outside,
                                 name_zh=f"外部参加实验室 {index}",
                                 name_en=f"Outside participant {index}", city="—")
        participant = PTParticipant.objects.create(round=round_, lab=lab, coded_id=f"P{index:02d}")
        value = 0.15 + rng.gauss(0, 0.009) + (0.05 if index == 17 else 0.0)
        PTResult.objects.create(participant=participant, value=round(value, 4), u=0.006,
                                expanded_u=0.012, submitted_at=now, submitted_by=submitter)


def _records(users: dict[str, User], lab: Lab) -> None:
    today = timezone.localdate()
    quality, analyst = users["quality"], users["analyst"]
    nc = services.nonconformity_raise(
        actor=quality, lab=lab, title="铅 QC 运行 1-3s 失控", owner=analyst,
        due_date=today - datetime.timedelta(days=2), source="qc",
        description="L2 质控品 z > 3，已暂停报告")
    services.nonconformity_raise(actor=quality, lab=lab, title="样品流转记录缺少交接签名",
                                 owner=users["clerk"], due_date=today + datetime.timedelta(days=5))
    services.corrective_action_open(actor=quality, subject=nc, title="更换石墨管并重新校准",
                                    owner=analyst, due_date=today + datetime.timedelta(days=3),
                                    root_cause="石墨管老化")
    services.complaint_receive(actor=quality, lab=lab, title="报告出具延误",
                               owner=users["manager"], due_date=today + datetime.timedelta(days=7),
                               complainant="北京鲜达进出口贸易有限公司",
                               received_on=today - datetime.timedelta(days=1))
    services.internal_audit_plan(actor=quality, lab=lab, title="2026 年度内审 第一次",
                                 owner=quality, due_date=today + datetime.timedelta(days=20),
                                 scope="ISO/IEC 17025 §6–§8 全要素")


def _withdraw(users: dict[str, User]) -> None:
    standard = Standard.objects.filter(code="GB 5009.22-2016").first()
    if standard is not None and standard.status == Standard.Status.CURRENT:
        replacement, _ = Standard.objects.get_or_create(code="GB 5009.22-2025",
                                                        defaults={"name_zh": "GB 5009.22-2025"})
        services.standard_withdraw(actor=users["quality"], standard=standard,
                                   replaced_by=replacement)


def finished_tests_history(labs: Iterable[Lab], days: int = 45, per_day: int = 28,
                           seed: int = 7) -> int:
    """A month and a half of synthetic tests per lab (bulk rows, no workflow), for the board."""
    rng, now, count = random.Random(seed), timezone.now(), 0
    enterprise, submitter = Enterprise.objects.first(), User.objects.order_by("id").first()
    for lab in labs:
        capabilities = list(Capability.objects.filter(lab=lab))
        if not capabilities:
            continue
        application = Application.objects.create(
            number=f"H{lab.pk:03d}-{seed}", enterprise=enterprise, lab=lab,
            goods_description="历史样品", hs_code="1006302000", purpose="import",
            status="approved", submitted_by=submitter, submitted_at=now)
        rows = []
        for day in range(days, 0, -1):
            sample = Sample.objects.create(number=f"H{lab.pk:03d}-{day:03d}",
                                           application=application, description="历史样品",
                                           status="approved")
            rows += [_history_test(rng, sample, lab, rng.choice(capabilities), now, day)
                     for _ in range(per_day)]
        count += len(Test.objects.bulk_create(rows, batch_size=2000))
    return count


def _history_test(rng: random.Random, sample: Sample, lab: Lab, capability: Capability,
                  now: datetime.datetime, day: int) -> Test:
    created = now - datetime.timedelta(days=day, hours=rng.randint(0, 8))
    took = max(0, round(rng.lognormvariate(1.45, 0.45)))
    due = timezone.localdate(created) + datetime.timedelta(days=capability.turnaround_days)
    done = created + datetime.timedelta(days=took, hours=rng.randint(1, 6))
    status = Test.Status.APPROVED if done < now else rng.choice(
        [Test.Status.PENDING, Test.Status.ASSIGNED, Test.Status.ASSIGNED, Test.Status.RESULTED,
         Test.Status.REVIEWED])
    return Test(sample=sample, test_item_id=capability.test_item_id, capability=capability,
                lab=lab, status=status, due_date=due, created_at=created,
                completed_at=done if status == Test.Status.APPROVED else None)


@transaction.atomic
def load_quality_demo(users: dict[str, User], labs: dict[str, Lab], seed: int = 2026) -> None:
    """After the demo workflow: quality records, plus a district quality manager `tjquality`."""
    rng = random.Random(seed)
    district_lab = labs["TJ-TC"]
    users["tjquality"] = user_create(username="tjquality", password=PASSWORD,
                                     display_name="天津关区质量主管",
                                     roles=[(Role.QUALITY_MANAGER, district_lab.district)])
    _qc(users, district_lab, rng)
    _pt(users, rng)
    _records(users, district_lab)
    _withdraw(users)
    finished_tests_history([lab for code, lab in labs.items() if code.startswith("TJ-")])
