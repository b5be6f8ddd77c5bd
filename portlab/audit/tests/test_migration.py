"""Events recorded in the single chain before per-lab chains keep verifying after the move."""

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0004_audit_event_chain_required_and_head_row_removed")]


def old_link_hash(previous: str, content: dict) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(previous.encode() + text.encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_the_old_chain_becomes_the_network_chain_and_still_verifies(latest_schema_after) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event, Head = old.get_model("audit", "AuditEvent"), old.get_model("audit", "AuditHead")
    previous = "0" * 64
    for n in range(3):
        at = timezone.now()
        content = {"at": at.isoformat(), "actor": "clerk", "action": "sample_receive",
                   "entity": f"sample:{n}", "before": None, "after": {"n": n}, "reason": ""}
        event = Event.objects.create(at=at, actor_name="clerk", action="sample_receive",
                                     entity_type="sample", entity_id=str(n), after={"n": n},
                                     previous_hash=previous,
                                     hash=old_link_hash(previous, content))
        previous = event.hash
    Head.objects.update_or_create(pk=1, defaults={"last_hash": previous})

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from portlab.audit.models import AuditChain, AuditEvent
    from portlab.audit.verification import audit_verify

    network = AuditChain.objects.get(key="network")
    assert (network.length, network.last_hash) == (3, previous)
    assert list(AuditEvent.objects.order_by("id").values_list("sequence", flat=True)) == [1, 2, 3]
    report = audit_verify()
    assert (report.events, report.findings) == (3, [])
