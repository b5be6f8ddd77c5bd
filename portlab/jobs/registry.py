"""Job kinds and their handlers. Each app registers its long work in its own `tasks.py`
with `@job("kind")`; the jobs app imports those modules once, at start."""

from collections.abc import Callable
from typing import Any

HANDLERS: dict[str, Callable[..., dict[str, Any]]] = {}
# kind -> links(run, user) -> [(label, url)]: what a job's page links to (the file it
# imported...), each link only for a user allowed to open it.
LINKS: dict[str, Callable[..., list[tuple[str, str]]]] = {}


def job(kind: str):
    """Register `handler(run, progress) -> outcome dict` as the work of job `kind`."""

    def register(handler: Callable[..., dict[str, Any]]):
        if kind in HANDLERS and HANDLERS[kind] is not handler:
            raise ValueError(f"job kind {kind!r} is registered twice")
        HANDLERS[kind] = handler
        return handler

    return register


def job_links(kind: str):
    """Register `links(run, user) -> [(label, url)]`, shown on the page of a job of `kind`."""

    def register(links: Callable[..., list[tuple[str, str]]]):
        LINKS[kind] = links
        return links

    return register
