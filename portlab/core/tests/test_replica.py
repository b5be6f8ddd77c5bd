"""A real PostgreSQL streaming replica on this machine (issue #14 item 6): the capability
list, a network view, reads from the replica while writes go to the primary; when the
replica is down the page reads from the primary.

The test builds its own two-server cluster (initdb, pg_basebackup -R) in a temporary
directory, on free ports, as the `postgres` user; it runs where PostgreSQL's server programs are
installed and the suite may switch to that user (CI, as root), in the PostgreSQL pass of CI.
Proof that a page reads from the replica: replay is paused on the replica, a capability is
added on the primary, and the page does not show it until replay resumes.
"""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

PROBE = Path(__file__).with_name("replica_probe.py")
ROOT = Path(__file__).resolve().parents[3]
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or not BINARIES
    or os.geteuid() != 0 or shutil.which("runuser") is None,
    reason="needs PostgreSQL's server programs and root (the PostgreSQL pass of CI)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True,
                   capture_output=True, timeout=120)


class Cluster:
    """A primary and its streaming replica in one temporary directory."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="portlab-replica-"))
        shutil.chown(self.base, "postgres")
        self.bin = BINARIES[-1]
        self.primary_port, self.replica_port = free_port(), free_port()

    def _conf(self, data: Path, port: int) -> None:
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.base}'\nfsync = off\n")

    def start(self) -> None:
        primary, replica = self.base / "primary", self.base / "replica"
        as_postgres(f"{self.bin}/initdb", "-D", str(primary), "-U", "postgres",
                    "--auth=trust", "--no-sync")
        (primary / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
            "host replication all 127.0.0.1/32 trust\n")
        self._conf(primary, self.primary_port)
        self.ctl(primary, "start")
        as_postgres(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.primary_port),
                    "-U", "postgres", "portlab")
        as_postgres(f"{self.bin}/pg_basebackup", "-h", "127.0.0.1", "-p",
                    str(self.primary_port), "-U", "postgres", "-D", str(replica), "-R",
                    "--checkpoint=fast")
        self._conf(replica, self.replica_port)
        self.ctl(replica, "start")

    def ctl(self, data: Path, action: str) -> None:
        as_postgres(f"{self.bin}/pg_ctl", "-D", str(data), "-w", "-l",
                    str(self.base / f"{data.name}.log"), "-m", "fast", action)

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/portlab"

    def stop(self) -> None:
        for name in ("replica", "primary"):
            if (self.base / name / "postmaster.pid").exists():
                self.ctl(self.base / name, "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def replica_caught_up(self, timeout: float = 60) -> None:
        with psycopg.connect(self.url(self.primary_port), autocommit=True) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.url(self.replica_port), autocommit=True) as replica:
            while time.monotonic() < deadline:
                behind = replica.execute("SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())",
                                         (target,)).fetchone()[0]
                if behind <= 0:
                    return
                time.sleep(0.2)
        raise AssertionError("the replica did not catch up within a minute")

    def replay(self, action: str) -> None:
        with psycopg.connect(self.url(self.replica_port), autocommit=True) as replica:
            replica.execute(f"SELECT pg_wal_replay_{action}()")


@pytest.fixture(scope="module")
def cluster():
    built = Cluster()
    try:
        built.start()
        yield built
    finally:
        built.stop()


def run(cluster: Cluster, *arguments: str) -> dict:
    environment = {**os.environ, "PORTLAB_DEMO": "1",
                   "DATABASE_URL": cluster.url(cluster.primary_port),
                   "DATABASE_REPLICA_URL": cluster.url(cluster.replica_port)}
    completed = subprocess.run([sys.executable, *arguments], cwd=ROOT, env=environment,
                               capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = completed.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}


def test_network_views_read_from_the_replica_and_fall_back_when_it_is_down(cluster):
    run(cluster, "-m", "portlab.cli", "migrate", "-v", "0")
    run(cluster, str(PROBE), "seed")
    cluster.replica_caught_up()

    cluster.replay("pause")
    run(cluster, str(PROBE), "add", "Cadmium")  # on the primary only, for now
    paused = run(cluster, str(PROBE), "read")
    assert paused["status"] == 200
    assert paused["lead"] and not paused["cadmium"]  # the page was read from the replica
    assert paused["replica_queries"] > 0
    assert paused["primary_capability_queries"] == 0
    assert paused["write_to"] == "default"

    cluster.replay("resume")
    cluster.replica_caught_up()
    assert run(cluster, str(PROBE), "read")["cadmium"]

    cluster.ctl(cluster.base / "replica", "stop")
    down = run(cluster, str(PROBE), "read")
    assert down["status"] == 200
    assert down["lead"] and down["cadmium"]  # read from the primary
    assert down["replica_queries"] == 0
