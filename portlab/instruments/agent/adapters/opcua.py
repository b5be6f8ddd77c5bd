"""OPC UA adapter (asyncua client) for servers exposing LADS-like nodes.

Expected address space, in the namespace `urn:portlab:lads` (configurable):

    Objects/Instrument/State        String  Idle | Running | Paused | Error (LADS-style names
                                            such as Executing, Suspended, Aborted are mapped)
    Objects/Instrument/CurrentRun   String  name of the running sequence
    Objects/Instrument/Counter      Int     injections (or any counter) so far
    Objects/Instrument/Start(sequence: String), Stop(), Pause()   methods
"""

from __future__ import annotations

from asyncua import ua
from asyncua.sync import Client

from portlab.instruments.agent.adapters import InstrumentState

NAMESPACE = "urn:portlab:lads"
STATES = {"idle": "idle", "stopped": "idle", "running": "running", "executing": "running",
          "paused": "paused", "suspended": "paused", "held": "paused", "error": "error",
          "aborted": "error", "faulted": "error"}
METHODS = {"start": "Start", "stop": "Stop", "pause": "Pause"}


class OpcUaAdapter:
    def __init__(self, endpoint: str, namespace: str = NAMESPACE, timeout: float = 5.0):
        self.client = Client(endpoint, timeout=timeout)
        self.client.connect()
        index = self.client.get_namespace_index(namespace)
        self.prefix = f"{index}:"
        self.instrument = self.client.nodes.objects.get_child(f"{self.prefix}Instrument")
        self.nodes = [self.instrument.get_child(f"{self.prefix}{name}")
                      for name in ("State", "CurrentRun", "Counter")]

    def read(self) -> InstrumentState:
        state, run, counter = self.client.read_values(self.nodes)
        return InstrumentState(STATES.get(str(state).strip().lower(), "error"), str(run or ""),
                               {"counter": int(counter or 0)})

    def execute(self, kind: str, sequence_name: str) -> tuple[bool, str]:
        if kind == "status":
            current = self.read()
            return True, f"{current.state} {current.current_run}".strip()
        if kind not in METHODS:
            return False, f"unknown command {kind}"
        arguments = [ua.Variant(sequence_name, ua.VariantType.String)] if kind == "start" else []
        try:
            answer = self.instrument.call_method(f"{self.prefix}{METHODS[kind]}", *arguments)
        except ua.UaError as error:
            return False, f"{METHODS[kind]} failed: {error}"
        return True, str(answer) if answer is not None else METHODS[kind].lower()

    def close(self) -> None:
        self.client.disconnect()
