"""Start a render worker for a job: a detached ``python -m reelgate.local._worker`` process.

Detached (its own session, no inherited terminal) so it outlives the process that created the video
and is not hit by that process's Ctrl-C. A daemon thread reaps it when it ends, so a long-running
creator never accumulates zombies (which would look alive to the store's liveness check).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

from reelgate.local._store import Job, this_machine


def start_worker(job: Job) -> int:
    """Start rendering ``job`` in the background; returns the worker's pid."""
    with open(job.directory / "worker.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "reelgate.local._worker", str(job.directory)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    record = {"pid": process.pid, "machine": this_machine()}
    (job.directory / "worker.pid").write_text(json.dumps(record))
    threading.Thread(target=process.wait, name=f"reelgate-reaper-{process.pid}", daemon=True).start()
    return process.pid
