"""`portlab verify-report FILE.pdf --trust-list FILE.json`: offline check, no database access.

Prints the result as JSON; exit code 0 when the PDF is genuine, 1 otherwise. Offline, a
verifier cannot know whether a genuine report was later superseded or revoked; it says so.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from portlab.reports.pdf_sign import PdfVerificationError, verify_pdf
from portlab.reports.trust_list import TrustListError, trust_list_load

ONLINE_NOTE = "Offline check: signature and content only; ask the lab's /verify page whether " \
              "this version is still current."


def _result(status: str, message: str, **facts) -> dict:
    return {"status": status, "genuine": status == "genuine", "message": message, **facts}


def verify_file(pdf_path: Path, trust_list_path: Path, fingerprint: str | None) -> dict:
    try:
        trust_list = trust_list_load(trust_list_path.read_bytes(),
                                     pinned_root_fingerprint=fingerprint)
    except (OSError, TrustListError) as error:
        return _result("error", f"trust list rejected: {error}")
    try:
        outcome = verify_pdf(pdf_path.read_bytes(), trust_list)
    except (OSError, PdfVerificationError) as error:
        return _result("malformed", str(error))
    payload = outcome.payload_result.payload if outcome.payload_result else None
    facts = {"kid": outcome.signer_kid.hex() if outcome.signer_kid else None}
    if payload is not None:
        facts.update(report_number=payload.report_number, version=payload.version,
                     issue_date=payload.issue_date.isoformat(), lab_code=payload.lab_code,
                     lab_name=outcome.payload_result.lab_name,
                     applicant=payload.applicant_name, conclusion=payload.conclusion)
    if outcome.is_genuine:
        facts["note"] = ONLINE_NOTE
    return _result(outcome.status.value, outcome.message, **facts)


class Command(BaseCommand):
    help = "Verify a report PDF offline against a trust list (no database needed)."
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("pdf", type=Path)
        parser.add_argument("--trust-list", type=Path, required=True)
        parser.add_argument("--root-fingerprint", default=None,
                            help="Pinned SHA-256 of the root certificate (hex).")

    def handle(self, *args, **options) -> None:
        result = verify_file(options["pdf"], options["trust_list"], options["root_fingerprint"])
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        sys.exit(0 if result["genuine"] else 1)
