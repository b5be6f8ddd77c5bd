import pytest
from django.core.management import CommandError, call_command

from portlab.audit import chain
from portlab.audit.models import AuditEvent
from portlab.audit.services import audit_verify
from portlab.testing.reception import sample_receive


def test_chain_links_each_event_to_the_one_before(application, staff) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].previous_hash == chain.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
    assert audit_verify() == (len(events), None)


def test_an_edited_row_is_detected(application, staff, capsys) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    target = AuditEvent.objects.get(action="sample_receive")
    AuditEvent.objects.filter(pk=target.pk).update(after={"status": "received", "barcode": "X"})
    checked, broken = audit_verify()
    assert broken == chain.ChainBreak(target.pk, "content does not match its hash")
    with pytest.raises(CommandError, match=f"broken at event {target.pk}"):
        call_command("audit_verify")


def test_a_deleted_row_is_detected(application, staff) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    events = list(AuditEvent.objects.order_by("id"))
    events[1].delete()
    assert audit_verify()[1] == chain.ChainBreak(
        events[2].pk, "previous hash does not match the event before it")


def test_removing_the_newest_row_is_detected(application, staff) -> None:
    AuditEvent.objects.order_by("-id").first().delete()
    assert audit_verify()[1].reason == "events were removed from the end of the chain"


def test_intact_trail_passes_the_command(application, capsys) -> None:
    call_command("audit_verify")
    count = AuditEvent.objects.count()
    assert count >= 2  # the enterprise and the application, at least
    assert f"Audit trail intact: {count} events verified." in capsys.readouterr().out


def test_link_hash_is_sha256_of_previous_hash_and_canonical_json() -> None:
    import hashlib

    content = {"b": 1, "a": "铅"}
    expected = hashlib.sha256(b"0" * 64 + '{"a":"铅","b":1}'.encode()).hexdigest()
    assert chain.link_hash(chain.GENESIS, content) == expected
