"""What routing adds to a call: creates and status reads through a Router against plain Client calls.

Usage: ``python benchmarks/router_overhead.py [--calls N]``.

Two emulators on 127.0.0.1 (in this process, so both sides share the CPU: the absolute figures are
upper bounds, the differences are what matters). Measured in the same run, ledger off, logs off:

* baseline: ``Client.create`` and ``Client.status`` straight to one emulator;
* routed: the same through ``Client(router=...)`` over two deployments (planning, strategy, the
  attempt span, signing the id; status decodes and verifies the id to find the owner);
* the signed-id codec alone: ``encode`` and ``decode`` per id.
"""

from __future__ import annotations

import argparse
import tempfile

from _timing import interleaved, median_seconds

from reelgate import Client, Router
from reelgate.emulator import EmulatorConfig, run_in_thread
from reelgate.router._ids import VideoIdCodec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    calls = parser.parse_args().calls
    config = EmulatorConfig(job_seconds=60, rpm=None)
    with (
        run_in_thread("openai", config) as east,
        run_in_thread("openai", config) as west,
        tempfile.TemporaryDirectory() as data_dir,
    ):
        direct = Client(model="openai/sora-2", api_key="sk-bench", api_base=east.api_base, ledger=False)
        router = Router(
            model_list=[
                {
                    "model_name": "sora",
                    "params": {"model": "openai/sora-2", "api_key": "sk-a", "api_base": east.api_base},
                },
                {
                    "model_name": "sora",
                    "params": {"model": "openai/sora-2", "api_key": "sk-b", "api_base": west.api_base},
                },
            ],
            id_key="benchmark-key-of-32-bytes-length!",
            data_dir=data_dir,
        )
        routed = Client(router=router, ledger=False)
        for _ in range(20):  # warm up both paths
            direct.status(direct.create("warm").id)
            routed.status(routed.create("warm", "sora").id)
        plain_video = direct.create("a cat")
        routed_video = routed.create("a cat", "sora")
        results = interleaved(
            calls,
            {
                "create, direct": lambda: direct.create("a cat"),
                "create, routed": lambda: routed.create("a cat", "sora"),
                "status, direct": lambda: direct.status(plain_video.id),
                "status, routed": lambda: routed.status(routed_video.id),
            },
        )
        direct.close()
        routed.close()
    codec = VideoIdCodec(b"k" * 32)
    signed = codec.encode("azure-eastus", "video_68d7512d07848190b3e45da0ecbebcde")
    encode_seconds = median_seconds(
        20_000, lambda: codec.encode("azure-eastus", "video_68d7512d07848190b3e45da0ecbebcde")
    )
    decode_seconds = median_seconds(20_000, lambda: codec.decode(signed))

    print(f"median per call over {calls} calls (two emulators in this process, ledger and logs off)")
    for operation in ("create", "status"):
        plain, via = (results[f"{operation}, {path}"] * 1000 for path in ("direct", "routed"))
        extra = f"+{via - plain:5.2f} ms ({via / plain:4.2f}x)"
        print(f"  {operation:<7} direct {plain:6.2f} ms   routed {via:6.2f} ms   {extra}")
    print(
        f"signed id: encode {encode_seconds * 1e6:5.1f} us, decode and verify {decode_seconds * 1e6:5.1f} us"
    )


if __name__ == "__main__":
    main()
