"""Splitting long lists for SQL statements with a bounded number of parameters."""

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of `items`, each `size` long but the last."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
