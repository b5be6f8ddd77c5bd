"""A simulated instrument: a sequence runs when started and counts injections while it runs."""

from __future__ import annotations

from portlab.instruments.agent.adapters import InstrumentState


class Simulator:
    def __init__(self) -> None:
        self.state, self.current_run, self.injections, self.runs = "idle", "", 0, 0

    def read(self) -> InstrumentState:
        if self.state == "running":
            self.injections += 1
        return InstrumentState(self.state, self.current_run,
                               {"injections": self.injections, "runs": self.runs})

    def execute(self, kind: str, sequence_name: str) -> tuple[bool, str]:
        if kind == "start":
            if self.state == "running":
                return False, f"already running {self.current_run}"
            self.state, self.current_run = "running", sequence_name
            self.runs += 1
            return True, f"started {sequence_name}"
        if kind == "pause":
            if self.state != "running":
                return False, "nothing is running"
            self.state = "paused"
            return True, f"paused {self.current_run}"
        if kind == "stop":
            stopped, self.state, self.current_run = self.current_run, "idle", ""
            return True, f"stopped {stopped}" if stopped else "already idle"
        if kind == "status":
            return True, f"{self.state} {self.current_run}".strip()
        return False, f"unknown command {kind}"

    def close(self) -> None:
        return None
