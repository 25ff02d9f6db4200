"""The local provider's job store: one directory per video under ``<data_dir>/local/videos``.

Layout of ``videos/<video_id>/``:

* ``job.json``: what was asked (model, prompt, seconds, size, remix source, fps), written once;
* ``state.json``: where the render is (status, progress, error, worker pid, heartbeat), replaced
  atomically by whoever changes it, so a reader in another process never sees half a file;
* ``backdrop``: the reference image, when one was given;
* ``video.mp4``, ``thumbnail.webp``, ``spritesheet.jpg``: the assets, renamed into place before the
  state says ``completed``;
* ``worker.pid`` and ``worker.log``: the render worker's pid and machine as its starter saw them,
  and its stderr (quoted when a render dies).

A job directory appears whole (it is built under a temporary name and renamed) and disappears whole
(renamed away, then removed), so listings never see a half-made or half-deleted video. Ids are
``video_`` + 16 hex digits of the creation time in nanoseconds + 16 random hex digits: sorting ids sorts
videos by creation, and a cursor stays valid after its video is deleted.

A render that stops without saying so (a killed worker, a crash, a machine reboot) is detected by the
next reader: a job still marked running whose worker process is gone, or whose heartbeat is older than
:data:`STALE_AFTER` seconds, becomes ``failed`` with an error that says so. A pid is trusted only on
the machine and boot that recorded it, and a process is signalled only when its command line shows it
is this job's worker; from another machine sharing the directory only the heartbeat counts.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reelgate._paths import resolve_data_dir

STALE_AFTER = 60.0
"""Seconds without a heartbeat after which a running render is considered dead."""

ASSETS: dict[str, tuple[str, str]] = {
    "video": ("video.mp4", "video/mp4"),
    "thumbnail": ("thumbnail.webp", "image/webp"),
    "spritesheet": ("spritesheet.jpg", "image/jpeg"),
}
"""Each content variant's file name in the job directory and its media type."""

_ID = re.compile(r"^video_[0-9a-f]{32}$")
_RUNNING = ("queued", "in_progress")


@dataclass(frozen=True, slots=True)
class Job:
    """One video's request (``spec``) and its latest state, as read from disk."""

    directory: Path
    spec: dict[str, Any]
    state: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.spec["id"])

    @property
    def status(self) -> str:
        return str(self.state["status"])

    @property
    def worker(self) -> tuple[int, str] | None:
        """The render worker's pid and the machine it runs on (see :func:`this_machine`): from the
        state once the worker runs, else as its starter recorded them."""
        pid, where = self.state.get("pid"), self.state.get("machine")
        if isinstance(pid, int) and isinstance(where, str):
            return pid, where
        try:
            recorded = json.loads((self.directory / "worker.pid").read_text())
            return int(recorded["pid"]), str(recorded["machine"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def asset(self, variant: str) -> Path:
        return self.directory / ASSETS[variant][0]

    def video_object(self) -> dict[str, Any]:
        """The job as an OpenAI-shaped video object."""
        error = self.state.get("error")
        return {
            "id": self.id,
            "object": "video",
            "model": self.spec["model"],
            "status": self.status,
            "progress": self.state.get("progress", 0),
            "created_at": self.spec["created_at"],
            "completed_at": self.state.get("completed_at"),
            "expires_at": None,
            "prompt": self.spec["prompt"],
            "size": self.spec["size"],
            "seconds": self.spec["seconds"],
            "quality": "standard",
            "remixed_from_video_id": self.spec.get("remixed_from_video_id"),
            "error": error,
        }


def default_root() -> Path:
    """``<data_dir>/local``: where the local provider keeps its videos."""
    return resolve_data_dir() / "local"


def new_video_id() -> str:
    return f"video_{time.time_ns():016x}{secrets.token_hex(8)}"


def write_json(path: Path, value: dict[str, Any]) -> None:
    """Replace ``path`` atomically with ``value`` as JSON."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    temporary.write_text(json.dumps(value), encoding="utf-8")
    os.replace(temporary, path)


def read_json(path: Path) -> dict[str, Any]:
    value = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(value, dict):
        raise ValueError(f"{path} does not hold a JSON object")
    return value


class JobStore:
    """The videos of one data directory, shared by every process that uses it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.videos = root / "videos"

    # -- writing --------------------------------------------------------------------------------

    def add(self, spec: dict[str, Any], backdrop: bytes | None) -> Job:
        """Create a job directory for ``spec`` (which must hold ``id``), queued."""
        self.videos.mkdir(parents=True, exist_ok=True)
        building = self.videos / f".new-{spec['id']}"
        building.mkdir()
        try:
            if backdrop is not None:
                (building / "backdrop").write_bytes(backdrop)
            write_json(building / "job.json", spec)
            state = {"status": "queued", "progress": 0, "heartbeat": time.time(), "pid": None}
            write_json(building / "state.json", state)
            final = self.videos / spec["id"]
            os.rename(building, final)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        return Job(final, spec, state)

    def update(self, job: Job, **changes: Any) -> Job:
        """Write a new state for ``job`` (its directory must still exist)."""
        state = {**job.state, **changes}
        write_json(job.directory / "state.json", state)
        return Job(job.directory, job.spec, state)

    def delete(self, video_id: str) -> bool:
        """Remove a video and its assets, stopping its render if one is running. False if unknown."""
        job = self.get(video_id)
        if job is None:
            return False
        pid = _our_worker(job, job.worker)
        if job.status in _RUNNING and pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        doomed = self.videos / f".deleted-{video_id}-{secrets.token_hex(4)}"
        try:
            os.rename(job.directory, doomed)
        except FileNotFoundError:
            return False  # another process deleted it first
        shutil.rmtree(doomed, ignore_errors=True)
        return True

    # -- reading --------------------------------------------------------------------------------

    def get(self, video_id: str) -> Job | None:
        """The job for ``video_id``, with a dead render marked failed; None if there is none."""
        if not _ID.match(video_id):
            return None
        directory = self.videos / video_id
        try:
            job = Job(directory, read_json(directory / "job.json"), read_json(directory / "state.json"))
        except FileNotFoundError:
            return None
        return self._check_alive(job)

    def ids(self) -> list[str]:
        """Every video id, oldest first."""
        try:
            names = os.listdir(self.videos)
        except FileNotFoundError:
            return []
        return sorted(name for name in names if _ID.match(name))

    def _check_alive(self, job: Job) -> Job:
        if job.status not in _RUNNING:
            return job
        worker = job.worker
        stale = time.time() - float(job.state.get("heartbeat") or 0) > STALE_AFTER
        here = worker is not None and worker[1] == this_machine()
        if not stale and (worker is None or not here or _exists(worker[0])):
            return job  # heard from lately, and (when it can be told) its process is there
        # the worker writes its final state before it exits: read again before calling it dead
        fresh = self._reread(job)
        if fresh is None or fresh.status not in _RUNNING:
            return fresh or job
        pid = _our_worker(job, worker)
        if worker is None:
            why = f"the render worker never started (nothing heard for {STALE_AFTER:.0f} s)"
        elif pid is not None:
            why = f"the render worker (pid {pid}) stopped responding for {STALE_AFTER:.0f} s"
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        elif here:
            why = f"the render worker (pid {worker[0]}) stopped before finishing (killed or crashed)"
        else:
            host = worker[1].split("/")[0]
            why = f"the render worker on {host} has not been heard from for {STALE_AFTER:.0f} s"
        detail = _last_line(job.directory / "worker.log")
        message = f"{why}{': ' + detail if detail else ''}; create the video again"
        return self.update(
            fresh,
            status="failed",
            completed_at=int(time.time()),
            error={"code": "render_interrupted", "message": message},
        )

    def _reread(self, job: Job) -> Job | None:
        try:
            return Job(job.directory, job.spec, read_json(job.directory / "state.json"))
        except FileNotFoundError:
            return None


@functools.cache
def this_machine() -> str:
    """This host and boot (a pid means nothing on another host, or on this one after a reboot)."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        boot = ""
    return f"{socket.gethostname()}/{boot}"


def _exists(pid: int) -> bool:
    """Whether a process ``pid`` exists on this machine (a zombie, exited but unreaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    zombie = _zombie(pid)
    return not zombie if zombie is not None else not Path("/proc/self").exists()  # no /proc: trust kill


def _zombie(pid: int) -> bool | None:
    """Whether ``pid`` has exited but is not reaped yet; None when /proc cannot say."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[:1] == ["Z"]
    except OSError:
        return None


def _our_worker(job: Job, worker: tuple[int, str] | None) -> int | None:
    """The pid of ``job``'s render ``worker`` if that process is alive on this machine and verifiably
    that worker (its command line names the job's directory); else None. Only such a pid is signalled:
    a pid reused by another process is never killed. (Right after the exec the command line can still
    read empty for a moment, so this decides whom to signal, never whether a fresh worker is alive.)"""
    if worker is None or worker[1] != this_machine():
        return None
    pid = worker[0]
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None  # gone (or no /proc to verify it: then rely on the heartbeat alone)
    if _zombie(pid) is not False or b"reelgate.local._worker" not in command:
        return None
    return pid if os.fsencode(str(job.directory)) in command else None


def _last_line(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""
