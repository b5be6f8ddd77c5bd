"""The correction page's choices: the report's results (reopen or not) and the data that can be
corrected, keeping what was typed when the service refuses."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils import translation

from portlab.intake.models import DROPPED_STATUSES
from portlab.reports import content
from portlab.reports.amendments import (
    APPLICATION,
    APPLICATION_FIELDS,
    SAMPLE_FIELDS,
    Correction,
)
from portlab.reports.models import Report


@dataclass(frozen=True)
class ResultChoice:
    test_id: int
    sample: str
    test_item: str
    printed: str
    chosen: bool


@dataclass(frozen=True)
class DataField:
    name: str  # the form field: "<subject>:<field>"
    label: str
    value: str


class CorrectionForm:
    def __init__(self, report: Report, data: QueryDict | None):
        self.report, self.application = report, report.application
        self.data = data

    def _typed(self, name: str, stored: str) -> str:
        return self.data.get(name, stored) if self.data is not None else stored

    def results(self) -> list[ResultChoice]:
        tests = content.approved_tests(self.application)
        with translation.override("zh-hans" if self.report.language == "zh-en"
                                  else self.report.language):
            rows = content.table_rows(self.application, tests) if tests else []
        chosen = set(self.test_ids())
        return [ResultChoice(test.pk, row.sample, row.test_item,
                             f"{row.value} {'' if row.unit == content.NO_ENTRY else row.unit}",
                             test.pk in chosen)
                for test, row in zip(tests, rows, strict=True)]

    def fields(self) -> list[DataField]:
        rows = [DataField(f"{APPLICATION}:{name}", str(label),
                          self._typed(f"{APPLICATION}:{name}", getattr(self.application, name)))
                for name, label in APPLICATION_FIELDS.items()]
        samples = self.application.samples.exclude(status__in=DROPPED_STATUSES).order_by("number")
        for sample in samples:
            rows += [DataField(f"{sample.number}:{name}", f"{sample.number} {label}",
                               self._typed(f"{sample.number}:{name}", getattr(sample, name)))
                     for name, label in SAMPLE_FIELDS.items()]
        return rows

    def test_ids(self) -> list[int]:
        if self.data is None:
            return []
        return [int(value) for value in self.data.getlist("tests") if value.isdigit()]

    def corrections(self) -> list[Correction]:
        return [Correction(*field.name.split(":", 1), field.value) for field in self.fields()]

    def reason(self) -> str:
        return self.data.get("reason", "") if self.data is not None else ""
