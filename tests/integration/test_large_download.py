"""A 1 GB video downloads through reelgate with flat memory, from a real HTTP server on loopback."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from reelgate import AsyncClient, Client
from reelgate.emulator import EmulatedServer, run_in_thread

GIB = 1024**3
HEADER = b"\x00\x00\x00\x18ftypmp42"
CHUNK = HEADER + bytes(1024 * 1024 - len(HEADER))


async def huge_content(request: Request) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(GIB // len(CHUNK)):
            yield CHUNK

    return StreamingResponse(body(), media_type="video/mp4", headers={"content-length": str(GIB)})


@pytest.fixture(scope="module")
def big_server() -> Iterator[EmulatedServer]:
    app = Starlette(routes=[Route("/v1/videos/{video_id}/content", huge_content)])
    with run_in_thread(app) as server:
        yield server


def peak_traced_bytes(action: object) -> int:
    tracemalloc.start()
    try:
        action()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_one_gigabyte_downloads_with_flat_memory(big_server: EmulatedServer, tmp_path: Path) -> None:
    target = tmp_path / "big.mp4"
    with Client(model="openai_compatible/big", api_base=big_server.url + "/v1") as client:
        peak = peak_traced_bytes(lambda: client.download("video_big", target))
    assert target.stat().st_size == GIB
    assert peak < 16 * 1024 * 1024, f"peak Python allocation {peak / 2**20:.1f} MiB for a 1 GiB download"


@pytest.mark.slow
def test_one_gigabyte_async_stream_with_flat_memory(big_server: EmulatedServer) -> None:
    async def consume() -> int:
        total = 0
        async with AsyncClient(model="openai_compatible/big", api_base=big_server.url + "/v1") as client:
            async for chunk in client.stream_content("video_big"):
                total += len(chunk)
        return total

    sizes: list[int] = []
    peak = peak_traced_bytes(lambda: sizes.append(anyio.run(consume)))
    assert sizes == [GIB]
    assert peak < 16 * 1024 * 1024, f"peak Python allocation {peak / 2**20:.1f} MiB for a 1 GiB stream"
