"""What each audited action is called on screen (no raw codes shown to users, issue 12 item 8).
The codes are written by `audit_record(action=...)` across the apps; a test reads every literal
code in the source and fails on one without a name here."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext, pgettext_lazy

ACTIONS = {
    "accreditation_scope_record": pgettext_lazy("audit action", "Accreditation scope recorded"),
    "agreement_create": pgettext_lazy("audit action", "Recognition agreement created"),
    "alert_resolve": pgettext_lazy("audit action", "Alert resolved"),
    "aliquot_create": pgettext_lazy("audit action", "Aliquot made"),
    "api_token_revoke": pgettext_lazy("audit action", "API token revoked"),
    "application_cancel": pgettext_lazy("audit action", "Application cancelled"),
    "application_priority": pgettext_lazy("audit action", "Application priority set"),
    "application_register": pgettext_lazy("audit action", "Application filed"),
    "application_status": pgettext_lazy("audit action", "Application status changed"),
    "authenticator_remove": pgettext_lazy("audit action", "Authenticator app removed"),
    "authorization_grant": pgettext_lazy("audit action", "Authorization granted"),
    "authorization_renew": pgettext_lazy("audit action", "Authorization renewed"),
    "authorization_revoke": pgettext_lazy("audit action", "Authorization revoked"),
    "authorization_update": pgettext_lazy("audit action", "Authorization changed"),
    "booking_approve": pgettext_lazy("audit action", "Booking approved"),
    "booking_cancel": pgettext_lazy("audit action", "Booking cancelled"),
    "booking_reject": pgettext_lazy("audit action", "Booking declined"),
    "booking_request": pgettext_lazy("audit action", "Booking requested"),
    "calibration_record": pgettext_lazy("audit action", "Calibration recorded"),
    "capability_accredit": pgettext_lazy("audit action", "Capability accredited"),
    "catalog_import": pgettext_lazy("audit action", "Catalogue imported"),
    "competence_record_add": pgettext_lazy("audit action", "Competence record added"),
    "complaint_close": pgettext_lazy("audit action", "Complaint closed"),
    "complaint_receive": pgettext_lazy("audit action", "Complaint received"),
    "complaint_update": pgettext_lazy("audit action", "Complaint changed"),
    "control_material_create": pgettext_lazy("audit action", "Control material added"),
    "corrective_action_open": pgettext_lazy("audit action", "Corrective action opened"),
    "correctiveaction_close": pgettext_lazy("audit action", "Corrective action closed"),
    "correctiveaction_update": pgettext_lazy("audit action", "Corrective action changed"),
    "declaration_decide": pgettext_lazy("audit action", "Inspection decision made"),
    "declaration_label": pgettext_lazy("audit action", "Declaration labelled with a lab result"),
    "declaration_label_skip":
        pgettext_lazy("audit action", "Lab result not applied (labelled by an officer)"),
    "declaration_link": pgettext_lazy("audit action", "Declaration linked to an application"),
    "declaration_register": pgettext_lazy("audit action", "Declaration registered"),
    "declarations_import": pgettext_lazy("audit action", "Declarations imported"),
    "disposal_approve": pgettext_lazy("audit action", "Disposal approved"),
    "disposal_propose": pgettext_lazy("audit action", "Disposal proposed"),
    "downtime_fit": pgettext_lazy("audit action",
                                  "Instruments' downtime learned from their status record"),
    "enterprise_create": pgettext_lazy("audit action", "Enterprise created"),
    "enterprise_grade_set": pgettext_lazy("audit action", "Credit grade set"),
    "enterprise_invite": pgettext_lazy("audit action", "Enterprise user invited"),
    "enterprise_register": pgettext_lazy("audit action", "Enterprise registered"),
    "enterprise_verify": pgettext_lazy("audit action", "Enterprise verified"),
    "exchange_rate_set": pgettext_lazy("audit action", "Exchange rate set"),
    "import_row_match": pgettext_lazy("audit action", "Imported row matched"),
    "import_row_reject": pgettext_lazy("audit action", "Imported row rejected"),
    "import_rows_confirm": pgettext_lazy("audit action", "Imported values confirmed"),
    "instrument_command": pgettext_lazy("audit action", "Command sent to instrument"),
    "instrument_command_ack": pgettext_lazy("audit action", "Instrument acknowledged command"),
    "instrument_offline": pgettext_lazy("audit action", "Instrument marked offline"),
    "instrument_register": pgettext_lazy("audit action", "Instrument registered"),
    "instrument_status": pgettext_lazy("audit action", "Instrument status changed"),
    "instrument_token_create": pgettext_lazy("audit action", "Instrument token created"),
    "instrument_use": pgettext_lazy("audit action", "Instrument used"),
    "intermediate_check": pgettext_lazy("audit action", "Intermediate check recorded"),
    "internal_audit_plan": pgettext_lazy("audit action", "Internal audit planned"),
    "internalaudit_close": pgettext_lazy("audit action", "Internal audit closed"),
    "internalaudit_update": pgettext_lazy("audit action", "Internal audit changed"),
    "invitation_accept": pgettext_lazy("audit action", "Invitation accepted"),
    "lab_key_compromise": pgettext_lazy("audit action", "Lab key declared compromised"),
    "lab_key_issue": pgettext_lazy("audit action", "Lab key issued"),
    "lateness_fit": pgettext_lazy("audit action", "Lateness table learned from completed tests"),
    "method_validation_record": pgettext_lazy("audit action", "Method verification recorded"),
    "model_train": pgettext_lazy("audit action", "Risk model trained"),
    "nonconformity_close": pgettext_lazy("audit action", "Nonconformity closed"),
    "nonconformity_raise": pgettext_lazy("audit action", "Nonconformity raised"),
    "nonconformity_update": pgettext_lazy("audit action", "Nonconformity changed"),
    "official_year_record": pgettext_lazy("audit action", "Official calendar year recorded"),
    "pt_result_submit": pgettext_lazy("audit action", "PT result submitted"),
    "pt_round_close": pgettext_lazy("audit action", "PT round closed"),
    "pt_round_open": pgettext_lazy("audit action", "PT round opened"),
    "pt_round_score": pgettext_lazy("audit action", "PT round scored"),
    "pt_scheme_create": pgettext_lazy("audit action", "PT scheme created"),
    "qc_results_record": pgettext_lazy("audit action", "QC results recorded"),
    "qc_run_create": pgettext_lazy("audit action", "QC run created"),
    "qc_run_link_tests": pgettext_lazy("audit action", "Tests linked to QC run"),
    "rawfile_store": pgettext_lazy("audit action", "Raw data file stored"),
    "report_amend": pgettext_lazy("audit action", "Report amended"),
    "report_amendment_open": pgettext_lazy("audit action", "Report amendment opened"),
    "report_correction": pgettext_lazy("audit action", "Report corrected"),
    "report_issue": pgettext_lazy("audit action", "Report issued"),
    "report_reissue": pgettext_lazy("audit action", "Report reissued"),
    "report_revoke": pgettext_lazy("audit action", "Report revoked"),
    "report_supersede": pgettext_lazy("audit action", "Report superseded"),
    "result_change": pgettext_lazy("audit action", "Result changed"),
    "result_file_import": pgettext_lazy("audit action", "Result file imported"),
    "result_file_retry": pgettext_lazy("audit action", "Result file import retried"),
    "result_submit": pgettext_lazy("audit action", "Result entered"),
    "retention_period_set": pgettext_lazy("audit action", "Retention period set"),
    "risk_profile_set": pgettext_lazy("audit action", "Risk profile set"),
    "risk_rule_create": pgettext_lazy("audit action", "Risk rule created"),
    "risk_rule_deactivate": pgettext_lazy("audit action", "Risk rule deactivated"),
    "role_grant": pgettext_lazy("audit action", "Role granted"),
    "sample_move": pgettext_lazy("audit action", "Sample moved"),
    "sample_receive": pgettext_lazy("audit action", "Sample received"),
    "sample_reject": pgettext_lazy("audit action", "Sample refused at reception"),
    "sample_retention_start": pgettext_lazy("audit action", "Sample retention started"),
    "sample_status": pgettext_lazy("audit action", "Sample status changed"),
    "samples_add": pgettext_lazy("audit action", "Samples added"),
    "sampling_rate_adapt": pgettext_lazy("audit action", "Sampling rate adapted"),
    "sampling_rate_set": pgettext_lazy("audit action", "Sampling rate set"),
    "schedule_set": pgettext_lazy("audit action", "Schedule set"),
    "standing_assignment_set": pgettext_lazy("audit action", "Standing assignment set"),
    "standing_assignment_skip":
        pgettext_lazy("audit action", "Standing assignment not applied at receipt"),
    "standard_withdraw": pgettext_lazy("audit action", "Standard withdrawn"),
    "storage_location_create": pgettext_lazy("audit action", "Storage location created"),
    "test_approval": pgettext_lazy("audit action", "Test approved"),
    "test_approval_return": pgettext_lazy("audit action", "Test returned at approval"),
    "test_assign": pgettext_lazy("audit action", "Test assigned"),
    "test_reopen": pgettext_lazy("audit action", "Test reopened"),
    "test_retest": pgettext_lazy("audit action", "Retest ordered"),
    "test_retract": pgettext_lazy("audit action", "Test retracted"),
    "test_review": pgettext_lazy("audit action", "Test reviewed"),
    "test_review_return": pgettext_lazy("audit action", "Test returned at review"),
    "test_transfer_dispatch": pgettext_lazy("audit action", "Test sent to another lab"),
    "test_transfer_receive": pgettext_lazy("audit action", "Test received from another lab"),
    "test_transfer_return": pgettext_lazy("audit action", "Test returned by the receiving lab"),
    "transfer_dispatch": pgettext_lazy("audit action", "Test sent for transfer"),
    "transfer_dispatched": pgettext_lazy("audit action", "Transfer dispatched"),
    "transfer_in_transit": pgettext_lazy("audit action", "Transfer in transit"),
    "transfer_received": pgettext_lazy("audit action", "Transfer received"),
    "transfer_rejected": pgettext_lazy("audit action", "Transfer refused"),
}


def action_label(code: str) -> str:
    """The action's name in the user's language; an unnamed code reads "Change recorded"."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else gettext("Change recorded")


def with_labels(events: Iterable[Any], **reached: Mapping[Any, Any]) -> list[Any]:
    """The events, each given `action_label` and, for each keyword (e.g. `status=dict(Status
    .choices)`), `<keyword>_label`: the name of the value its `after` gives that field, or ""."""
    rows = list(events)
    for event in rows:
        after = event.after or {}
        event.action_label = action_label(event.action)
        for field, names in reached.items():
            setattr(event, f"{field}_label", names.get(after.get(field), ""))
    return rows
