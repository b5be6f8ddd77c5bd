"""Two people at once: numbers never collide, stale edits are refused, nothing is overwritten."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from portlab.core.errors import ConflictError
from portlab.intake.models import Sample
from portlab.intake.services import SampleInput, application_register
from portlab.testing.models import Result
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter


def run_in_threads(work: Callable[[int], object], count: int) -> list[object]:
    """Run work(i) in `count` threads started together; return results or exceptions."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def target(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = work(index)
        except Exception as error:  # the test inspects what each thread met
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_sample_numbers_never_collide(staff, enterprise, lab, lead) -> None:
    def register(index: int):
        return application_register(
            actor=staff["customer"], enterprise=enterprise, lab=lab,
            goods_description=f"大米 {index}", hs_code="1006302000", purpose="import",
            test_item_ids=[lead.id], samples=[SampleInput("a"), SampleInput("b")])

    outcomes = run_in_threads(register, 6)
    assert [type(o).__name__ for o in outcomes] == ["Application"] * 6
    numbers = list(Sample.objects.values_list("number", flat=True))
    assert len(numbers) == 12 and len(set(numbers)) == 12


@pytest.mark.django_db(transaction=True)
def test_two_editors_of_one_result(staff, assigned_test) -> None:
    first = result_enter(actor=staff["analyst"], test=assigned_test,
                         data=ResultInput(kind="numeric", value="0.05"))

    def change(index: int):
        return result_enter(actor=staff["analyst"], test=assigned_test,
                            data=ResultInput(kind="numeric", value=f"0.0{index + 6}"),
                            reason=f"editor {index}", expected_version=first.version)

    outcomes = run_in_threads(change, 2)
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    saved = [o for o in outcomes if isinstance(o, Result)]
    assert (len(conflicts), len(saved)) == (1, 1)
    stored = Result.objects.get()
    assert (stored.value, stored.version) == (saved[0].value, 2)
