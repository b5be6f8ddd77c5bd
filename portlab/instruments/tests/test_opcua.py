"""The OPC UA adapter against an asyncua server with LADS-like nodes on 127.0.0.1."""

import asyncio
import socket
import threading

import pytest
from asyncua import Server, ua
from asyncua.common.methods import uamethod

from portlab.instruments.agent.adapters import adapter_create
from portlab.instruments.agent.adapters.opcua import NAMESPACE, OpcUaAdapter


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def serve(endpoint: str, ready: threading.Event, stop: asyncio.Event) -> None:
    server = Server()
    await server.init()
    server.set_endpoint(endpoint)
    index = await server.register_namespace(NAMESPACE)
    instrument = await server.nodes.objects.add_object(index, "Instrument")
    state = await instrument.add_variable(index, "State", "Idle")
    run = await instrument.add_variable(index, "CurrentRun", "")
    counter = await instrument.add_variable(index, "Counter", 41, ua.VariantType.Int32)

    @uamethod
    async def start(parent, sequence: str) -> str:
        if await state.read_value() == "Executing":
            raise ua.uaerrors.BadInvalidState()
        await state.write_value("Executing")
        await run.write_value(sequence)
        await counter.write_value(await counter.read_value() + 1, ua.VariantType.Int32)
        return f"started {sequence}"

    @uamethod
    async def stop_run(parent) -> None:
        await state.write_value("Idle")
        await run.write_value("")

    await instrument.add_method(index, "Start", start, [ua.VariantType.String],
                                [ua.VariantType.String])
    await instrument.add_method(index, "Stop", stop_run, [], [])
    async with server:
        ready.set()
        await stop.wait()


@pytest.fixture(scope="module")
def opcua_endpoint():
    endpoint = f"opc.tcp://127.0.0.1:{free_port()}/lads/"
    loop = asyncio.new_event_loop()
    ready, stop = threading.Event(), asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete,
                              args=(serve(endpoint, ready, stop),), daemon=True)
    thread.start()
    assert ready.wait(20), "the OPC UA test server did not start"
    yield endpoint
    loop.call_soon_threadsafe(stop.set)
    thread.join(10)


def test_adapter_reads_lads_like_state(opcua_endpoint) -> None:
    adapter = OpcUaAdapter(opcua_endpoint)
    try:
        current = adapter.read()
        assert (current.state, current.current_run, current.counters) == (
            "idle", "", {"counter": 41})
    finally:
        adapter.close()


def test_adapter_starts_and_stops_a_sequence(opcua_endpoint) -> None:
    adapter = adapter_create("opcua", opcua_endpoint)
    try:
        assert adapter.execute("start", "Pb batch 0315") == (True, "started Pb batch 0315")
        running = adapter.read()
        assert (running.state, running.current_run, running.counters["counter"]) == (
            "running", "Pb batch 0315", 42)
        assert adapter.execute("status", "") == (True, "running Pb batch 0315")
        refused, message = adapter.execute("start", "again")
        assert (refused, message.split(":")[0]) == (False, "Start failed")
        assert adapter.execute("stop", "") == (True, "stop")
        assert adapter.read().state == "idle"
        assert adapter.execute("pause", "")[0] is False  # the server has no Pause method
    finally:
        adapter.close()


def test_opcua_adapter_needs_an_endpoint() -> None:
    with pytest.raises(ValueError, match="needs --endpoint"):
        adapter_create("opcua")
