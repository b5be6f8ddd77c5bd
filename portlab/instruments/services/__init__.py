"""Writes of the instruments app; every rule lives here (see the modules for each topic)."""

from portlab.instruments.services.agent import (
    AgentActor,
    Heartbeat,
    Relayed,
    agent_actor,
    command_acknowledge,
    command_create,
    commands_deliver,
    commands_pending,
    effective_state,
    heartbeat_record,
    heartbeats_relay,
    instrument_for_token,
    instrument_token_create,
    instruments_sweep,
    telemetry_for_token,
)
from portlab.instruments.services.bookings import (
    EXTERNAL_USER,
    booking_approve,
    booking_cancel,
    booking_fee,
    booking_reject,
    booking_request,
)
from portlab.instruments.services.heartbeat import heartbeat_take
from portlab.instruments.services.import_rows import (
    import_row_match,
    import_row_reject,
    import_rows_confirm,
)
from portlab.instruments.services.imports import (
    ImportOutcome,
    held_rows_retry,
    import_counts,
    result_file_import,
    result_file_publish,
    result_file_receive,
    result_file_stage,
)
from portlab.instruments.services.registry import (
    calibration_record,
    check_record,
    instrument_register,
    instrument_status_change,
    instrument_usable,
    require_lab_staff,
    result_enter_manual,
    result_enter_with_instrument,
)

__all__ = [
    "EXTERNAL_USER", "AgentActor", "Heartbeat", "ImportOutcome", "agent_actor", "booking_approve",
    "booking_cancel", "booking_fee", "booking_reject", "booking_request", "calibration_record",
    "check_record", "command_acknowledge", "command_create", "commands_deliver",
    "commands_pending", "telemetry_for_token", "Relayed", "heartbeats_relay",
    "effective_state", "heartbeat_record", "instrument_for_token", "instrument_register",
    "instrument_status_change", "instrument_token_create", "instrument_usable",
    "instruments_sweep", "heartbeat_take", "require_lab_staff", "result_enter_manual",
    "result_enter_with_instrument",
    "result_file_import", "result_file_receive", "result_file_stage", "result_file_publish",
    "import_counts", "held_rows_retry", "import_row_match", "import_row_reject",
    "import_rows_confirm",
]
