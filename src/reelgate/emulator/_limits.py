"""Requests-per-minute limits over a sliding 60 s window, and OpenAI's rate-limit headers.

``x-ratelimit-reset-requests`` is the time until the oldest request in the window leaves it (the
next moment ``remaining`` goes up), formatted like OpenAI's (``12ms``, ``1.5s``, ``1m0s``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

WINDOW = 60.0
DEFAULT_LIMIT = 10_000
"""The limit advertised when no ``rpm`` is configured."""


def format_duration(seconds: float) -> str:
    """``12ms``, ``1s``, ``1.5s``, ``1m0s``."""
    seconds = max(0.0, seconds)
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    minutes, rest = divmod(round(seconds, 3), 60)
    rest_text = f"{rest:.3f}".rstrip("0").rstrip(".")
    return f"{int(minutes)}m{rest_text}s" if minutes else f"{rest_text}s"


@dataclass(frozen=True)
class RateDecision:
    """The outcome of one check: allowed or not, and the numbers for the headers."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: float

    def headers(self) -> dict[str, str]:
        """The ``x-ratelimit-*-requests`` headers."""
        return {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(self.remaining),
            "x-ratelimit-reset-requests": format_duration(self.reset_seconds),
        }


class RateLimiter:
    """A sliding-window request counter per key (not thread-safe: the emulator locks around it)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}

    def check(self, key: str, limit: int | None, now: float) -> RateDecision:
        """Count one request for ``key`` unless that would exceed ``limit`` in the last minute."""
        effective = DEFAULT_LIMIT if limit is None else limit
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW:
            hits.popleft()
        allowed = len(hits) < effective
        if allowed:
            hits.append(now)
        reset = hits[0] + WINDOW - now if hits else 0.0
        return RateDecision(allowed, effective, max(0, effective - len(hits)), reset)

    def clear(self) -> None:
        """Forget every window."""
        self._hits.clear()
