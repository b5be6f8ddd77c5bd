"""Checking the audit trail: every chain from its genesis, and every signed checkpoint.

A chain alone proves only that its rows agree with each other: someone able to write the
database can edit an event and recompute every hash after it. Checkpoints catch that: each one
signed the length and head hash of every chain at its time, so the event at that position must
still carry that hash, and no chain may have become shorter.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from cryptography import x509

from portlab.audit import chain
from portlab.audit.checkpoint import CheckpointError, VerifiedCheckpoint, checkpoint_verify
from portlab.audit.models import AuditChain, AuditEvent, Checkpoint


@dataclass(frozen=True)
class Finding:
    """One thing found wrong: where (a chain or a checkpoint), which event if any, and why."""

    where: str
    reason: str
    event_id: int | None = None


@dataclass
class AuditReport:
    events: int = 0
    chains: int = 0
    checkpoints: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def _verified_checkpoints(root: x509.Certificate | None,
                          report: AuditReport) -> list[VerifiedCheckpoint]:
    verified, expected_number = [], 1
    for stored in Checkpoint.objects.order_by("number"):
        where = f"checkpoint {stored.number}"
        if stored.number != expected_number:
            report.findings.append(Finding(where, f"checkpoint {expected_number} is missing"))
        expected_number = stored.number + 1
        if root is None:
            report.findings.append(Finding(where, "no root certificate to check its signature"))
            continue
        try:
            checkpoint = checkpoint_verify(stored.document, root=root)
        except CheckpointError as error:
            report.findings.append(Finding(where, str(error)))
            continue
        if (checkpoint.number, checkpoint.root_hash) != (stored.number, stored.root_hash):
            report.findings.append(Finding(where, "its row disagrees with its signed document"))
            continue
        verified.append(checkpoint)
    report.checkpoints = len(verified)
    return verified


def _links(audit_chain: AuditChain, batch_size: int,
           seen: dict[int, tuple[int, str]]) -> Iterator[chain.Link]:
    """The chain's events in order up to its head as read (events appended while the check
    runs are left for the next one), remembering (event id, hash) at each position read."""
    events = (AuditEvent.objects.filter(chain=audit_chain, sequence__lte=audit_chain.length)
              .order_by("sequence").iterator(chunk_size=batch_size))
    for event in events:
        seen[event.sequence] = (event.id, event.hash)
        yield chain.Link(event.id, event.sequence, event.previous_hash, event.hash,
                         event.content())


def _check_chain(audit_chain: AuditChain, signed: dict[int, list[tuple[int, str]]],
                 batch_size: int, report: AuditReport) -> None:
    seen: dict[int, tuple[int, str]] = {}
    links = _links(audit_chain, batch_size, seen)
    read, last_hash, broken = chain.verify(audit_chain.key, links)
    for _rest in links:  # past a break, still collect the hashes checkpoints signed
        pass
    report.events += len(seen)
    where = f"chain {audit_chain.key}"
    if broken is not None:
        report.findings.append(Finding(where, broken.reason, broken.event_id))
    elif (read, last_hash) != (audit_chain.length, audit_chain.last_hash):
        report.findings.append(Finding(where, "events were removed from the end of the chain"
                                       if read < audit_chain.length
                                       else "the chain's head does not match its last event"))
    if _events_beyond_head(audit_chain):
        report.findings.append(Finding(where, "events lie beyond the chain's head"))
    for sequence in sorted(signed):
        for number, head in signed[sequence]:
            stored = seen.get(sequence)
            if stored is None:
                report.findings.append(Finding(
                    where, f"event {sequence}, signed by checkpoint {number}, is missing"))
            elif stored[1] != head:
                report.findings.append(Finding(
                    where, f"event {sequence} no longer has the hash checkpoint {number} signed",
                    stored[0]))


def _events_beyond_head(audit_chain: AuditChain) -> bool:
    """A writer adds its event and moves the head in one transaction, so in any committed
    state no event lies past the head; one statement compares against the current head."""
    head = AuditChain.objects.filter(pk=audit_chain.pk).values("length")
    return AuditEvent.objects.filter(chain=audit_chain, sequence__gt=head).exists()


def audit_verify(*, root_certificate: x509.Certificate | None = None,
                 batch_size: int = 5000) -> AuditReport:
    """Recompute every chain and hold it against every checkpoint; list what is wrong."""
    report = AuditReport()
    checkpoints = _verified_checkpoints(root_certificate, report)
    signed: dict[str, dict[int, list[tuple[int, str]]]] = {}
    for checkpoint in checkpoints:
        for head in checkpoint.chains:
            signed.setdefault(head.chain, {}).setdefault(head.length, []).append(
                (checkpoint.number, head.head))
    chains = {c.key: c for c in AuditChain.objects.order_by("id")}
    for key in sorted(set(signed) - set(chains)):
        report.findings.append(Finding(f"chain {key}", "a checkpoint signed it, but it is gone"))
    for audit_chain in chains.values():
        report.chains += 1
        _check_chain(audit_chain, signed.get(audit_chain.key, {}), batch_size, report)
    return report
