"""What the local provider's job machinery and the CLI add on top of the render itself.

Usage: ``python benchmarks/local_generate.py [--runs N]``.

Each figure is the median wall time of ``--runs`` runs of a 4-second 1280x720 ``local/preview`` video,
each in a fresh temporary data directory:

* baseline: ``render_scene`` called directly in this process (the render alone);
* library: ``Client.create`` + ``wait`` + ``download`` (a detached worker process, its interpreter
  start-up and imports, state files, polling every 250 ms, spans, logs off, the ledger on);
* CLI: ``reelgate generate PROMPT -o FILE`` as a subprocess, as a user runs it (interpreter start-up,
  telemetry configuration with JSON logs to the data directory, progress, ledger flush at exit);
* ``reelgate --help`` start-up, against a bare ``python -c pass``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _timing import median_seconds

PROMPT = "A cat playing with a ball of yarn in a sunny garden"


def in_scratch(work: Callable[[Path], object]) -> Callable[[], object]:
    """``work`` run in a fresh temporary data directory each time (creating and removing it is
    timed too: well under a millisecond next to runs of 0.01 to 2 s)."""

    def run() -> None:
        with tempfile.TemporaryDirectory() as scratch:
            work(Path(scratch))

    return run


def render_directly(scratch: Path) -> None:
    from reelgate.render import Scene, render_scene

    render_scene(Scene(PROMPT), 1280, 720, 4.0, scratch / "direct.mp4")


def through_the_library(scratch: Path) -> None:
    from reelgate import Client
    from reelgate.ledger import Ledger

    os.environ["REELGATE_DATA_DIR"] = str(scratch)
    ledger = Ledger(scratch)
    with Client(ledger=ledger) as client:
        video = client.create(PROMPT, "local/preview", seconds=4, size="1280x720")
        client.wait(video.id, raise_on_failure=True)
        client.download(video.id, scratch / "library.mp4")
    ledger.close()


def through_the_cli(scratch: Path) -> None:
    environment = {**os.environ, "REELGATE_DATA_DIR": str(scratch)}
    subprocess.run(
        [sys.executable, "-m", "reelgate", "generate", PROMPT, "-o", str(scratch / "cli.mp4")],
        env=environment,
        check=True,
        capture_output=True,
    )


def run(*command: str) -> Callable[[], object]:
    return lambda: subprocess.run([sys.executable, *command], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "OPENAI_COMPATIBLE_API_BASE", "REELGATE_MODEL"):
        os.environ.pop(name, None)

    direct = median_seconds(runs, in_scratch(render_directly))
    library = median_seconds(runs, in_scratch(through_the_library))
    cli = median_seconds(runs, in_scratch(through_the_cli))
    bare = median_seconds(runs, run("-c", "pass"))
    help_ = median_seconds(runs, run("-m", "reelgate", "--help"))

    print(f"4 s 1280x720 local/preview, median of {runs} runs")
    print(f"  render_scene directly (baseline)    {direct:6.2f} s")
    print(f"  library create + wait + download    {library:6.2f} s   {library / direct:4.2f}x the render")
    print(f"  reelgate generate (subprocess)      {cli:6.2f} s   {cli / direct:4.2f}x the render")
    print(f"python -c pass                        {bare:6.2f} s")
    print(f"reelgate --help                       {help_:6.2f} s   +{help_ - bare:.2f} s over bare Python")


if __name__ == "__main__":
    main()
