from django import template

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.934 → "93.4%"; no data → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"


@register.filter
def score(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


@register.filter
def posted_value(posted, material_id: int) -> str:
    """What was typed for a control level (`value_<material id>`), kept after an error."""
    return posted.get(f"value_{material_id}", "") if posted else ""
