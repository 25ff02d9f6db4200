"""Compaction: fewer, larger files, without losing or doubling a row, while others write and read.

Two moves, per table, under an exclusive lock on ``ledger/compact.lock`` (one compactor at a time; a
second one returns at once):

- **merge**: at least ``min_segments`` small delta segments become one (de-duplicated by event id);
- **fold**: the deltas are folded into a new generation of the base (when they hold at least
  ``fold_ratio`` of the base's rows, or with ``full=True``): base rows untouched by the deltas are
  copied as they are; the rest are de-duplicated and, for costs, each touched video's chosen event and
  summary are recomputed. The older generation is superseded once the new one is in place.

Either way the new file is written under a temporary name, its row count checked against the number of
distinct event ids it must hold, fsynced and renamed into place; only then are the inputs marked as
superseded. They are deleted by a later compaction, ``grace`` seconds on: a reader that listed them a
moment ago (or a live view in Grafana) still finds them, and meanwhile sees the inputs and the output
(the views de-duplicate), never neither. A reader that still finds a file gone retries. Writers only
ever add new segments, which a compaction never touches (it works on the files it listed).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from reelgate.ledger._duck import cursor, write_parquet
from reelgate.ledger._errors import LedgerError
from reelgate.ledger._files import (
    LedgerPaths,
    base_generation,
    base_name,
    mark_superseded,
    publish,
    segment_name,
    sweep,
)
from reelgate.ledger._identity import next_sequence
from reelgate.ledger._schema import COSTS, TABLES, Table, literal
from reelgate.ledger._segments import ensure_layout
from reelgate.ledger._sql import (
    EARLIEST_COPY,
    ESTIMATE_AMOUNT,
    PICK,
    VIDEO_USER,
    columns,
    read_files,
    video_tags,
)


@dataclass(frozen=True)
class CompactionResult:
    """What one compaction did to one table."""

    table: str
    action: Literal["merge", "fold"]
    segments: int
    """Delta segments consumed (superseded, deleted after the grace period)."""
    rows: int
    """Rows in the file written."""


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` if nobody else does; yield whether we got it."""
    with open(path, "a+b") as handle:
        if sys.platform == "win32":
            import msvcrt

            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError:
                yield False
                return
            try:
                yield True
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def compact(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    min_segments: int = 8,
    fold_ratio: float = 0.25,
    full: bool = False,
    small_rows: int = 250_000,
    grace: float = 30.0,
) -> list[CompactionResult]:
    """Merge small segments and fold deltas into the base; return what was done.

    Returns ``[]`` at once when another compactor holds the lock.

    ``min_segments``: merge only when at least that many delta segments of under ``small_rows`` rows
    exist. ``fold_ratio``: fold when the deltas hold at least that fraction of the base's rows (and
    there are ``min_segments`` of them). ``full``: fold every delta now. ``grace``: seconds a superseded
    file stays readable before a compaction deletes it.
    """
    if min_segments < 2:
        raise ValueError(f"min_segments must be at least 2, got {min_segments!r}")
    paths = LedgerPaths.resolve(data_dir)
    ensure_layout(paths, writable=True)
    results = []
    with _exclusive(paths.lock_file) as held:
        if not held:
            return []
        for table in TABLES:
            sweep(paths.table_dir(table), grace)
            result = _compact_table(paths, table, min_segments, fold_ratio, full, small_rows)
            if result is not None:
                results.append(result)
    return results


def _row_counts(connection: duckdb.DuckDBPyConnection, files: list[Path]) -> dict[str, int]:
    listed = ", ".join(literal(path.as_posix()) for path in files)
    rows = connection.execute(f"SELECT file_name, num_rows FROM parquet_file_metadata([{listed}])").fetchall()
    return {Path(name).as_posix(): int(count) for name, count in rows}


def _compact_table(
    paths: LedgerPaths, table: Table, min_segments: int, fold_ratio: float, full: bool, small_rows: int
) -> CompactionResult | None:
    deltas = paths.live_segments(table)
    if not deltas:
        return None
    connection = cursor()
    try:
        counts = _row_counts(connection, [*deltas, paths.base_file(table)])
        delta_rows = sum(counts[path.as_posix()] for path in deltas)
        base_rows = counts[paths.base_file(table).as_posix()]
        if full or (len(deltas) >= min_segments and delta_rows >= fold_ratio * base_rows):
            return _fold(connection, paths, table, deltas)
        small = [path for path in deltas if counts[path.as_posix()] < small_rows]
        if len(small) >= min_segments:
            return _merge(connection, paths, table, small)
        return None
    finally:
        connection.close()


def _scalar(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    return int(row[0]) if row is not None else 0


def _install(
    connection: duckdb.DuckDBPyConnection, select: str, final: Path, expected: int, inputs: list[Path]
) -> int:
    """Write ``select`` to ``final`` if it holds exactly ``expected`` rows, then supersede ``inputs``."""
    temp = write_parquet(connection, select, final)
    try:
        written = _scalar(connection, f"SELECT count(*) FROM read_parquet({literal(temp.as_posix())})")
        if written != expected:
            raise LedgerError(
                f"compaction of {final.parent.name} wrote {written} rows where {expected} events "
                "were expected; nothing was changed"
            )
        publish(temp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    mark_superseded(inputs)
    return written


def _merge(
    connection: duckdb.DuckDBPyConnection, paths: LedgerPaths, table: Table, files: list[Path]
) -> CompactionResult:
    source = read_files([*(path.as_posix() for path in files), paths.schema_file(table).as_posix()])
    cols = columns([name for name, _ in table.columns])
    expected = _scalar(connection, f"SELECT count(DISTINCT event_id) FROM {source}")
    instance, sequence = next_sequence()
    final = paths.table_dir(table) / segment_name(instance, sequence)
    select = f"SELECT {cols} FROM {source} QUALIFY {EARLIEST_COPY}"
    rows = _install(connection, select, final, expected, files)
    return CompactionResult(table.name, "merge", len(files), rows)


def _fold(
    connection: duckdb.DuckDBPyConnection, paths: LedgerPaths, table: Table, deltas: list[Path]
) -> CompactionResult:
    schema = paths.schema_file(table).as_posix()
    segment_cols = [name for name, _ in table.columns]
    every = columns(segment_cols + [name for name, _ in table.base_only])
    cols = columns(segment_cols)
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW d AS SELECT {cols} "
        f"FROM {read_files([*(path.as_posix() for path in deltas), schema])}"
    )
    current = paths.base_file(table)
    base = read_files([current.as_posix(), schema])
    connection.execute(f"CREATE OR REPLACE TEMP VIEW b AS SELECT {every} FROM {base}")
    expected = _scalar(
        connection,
        "WITH ids AS (SELECT DISTINCT event_id FROM d) "
        "SELECT (SELECT count(*) FROM b) + (SELECT count(*) FROM ids) "
        "- (SELECT count(*) FROM b SEMI JOIN ids USING (event_id))",
    )
    if table is COSTS:
        select = f"""WITH touched AS (SELECT DISTINCT video_key FROM d),
redo AS (
    SELECT {cols} FROM (
        SELECT {cols} FROM d UNION ALL SELECT {cols} FROM b SEMI JOIN touched USING (video_key))
    QUALIFY {EARLIEST_COPY})
(SELECT {every} FROM b ANTI JOIN touched USING (video_key))
UNION ALL
(SELECT {cols},
    row_number() OVER (PARTITION BY video_key ORDER BY {PICK}, event_id) = 1 AS chosen,
    min(ts) OVER video AS video_first_ts,
    {ESTIMATE_AMOUNT} OVER video AS video_estimate_amount,
    {VIDEO_USER} OVER video AS video_user,
    {video_tags(" OVER video")} AS video_tags
 FROM redo WINDOW video AS (PARTITION BY video_key))"""
    else:
        select = f"""WITH ids AS (SELECT DISTINCT event_id FROM d)
(SELECT {cols} FROM b ANTI JOIN ids USING (event_id))
UNION ALL
(SELECT {cols} FROM (SELECT {cols} FROM d UNION ALL SELECT {cols} FROM b SEMI JOIN ids USING (event_id))
 QUALIFY {EARLIEST_COPY})"""
    following = current.with_name(base_name(base_generation(current) + 1))
    rows = _install(connection, select, following, expected, deltas)
    older = [path for path in paths.bases(table) if base_generation(path) < base_generation(following)]
    mark_superseded(older)
    return CompactionResult(table.name, "fold", len(deltas), rows)
