"""The writer: :class:`Ledger` buffers events in memory and flushes them as Parquet segments.

Recording is an append to a list under a lock (about a microsecond; it never touches the disk). A
daemon thread flushes every ``flush_interval`` seconds when something is buffered, and at once when
the buffer reaches ``max_buffer``; ``flush()``, ``close()``, interpreter exit and SIGTERM flush too
(see :mod:`reelgate.ledger._lifecycle`). A flush that fails (disk full, directory gone) puts its
rows back and is retried on the next tick. Every ``compact_every`` segments the writer starts a
compaction in another daemon thread (a no-op if another process is compacting).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from reelgate.ledger import _lifecycle
from reelgate.ledger._events import CallEvent, CostEvent
from reelgate.ledger._files import LedgerPaths
from reelgate.ledger._schema import CALLS, COSTS, call_row, cost_row
from reelgate.ledger._segments import ensure_layout, write_segment

logger = logging.getLogger("reelgate.ledger")
E = TypeVar("E", CallEvent, CostEvent)
_Batch = tuple[list[CallEvent], list[CostEvent]]


def _rows(events: Sequence[E], convert: Callable[[E], tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    rows = []
    for event in events:
        try:
            rows.append(convert(event))
        except Exception:  # never let one odd event poison (and endlessly retry) a whole batch
            logger.exception("ledger: dropped an event that cannot be converted: %r", event)
    return rows


class Ledger:
    """An append-only cost and call ledger in ``<data_dir>/ledger`` (thread-safe; many processes at once).

    ``data_dir`` defaults to ``REELGATE_DATA_DIR``, else the user data directory; one that cannot be
    created or written raises :class:`~reelgate.ledger.DataDirectoryError`. ``compact_every``: start a
    compaction after this many segments written (None: never; run :func:`~reelgate.ledger.compact`
    yourself). Use one ledger per process (or per client) and close it, or let exit hooks do so::

        ledger = Ledger()
        ledger.record_cost(event)      # buffered
        ledger.close()                 # final flush
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        flush_interval: float = 1.0,
        max_buffer: int = 50_000,
        compact_every: int | None = 120,
    ) -> None:
        if flush_interval <= 0:
            raise ValueError(f"flush_interval must be positive, got {flush_interval!r}")
        if max_buffer < 1:
            raise ValueError(f"max_buffer must be at least 1, got {max_buffer!r}")
        self._paths = LedgerPaths.resolve(data_dir)
        ensure_layout(self._paths, writable=True)
        self._flush_interval = flush_interval
        self._max_buffer = max_buffer
        self._compact_every = compact_every
        self._lock = threading.RLock()  # reentrant: the SIGTERM handler may interrupt its holder
        self._flush_lock = threading.RLock()
        self._calls: list[CallEvent] = []
        self._costs: list[CostEvent] = []
        self._inflight: list[_Batch] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._compactor: threading.Thread | None = None
        self._since_compaction = 0
        self._views_checked = False
        self._closed = False
        _lifecycle.register(self)
        self._start()

    @property
    def data_dir(self) -> Path:
        return self._paths.data_dir

    @property
    def pending(self) -> int:
        """Events buffered and not yet written."""
        with self._lock:
            return len(self._calls) + len(self._costs)

    @property
    def closed(self) -> bool:
        return self._closed

    def __repr__(self) -> str:
        return f"Ledger({str(self.data_dir)!r}, pending={self.pending}{', closed' if self._closed else ''})"

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- recording ------------------------------------------------------------------------------------

    def record_call(self, event: CallEvent) -> None:
        """Buffer one call (cheap; never blocks on disk)."""
        with self._lock:
            self._calls.append(event)
            size = len(self._calls) + len(self._costs)
        self._after_append(size)

    def record_cost(self, event: CostEvent) -> None:
        """Buffer one cost event (cheap; never blocks on disk)."""
        with self._lock:
            self._costs.append(event)
            size = len(self._calls) + len(self._costs)
        self._after_append(size)

    def _after_append(self, size: int) -> None:
        if self._thread is None:  # closed (write through at once), or first record in a forked child
            if self._closed:
                self.flush()
            else:
                self._start()
        elif size >= self._max_buffer:
            self._wake.set()

    # -- flushing -------------------------------------------------------------------------------------

    def flush(self) -> int:
        """Write every buffered event now (one new segment per table); return how many were taken.

        Raises what the write raised (the events then stay buffered for the next flush).
        """
        with self._flush_lock:
            with self._lock:
                batch: _Batch = (self._calls, self._costs)
                self._calls, self._costs = [], []
                self._inflight.append(batch)
            try:
                written, segments = self._write(*batch)
            finally:
                with self._lock:
                    self._inflight = [other for other in self._inflight if other is not batch]
        if segments:
            self._count_segments(segments)
        return written

    def _write(self, calls: list[CallEvent], costs: list[CostEvent]) -> tuple[int, int]:
        written = segments = 0
        if calls:
            try:
                path = write_segment(self._paths, CALLS, _rows(calls, call_row))
            except BaseException:
                self._put_back(calls, costs)
                raise
            written, segments = len(calls), int(path is not None)
        if costs:
            try:
                path = write_segment(self._paths, COSTS, _rows(costs, cost_row))
            except BaseException:
                self._put_back([], costs)
                raise
            written, segments = written + len(costs), segments + int(path is not None)
        return written, segments

    def _put_back(self, calls: list[CallEvent], costs: list[CostEvent]) -> None:
        with self._lock:
            self._calls[:0] = calls
            self._costs[:0] = costs

    def emergency_flush(self) -> None:
        """Write buffered and in-flight rows at once (SIGTERM); duplicates are harmless, loss is not."""
        with self._lock:
            calls = [event for batch in self._inflight for event in batch[0]] + self._calls
            costs = [event for batch in self._inflight for event in batch[1]] + self._costs
            self._calls, self._costs = [], []
        self._write(calls, costs)

    def close(self) -> None:
        """Stop the flush thread and write what is buffered; idempotent. Later records are written at once."""
        if self._closed:
            return
        self._closed = True
        thread, self._thread = self._thread, None
        self._stop.set()
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        compactor = self._compactor
        if compactor is not None and compactor is not threading.current_thread():
            compactor.join(timeout=60)
        try:
            self.flush()
        finally:
            _lifecycle.unregister(self)

    def after_fork_in_child(self) -> None:
        """In a forked child: forget the parent's buffer and threads (the parent flushes its rows)."""
        self._lock = threading.RLock()
        self._flush_lock = threading.RLock()
        self._calls, self._costs, self._inflight = [], [], []
        self._thread = self._compactor = None
        self._wake, self._stop = threading.Event(), threading.Event()

    # -- background work ------------------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None or self._closed:
                return
            _lifecycle.ensure_hooks()
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(self._stop,), name="reelgate-ledger-flush", daemon=True
            )
            self._thread.start()

    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self._wake.wait(self._flush_interval)
            self._wake.clear()
            if stop.is_set():
                return
            if not self._views_checked:
                self._views_checked = True
                self._refresh_views_file()
            if self.pending:
                try:
                    self.flush()
                except Exception:
                    logger.exception("ledger: flush failed; the events stay buffered and are retried")

    def _refresh_views_file(self) -> None:
        from reelgate.ledger._views import write_views_file

        try:
            write_views_file(self._paths.data_dir)
        except Exception:
            logger.warning("ledger: could not write %s", self._paths.views_file, exc_info=True)

    def _count_segments(self, segments: int) -> None:
        if self._compact_every is None:
            return
        with self._lock:
            self._since_compaction += segments
            if self._since_compaction < self._compact_every:
                return
            if self._compactor is not None and self._compactor.is_alive():
                return
            self._since_compaction = 0
            self._compactor = threading.Thread(
                target=self._compact, name="reelgate-ledger-compact", daemon=True
            )
            self._compactor.start()

    def _compact(self) -> None:
        from reelgate.ledger._compact import compact

        try:
            compact(self._paths.data_dir)
        except Exception:
            logger.warning("ledger: compaction failed (it is retried later)", exc_info=True)
