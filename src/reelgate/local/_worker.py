"""The render worker: ``python -m reelgate.local._worker <job directory>``, one process per video.

It runs detached from whoever created the video (so ``reelgate generate --no-wait`` can exit while
the render goes on), writes rising ``progress`` and a heartbeat into the job's ``state.json``, renders
the MP4 and its stills under temporary names, renames them into place, and only then marks the job
``completed``. A render error marks it ``failed`` with the reason; SIGTERM (a delete) stops it quietly.
Anything it prints goes to ``worker.log`` in the job directory.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

from reelgate.local._store import ASSETS, Job, JobStore, read_json, this_machine
from reelgate.render import Scene, render_scene

HEARTBEAT_EVERY = 5.0
_PROGRESS_STEP = 2  # percent: fewer state writes, still a smooth bar


class _Reporter:
    """Serializes state writes from the render loop and the heartbeat thread."""

    def __init__(self, store: JobStore, job: Job) -> None:
        self._store = store
        self._job = job
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def write(self, **changes: Any) -> None:
        with self._lock:
            try:
                current = read_json(self._job.directory / "state.json")
            except FileNotFoundError:
                raise _Deleted from None
            if current.get("status") not in ("queued", "in_progress"):
                raise _Deleted  # a reader declared this render dead: never bring the job back
            self._job = self._store.update(self._job, heartbeat=time.time(), **changes)

    def progress(self, fraction: float) -> None:
        percent = min(99, int(fraction * 100))
        if percent >= int(self._job.state.get("progress", 0)) + _PROGRESS_STEP:
            self.write(progress=percent)

    def beat(self) -> None:
        while not self._stopped.wait(HEARTBEAT_EVERY):
            try:
                self.write()
            except (OSError, _Deleted):
                return

    def stop(self) -> None:
        self._stopped.set()


class _Deleted(Exception):
    """The job is gone (deleted while it rendered) or was already ended by a reader: stop quietly."""


def render_job(directory: Path) -> None:
    """Render the job in ``directory`` to completion (or failure)."""
    store = JobStore(directory.parent.parent)
    job = Job(directory, read_json(directory / "job.json"), read_json(directory / "state.json"))
    reporter = _Reporter(store, job)
    try:
        reporter.write(status="in_progress", progress=0, pid=os.getpid(), machine=this_machine())
    except _Deleted:
        return
    heartbeat = threading.Thread(target=reporter.beat, daemon=True)
    heartbeat.start()
    try:
        backdrop_path = directory / "backdrop"
        scene = _scene(job.spec, backdrop_path.read_bytes() if backdrop_path.exists() else None)
        width, height = (int(side) for side in job.spec["size"].split("x"))
        partial = {variant: directory / f".{name}.partial" for variant, (name, _) in ASSETS.items()}
        stills = render_scene(
            scene,
            width,
            height,
            float(job.spec["seconds"]),
            partial["video"],
            fps=int(job.spec["fps"]),
            on_progress=reporter.progress,
        )
        partial["thumbnail"].write_bytes(stills.thumbnail_webp)
        partial["spritesheet"].write_bytes(stills.spritesheet_jpeg)
        for variant, path in partial.items():
            path.replace(job.asset(variant))
        reporter.write(status="completed", progress=100, completed_at=int(time.time()))
    except _Deleted:
        return
    except Exception as exc:
        reporter.write(
            status="failed",
            completed_at=int(time.time()),
            error={"code": "render_failed", "message": f"the local render failed: {exc}"},
        )
    finally:
        reporter.stop()


def _scene(spec: dict[str, Any], backdrop: bytes | None) -> Scene:
    """The scene for ``spec``: a remix chains its sources' scenes (they share the one backdrop)."""
    source = _scene(spec["source"], backdrop) if spec.get("source") else None
    return Scene(prompt=spec["prompt"], backdrop=backdrop, source=source)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001 - signal API
    raise SystemExit(0)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        return 2
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    with contextlib.suppress(FileNotFoundError):  # the video was deleted before its render began
        render_job(Path(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
