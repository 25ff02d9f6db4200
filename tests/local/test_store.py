"""The job store's promise: no video stays "in progress" forever, whatever happened to its worker."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgate.local._store import STALE_AFTER, Job, JobStore, new_video_id, this_machine


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(tmp_path / "local")


STALE = time.time() - STALE_AFTER - 1
"""A heartbeat older than the stale limit."""


def queued(store: JobStore) -> Job:
    spec = {"id": new_video_id(), "model": "draft", "prompt": "p", "seconds": "4", "size": "640x360"}
    return store.add({**spec, "created_at": int(time.time()), "fps": 12, "source": None}, None)


@contextlib.contextmanager
def sleeper(*args: str) -> Iterator[subprocess.Popen[bytes]]:
    """A live process (``args`` appended to its command line), killed and reaped at the end."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", *args])
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def exited_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_job_whose_worker_exited_without_finishing_fails(store: JobStore) -> None:
    job = queued(store)
    video_id = job.id
    (job.directory / "worker.log").write_text("Traceback ...\nMemoryError: out of memory\n")
    store.update(job, status="in_progress", progress=40, pid=exited_pid(), machine=this_machine())
    failed = store.get(video_id)
    assert failed is not None
    assert failed.status == "failed"
    assert failed.state["error"]["code"] == "render_interrupted"
    assert "MemoryError: out of memory" in failed.state["error"]["message"]
    assert store.get(video_id).status == "failed"  # type: ignore[union-attr]  # recorded, not recomputed


def test_a_worker_that_never_started_is_noticed_after_the_stale_limit(store: JobStore) -> None:
    job = queued(store)
    video_id = job.id
    assert store.get(video_id).status == "queued"  # type: ignore[union-attr]  # fresh: still waiting
    store.update(job, heartbeat=STALE)
    failed = store.get(video_id)
    assert failed is not None
    assert failed.status == "failed"
    assert "never started" in failed.state["error"]["message"]


def test_a_live_but_silent_worker_is_stopped_and_the_job_failed(store: JobStore) -> None:
    job = queued(store)
    # a process whose command line says it is this job's worker (as the real one's does)
    with sleeper("reelgate.local._worker", str(job.directory)) as silent:
        deadline = time.monotonic() + 10
        while b"reelgate.local._worker" not in Path(f"/proc/{silent.pid}/cmdline").read_bytes():
            assert time.monotonic() < deadline  # the kernel fills the command line in just after exec
            time.sleep(0.01)
        store.update(job, status="in_progress", pid=silent.pid, machine=this_machine(), heartbeat=STALE)
        failed = store.get(job.id)
        assert failed is not None
        assert "stopped responding" in failed.state["error"]["message"]
        assert silent.wait(timeout=10) != 0  # killed, so it cannot write a late "completed"


def test_a_reused_pid_is_never_signalled(store: JobStore) -> None:
    """After a reboot or a long suspend the recorded pid may belong to an unrelated process."""
    job = queued(store)
    with sleeper() as bystander:
        store.update(job, status="in_progress", pid=bystander.pid, machine=this_machine(), heartbeat=STALE)
        failed = store.get(job.id)
        assert failed is not None
        assert failed.status == "failed"
        assert store.delete(job.id)
        assert bystander.poll() is None  # still running: neither SIGKILL nor SIGTERM reached it


def test_a_worker_on_another_machine_is_judged_by_its_heartbeat_only(store: JobStore) -> None:
    job = queued(store)
    video_id = job.id
    store.update(job, status="in_progress", pid=1, machine="elsewhere/boot", heartbeat=time.time())
    assert store.get(video_id).status == "in_progress"  # type: ignore[union-attr]
    store.update(job, status="in_progress", pid=1, machine="elsewhere/boot", heartbeat=0)
    failed = store.get(video_id)
    assert failed is not None
    assert "on elsewhere has not been heard from" in failed.state["error"]["message"]


def test_a_finished_job_is_left_alone(store: JobStore) -> None:
    job = queued(store)
    video_id = job.id
    store.update(job, status="completed", progress=100, pid=exited_pid(), machine=this_machine(), heartbeat=0)
    assert store.get(video_id).status == "completed"  # type: ignore[union-attr]


def test_ids_that_are_not_store_ids_are_unknown(store: JobStore) -> None:
    queued(store)
    for bad in ("../local", "video_1", "video_" + "g" * 32, ".new-video_x"):
        assert store.get(bad) is None
    assert len(store.ids()) == 1


def test_a_fresh_job_whose_worker_is_running_is_left_running(store: JobStore) -> None:
    """Even before the kernel shows the new worker's command line: only existence counts while the
    heartbeat is fresh (a status read right after a create must never fail the job)."""
    job = queued(store)
    with sleeper() as starting:
        store.update(
            job, status="in_progress", pid=starting.pid, machine=this_machine(), heartbeat=time.time()
        )
        assert store.get(job.id).status == "in_progress"  # type: ignore[union-attr]
