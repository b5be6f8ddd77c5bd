"""Making and publishing checkpoints (see checkpoint.py for the document and its checks)."""

import datetime as dt
import json

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone

from portlab.audit.checkpoint import TIME_FORMAT, ChainHead, checkpoint_build
from portlab.audit.models import AuditChain, Checkpoint

# The index lists this many newest checkpoints; every one stays at its own URL.
INDEX_LENGTH = 1000


def checkpoint_create(*, private_key: ec.EllipticCurvePrivateKey,
                      certificate: x509.Certificate,
                      now: dt.datetime | None = None) -> Checkpoint:
    """Sign the current head of every chain that holds events, as the next checkpoint.

    Reads the heads in one statement without locking them: writers never wait for a
    checkpoint, and a statement sees one committed state of every row.
    """
    with transaction.atomic():
        heads = [ChainHead(key, length, last_hash) for key, length, last_hash in
                 AuditChain.objects.filter(length__gt=0).order_by("id")
                 .values_list("key", "length", "last_hash")]
        last = Checkpoint.objects.order_by("-number").values_list("number", flat=True).first()
        document = checkpoint_build(number=(last or 0) + 1, issued_at=now or timezone.now(),
                                    chains=heads, private_key=private_key,
                                    certificate=certificate)
        return Checkpoint.objects.create(
            number=document["number"],
            issued_at=dt.datetime.strptime(document["issued_at"], TIME_FORMAT)
            .replace(tzinfo=dt.UTC),
            tree_size=document["tree_size"], root_hash=document["root_hash"],
            document=json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n")


def checkpoint_index(*, base_path: str) -> dict:
    """The published index: the newest checkpoint's figures and where each one lives."""
    rows = list(Checkpoint.objects.order_by("-number")
                .values("number", "issued_at", "tree_size", "root_hash")[:INDEX_LENGTH])
    return {
        "latest": rows[0]["number"] if rows else None,
        "checkpoints": [{
            "number": row["number"],
            "issued_at": row["issued_at"].astimezone(dt.UTC).strftime(TIME_FORMAT),
            "tree_size": row["tree_size"],
            "root_hash": row["root_hash"],
            "url": f"{base_path}{row['number']}.json",
        } for row in rows],
    }
