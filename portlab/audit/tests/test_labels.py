"""Every audited action has a name on screen in both languages (issue 12 item 8: the
application page showed "application_register → submitted"). The codes are read from the
source, so a new `audit_record(action=...)` without a name fails here."""

import re
from pathlib import Path
from types import SimpleNamespace

from django.utils import translation

from portlab.audit.labels import ACTIONS, action_label, with_labels

SOURCE = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r'audit_record\((?:[^()]|\([^()]*\))*?action="([a-z_]+)"', re.S)
# Helpers that pass their action on to audit_record as a positional string.
HELPER = re.compile(r"\b(?:_transition|_decide|_created|_audit_issue|_move_test)\(")
CODE = re.compile(r'"([a-z]+_[a-z_]+)"(?!\s*(?::|,\)))')  # not a dict key, not fields=("x",)
# Codes built at run time: f"test_{stage}[_return]" (testing/services.py), f"transfer_{status}"
# (transfers/services.py), f"{model}_update|_close" (quality/services/improvement.py).
BUILT = {"test_review", "test_review_return", "test_approval", "test_approval_return",
         "transfer_dispatched", "transfer_in_transit", "transfer_received", "transfer_rejected",
         "nonconformity_update", "nonconformity_close", "complaint_update", "complaint_close",
         "correctiveaction_update", "correctiveaction_close", "internalaudit_update",
         "internalaudit_close"}


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        found |= set(LITERAL.findall(text))
        for call in HELPER.finditer(text):
            found |= set(CODE.findall(_arguments(text, call.end())))
    return found


def _arguments(text: str, start: int) -> str:
    """The text of a call's arguments, from after its "(" to the matching ")"."""
    depth = 1
    for end in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            return text[start:end]
    return text[start:]


def test_every_audited_action_in_the_source_has_a_name() -> None:
    codes = codes_in_source()
    assert {"application_register", "result_submit", "test_assign", "report_issue",
            "booking_approve", "nonconformity_raise", "sample_receive"} <= codes
    assert sorted((codes | BUILT) - set(ACTIONS)) == []


def test_names_are_in_the_users_language() -> None:
    with translation.override("zh-hans"):
        assert action_label("application_register") == "申请已提交"
        assert action_label("test_review_return") == "检测在复核环节被驳回"
        assert action_label("no_such_action") == "变更已记录"
    with translation.override("en"):
        assert action_label("application_register") == "Application filed"
        assert action_label("no_such_action") == "Change recorded"


def test_events_get_the_names_of_their_action_and_of_the_value_they_reached() -> None:
    events = [SimpleNamespace(action="application_register", after={"status": "submitted"}),
              SimpleNamespace(action="application_cancel", after=None)]
    with translation.override("zh-hans"):
        rows = with_labels(iter(events), status={"submitted": "已提交"})
        assert [(str(e.action_label), e.status_label) for e in rows] == [
            ("申请已提交", "已提交"), (action_label("application_cancel"), "")]
    assert rows == events and not hasattr(rows[0], "lane_label")


def test_every_name_has_a_chinese_translation() -> None:
    with translation.override("zh-hans"):
        untranslated = [code for code, label in ACTIONS.items()
                        if re.search(r"[A-Za-z]{3}", str(label).replace("API", ""))]
    assert untranslated == []
