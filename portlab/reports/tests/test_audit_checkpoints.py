"""Signed audit checkpoints: made with the log key, published beside the trust list, and
holding every chain to the heads they signed (RFC 6962 tree head over the chain heads)."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import SIGNED
from portlab.audit import chain
from portlab.audit.checkpoint import CheckpointError, checkpoint_build, checkpoint_verify
from portlab.audit.checkpoints import checkpoint_create
from portlab.audit.models import AuditChain, AuditEvent, Checkpoint
from portlab.audit.verification import Finding, audit_verify
from portlab.reports import keys, keystore
from portlab.reports.models import Report
from portlab.reports.services import report_issue
from portlab.reports.verification import verify_by_pdf


def checkpoint_now() -> Checkpoint:
    key = keystore.log_key_current()
    return checkpoint_create(private_key=key.private_key, certificate=key.certificate)


def findings(keys_dir: Path) -> list[Finding]:
    return audit_verify(root_certificate=keys.root_certificate_load(keys_dir)).findings


@pytest.fixture
def lab_chain(application, lab) -> AuditChain:
    return AuditChain.objects.get(key=chain.lab_chain_key(lab.pk))


def rehash_from(audit_chain: AuditChain, sequence: int) -> None:
    """What an attacker with database access does: recompute every hash from one event on."""
    events = list(audit_chain.events.filter(sequence__gte=sequence).order_by("sequence"))
    previous = audit_chain.events.get(sequence=sequence - 1).hash if sequence > 1 \
        else chain.genesis(audit_chain.key)
    for event in events:
        event.previous_hash = previous
        event.hash = previous = chain.link_hash(previous, event.content())
        event.save()
    AuditChain.objects.filter(pk=audit_chain.pk).update(last_hash=previous,
                                                        length=events[-1].sequence)


def test_a_checkpoint_signs_every_chain_head(keys_dir, lab_chain, request) -> None:
    checkpoint = checkpoint_now()
    verified = checkpoint_verify(checkpoint.document, root=keys.root_certificate_load(keys_dir))
    heads = {head.chain: (head.length, head.head) for head in verified.chains}
    assert heads[lab_chain.key] == (lab_chain.length, lab_chain.last_hash)
    assert set(heads) == set(AuditChain.objects.filter(length__gt=0).values_list("key",
                                                                                flat=True))
    assert (checkpoint.number, checkpoint.tree_size) == (1, len(heads))
    request.getfixturevalue("assigned_test")  # more events: sample received, test assigned
    assert checkpoint_now().number == 2
    report = audit_verify(root_certificate=keys.root_certificate_load(keys_dir))
    assert (report.checkpoints, report.findings) == (2, [])


def test_an_event_edited_after_a_checkpoint_is_found(keys_dir, lab_chain) -> None:
    checkpoint_now()
    target = lab_chain.events.get(sequence=1)
    AuditEvent.objects.filter(pk=target.pk).update(reason="nothing happened")
    assert findings(keys_dir) == [
        Finding(f"chain {lab_chain.key}", "content does not match its hash", target.pk)]


def test_an_event_deleted_after_a_checkpoint_is_found(keys_dir, lab_chain,
                                                      assigned_test) -> None:
    checkpoint_now()
    last = lab_chain.events.order_by("-sequence").first()
    last.delete()  # and the head row moved back, so the chain alone looks whole
    previous = lab_chain.events.get(sequence=last.sequence - 1)
    AuditChain.objects.filter(pk=lab_chain.pk).update(length=previous.sequence,
                                                      last_hash=previous.hash)
    assert findings(keys_dir) == [Finding(
        f"chain {lab_chain.key}", f"event {last.sequence}, signed by checkpoint 1, is missing")]


def test_a_chain_rehashed_consistently_is_still_caught_by_the_checkpoint(
        keys_dir, lab_chain, assigned_test) -> None:
    lab_chain.refresh_from_db()
    checkpoint_now()
    AuditEvent.objects.filter(chain=lab_chain, sequence=1).update(after={"status": "forged"})
    rehash_from(lab_chain, 1)
    chain_findings = [f for f in audit_verify().findings if f.where.startswith("chain")]
    assert chain_findings == []  # the chain agrees with itself...
    head = lab_chain.events.get(sequence=lab_chain.length)
    assert findings(keys_dir) == [Finding(  # ...but not with what was signed
        f"chain {lab_chain.key}",
        f"event {lab_chain.length} no longer has the hash checkpoint 1 signed", head.pk)]


def test_an_altered_or_removed_checkpoint_is_found(keys_dir, lab_chain) -> None:
    first, second = checkpoint_now(), checkpoint_now()
    document = json.loads(first.document)
    document["chains"][0]["length"] += 1
    Checkpoint.objects.filter(pk=first.pk).update(document=json.dumps(document))
    assert findings(keys_dir) == [Finding(
        "checkpoint 1", "the signature does not verify with the log certificate")]
    first.delete()
    assert second.number == 2
    assert findings(keys_dir) == [Finding("checkpoint 2", "checkpoint 1 is missing")]


def test_a_lab_key_cannot_sign_a_checkpoint(keys_dir, lab) -> None:
    lab_key = keys.lab_key_current(keys_dir, lab.code)
    document = checkpoint_build(number=1, issued_at=lab_key.not_before, chains=[],
                                private_key=lab_key.private_key,
                                certificate=lab_key.certificate)
    with pytest.raises(CheckpointError, match="not the network's audit log key"):
        checkpoint_verify(json.dumps(document), root=keys.root_certificate_load(keys_dir))


def test_checkpoints_and_reports_are_signed_with_the_root_key_offline(
        keys_dir, lab_chain, staff, approved_application) -> None:
    (keys_dir / "root.key.pem").unlink()
    checkpoint = checkpoint_now()
    report = report_issue(actor=staff["signatory"], application=approved_application,
                          language="en", credential=SIGNED)
    assert checkpoint.number == 1
    pdf = bytes(Report.objects.get(pk=report.pk).pdf)
    assert verify_by_pdf(pdf).outcome == "genuine"
    with pytest.raises(CommandError, match="where the root key is kept"):
        call_command("log_key")


def test_checkpoints_are_published_beside_the_trust_list(keys_dir, lab_chain, client) -> None:
    checkpoint = checkpoint_now()
    index = client.get("/audit/checkpoints.json").json()
    assert index["latest"] == 1
    assert index["checkpoints"][0]["url"] == "/audit/checkpoints/1.json"
    assert index["checkpoints"][0]["root_hash"] == checkpoint.root_hash
    published = client.get("/audit/checkpoints/1.json")
    assert published.content.decode() == checkpoint.document
    assert client.get("/audit/checkpoints/2.json").status_code == 404
    trust_list = client.get("/trust-list.json").json()
    assert trust_list["checkpoints"] == "/audit/checkpoints.json"
    log_certificate = keys.log_key_load(keys_dir).certificate
    assert trust_list["log_key"]["certificate_pem"] == keys.certificate_pem(
        log_certificate).decode()
    assert trust_list["log_key"]["certificate_pem"] == json.loads(
        checkpoint.document)["log_certificate_pem"]


def test_the_commands_make_and_check_checkpoints(keys_dir, lab_chain, capsys) -> None:
    call_command("audit_checkpoint")
    assert "Checkpoint 1:" in capsys.readouterr().out
    call_command("audit_verify")
    events = AuditEvent.objects.count()
    assert (f"Audit trail intact: {events} events in 3 chains, 1 checkpoints verified."
            in capsys.readouterr().out)
    AuditEvent.objects.filter(chain=lab_chain, sequence=1).update(reason="edited")
    with pytest.raises(CommandError, match="Audit trail broken: 1 finding"):
        call_command("audit_verify")
    assert "content does not match its hash" in capsys.readouterr().err


def test_a_new_log_key_keeps_old_checkpoints_verifiable(keys_dir, lab_chain, capsys) -> None:
    checkpoint_now()
    call_command("log_key")
    assert "New audit log key" in capsys.readouterr().out
    second = checkpoint_now()
    assert json.loads(second.document)["log_certificate_pem"] != json.loads(
        Checkpoint.objects.get(number=1).document)["log_certificate_pem"]
    assert findings(keys_dir) == []
