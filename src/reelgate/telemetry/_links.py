"""Where each video's create span lives, so later calls can link to it, in this process or another.

A small SQLite file in the data directory (``links.sqlite3``) maps a video id to the trace and span
id of the call that created it; an in-memory LRU answers repeated lookups, misses included (a video
is recorded when its create returns, before anyone can ask about it, so a miss stays a miss).
SQLite is in the standard library, safe for several processes at once (WAL mode), and a lookup
costs microseconds.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

from opentelemetry.trace import SpanContext, TraceFlags

_MEMORY_ENTRIES = 10_000


class SpanLinkStore:
    """Remembers ``video_id → create span context``; ``path=None`` keeps it in memory only."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._memory: OrderedDict[str, SpanContext | None] = OrderedDict()
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def remember(self, video_id: str, context: SpanContext) -> None:
        """Record the span that created ``video_id`` (first writer wins)."""
        if not context.is_valid:
            return
        with self._lock:
            self._cache(video_id, context)
            connection = self._connect()
            if connection is not None:
                with connection:
                    connection.execute(
                        "INSERT OR IGNORE INTO links VALUES (?, ?, ?)",
                        (video_id, f"{context.trace_id:032x}", f"{context.span_id:016x}"),
                    )

    def lookup(self, video_id: str) -> SpanContext | None:
        """The create span of ``video_id``, if any process recorded it."""
        with self._lock:
            if video_id in self._memory:  # a hit, or a remembered miss
                self._memory.move_to_end(video_id)
                return self._memory[video_id]
            connection = self._connect()
            row = None
            if connection is not None:
                row = connection.execute(
                    "SELECT trace_id, span_id FROM links WHERE video_id = ?", (video_id,)
                ).fetchone()
            if row is None:
                self._cache(video_id, None)  # a video created elsewhere: do not ask SQLite again
                return None
            context = SpanContext(
                trace_id=int(row[0], 16), span_id=int(row[1], 16), is_remote=True, trace_flags=TraceFlags(1)
            )
            self._cache(video_id, context)
            return context

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _cache(self, video_id: str, context: SpanContext | None) -> None:
        self._memory[video_id] = context
        self._memory.move_to_end(video_id)
        if len(self._memory) > _MEMORY_ENTRIES:
            self._memory.popitem(last=False)

    def _connect(self) -> sqlite3.Connection | None:
        if self._path is None:
            return None
        if self._connection is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self._path, timeout=5.0, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS links (video_id TEXT PRIMARY KEY, trace_id TEXT, span_id TEXT)"
            )
            self._connection = connection
        return self._connection
