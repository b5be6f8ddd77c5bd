import hashlib

import pytest

from portlab.audit import chain
from portlab.audit.models import AuditChain, AuditEvent
from portlab.audit.services import chain_key_of
from portlab.audit.verification import Finding, audit_verify


def lab_chain(lab) -> AuditChain:
    return AuditChain.objects.get(key=chain.lab_chain_key(lab.pk))


def test_each_chain_links_its_events_from_its_own_genesis(assigned_test) -> None:
    for audit_chain in AuditChain.objects.all():
        events = list(audit_chain.events.order_by("sequence"))
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert events[0].previous_hash == chain.genesis(audit_chain.key)
        for before, after in zip(events, events[1:], strict=False):
            assert after.previous_hash == before.hash
        assert (audit_chain.length, audit_chain.last_hash) == (len(events), events[-1].hash)
    report = audit_verify()
    assert (report.events, report.chains, report.findings) == (AuditEvent.objects.count(), 2, [])


def test_lab_work_goes_to_the_lab_chain_and_definitions_to_the_network_chain(
        assigned_test, lab) -> None:
    lab_actions = set(lab_chain(lab).events.values_list("action", flat=True))
    network_actions = set(AuditEvent.objects.filter(chain__key=chain.NETWORK_CHAIN)
                          .values_list("action", flat=True))
    assert {"application_register", "sample_receive", "test_assign"} <= lab_actions
    assert "enterprise_create" in network_actions
    assert not lab_actions & {"enterprise_create", "role_grant"}


def test_the_chain_of_an_object_is_found_through_its_parents(assigned_test, lab, enterprise,
                                                              staff) -> None:
    lab_key = chain.lab_chain_key(lab.pk)
    sample = assigned_test.sample
    assert chain_key_of(assigned_test) == lab_key
    assert chain_key_of(sample) == lab_key  # through its application
    assert chain_key_of(lab) == lab_key
    assert chain_key_of(enterprise) == chain.NETWORK_CHAIN
    assert chain_key_of(staff["analyst"]) == chain.NETWORK_CHAIN
    assert chain_key_of(assigned_test.test_item) == chain.NETWORK_CHAIN


def test_lab_chains_start_from_different_genesis_values() -> None:
    assert chain.genesis(chain.NETWORK_CHAIN) == "0" * 64
    assert chain.genesis("lab:1") == hashlib.sha256(b"portlab audit chain lab:1").hexdigest()
    assert chain.genesis("lab:1") != chain.genesis("lab:2")


def test_an_edited_row_is_detected(assigned_test, lab) -> None:
    target = AuditEvent.objects.get(action="sample_receive")
    AuditEvent.objects.filter(pk=target.pk).update(after={"status": "received", "barcode": "X"})
    assert audit_verify().findings == [
        Finding(f"chain lab:{lab.pk}", "content does not match its hash", target.pk)]


def test_a_deleted_row_is_detected(assigned_test, lab) -> None:
    events = list(lab_chain(lab).events.order_by("sequence"))
    events[0].delete()
    assert audit_verify().findings == [
        Finding(f"chain lab:{lab.pk}", "event 1 of the chain is missing", events[1].pk)]


def test_removing_the_newest_row_is_detected(application, lab) -> None:
    lab_chain(lab).events.order_by("-sequence").first().delete()
    assert audit_verify().findings == [
        Finding(f"chain lab:{lab.pk}", "events were removed from the end of the chain")]


def test_an_event_moved_to_another_chain_is_detected(application, lab) -> None:
    moved = lab_chain(lab).events.get(sequence=1)
    network = AuditChain.objects.get(key=chain.NETWORK_CHAIN)
    AuditEvent.objects.filter(pk=moved.pk).update(chain=network, sequence=network.length + 1)
    AuditChain.objects.filter(pk=network.pk).update(length=network.length + 1,
                                                    last_hash=moved.hash)
    reasons = {(f.where, f.reason) for f in audit_verify().findings}
    assert ("chain network", "previous hash does not match the event before it") in reasons


def test_link_hash_is_sha256_of_previous_hash_and_canonical_json() -> None:
    content = {"b": 1, "a": "铅"}
    expected = hashlib.sha256(b"0" * 64 + '{"a":"铅","b":1}'.encode()).hexdigest()
    assert chain.link_hash(chain.GENESIS, content) == expected


@pytest.mark.django_db
def test_an_empty_trail_is_intact() -> None:
    report = audit_verify()  # the migration opened the (empty) network chain
    assert (report.events, report.chains, report.intact) == (0, 1, True)


def test_an_event_slipped_in_past_the_head_is_detected(application, lab) -> None:
    audit_chain = lab_chain(lab)
    last = audit_chain.events.get(sequence=audit_chain.length)
    forged = AuditEvent.objects.create(
        chain=audit_chain, sequence=audit_chain.length + 1, at=last.at, actor_name="x",
        action="result_change", entity_type="result", entity_id="1",
        previous_hash=last.hash, hash="f" * 64)
    assert audit_verify().findings == [
        Finding(f"chain lab:{lab.pk}", "events lie beyond the chain's head")]
    assert forged.sequence == audit_chain.length + 1
