"""First results for many tests at once (an instrument's result file): the checks, conversions,
judgements, workflow moves and audit events of result_enter, written with bulk statements."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.audit.services import Entry, audit_record_many
from portlab.core.chunks import chunks
from portlab.core.errors import ApplicationError, ConflictError
from portlab.network.models import Specification
from portlab.testing.models import Result, Test
from portlab.testing.results import ResultInput, build_result
from portlab.testing.rollup import samples_sync_status
from portlab.testing.services import guard_enter_result, result_snapshot

CHUNK = 500


@dataclass(frozen=True)
class FirstEntry:
    """The first result of an assigned test, entered as `actor` (the test's analyst)."""

    test: Test
    actor: object
    data: ResultInput
    # Result fields saying what produced the value and who confirmed it (Result.source...).
    provenance: dict = field(default_factory=dict)


class EntryError(Exception):
    """Entry number `index` was refused; `error` says why, as result_enter would have."""

    def __init__(self, index: int, error: ApplicationError):
        super().__init__(error.message)
        self.index, self.error = index, error


def _specifications(tests: list[Test]) -> dict[tuple[int, int], Specification]:
    """Every specification the tests are judged against, read once."""
    categories = {test.sample.application.product_category_id for test in tests} - {None}
    items = {test.test_item_id for test in tests}
    rows = Specification.objects.filter(product_category_id__in=categories,
                                        test_item_id__in=items)
    return {(row.product_category_id, row.test_item_id): row for row in rows}


def _with_results(tests: list[Test]) -> set[int]:
    """Tests that already have a result (sent back to the analyst by a reviewer)."""
    found: set[int] = set()
    for chunk in chunks([test.pk for test in tests], CHUNK):
        found.update(Result.objects.filter(test_id__in=chunk).values_list("test_id", flat=True))
    return found


def _check(index: int, entry: FirstEntry, resulted: set[int]) -> None:
    try:
        guard_enter_result(actor=entry.actor, obj=entry.test)
        if entry.test.pk in resulted:  # a change, which result_enter takes only with a reason
            raise ApplicationError(_("Changing a submitted result needs a reason."),
                                   field="reason")
    except ApplicationError as error:
        raise EntryError(index, error) from error


def _build(entries: Sequence[FirstEntry]) -> list[Result]:
    tests = [entry.test for entry in entries]
    specifications, resulted = _specifications(tests), _with_results(tests)

    def lookup(category_id, item_id):
        return specifications.get((category_id, item_id))

    now, results = timezone.now(), []
    for index, entry in enumerate(entries):
        _check(index, entry, resulted)
        try:
            result = build_result(entry.test, entry.data, None, find_specification=lookup)
        except ApplicationError as error:
            raise EntryError(index, error) from error
        result.entered_by, result.entered_at = entry.actor, now
        for name, value in entry.provenance.items():
            setattr(result, name, value)
        results.append(result)
    return results


def _move_tests(tests: list[Test]) -> None:
    """assigned -> resulted, refusing if any test moved on since it was read."""
    for chunk in chunks(tests, CHUNK):
        moved = Test.objects.filter(pk__in=[test.pk for test in chunk],
                                    status=Test.Status.ASSIGNED).update(
            status=Test.Status.RESULTED, version=F("version") + 1)
        if moved != len(chunk):
            raise ConflictError(_("Some of these tests were changed by someone else meanwhile. "
                                  "Send the file again."), field="file")
    for test in tests:
        test.status, test.version = Test.Status.RESULTED, test.version + 1


@transaction.atomic
def results_enter_first(entries: Sequence[FirstEntry]) -> list[Result]:
    """Enter the first result of each assigned test, all or nothing. The same guards and
    judgement as result_enter and the same audit events ("result_submit" per test,
    "sample_status" and "application_status" as they move); raises EntryError naming the
    entry that was refused."""
    if len({entry.test.pk for entry in entries}) != len(entries):
        raise ValueError("each test may appear once")
    if not entries:
        return []
    results = _build(entries)
    Result.objects.bulk_create(results, batch_size=CHUNK)
    _move_tests([entry.test for entry in entries])
    audit_record_many([
        Entry(actor=entry.actor, action="result_submit", entity=entry.test,
              before={"status": Test.Status.ASSIGNED},
              after={"status": Test.Status.RESULTED, "result": result_snapshot(result)})
        for entry, result in zip(entries, results, strict=True)])
    samples_sync_status({entry.test.sample_id: entry.actor for entry in entries})
    return results
