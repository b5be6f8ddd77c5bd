from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """A share (0.05) as a percentage (5.0%); empty when unknown."""
    if value is None or value != value:
        return "—"
    return f"{number_format(value * 100, digits)}%"


@register.filter
def get_metric(metrics: dict | None, name: str) -> float | None:
    """A hold-out metric by name (names like "precision@5%" are not template identifiers)."""
    return (metrics or {}).get(name)
