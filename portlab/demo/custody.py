"""Custody in the demo: the Tianjin key lab's sample store (a fridge and a shelf in room 305),
its retention periods, and its received samples stored in the fridge."""

from portlab.accounts.models import User
from portlab.intake import custody
from portlab.intake.models import Sample, StorageLocation
from portlab.network.models import Lab


def load_custody_demo(users: dict[str, User], lab: Lab) -> None:
    manager, clerk = users["manager"], users["clerk"]
    room = custody.storage_location_create(actor=manager, lab=lab,
                                           kind=StorageLocation.Kind.ROOM, name="305 留样室")
    fridge = custody.storage_location_create(actor=manager, lab=lab,
                                             kind=StorageLocation.Kind.FRIDGE,
                                             name="留样冰箱 1", within=room)
    custody.storage_location_create(actor=manager, lab=lab, kind=StorageLocation.Kind.SHELF,
                                    name="常温留样架 A", within=room)
    custody.retention_period_set(actor=manager, lab=lab, product_category=None, days=90)
    held = Sample.objects.filter(application__lab=lab, status__in=custody.HELD_STATUSES)
    for sample in held.order_by("number"):
        custody.sample_move(actor=clerk, sample=sample, location=fridge)
