"""The job store's promise: no video stays "in progress" forever, whatever happened to its worker."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelgate.local._store import STALE_AFTER, JobStore, new_video_id, this_machine


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(tmp_path / "local")


def queued(store: JobStore) -> str:
    spec = {"id": new_video_id(), "model": "draft", "prompt": "p", "seconds": "4", "size": "640x360"}
    store.add({**spec, "created_at": int(time.time()), "fps": 12, "source": None}, None)
    return spec["id"]


def exited_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_job_whose_worker_exited_without_finishing_fails(store: JobStore) -> None:
    video_id = queued(store)
    job = store.get(video_id)
    assert job is not None
    (job.directory / "worker.log").write_text("Traceback ...\nMemoryError: out of memory\n")
    store.update(job, status="in_progress", progress=40, pid=exited_pid(), machine=this_machine())
    failed = store.get(video_id)
    assert failed is not None
    assert failed.status == "failed"
    assert failed.state["error"]["code"] == "render_interrupted"
    assert "MemoryError: out of memory" in failed.state["error"]["message"]
    assert store.get(video_id).status == "failed"  # type: ignore[union-attr]  # recorded, not recomputed


def test_a_worker_that_never_started_is_noticed_after_the_stale_limit(store: JobStore) -> None:
    video_id = queued(store)
    job = store.get(video_id)
    assert job is not None
    assert job.status == "queued"
    store.update(job, heartbeat=time.time() - STALE_AFTER - 1)
    failed = store.get(video_id)
    assert failed is not None
    assert failed.status == "failed"
    assert "never started" in failed.state["error"]["message"]


def test_a_live_but_silent_worker_is_stopped_and_the_job_failed(store: JobStore) -> None:
    video_id = queued(store)
    job = store.get(video_id)
    assert job is not None
    # a process whose command line says it is this job's worker (as the real one's does)
    script = "import time; time.sleep(30)"
    silent = subprocess.Popen([sys.executable, "-c", script, "reelgate.local._worker", str(job.directory)])
    deadline = time.monotonic() + 10
    while b"reelgate.local._worker" not in Path(f"/proc/{silent.pid}/cmdline").read_bytes():
        assert time.monotonic() < deadline  # the kernel fills the command line in just after exec
        time.sleep(0.01)
    try:
        stale = time.time() - STALE_AFTER - 1
        store.update(job, status="in_progress", pid=silent.pid, machine=this_machine(), heartbeat=stale)
        failed = store.get(video_id)
        assert failed is not None
        assert "stopped responding" in failed.state["error"]["message"]
        assert silent.wait(timeout=10) != 0  # killed, so it cannot write a late "completed"
    finally:
        silent.kill()
        silent.wait()


def test_a_reused_pid_is_never_signalled(store: JobStore) -> None:
    """After a reboot or a long suspend the recorded pid may belong to an unrelated process."""
    video_id = queued(store)
    job = store.get(video_id)
    assert job is not None
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = time.time() - STALE_AFTER - 1
        store.update(job, status="in_progress", pid=bystander.pid, machine=this_machine(), heartbeat=stale)
        failed = store.get(video_id)
        assert failed is not None
        assert failed.status == "failed"
        assert store.delete(video_id)
        assert bystander.poll() is None  # still running: neither SIGKILL nor SIGTERM reached it
    finally:
        bystander.kill()
        bystander.wait()


def test_a_worker_on_another_machine_is_judged_by_its_heartbeat_only(store: JobStore) -> None:
    video_id = queued(store)
    job = store.get(video_id)
    assert job is not None
    store.update(job, status="in_progress", pid=1, machine="elsewhere/boot", heartbeat=time.time())
    assert store.get(video_id).status == "in_progress"  # type: ignore[union-attr]
    store.update(job, status="in_progress", pid=1, machine="elsewhere/boot", heartbeat=0)
    failed = store.get(video_id)
    assert failed is not None
    assert "on elsewhere has not been heard from" in failed.state["error"]["message"]


def test_a_finished_job_is_left_alone(store: JobStore) -> None:
    video_id = queued(store)
    job = store.get(video_id)
    assert job is not None
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
    video_id = queued(store)
    job = store.get(video_id)
    assert job is not None
    starting = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        store.update(
            job, status="in_progress", pid=starting.pid, machine=this_machine(), heartbeat=time.time()
        )
        assert store.get(video_id).status == "in_progress"  # type: ignore[union-attr]
    finally:
        starting.kill()
        starting.wait()
