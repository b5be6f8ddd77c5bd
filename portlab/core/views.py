"""Helpers shared by the server-rendered pages."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from portlab.core.errors import ApplicationError
from portlab.core.glossary import GLOSSARY


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


def glossary(request: HttpRequest) -> HttpResponse:
    """Public: the domain's terms in Chinese and English, with what each means."""
    chinese = get_language().lower().startswith("zh")
    terms = [{"english": t.english, "chinese": t.chinese,
              "meaning": t.meaning_zh if chinese else t.meaning} for t in GLOSSARY]
    return render(request, "core/glossary.html", {"terms": terms})
