"""The canonical types every provider translates to and every front door returns.

``Video`` carries every key of the OpenAI video object (``null`` where unset) plus ``usage`` and
``cost``; keys an upstream adds that reelgate does not know are kept, not dropped. Statuses are
normalized to :data:`VideoStatus` by the provider that parsed them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PrivateAttr

__all__ = [
    "TERMINAL_STATUSES",
    "ContentVariant",
    "Cost",
    "Usage",
    "Video",
    "VideoDeleted",
    "VideoError",
    "VideoList",
    "VideoStatus",
]

VideoStatus: TypeAlias = Literal["queued", "in_progress", "completed", "failed", "cancelled", "expired"]
"""Lifecycle of a video job. The last four are terminal."""

ContentVariant: TypeAlias = Literal["video", "thumbnail", "spritesheet"]
"""Which downloadable asset of a video: the MP4, a WebP thumbnail, or a JPEG spritesheet."""

TERMINAL_STATUSES: frozenset[str] = frozenset({"completed", "failed", "cancelled", "expired"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class VideoError(_Model):
    """Why a video failed, in the provider's words (``code`` such as ``moderation_blocked``)."""

    code: str | None = None
    message: str | None = None


class Usage(_Model):
    """What the video consumed: its duration in seconds."""

    duration_seconds: float | None = None


Money: TypeAlias = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
"""An exact amount in Python, a plain number in JSON."""


class Cost(_Model):
    """What a video costs: an ``estimate`` at create, ``final`` once terminal, ``unpriced`` if unknown.

    ``amount`` is ``None`` (never 0) when no price matched; a failed, cancelled or expired video's
    final cost is 0.
    """

    amount: Money | None = None
    currency: str = "USD"
    status: Literal["estimate", "final", "unpriced"] = "estimate"


class Video(_Model):
    """A video job, in the OpenAI video object's shape."""

    id: str
    object: str = "video"
    model: str | None = None
    status: VideoStatus
    progress: int | None = None
    created_at: int | None = None
    completed_at: int | None = None
    expires_at: int | None = None
    prompt: str | None = None
    size: str | None = None
    seconds: str | None = None
    remixed_from_video_id: str | None = None
    error: VideoError | None = None
    usage: Usage | None = None
    cost: Cost | None = None

    _request_id: str | None = PrivateAttr(default=None)
    _poll_after: float | None = PrivateAttr(default=None)

    @property
    def is_terminal(self) -> bool:
        """True once the video can no longer change status."""
        return self.status in TERMINAL_STATUSES

    @property
    def request_id(self) -> str | None:
        """The upstream's request id for the response this object came from (for support tickets)."""
        return self._request_id


class VideoList(_Model):
    """One page of videos. Pass ``last_id`` as ``after`` to get the next page while ``has_more``."""

    object: str = "list"
    data: list[Video] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False

    _cursor: str | None = PrivateAttr(default=None)

    @property
    def next_after(self) -> str | None:
        """The ``after`` cursor for the next page, or None on the last page (a router's merged lists
        have a cursor of their own, not the last video's id)."""
        if not self.has_more:
            return None
        return self._cursor or self.last_id


class VideoDeleted(_Model):
    """Confirmation that a video and its assets were deleted."""

    id: str
    object: str = "video.deleted"
    deleted: bool = True
