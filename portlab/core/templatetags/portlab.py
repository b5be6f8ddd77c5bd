from django import template

register = template.Library()


@register.filter
def measure(value: float | None) -> str:
    """A measured value with up to 6 significant digits and no padding zeros (0.041, 1.5e-05)."""
    if value is None:
        return ""
    return f"{value:.6g}"
