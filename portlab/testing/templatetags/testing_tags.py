"""{{ result|result_value }}: a result as the lab reads it (worklist_rows.result_value_html)."""

from django import template
from django.utils.safestring import SafeString

from portlab.testing.models import Result
from portlab.testing.worklist_rows import result_value_html

register = template.Library()


@register.filter
def result_value(result: Result | str | None) -> SafeString:
    """A test without a result reaches the filter as "" (the template's failed look-up)."""
    return result_value_html(result if isinstance(result, Result) else None)
