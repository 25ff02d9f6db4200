"""Who writes: the instance id stamped on every row and in segment names, and a per-process sequence.

The instance id is ``<host>-<pid>-<start time in ms, hex>``: unique per process even when pids are
reused, and recomputed in a forked child (whose pid differs), so two processes never name a segment
alike.
"""

from __future__ import annotations

import itertools
import os
import re
import socket
import threading
import time
from collections.abc import Iterator

_lock = threading.RLock()  # reentrant: a SIGTERM flush may interrupt its holder
_pid = -1
_instance = ""
_sequence: Iterator[int] = itertools.count()


def _refresh() -> None:
    global _pid, _instance, _sequence
    pid = os.getpid()
    if pid != _pid:
        host = re.sub(r"[^A-Za-z0-9_.]+", "_", socket.gethostname())[:40] or "host"
        _instance = f"{host}-{pid}-{time.time_ns() // 1_000_000:x}"
        _sequence = itertools.count(1)
        _pid = pid


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.RLock()  # another thread may have held it at the fork


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def instance_id() -> str:
    """This process's writer id (host, pid and start time)."""
    with _lock:
        _refresh()
        return _instance


def next_sequence() -> tuple[str, int]:
    """The instance id and the next sequence number of this process (for a segment name)."""
    with _lock:
        _refresh()
        return _instance, next(_sequence)
