"""Video jobs: a lifecycle computed from the clock, the Video object, and a cursor-paginated store.

A job is ``queued`` for the first 15 % of its duration, then ``in_progress`` with ``progress``
rising from 15 to 99, then ``completed`` (progress 100, ``completed_at`` and ``expires_at`` set) or,
when a directive asked for it, ``failed`` (progress 100, ``completed_at`` set, ``expires_at`` null,
``error`` set). Nothing runs in the background: the status is worked out whenever it is read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

QUEUED_FRACTION = 0.15
FAILURES: dict[str, tuple[str, str]] = {
    "moderation": ("moderation_blocked", "Your request was blocked by our moderation system."),
    "internal": ("internal_error", "Video generation failed due to an internal error. Please try again."),
}
Status = Literal["queued", "in_progress", "completed", "failed"]


def new_video_id() -> str:
    """``video_`` and 32 hex digits."""
    return f"video_{uuid.uuid4().hex}"


@dataclass
class Job:
    """One video job. ``created`` and ``duration`` are in the emulator clock's seconds."""

    id: str
    seq: int
    model: str
    prompt: str
    size: str
    seconds: str
    created: float
    duration: float
    clock: Callable[[], float] = field(repr=False, compare=False)
    failure: str | None = None
    remixed_from_video_id: str | None = None
    expires_after: int = 3600
    expires_from_creation: bool = False

    @property
    def created_at(self) -> int:
        """Creation time, unix seconds."""
        return int(self.created)

    def state(self, now: float | None = None) -> tuple[Status, int]:
        """``(status, progress)`` at ``now`` (default: the clock's now)."""
        elapsed = (self.clock() if now is None else now) - self.created
        if elapsed >= self.duration:
            return ("failed" if self.failure else "completed"), 100
        if elapsed < QUEUED_FRACTION * self.duration:
            return "queued", 0
        return "in_progress", min(99, max(1, int(elapsed / self.duration * 100)))

    @property
    def status(self) -> Status:
        """The status now."""
        return self.state()[0]

    @property
    def progress(self) -> int:
        """The progress now, 0..100."""
        return self.state()[1]

    def is_finished(self, now: float | None = None) -> bool:
        """Whether the job reached ``completed`` or ``failed``."""
        return self.state(now)[0] in ("completed", "failed")

    def expires_at(self, now: float | None = None) -> int | None:
        """When the content expires (only once completed)."""
        if self.state(now)[0] != "completed":
            return None
        base = self.created_at if self.expires_from_creation else int(self.created + self.duration)
        return base + self.expires_after

    def to_object(self, now: float | None = None) -> dict[str, Any]:
        """The Video object, every key present."""
        now = self.clock() if now is None else now
        status, progress = self.state(now)
        finished = status in ("completed", "failed")
        error = None
        if status == "failed" and self.failure is not None:
            code, message = FAILURES[self.failure]
            error = {"code": code, "message": message}
        return {
            "id": self.id,
            "object": "video",
            "model": self.model,
            "status": status,
            "progress": progress,
            "created_at": self.created_at,
            "completed_at": int(self.created + self.duration) if finished else None,
            "expires_at": self.expires_at(now),
            "prompt": self.prompt,
            "size": self.size,
            "seconds": self.seconds,
            "remixed_from_video_id": self.remixed_from_video_id,
            "error": error,
        }


class UnknownCursor(LookupError):
    """``after`` names a video this store never held."""


class JobStore:
    """Jobs by id, in creation order; deleted ids stay known as list cursors."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self._positions: dict[str, tuple[int, int]] = {}
        self._next_seq = 0

    def next_seq(self) -> int:
        """A creation sequence number, increasing."""
        self._next_seq += 1
        return self._next_seq

    def add(self, job: Job) -> None:
        """Store ``job``."""
        self.jobs[job.id] = job
        self._positions[job.id] = (job.created_at, job.seq)

    def delete(self, video_id: str) -> bool:
        """Forget ``video_id``; whether it existed."""
        return self.jobs.pop(video_id, None) is not None

    def clear(self) -> None:
        """Forget everything, cursors included."""
        self.jobs.clear()
        self._positions.clear()

    def page(self, *, after: str | None, limit: int, descending: bool) -> tuple[list[Job], bool]:
        """Up to ``limit`` jobs ordered by ``(created_at, seq)`` that come after ``after``; and has_more."""
        ordered = sorted(self.jobs.values(), key=lambda job: (job.created_at, job.seq), reverse=descending)
        if after is not None:
            cursor = self._positions.get(after)
            if cursor is None:
                raise UnknownCursor(after)
            if descending:
                ordered = [job for job in ordered if (job.created_at, job.seq) < cursor]
            else:
                ordered = [job for job in ordered if (job.created_at, job.seq) > cursor]
        return ordered[:limit], len(ordered) > limit
