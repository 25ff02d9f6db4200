"""Memory of a 1 GiB download through reelgate, against a bare httpx stream of the same bytes.

Usage: ``python benchmarks/download_memory.py [--mib N]``. A Starlette app on 127.0.0.1 (uvicorn in a
thread) streams N MiB; each variant's peak Python allocation is measured with ``tracemalloc`` and its
throughput with the wall clock. The process's peak RSS is printed at the end.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from reelgate import Client
from reelgate.emulator import run_in_thread

MIB = 1024 * 1024


def app_for(mib: int) -> Starlette:
    chunk = bytes(MIB)

    async def content(request: Request) -> StreamingResponse:  # noqa: ARG001 - one answer for all
        async def body() -> AsyncIterator[bytes]:
            for _ in range(mib):
                yield chunk

        return StreamingResponse(body(), media_type="video/mp4", headers={"content-length": str(mib * MIB)})

    return Starlette(routes=[Route("/v1/videos/{video_id}/content", content)])


def measure(label: str, action: Callable[[], int], mib: int) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    received = action()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert received == mib * MIB, received
    print(f"{label:<34} peak {peak / MIB:6.2f} MiB   {mib / elapsed:7.0f} MiB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=1024)
    mib = parser.parse_args().mib
    target = Path(tempfile.mkdtemp()) / "big.mp4"
    with run_in_thread(app_for(mib)) as server:
        url = f"{server.url}/v1/videos/video_big/content"

        def bare() -> int:
            total = 0
            with httpx.Client() as client, client.stream("GET", url) as response:
                for chunk in response.iter_bytes(MIB):
                    total += len(chunk)
            return total

        def through_reelgate() -> int:
            with Client(model="openai_compatible/big", api_base=server.url + "/v1", ledger=False) as client:
                return client.download("video_big", target).stat().st_size

        measure("baseline: httpx stream, discard", bare, mib)
        measure("reelgate download to a file", through_reelgate, mib)
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
