"""The quality system's records (ISO/IEC 17025 §6.2, §7.2, §7.7, §7.9, §7.10, §8.7, §8.8)."""

from portlab.quality.models.improvement import (
    Complaint,
    CorrectiveAction,
    InternalAudit,
    Nonconformity,
)
from portlab.quality.models.methods import Alert, MethodValidation
from portlab.quality.models.personnel import Authorization, CompetenceRecord, Duty
from portlab.quality.models.pt import PTParticipant, PTResult, PTRound, PTScheme
from portlab.quality.models.qc import ControlMaterial, QCResult, QCRun, QCRunTest

__all__ = [
    "Alert", "Authorization", "CompetenceRecord", "Complaint", "ControlMaterial",
    "CorrectiveAction", "Duty", "InternalAudit", "MethodValidation", "Nonconformity",
    "PTParticipant", "PTResult", "PTRound", "PTScheme", "QCResult", "QCRun", "QCRunTest",
]
