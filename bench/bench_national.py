"""The national year on PostgreSQL (`make bench-national`): how long `portlab generate
--national` takes and how much disk it uses, then the quality board for the whole network, one
district and one lab at that size, read live and from the roll-up tables.

    .venv/bin/python bench/bench_national.py [--scale 0.02] [--database portlab_national_bench]
        [--reuse]

A fresh database on the server of BENCH_POSTGRES_URL (default the local `portlab` role) is
created (dropped first); --reuse keeps an already generated one and times only the board. At
--scale 1 this is the full national year (50,000,000 tests: goal under an hour and 40 GB);
the default is 1.0 (47 minutes and 23.8 GB on this shared 2-core machine, under load).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://portlab:portlab@127.0.0.1:5432/portlab")


def _fresh(name: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _baseline(url: str, rows: int) -> None:
    """The same number of rows as the tests, of a trivial two-column table, inserted by one
    plain INSERT ... SELECT and given one index: what PostgreSQL needs at the least."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SET synchronous_commit = off")
        connection.execute("CREATE TABLE baseline_rows (id bigint, n bigint)")
        started = time.perf_counter()
        connection.execute("INSERT INTO baseline_rows SELECT n, n FROM generate_series(1, %s) n",
                           [rows])
        inserted = time.perf_counter() - started
        connection.execute("SET maintenance_work_mem = '2GB'")
        connection.execute("CREATE INDEX ON baseline_rows (n)")
        indexed = time.perf_counter() - started - inserted
        connection.execute("DROP TABLE baseline_rows")
    print(f"baseline, same run: {rows:,} trivial rows inserted in {inserted:.1f} s "
          f"({rows / inserted:,.0f} rows/s), one index on them in {indexed:.1f} s")


def _generate(url: str, scale: float) -> float:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([str(ROOT / ".venv/bin/portlab"), "migrate", "-v0"], check=True, env=env)
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/portlab"), "generate", "--national", "--scale",
                    str(scale)], check=True, env=env)
    return time.perf_counter() - started


def _board_users() -> dict:
    """A quality manager of the network, of the first district and of its first lab: the
    board's three scopes as users see them (whole network, whole district, one lab)."""
    from portlab.accounts.models import Role, User
    from portlab.accounts.services import user_create
    from portlab.network.models import District

    district = District.objects.order_by("code").first()
    lab = district.labs.order_by("code").first()
    users = {}
    for name, scope, query in (("network", None, {}), ("district", district, {}),
                               ("lab", lab, {"lab": lab.code})):
        username = f"bench-board-{name}"
        user = User.objects.filter(username=username).first() or user_create(
            username=username, password="bench-password-1",
            roles=[(Role.QUALITY_MANAGER, scope)])
        users[name] = (user, query)
    return users


def _board_timings(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_bench import median_ms

    from portlab.boards import quality_board as board
    from portlab.boards.rollup import board_rollup_refresh

    setup_test_environment()  # the test client's host
    users = _board_users()
    scopes = {name: board.board_scope(user, **query) for name, (user, query) in users.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM testing_test")
        print(f"tests: {cursor.fetchone()[0]:,}")
    count = median_ms(lambda: connection.cursor().execute("SELECT COUNT(*) FROM testing_test"),
                      runs, warmup=1)
    print(f"baseline COUNT(*) over all tests: {count:.0f} ms")
    for name, scope in scopes.items():
        ms = median_ms(lambda scope=scope: board.board_data(scope, live=True), runs, warmup=1)
        print(f"board {name:<9} live      {ms:8.0f} ms  ({len(scope.lab_ids)} labs)")
    for full in (True, False, False):
        started = time.perf_counter()
        state = board_rollup_refresh(full=full)
        print(f"roll-up refresh ({'every day kept' if full else 'today only'}, from "
              f"{state.recounted_from:%Y-%m-%d}): {time.perf_counter() - started:.1f} s")
    for name, scope in scopes.items():
        ms = median_ms(lambda scope=scope: board.board_data(scope), runs, warmup=1)
        print(f"board {name:<9} roll-up   {ms:8.0f} ms  (target 1000 ms)")
    for name, (user, query) in users.items():
        client = Client()
        client.force_login(user)
        ms = median_ms(lambda client=client, query=query: client.get(
            "/quality/board/", query, secure=True), runs, warmup=1)
        print(f"page  {name:<9} roll-up   {ms:8.0f} ms  (the whole request, HTML rendered)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="(ignored with --reuse)")
    parser.add_argument("--database", default="portlab_national_bench")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    url = _admin_url().rsplit("/", 1)[0] + f"/{options.database}"
    if not options.reuse:
        _fresh(options.database)
        _baseline(url, round(50_000_000 * options.scale))
        seconds = _generate(url, options.scale)
        print(f"generate --national --scale {options.scale}: {seconds:.0f} s "
              f"({50_000_000 * options.scale / seconds:,.0f} tests/s over the whole run)")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    if options.reuse:
        print(f"database size: {size / 1e9:.2f} GB")
    else:
        print(f"database size: {size / 1e9:.2f} GB at scale {options.scale} (the network and "
              "catalog, ~0.15 GB, do not shrink with the scale)")
    _board_timings(options.runs)


if __name__ == "__main__":
    main()
