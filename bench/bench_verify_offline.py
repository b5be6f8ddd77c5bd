"""Offline verification of one report QR payload vs a raw ECDSA P-256 verify of the same bytes.

Run: python bench/bench_verify_offline.py [runs]. Budget from the issue: under 1 ms per payload.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: E402

from portlab.reports.cose import qr_decode, sig_structure, sign1_decode  # noqa: E402
from portlab.reports.keys import lab_certificate_issue, root_create  # noqa: E402
from portlab.reports.payload import (  # noqa: E402
    ResultRow,
    VerificationStatus,
    payload_build,
    payload_sign,
    verify_payload,
)
from portlab.reports.trust_list import trust_list_build, trust_list_load  # noqa: E402

BUDGET_SECONDS = 0.001


def median_seconds(function: Callable[[], object], runs: int) -> float:
    for _ in range(min(runs, 100)):
        function()
    timings = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        function()
        timings.append(time.perf_counter_ns() - start)
    return statistics.median(timings) / 1e9


def main(runs: int = 5000) -> None:
    root = root_create(network_name="PortLab Network")
    labs = [
        lab_certificate_issue(root=root, lab_code=f"LAB{index:02d}", lab_name=f"Lab {index}")
        for index in range(40)
    ]
    trust_list = trust_list_load(
        trust_list_build(root=root, lab_certificates=[lab.certificate for lab in labs])
    )
    rows = [
        ResultRow(f"S-{sample:03d}", f"Parameter {item}", "0.12", "mg/kg", "conform")
        for sample in range(5)
        for item in range(10)
    ]
    payload = payload_build(
        report_number="LAB07-2025-000123",
        version=1,
        issue_date=dt.datetime.now(dt.UTC).date(),
        lab_code="LAB07",
        applicant_name="Müller Import GmbH",
        conclusion="conform",
        result_rows=rows,
    )
    qr_text = payload_sign(payload, labs[7])
    assert verify_payload(qr_text, trust_list).status is VerificationStatus.GENUINE

    message = sign1_decode(qr_decode(qr_text))
    signed_bytes = sig_structure(message.protected_bytes, message.payload)
    der_signature = encode_dss_signature(
        int.from_bytes(message.signature[:32], "big"), int.from_bytes(message.signature[32:], "big")
    )
    public_key = labs[7].private_key.public_key()

    def raw_verify() -> None:
        public_key.verify(der_signature, signed_bytes, ec.ECDSA(hashes.SHA256()))

    baseline = median_seconds(raw_verify, runs)
    full = median_seconds(lambda: verify_payload(qr_text, trust_list), runs)
    print(
        f"QR text: {len(qr_text)} characters, trust list: {len(trust_list.keys)} keys, "
        f"{runs} runs each, median"
    )
    print(f"baseline raw ECDSA P-256 verify : {baseline * 1e6:8.1f} us")
    print(f"verify_payload (QR -> result)   : {full * 1e6:8.1f} us")
    print(f"ratio verify_payload / baseline : {full / baseline:8.2f}x")
    verdict = "within" if full < BUDGET_SECONDS else "OVER"
    print(f"budget 1 ms                     : {verdict} ({full / BUDGET_SECONDS:.0%} of budget)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
