"""Read replicas: the boards and network views read from a PostgreSQL streaming replica when
DATABASE_REPLICA_URL is set; every write, and every other read, goes to the primary.

A view opts in with `@reads_from_replica` (read-only GET views only: a view that writes and
then reads would not see its own write on a lagging replica). The router sends reads there only
while such a view runs (a context variable, so threads and async tasks do not mix). A replica
that does not answer is checked again at most every RECHECK_SECONDS; meanwhile the views read
from the primary, so a replica that is down costs one short connect timeout, not an error.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
RECHECK_SECONDS = 10.0

logger = logging.getLogger(__name__)
_reading = ContextVar("portlab_replica_reads", default=False)
_health_lock = threading.Lock()
_health: dict[str, float | bool] = {"checked": float("-inf"), "up": False}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_available() -> bool:
    """Whether the replica answers, checked at most every RECHECK_SECONDS."""
    with _health_lock:
        if time.monotonic() - float(_health["checked"]) < RECHECK_SECONDS:
            return bool(_health["up"])
        connection = connections[REPLICA]
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            up = True
        except DatabaseError as error:
            connection.close()
            logger.warning("read replica unavailable, reading from the primary: %s", error)
            up = False
        _health.update(checked=time.monotonic(), up=up)
        return up


def replica_health_forget() -> None:
    """Check the replica again on the next request (tests, and after maintenance)."""
    with _health_lock:
        _health.update(checked=float("-inf"), up=False)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not (replica_configured() and replica_available()):
            return view(*args, **kwargs)
        token = _reading.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reading.reset(token)
    return wrapper


class ReplicaRouter:
    """Reads inside `@reads_from_replica` views go to the replica; everything else to default."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return REPLICA if _reading.get() else None

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # a streaming replica replays the primary's schema
