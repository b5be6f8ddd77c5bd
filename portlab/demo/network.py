"""The demo network acting as one: Beijing-Tianjin-Hebei recognition agreements and a half
year of cross-district transfers, made through the services (run after `portlab demo`)."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from portlab.accounts.models import Enterprise, Role, User
from portlab.accounts.services import user_create
from portlab.demo.password import PASSWORD
from portlab.intake.models import Application
from portlab.intake.services import SampleInput, application_register
from portlab.network.agreements import agreement_create, transfer_allowed
from portlab.network.models import Capability, District, Lab, RecognitionAgreement, TestItem
from portlab.network.placement import placeable
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.transfers.models import CustodyEvent
from portlab.transfers.services import transfer_dispatch, transfer_receive, transfer_reject

ITEMS = ["PB", "CD", "AS-I", "HG-T", "AFB1", "DON", "ZEN", "OTA", "CHLORPYRIFOS", "CARBENDAZIM"]


def _agreements(admin: User) -> None:
    districts = {d.code: d for d in District.objects.all()}
    every = RecognitionAgreement.Scope.ALL_ACCREDITED
    for code, accepting, performing in [("JJJ-HR-2024-001", "0200", "0100"),
                                        ("JJJ-HR-2024-002", "0200", "0400"),
                                        ("JJJ-HR-2024-003", "0100", "0200")]:
        agreement_create(actor=admin, code=code, accepting=districts[accepting],
                         performing=districts[performing], scope=every, test_items=[],
                         valid_from=date(2024, 1, 1), valid_to=date(2027, 12, 31),
                         document_reference=f"京津冀海关检测结果互认协议 {code}")
    agreement_create(actor=admin, code="TJ-SJZ-MYC-2025", accepting=Lab.objects.get(code="TJ-XG"),
                     performing=Lab.objects.get(code="SJZ-TC"),
                     scope=RecognitionAgreement.Scope.LISTED,
                     test_items=list(TestItem.objects.filter(code__in=["AFB1", "DON", "ZEN"])),
                     valid_from=date(2025, 1, 1), valid_to=date(2026, 12, 31),
                     document_reference="真菌毒素检测分包协议 2025-07")


def _application(customer: User, lab: Lab, rng: random.Random) -> Application:
    enterprise = Enterprise.objects.get(roleassignment__user=customer)
    # Only items the lab may take new tests on (not a method of a withdrawn standard that the
    # lab has not verified again).
    offered = placeable(Capability.objects.filter(lab=lab))
    items = TestItem.objects.filter(code__in=rng.sample(ITEMS, rng.randint(2, 5)),
                                    capabilities__in=offered).distinct()
    return application_register(
        actor=customer, enterprise=enterprise, lab=lab, goods_description="进口大米（互认演示）",
        hs_code="1006302000", purpose=Application.Purpose.IMPORT,
        test_item_ids=[item.id for item in items],
        samples=[SampleInput(description="大米 2 kg", quantity="2 kg")],
        requires_accreditation=False)


def _backdate(transfers: list, days_ago: int) -> None:
    moment = timezone.now() - timedelta(days=days_ago)
    for transfer in transfers:
        type(transfer).objects.filter(pk=transfer.pk).update(dispatched_at=moment)
        CustodyEvent.objects.filter(transfer=transfer).update(at=moment)


def _transfer_batch(users: dict[str, User], origin: Lab, targets: list[Lab], days_ago: int,
                    rng: random.Random) -> None:
    application = _application(users["enterprise1"], origin, rng)
    sample_receive(actor=users["clerk"], sample=application.samples.get())
    sent = []
    for test in Test.objects.filter(sample__application=application).select_related(
            "sample__application__lab", "test_item", "lab"):
        target = rng.choice(targets)
        if rng.random() < 0.3 or not transfer_allowed(test, target).allowed:
            continue
        sent.append(transfer_dispatch(actor=users["manager"], test=test, to_lab=target,
                                      sample_portion=f"大米 200 g，封条编号 TJ-{test.pk:05d}"))
    for transfer in sent:
        clerk = users["clerk_" + transfer.to_lab.code]
        if days_ago > 3 and rng.random() < 0.9:
            transfer_receive(actor=clerk, transfer=transfer, note="封条完好")
        elif days_ago > 3:
            transfer_reject(actor=clerk, transfer=transfer, reason="样品包装破损")
    _backdate(sent, days_ago)


@transaction.atomic
def load_network_demo(seed: int = 2026) -> None:
    """Agreements and ~6 months of Tianjin → Beijing / Shijiazhuang transfers."""
    rng = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(
        username__in=["admin", "clerk", "manager", "enterprise1", "bjclerk"])}
    targets = [Lab.objects.get(code="BJ-TC"), Lab.objects.get(code="SJZ-TC")]
    users["clerk_BJ-TC"] = users["bjclerk"]
    users["clerk_SJZ-TC"] = user_create(username="sjzclerk", password=PASSWORD,
                                        display_name="吴收样",
                                        roles=[(Role.RECEPTION_CLERK, targets[1])])
    _agreements(users["admin"])
    origin = Lab.objects.get(code="TJ-TC")
    for days_ago in [170, 150, 140, 120, 100, 95, 80, 60, 45, 30, 20, 12, 6, 2, 1]:
        _transfer_batch(users, origin, targets, days_ago, rng)
