"""Offline demo: generate a video with reelgate against the bundled emulator, save it, report its cost.

Run it with ``python examples/emulator_demo.py [PROMPT] [-o OUT.mp4]``. It starts the OpenAI-flavoured
emulator on 127.0.0.1 in a background thread, points the standard ``OPENAI_BASE_URL`` at it, and uses
the library exactly as against a real server: create, wait with a progress line, download. Then it
prints the spend report from the cost ledger (``REELGATE_DATA_DIR``, default the user data directory),
which now includes this video at the sora-2 list price.
"""

from __future__ import annotations

import argparse
import os
import sys

from reelgate import Video, reports, video_download, video_generation, video_wait
from reelgate._paths import resolve_data_dir
from reelgate.emulator import EmulatorConfig, run_in_thread

DEFAULT_PROMPT = "A cat playing with a ball of yarn in a sunny garden"


def show_progress(video: Video) -> None:
    sys.stdout.write(f"\r  {video.status:<12} {video.progress or 0:>3}%")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prompt", nargs="?", default=DEFAULT_PROMPT)
    parser.add_argument("-o", "--output", default="cat.mp4")
    parser.add_argument("--seconds", default="4")
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()

    with run_in_thread("openai", EmulatorConfig(job_seconds=2.0, poll_after_ms=200)) as emulator:
        os.environ["OPENAI_BASE_URL"] = emulator.api_base
        os.environ.setdefault("OPENAI_API_KEY", "sk-emulator")
        model = "openai/sora-2-pro" if args.size not in ("720x1280", "1280x720") else "openai/sora-2"

        video = video_generation(args.prompt, model, seconds=args.seconds, size=args.size)
        print(f"created {video.id} ({model}, {video.seconds} s, {video.size}) via {emulator.api_base}")
        video = video_wait(video.id, model, on_progress=show_progress, raise_on_failure=True)
        print()
        path = video_download(video.id, args.output, model)
        cost = video.cost
        print(f"saved {path} ({path.stat().st_size:,} bytes)")
        print(f"cost {cost.amount} {cost.currency} ({cost.status})" if cost else "cost unknown")

    print(f"\nspend by model, from the ledger in {resolve_data_dir()}:")
    print(f"  {'provider/model':<24} {'videos':>6} {'final':>10} {'estimate':>10} {'unpriced':>8}")
    for row in reports.spend(by="model"):
        label = f"{row['provider']}/{row['model']}"
        print(
            f"  {label:<24} {row['videos']:>6} {row['final_amount'] or 0:>10.2f} "
            f"{row['estimate_amount'] or 0:>10.2f} {row['unpriced_videos']:>8}"
        )


if __name__ == "__main__":
    main()
