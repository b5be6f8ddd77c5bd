"""Writes of the quality system: every one checks its rule, runs in a transaction and is audited.

The testing workflow calls `authorization_require` and `qc_approval_require` as guards.
"""

from portlab.quality.services.improvement import (
    complaint_receive,
    corrective_action_open,
    internal_audit_plan,
    nonconformity_raise,
    record_close,
    record_update,
)
from portlab.quality.services.methods import (
    alert_resolve,
    method_validation_record,
    standard_withdraw,
)
from portlab.quality.services.personnel import (
    authorization_grant,
    authorization_renew,
    authorization_require,
    authorization_revoke,
    authorization_update,
    competence_record_add,
)
from portlab.quality.services.pt import (
    pt_result_submit,
    pt_round_close,
    pt_round_open,
    pt_round_score,
    pt_scheme_create,
)
from portlab.quality.services.qc import (
    control_material_create,
    qc_approval_require,
    qc_results_record,
    qc_run_create,
    qc_run_link_tests,
    qc_run_record,
)

__all__ = [
    "alert_resolve", "authorization_grant", "authorization_renew", "authorization_require",
    "authorization_revoke", "authorization_update",
    "competence_record_add", "complaint_receive", "control_material_create",
    "corrective_action_open", "internal_audit_plan", "method_validation_record",
    "nonconformity_raise", "pt_result_submit", "pt_round_close", "pt_round_open",
    "pt_round_score", "pt_scheme_create", "qc_approval_require", "qc_results_record",
    "qc_run_create", "qc_run_link_tests", "qc_run_record", "record_close", "record_update",
    "standard_withdraw",
]
