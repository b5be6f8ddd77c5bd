"""Adapters read an instrument's state and carry out commands; the agent loop is the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class InstrumentState:
    state: str  # idle / running / paused / error
    current_run: str = ""
    counters: dict[str, int | float | str] = field(default_factory=dict)


class Adapter(Protocol):
    def read(self) -> InstrumentState: ...

    def execute(self, kind: str, sequence_name: str) -> tuple[bool, str]:
        """Carry out start / stop / pause / status; (done?, message for the lab)."""
        ...

    def close(self) -> None: ...


def adapter_create(name: str, endpoint: str = "") -> Adapter:
    if name == "simulator":
        from portlab.instruments.agent.adapters.simulator import Simulator

        return Simulator()
    if name == "opcua":
        if not endpoint:
            raise ValueError("the opcua adapter needs --endpoint opc.tcp://host:port/...")
        from portlab.instruments.agent.adapters.opcua import OpcUaAdapter

        return OpcUaAdapter(endpoint)
    raise ValueError(f"unknown adapter {name!r} (simulator or opcua)")
