"""Words that mean different things in different places get their own translation: a failed
QC run is out of control (失控), a refused booking is turned down (驳回), a declaration's time
is when it was declared (申报时间) — not a sample refused at reception (拒收) or received (收样).
A result file row the analyst sets aside is 剔除, and a result file that could not be read was
not imported (未导入): neither was refused at reception."""

from django.template import Context, Template
from django.utils import translation

from portlab.instruments.models import Booking, ImportRow, ResultFile
from portlab.intake.models import Status
from portlab.jobs.views import OUTCOME_LABELS
from portlab.quality.models import QCResult, QCRun


def test_the_same_english_word_in_three_places() -> None:
    with translation.override("zh-hans"):
        assert str(QCRun.Status.REJECTED.label) == "失控"
        assert str(QCResult.Status.REJECT.label) == "失控"
        assert str(Booking.Status.REJECTED.label) == "已驳回"
        assert str(Status.REJECTED.label) == "已拒收"
        page = Template('{% load i18n %}{% translate "Decision" context "booking" %}|'
                        '{% translate "Declared" context "declaration time" %}').render(Context())
    assert page == "审批|申报时间"


def test_rejected_rows_and_refused_files_are_not_samples_refused_at_reception() -> None:
    with translation.override("zh-hans"):
        assert str(ImportRow.Status.REJECTED.label) == "已剔除"
        assert str(OUTCOME_LABELS["rejected"]) == "已剔除"  # the import job's outcome
        assert str(ResultFile.Status.FAILED.label) == "未导入"
        assert str(Status.REJECTED.label) == "已拒收"
    with translation.override("en"):
        assert str(OUTCOME_LABELS["rejected"]) == "Rejected"
