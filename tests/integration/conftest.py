"""Emulators served by uvicorn on 127.0.0.1, shared per module and reset before every test."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from reelgate import AsyncClient, Client
from reelgate.emulator import EmulatedServer, EmulatorConfig, run_in_thread

FAST = EmulatorConfig(job_seconds=0.3, poll_after_ms=20)


@pytest.fixture(scope="module")
def openai_server() -> Iterator[EmulatedServer]:
    with run_in_thread("openai", FAST) as server:
        yield server


@pytest.fixture(scope="module")
def azure_server() -> Iterator[EmulatedServer]:
    with run_in_thread("azure", FAST) as server:
        yield server


@pytest.fixture
def openai_emulator(openai_server: EmulatedServer) -> EmulatedServer:
    openai_server.emulator.reset()
    return openai_server


@pytest.fixture
def azure_emulator(azure_server: EmulatedServer) -> EmulatedServer:
    azure_server.emulator.reset()
    return azure_server


class AsyncCaller:
    """Calls ``AsyncClient`` methods from sync test code, each call in a fresh event loop."""

    def __init__(self, **config: Any) -> None:
        self.config = config

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            async def main() -> Any:
                async with AsyncClient(**self.config) as client:
                    result = getattr(client, name)(*args, **kwargs)
                    if name == "stream_content":
                        return await result.read()
                    return await result if inspect.isawaitable(result) else result

            return anyio.run(main)

        return call


class SyncCaller:
    """The same surface over ``Client``."""

    def __init__(self, **config: Any) -> None:
        self.client = Client(**config)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)
        if name == "stream_content":
            return lambda *args, **kwargs: method(*args, **kwargs).read()
        return method  # type: ignore[no-any-return]


@pytest.fixture(params=["sync", "async"])
def make_caller(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Build a client-like caller; every test using it runs once sync and once async."""
    callers: list[SyncCaller] = []

    def make(**config: Any) -> Any:
        if request.param == "async":
            return AsyncCaller(**config)
        caller = SyncCaller(**config)
        callers.append(caller)
        return caller

    yield make
    for caller in callers:
        caller.client.close()
