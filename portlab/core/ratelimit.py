"""The one per-key request counter behind PortLab's rate limits (Django's cache)."""

from django.core.cache import cache


def hit_count(key: str, window_seconds: int) -> int:
    """Count one request under `key`; the count lives `window_seconds` from its first hit."""
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the entry expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds)
        return 1
