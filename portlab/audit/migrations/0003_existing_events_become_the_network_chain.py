"""The single audit chain kept so far becomes the network chain, unchanged.

Its events keep their hashes (the network chain starts from the same 64 zeros), so everything
recorded before per-lab chains still verifies; each event gets its position in the chain, in
id order, which was the chain's order. New writes then go to their lab's chain. Re-chaining old
events per lab was not done: it would rewrite every stored hash, and a trail whose hashes were
all recomputed is exactly what verification must distrust.
"""

from django.db import migrations

GENESIS = "0" * 64
BATCH = 2000


def forwards(apps, schema_editor) -> None:
    AuditChain = apps.get_model("audit", "AuditChain")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    head = AuditHead.objects.order_by("id").first()
    network = AuditChain.objects.create(
        key="network", lab_id=None, length=0,
        # The old head row, not the newest event: a tail deleted before the move stays visible.
        last_hash=head.last_hash if head else (last or GENESIS))
    sequence, after_id = 0, 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=after_id).order_by("id")
                     .only("id")[:BATCH])
        if not batch:
            break
        for event in batch:
            sequence += 1
            event.sequence, event.chain_id = sequence, network.id
        AuditEvent.objects.bulk_update(batch, ["sequence", "chain"])
        after_id = batch[-1].id
    network.length = sequence
    network.save(update_fields=["length"])


def backwards(apps, schema_editor) -> None:
    AuditChain = apps.get_model("audit", "AuditChain")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    if AuditChain.objects.exclude(key="network").filter(length__gt=0).exists():
        raise RuntimeError("Lab chains hold events: one linear chain cannot hold them.")
    network = AuditChain.objects.filter(key="network").first()
    if network is not None:
        AuditHead.objects.update_or_create(pk=1, defaults={"last_hash": network.last_hash})
    AuditEvent.objects.update(sequence=None, chain=None)
    AuditChain.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("audit", "0002_audit_chains_per_lab_and_checkpoints")]

    operations = [migrations.RunPython(forwards, backwards)]
