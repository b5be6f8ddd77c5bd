"""The agent loop: heartbeat, upload new export files, carry out and acknowledge commands."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from pathlib import Path

from portlab.instruments.agent.adapters import Adapter
from portlab.instruments.agent.client import AgentClient, ServerError

log = logging.getLogger("portlab.agent")
VERSION = "portlab-agent/1"


class Agent:
    def __init__(self, client: AgentClient, adapter: Adapter, watch: Path | None = None,
                 settle_seconds: float = 2.0):
        self.client, self.adapter, self.watch = client, adapter, watch
        self.settle_seconds = settle_seconds
        self.sequence = 0
        self.sent: dict[str, str] = {}  # path -> sha256 of what the server already answered

    def next_sequence(self) -> int:
        """Microseconds since the epoch: still increasing after the agent restarts."""
        self.sequence = max(self.sequence + 1, time.time_ns() // 1000)
        return self.sequence

    def heartbeat(self) -> dict:
        current = self.adapter.read()
        return self.client.heartbeat({
            "sequence": self.next_sequence(),
            "sent_at": dt.datetime.now(dt.UTC).isoformat(),
            "state": current.state, "current_run": current.current_run,
            "counters": current.counters, "agent_version": VERSION,
        })

    def upload_new_files(self) -> list[dict]:
        answers = []
        if self.watch is None:
            return answers
        now = time.time()
        for path in sorted(p for p in self.watch.iterdir()
                           if p.is_file() and not p.name.startswith(".")):
            if now - path.stat().st_mtime < self.settle_seconds:
                continue  # the instrument may still be writing it
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()
            if self.sent.get(str(path)) == digest:
                continue
            try:
                answer = self.client.upload(path.name, content)
            except ServerError as error:
                if error.status >= 500:
                    raise
                answer = {"filename": path.name, "status": "failed", "detail": error.detail}
                log.warning("%s refused: %s", path.name, error.detail)
            self.sent[str(path)] = digest
            answers.append(answer)
        return answers

    def run_commands(self) -> list[dict]:
        done = []
        for command in self.client.commands():
            ok, message = self.adapter.execute(command["kind"], command["sequence_name"])
            done.append(self.client.acknowledge(command["id"], ok, message))
        return done

    def cycle(self) -> dict:
        beat = self.heartbeat()
        files = self.upload_new_files()
        commands = self.run_commands()
        if commands:  # report the new state at once rather than at the next interval
            beat = self.heartbeat()
        return {"heartbeat": beat, "files": files, "commands": commands}

    def run(self, interval: float, once: bool = False) -> None:
        while True:
            try:
                log.info("cycle: %s", self.cycle())
            except (OSError, ServerError) as error:  # network down or server busy: retry
                if once:
                    raise
                log.warning("cycle failed: %s", error)
            if once:
                return
            time.sleep(interval)
