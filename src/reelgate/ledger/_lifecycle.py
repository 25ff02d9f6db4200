"""The last flush: at interpreter exit, at a multiprocessing child's exit, on SIGTERM, and across fork.

- ``atexit`` closes (and so flushes) every open ledger; so does a ``multiprocessing`` finalizer, because
  a forked ``multiprocessing`` child leaves through ``os._exit`` and skips ``atexit``.
- SIGTERM: a handler (installed once, from the main thread only) flushes every ledger, buffered and
  in-flight rows alike (a row written twice is one row in the views), then hands over: to the previous
  Python handler if there was one, to nothing if SIGTERM was ignored, else it restores the default
  action and re-raises the signal so that the process terminates exactly as it would have.
- In a forked child, each ledger drops the parent's buffer (the parent writes it) and starts its flush
  thread again on its next record.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any, Protocol

logger = logging.getLogger("reelgate.ledger")


class Member(Protocol):
    def close(self) -> None: ...
    def emergency_flush(self) -> None: ...
    def after_fork_in_child(self) -> None: ...


_lock = threading.Lock()
_members: set[Member] = set()
_hooks_pid = -1
_sigterm_installed = False
_previous_sigterm: Any = None


def register(member: Member) -> None:
    """Flush ``member`` at exit and on SIGTERM (installing the process hooks on first use)."""
    with _lock:
        _members.add(member)
    ensure_hooks()


def unregister(member: Member) -> None:
    with _lock:
        _members.discard(member)


def ensure_hooks() -> None:
    """Install the exit hooks of this process (again in a forked child); idempotent."""
    global _hooks_pid
    with _lock:
        if _hooks_pid != os.getpid():
            first = _hooks_pid == -1
            _hooks_pid = os.getpid()
            if first:
                atexit.register(close_all)
                if hasattr(os, "register_at_fork"):
                    os.register_at_fork(after_in_child=_after_fork_in_child)
            if "multiprocessing" in sys.modules:
                from multiprocessing import util

                util.Finalize(None, close_all, exitpriority=100)
    _install_sigterm()


def close_all() -> None:
    """Close every registered ledger (each close is a final flush)."""
    for member in list(_members):
        try:
            member.close()
        except Exception:
            logger.exception("ledger: the final flush failed")


def _install_sigterm() -> None:
    global _sigterm_installed, _previous_sigterm
    if _sigterm_installed or threading.current_thread() is not threading.main_thread():
        return
    try:
        _previous_sigterm = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # not the main interpreter, or the platform refuses
        return
    _sigterm_installed = True


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    for member in list(_members):  # no lock: the interrupted code may hold it
        try:
            member.emergency_flush()
        except Exception:
            logger.exception("ledger: the flush on SIGTERM failed")
    previous = _previous_sigterm
    if callable(previous):
        previous(signum, frame)
    elif previous != signal.SIG_IGN:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.Lock()
    for member in list(_members):
        member.after_fork_in_child()
