"""Helpers shared by the server-rendered pages."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from portlab.core.errors import ApplicationError


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call; show its success or its error as a message on the next page."""
    try:
        action()
    except ApplicationError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def optional_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
