"""The rate limiter's cost per counted request, and its exactness under concurrent workers.

Ours: portlab.core.ratelimit.hit_count on the database cache PortLab configures
(AtomicDatabaseCache: the row read and rewritten in one locked transaction).
Baselines, same run: one cache.get of the same key (a single SELECT); one plain UPDATE of the
row in its own transaction (the least a write costs, a commit); Django's plain DatabaseCache
incr (get then set, no lock) for the concurrent count.
"""

import threading

from django_bench import median_ms, report, setup_django

THREADS, HITS = 8, 50


def hammer(increment, threads: int = THREADS, hits: int = HITS) -> None:
    from django.db import connection

    barrier = threading.Barrier(threads)

    def work() -> None:
        barrier.wait()
        for _ in range(hits):
            increment()
        connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def main() -> None:
    vendor = setup_django("ratelimit")
    from django.core.cache import cache
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connection

    from portlab.core import ratelimit

    ratelimit.hit_count("bench:one", 3600)
    ours = median_ms(lambda: ratelimit.hit_count("bench:one", 3600), runs=300)
    baseline = median_ms(lambda: cache.get("bench:one"), runs=300)
    report(f"one counted request ({vendor})", ours, baseline, "one cache.get of the key",
           "< 5 ms")

    def plain_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE portlab_cache SET expires = expires WHERE cache_key = %s",
                           [cache.make_and_validate_key("bench:one")])

    write = median_ms(plain_update, runs=300)
    report(f"one counted request ({vendor})", ours, write, "one UPDATE of the row, committed",
           "< 5 ms")

    plain = DatabaseCache("portlab_cache", {})
    plain.set("bench:plain", 0, 3600)
    hammer(lambda: plain.incr("bench:plain"))
    cache.set("bench:atomic", 0, 3600)
    hammer(lambda: ratelimit.hit_count("bench:atomic", 3600))
    expected = THREADS * HITS
    print(f"{THREADS} threads x {HITS} hits on one key ({vendor}): PortLab counted "
          f"{cache.get('bench:atomic')} of {expected}; Django's plain DatabaseCache.incr "
          f"counted {plain.get('bench:plain')} of {expected}")


if __name__ == "__main__":
    main()
