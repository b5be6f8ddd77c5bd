"""Collision-free document numbers drawn from database counters."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from portlab.core.models import NumberSequence


def _ensure_sequence(name: str, year: int) -> None:
    if NumberSequence.objects.filter(name=name, year=year).exists():
        return
    try:
        with transaction.atomic():
            NumberSequence.objects.create(name=name, year=year)
    except IntegrityError:
        pass  # another transaction created it first


def next_numbers(name: str, count: int = 1) -> tuple[int, list[int]]:
    """Reserve `count` consecutive numbers. The UPDATE locks the counter row until commit,
    so concurrent callers queue and never receive the same number."""
    year = timezone.localdate().year
    _ensure_sequence(name, year)
    with transaction.atomic():
        NumberSequence.objects.filter(name=name, year=year).update(last=F("last") + count)
        last = NumberSequence.objects.values_list("last", flat=True).get(name=name, year=year)
    return year, list(range(last - count + 1, last + 1))


def format_number(prefix: str, year: int, number: int) -> str:
    return f"{prefix}{year}{number:06d}"
