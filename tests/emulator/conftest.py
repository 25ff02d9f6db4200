"""Emulator fixtures: one loopback server per flavour for the session, reset before every test.

``emulate(provider, **config)`` gives a test the shared server, reset, with its own config; the
clock defaults to the test's :class:`FakeClock` so lifecycle tests drive time instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reelgate.emulator import EmulatedServer, EmulatorConfig, run_in_thread
from tests.emulator._support import KEY, Emulate, FakeClock


@pytest.fixture(scope="session")
def openai_server() -> Iterator[EmulatedServer]:
    with run_in_thread("openai") as server:
        yield server


@pytest.fixture(scope="session")
def azure_server() -> Iterator[EmulatedServer]:
    with run_in_thread("azure") as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulate(openai_server: EmulatedServer, azure_server: EmulatedServer, clock: FakeClock) -> Emulate:
    """``emulate(provider="openai", **config)``: the shared server, reset, with that config."""

    def configure(provider: str = "openai", **overrides: Any) -> EmulatedServer:
        server = azure_server if provider == "azure" else openai_server
        settings: dict[str, Any] = {"clock": clock, "job_seconds": 10.0, "poll_after_ms": 10}
        settings.update(overrides)
        server.emulator.reset(EmulatorConfig(**settings))
        return server

    return configure


@pytest.fixture
def server(emulate: Emulate) -> EmulatedServer:
    """The OpenAI flavour, reset, with the default test config (fake clock, 10 s jobs)."""
    return emulate()


@pytest.fixture
def api(server: EmulatedServer) -> Iterator[httpx.Client]:
    """An httpx client on the OpenAI flavour's ``/v1``, authenticated."""
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as client:
        yield client
