"""Retry decisions and delays as pure functions.

Two policies, because retries must never buy a video twice:

* ``READ`` (status, content, list, delete): retry on 408, 429, 5xx and on any connection failure.
* ``CREATE`` (create, remix): retry only when the upstream surely started nothing: the connection
  was never established, the upstream answered 429, or 503 with a ``retry-after``.

Either way an upstream ``x-should-retry`` header has the last word. Delays honour ``retry-after-ms``
and ``retry-after`` (seconds or an HTTP date) up to :data:`MAX_RETRY_AFTER`, else back off
exponentially from :data:`INITIAL_DELAY` to :data:`MAX_DELAY` with up to 25 % jitter.
"""

from __future__ import annotations

import email.utils
import enum
import random
import time
from collections.abc import Mapping

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
DEFAULT_MAX_RETRIES = 2


class RetryPolicy(enum.Enum):
    """Which failures a request may be retried after."""

    READ = "read"
    CREATE = "create"


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait the upstream asked for, from ``retry-after-ms`` or ``retry-after``, if it is sane."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return _sane(float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return _sane(float(raw))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return _sane(parsed.timestamp() - time.time())


def _sane(seconds: float) -> float | None:
    return max(seconds, 0.0) if seconds <= MAX_RETRY_AFTER else None


def should_retry_status(policy: RetryPolicy, status: int, headers: Mapping[str, str]) -> bool:
    """Whether an error status may be retried under ``policy``."""
    explicit = headers.get("x-should-retry")
    if explicit == "false":
        return False
    if explicit == "true":
        return True
    if policy is RetryPolicy.READ:
        return status in (408, 429) or status >= 500
    return status == 429 or (status == 503 and retry_after_seconds(headers) is not None)


def should_retry_connection(policy: RetryPolicy, *, reached_upstream: bool) -> bool:
    """Whether a connection failure may be retried: a create only if the request never arrived."""
    return policy is RetryPolicy.READ or not reached_upstream


def backoff_delay(retries_taken: int, headers: Mapping[str, str] | None = None) -> float:
    """Seconds to wait before the next attempt."""
    if headers is not None:
        asked = retry_after_seconds(headers)
        if asked is not None:
            return asked
    delay = min(INITIAL_DELAY * 2.0**retries_taken, MAX_DELAY)
    return delay * (1 - 0.25 * random.random())
