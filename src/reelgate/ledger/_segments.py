"""Creating a ledger directory, and flushing a batch of rows into a new segment file.

A new ledger directory gets, per table, a zero-row segment with every column (``read_parquet`` on a
glob that matches nothing is an error) and an empty base (generation 0). A flush appends the batch to a
staging table through DuckDB's appender and copies it to ``seg-<utc>-<instance>-<seq>.parquet``. A row
DuckDB cannot convert is logged and left out rather than failing (and so losing) the whole batch.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from reelgate.ledger._duck import copy_to_parquet, create_once, cursor
from reelgate.ledger._errors import DataDirectoryError
from reelgate.ledger._files import LedgerPaths, segment_name
from reelgate.ledger._identity import next_sequence
from reelgate.ledger._schema import TABLES, Table

logger = logging.getLogger("reelgate.ledger")
_STAGING = "staging"


def ensure_layout(paths: LedgerPaths, *, writable: bool) -> None:
    """Create the ledger directories and zero-row files if missing; with ``writable``, prove a write works.

    Raises :class:`DataDirectoryError` (naming the path and ``REELGATE_DATA_DIR``) when that fails.
    """
    try:
        missing = [
            (table, paths.schema_file(table)) for table in TABLES if not paths.schema_file(table).exists()
        ]
        missing += [(table, paths.base_file(table)) for table in TABLES if not paths.bases(table)]
        if missing:
            for table in TABLES:
                paths.table_dir(table).mkdir(parents=True, exist_ok=True)
            connection = cursor()
            try:
                for table, path in missing:
                    create_once(connection, table.schema_select(), path)
            finally:
                connection.close()
        if writable:
            descriptor, probe = tempfile.mkstemp(dir=paths.root, prefix=".probe-", suffix=".tmp")
            os.close(descriptor)
            os.unlink(probe)
    except OSError as exc:
        raise DataDirectoryError(
            paths.data_dir, f"{exc.strerror or exc} ({exc.filename or paths.root})"
        ) from exc
    except duckdb.IOException as exc:
        raise DataDirectoryError(paths.data_dir, str(exc).splitlines()[0]) from exc


def _stage(connection: duckdb.DuckDBPyConnection, table: Table, rows: Sequence[tuple[Any, ...]]) -> int:
    """Append ``rows`` to a fresh staging table; return how many were kept."""
    connection.execute(table.staging_ddl(_STAGING))
    appender = connection.appender(_STAGING)
    try:
        appender.append_rows(rows)
        appender.flush()
        return len(rows)
    except duckdb.Error:
        appender.clear()
    # Some row is bad: start again one row at a time, keeping every good one.
    connection.execute(table.staging_ddl(_STAGING))
    appender = connection.appender(_STAGING)
    kept = 0
    for row in rows:
        try:
            appender.append_row(*row)
            appender.flush()
            kept += 1
        except duckdb.Error as exc:
            appender.clear()
            logger.error("ledger: dropped a %s row DuckDB cannot store (%s): %r", table.name, exc, row)
    return kept


def write_segment(paths: LedgerPaths, table: Table, rows: Sequence[tuple[Any, ...]]) -> Path | None:
    """Write ``rows`` as a new immutable segment of ``table``; None when there was nothing to write."""
    if not rows:
        return None
    instance, sequence = next_sequence()
    final = paths.table_dir(table) / segment_name(instance, sequence)
    connection = cursor()
    try:
        if _stage(connection, table, rows) == 0:
            return None
        copy_to_parquet(connection, table.segment_select(_STAGING, instance), final)
    finally:
        connection.close()
    return final
