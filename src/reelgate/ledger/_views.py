"""Reading the ledger: an in-memory connection with the views, queries with a retry, the views file.

``reelgate.duckdb`` holds only view definitions (over globs, so it always shows live data) and a
``reelgate_ledger`` table recording the versions it was built with. It is rebuilt in a temporary file
and renamed over the old one, so a reader never sees it half-written; no process ever keeps it open
for writing, so any number of readers (the DuckDB CLI, notebooks, Grafana) open it ``read_only=True``
at once. It is written with storage compatibility ``v1.1.0`` so that older DuckDB builds (such as the
one inside Grafana's DuckDB data source) can open it.

A query may find that a file it listed was deleted by a compaction a moment later (DuckDB raises an
IO error): :func:`with_retry` runs it again on a fresh listing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from reelgate.ledger._files import LedgerPaths, publish, temp_path
from reelgate.ledger._schema import SCHEMA_VERSION, literal
from reelgate.ledger._segments import ensure_layout
from reelgate.ledger._sql import VIEWS_VERSION, view_statements

T = TypeVar("T")
STORAGE_COMPATIBILITY = "v1.1.0"
RETRIES = 8
Params = Sequence[object] | Mapping[str, object] | None


def with_retry(attempt: Callable[[], T]) -> T:
    """Run ``attempt``, again (up to a few times) when a file vanished under it."""
    for retry in range(RETRIES):
        try:
            return attempt()
        except duckdb.IOException:
            if retry == RETRIES - 1:
                raise
            time.sleep(0.005 * 2**retry)
    raise AssertionError("unreachable")


def open_views(paths: LedgerPaths, *, snapshot: bool, sandbox: bool = False) -> duckdb.DuckDBPyConnection:
    """A new in-memory connection with every view defined (``sandbox``: it can read the ledger only)."""
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("SET TimeZone = 'UTC'")
        for statement in view_statements(paths, snapshot=snapshot):
            connection.execute(statement)
        if sandbox:
            connection.execute(f"SET allowed_directories = [{literal(paths.root.as_posix() + '/')}]")
            connection.execute("SET enable_external_access = false")
            connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return connection


def connect(data_dir: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the ledger views (live: each query sees the files of the moment).

    The same views as ``reelgate.duckdb``. A query that races a compaction may raise ``duckdb.IOException``
    (a file it globbed was just merged away); run it again. Close the connection when done.
    """
    paths = LedgerPaths.resolve(data_dir)
    ensure_layout(paths, writable=False)
    return with_retry(lambda: open_views(paths, snapshot=False))


def query(
    data_dir: str | os.PathLike[str] | None, sql: str, params: Params = None, *, sandbox: bool = False
) -> list[dict[str, Any]]:
    """Run one query over a consistent snapshot of the ledger; rows as dicts (retried on a vanished file)."""
    paths = LedgerPaths.resolve(data_dir)
    ensure_layout(paths, writable=False)

    def attempt() -> list[dict[str, Any]]:
        connection = open_views(paths, snapshot=True, sandbox=sandbox)
        try:
            cursor = connection.execute(sql, params)
            names = [column[0] for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            connection.close()

    return with_retry(attempt)


def _stamp(paths: LedgerPaths) -> dict[str, str]:
    return {
        "views_version": str(VIEWS_VERSION),
        "schema_version": str(SCHEMA_VERSION),
        "ledger_dir": paths.root.as_posix(),
    }


def _is_current(paths: LedgerPaths) -> bool:
    if not paths.views_file.exists():
        return False
    try:
        connection = duckdb.connect(str(paths.views_file), read_only=True)
        try:
            stamp = dict(connection.execute("SELECT key, value FROM reelgate_ledger").fetchall())
        finally:
            connection.close()
    except duckdb.Error:
        return False
    return stamp == _stamp(paths)


def _build(paths: LedgerPaths) -> None:
    temp = temp_path(paths.views_file)
    try:
        connection = duckdb.connect(
            str(temp), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}
        )
        try:
            for statement in view_statements(paths, snapshot=False):
                connection.execute(statement)
            connection.execute("CREATE TABLE reelgate_ledger (key VARCHAR PRIMARY KEY, value VARCHAR)")
            connection.executemany("INSERT INTO reelgate_ledger VALUES (?, ?)", list(_stamp(paths).items()))
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
        publish(temp, paths.views_file)
    finally:
        for leftover in (temp, Path(f"{temp}.wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def write_views_file(data_dir: str | os.PathLike[str] | None = None, *, force: bool = False) -> Path:
    """Create ``<data_dir>/reelgate.duckdb`` (or rebuild it if stale or ``force``); return its path."""
    paths = LedgerPaths.resolve(data_dir)
    ensure_layout(paths, writable=True)
    if force or not _is_current(paths):
        with_retry(lambda: _build(paths))
    return paths.views_file
