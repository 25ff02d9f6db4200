"""How long ``video_wait`` sleeps between polls.

The caller's explicit ``poll_interval`` wins; otherwise the interval the server asked for
(``openai-poll-after-ms``); otherwise :data:`DEFAULT_POLL_INTERVAL`. Always within
[:data:`MIN_POLL_INTERVAL`, :data:`MAX_POLL_INTERVAL`], so neither a bad header nor a typo spins or stalls.
"""

from __future__ import annotations

DEFAULT_POLL_INTERVAL = 2.0
MIN_POLL_INTERVAL = 0.01
MAX_POLL_INTERVAL = 30.0
DEFAULT_WAIT_TIMEOUT = 1800.0


def poll_delay(explicit: float | None, server_asked: float | None) -> float:
    """Seconds to sleep before the next status poll."""
    delay = explicit if explicit is not None else server_asked
    if delay is None:
        delay = DEFAULT_POLL_INTERVAL
    return min(max(delay, MIN_POLL_INTERVAL), MAX_POLL_INTERVAL)
