"""The emulator's settings (:class:`EmulatorConfig`) and its fault-injection rules (:class:`FaultRule`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

ROUTES = ("create", "retrieve", "list", "content", "remix", "delete", "*")
"""What a :class:`FaultRule` can match: one API operation, or ``*`` for all of them."""


@dataclass(frozen=True)
class FaultRule:
    """Make matching API requests fail or slow down.

    Each matching request consumes one use (``times=None`` means forever). With ``status`` set the
    request is answered with that status and the matching OpenAI error envelope after ``latency``
    seconds; ``retry_after`` (seconds) adds ``retry-after`` and ``retry-after-ms`` headers. With
    ``status=None`` the request is served normally and its response is held back ``latency`` seconds,
    so a latency-only rule on ``create`` creates the job first (a create whose response a client
    timeout loses: the job exists upstream).
    """

    route: str = "*"
    status: int | None = None
    times: int | None = 1
    retry_after: float | None = None
    latency: float = 0.0
    message: str | None = None

    def __post_init__(self) -> None:
        if self.route not in ROUTES:
            raise ValueError(f"route must be one of {', '.join(ROUTES)}; got {self.route!r}")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP error status (400..599); got {self.status}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 (or None for forever); got {self.times}")
        if self.latency < 0 or (self.retry_after is not None and self.retry_after < 0):
            raise ValueError("latency and retry_after cannot be negative")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultRule:
        """Build a rule from its JSON form (the admin API's), refusing unknown keys."""
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault rule keys: {', '.join(unknown)}")
        return cls(**dict(data))

    def as_dict(self) -> dict[str, Any]:
        """The rule's JSON form."""
        return {item.name: getattr(self, item.name) for item in fields(self)}


def _default_deployments() -> dict[str, str]:
    return {"sora-2": "sora-2"}


@dataclass
class EmulatorConfig:
    """How an emulated provider behaves. Every setting is optional.

    ``job_seconds`` is the wall time from create to a terminal status, read from ``clock`` (inject
    one to drive time in tests). ``api_keys=None`` accepts any non-empty key. ``deployments`` maps an
    Azure deployment name (the request's ``model``) to its base model; OpenAI ignores it. ``rpm`` is
    a per-key requests-per-minute limit over a sliding window; ``max_running_jobs`` caps unfinished
    jobs. ``faults`` are armed when the emulator is built.
    """

    job_seconds: float = 3.0
    clock: Callable[[], float] = time.time
    poll_after_ms: int = 500
    api_keys: set[str] | None = None
    retired_models: set[str] = field(default_factory=set)
    allow_1080p: bool = False
    deployments: dict[str, str] = field(default_factory=_default_deployments)
    rpm: int | None = None
    max_running_jobs: int | None = None
    faults: list[FaultRule] = field(default_factory=list)
    fps: int = 12

    def copy(self) -> EmulatorConfig:
        """A copy whose sets, dict and list are its own (the clock is shared, not copied)."""
        return replace(
            self,
            api_keys=None if self.api_keys is None else set(self.api_keys),
            retired_models=set(self.retired_models),
            deployments=dict(self.deployments),
            faults=list(self.faults),
        )
