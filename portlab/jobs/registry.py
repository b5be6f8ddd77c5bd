"""Job kinds and their handlers. Each app registers its long work in its own `tasks.py`
with `@job("kind")`; the jobs app imports those modules once, at start."""

from collections.abc import Callable
from typing import Any

HANDLERS: dict[str, Callable[..., dict[str, Any]]] = {}

# What a finished job offers to open or download, given by the app that made it: the jobs app
# sits below the file store and the apps, so it cannot know where a report's PDF is served or
# who may still read it. `links(run, user) -> [(label, url), ...]`, each link only for a user
# allowed to open it.
LINKS: dict[str, Callable[[Any, Any], list[tuple[str, str]]]] = {}


def job(kind: str, links: Callable[[Any, Any], list[tuple[str, str]]] | None = None):
    """Register `handler(run, progress) -> outcome dict` as the work of job `kind`, and
    optionally `links(run, user)`, the outcome's links shown on the job page once it succeeded."""

    def register(handler: Callable[..., dict[str, Any]]):
        if kind in HANDLERS and HANDLERS[kind] is not handler:
            raise ValueError(f"job kind {kind!r} is registered twice")
        HANDLERS[kind] = handler
        if links is not None:
            LINKS[kind] = links
        return handler

    return register


def outcome_links(run: Any, user: Any) -> list[tuple[str, str]]:
    """The links a succeeded run offers `user` (none before it succeeded)."""
    if run.state != "succeeded" or run.kind not in LINKS:
        return []
    return LINKS[run.kind](run, user)
