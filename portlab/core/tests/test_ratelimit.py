"""The one rate limiter: counts shared by every worker and exact under concurrent hits."""

import os

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from portlab.core import ratelimit
from portlab.core.tests.test_concurrency import run_in_threads


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_one_key_are_counted_exactly() -> None:
    """8 workers x 25 hits on one key, each worker with its own database connection (as separate
    processes have): every hit gets its own count, and the total is exact."""

    def hammer(_index: int) -> list[int]:
        return [ratelimit.hit_count("portlab:rate:test:one-key", 60) for _ in range(25)]

    outcomes = run_in_threads(hammer, 8)
    counts = sorted(count for outcome in outcomes for count in outcome)  # type: ignore[union-attr]
    assert counts == list(range(1, 201))
    assert cache.get("portlab:rate:test:one-key") == 200


def test_the_limit_holds_per_address_and_bucket(db, settings) -> None:
    settings.PORTLAB_RATE_LIMITS = {"progress": (2, 600)}
    request = RequestFactory().post("/progress/", REMOTE_ADDR="10.1.1.1")
    verdicts = [ratelimit.hit(request, "progress").limited for _ in range(3)]
    assert verdicts == [False, False, True]
    assert ratelimit.peek(request, "progress").limited
    assert not ratelimit.hit(request, "invitation").limited
    other = RequestFactory().post("/progress/", REMOTE_ADDR="10.1.1.2")
    assert not ratelimit.hit(other, "progress").limited


def test_a_limit_of_zero_disables_the_bucket(db, settings) -> None:
    settings.PORTLAB_VERIFY_RATE_LIMIT = 0
    request = RequestFactory().get("/verify")
    assert [ratelimit.hit(request, "verify").limited for _ in range(5)] == [False] * 5


def test_the_refusal_says_when_to_come_back_in_the_users_language(db, settings) -> None:
    settings.PORTLAB_RATE_LIMITS = {"progress": (1, 600)}
    client = Client(headers={"accept-language": "zh-hans"})
    client.post("/progress/", {"number": "A1", "query_code": "x"})
    response = client.post("/progress/", {"number": "A1", "query_code": "x"})
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert f"来自您地址的请求过多，请在 {seconds} 秒后再试。" in response.content.decode()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_concurrent_hits_are_exact_in_redis_too(settings) -> None:
    """The same hammering against Django's RedisCache, which REDIS_URL selects (INCR is atomic)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": os.environ["REDIS_URL"]}}
    key = f"portlab:rate:test:redis:{os.getpid()}"
    cache.delete(key)

    def hammer(_index: int) -> list[int]:
        return [ratelimit.hit_count(key, 60) for _ in range(25)]

    outcomes = run_in_threads(hammer, 8)
    counts = sorted(count for outcome in outcomes for count in outcome)  # type: ignore[union-attr]
    assert counts == list(range(1, 201))
    cache.delete(key)
