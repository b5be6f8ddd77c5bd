"""Query parameters the JSON API's routes share, validated before the route runs: an answer of
422 names the parameter and the bound it broke."""

from ninja import Query


def page_limit(default: int, maximum: int):
    """A list's `limit`: how many rows to return, from 1 to `maximum`."""
    return Query(default, ge=1, le=maximum, description=f"Rows to return, 1 to {maximum}.")


def days_ahead(default: int, maximum: int):
    """A look-ahead window in days, from 0 (today) to `maximum`."""
    return Query(default, ge=0, le=maximum, description=f"Days ahead, 0 to {maximum}.")
