"""The writer: buffering, flushing (by time, by size, on close), segment files, bad rows, failures."""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from reelgate.ledger import Ledger, connect, instance_id
from reelgate.ledger import _segments as segments_module
from reelgate.ledger._files import SCHEMA_FILE
from tests.ledger._helpers import call, final


def _count(data_dir: Path, view: str) -> int:
    connection = connect(data_dir)
    try:
        row = connection.execute(f"SELECT count(*) FROM {view}").fetchone()
    finally:
        connection.close()
    assert row is not None
    return int(row[0])


def _wait_for(predicate: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_a_new_ledger_directory_has_zero_row_segments_and_empty_views(data_dir: Path, ledger: Ledger) -> None:
    for table in ("calls", "costs"):
        names = sorted(path.name for path in (data_dir / "ledger" / table).iterdir())
        assert names == ["base-000000000000.parquet", SCHEMA_FILE]
    for view in ("calls", "cost_events", "video_costs", "spend_daily", "calls_daily", "estimate_drift"):
        assert _count(data_dir, view) == 0


def test_records_are_buffered_until_a_flush_writes_one_segment_per_table(
    data_dir: Path, ledger: Ledger
) -> None:
    for index in range(5):
        ledger.record_cost(final(f"video_{index}", Decimal(1)))
        ledger.record_call(call(f"video_{index}"))
    assert ledger.pending == 10
    assert _count(data_dir, "cost_events") == 0
    assert ledger.flush() == 10
    assert ledger.pending == 0
    assert ledger.flush() == 0
    for table in ("calls", "costs"):
        written = [p.name for p in (data_dir / "ledger" / table).glob("seg-2*.parquet")]
        assert len(written) == 1
        assert instance_id() in written[0]
    assert _count(data_dir, "cost_events") == 5
    assert _count(data_dir, "calls") == 5


def test_every_row_records_its_writer_instance(data_dir: Path, ledger: Ledger) -> None:
    ledger.record_call(call())
    ledger.record_cost(final("video_1", Decimal(1)))
    ledger.flush()
    connection = connect(data_dir)
    rows = connection.execute(
        "SELECT instance_id FROM calls UNION ALL SELECT instance_id FROM cost_events"
    ).fetchall()
    connection.close()
    assert rows == [(instance_id(),), (instance_id(),)]
    host, pid, _start = instance_id().rsplit("-", 2)
    assert host
    assert int(pid) == os.getpid()


def test_the_background_thread_flushes_within_the_interval(data_dir: Path) -> None:
    with Ledger(data_dir, flush_interval=0.05, compact_every=None) as ledger:
        ledger.record_cost(final("video_1", Decimal(1)))
        assert _wait_for(lambda: _count(data_dir, "cost_events") == 1)
        assert ledger.pending == 0


def test_a_full_buffer_is_flushed_without_waiting_for_the_interval(data_dir: Path) -> None:
    with Ledger(data_dir, flush_interval=3600, max_buffer=100, compact_every=None) as ledger:
        for index in range(100):
            ledger.record_call(call(f"video_{index}"))
        assert _wait_for(lambda: _count(data_dir, "calls") == 100)


def test_close_flushes_is_idempotent_and_later_records_are_written_at_once(data_dir: Path) -> None:
    ledger = Ledger(data_dir, flush_interval=3600, compact_every=None)
    ledger.record_cost(final("video_1", Decimal(1)))
    ledger.close()
    ledger.close()
    assert ledger.closed
    assert _count(data_dir, "cost_events") == 1
    ledger.record_cost(final("video_2", Decimal(1)))
    assert ledger.pending == 0
    assert _count(data_dir, "cost_events") == 2


def test_a_row_duckdb_cannot_store_is_dropped_alone(data_dir: Path, ledger: Ledger) -> None:
    ledger.record_call(call("good_1"))
    ledger.record_call(call("bad", request_bytes=2**70))  # beyond BIGINT
    ledger.record_call(call("good_2"))
    assert ledger.flush() == 3
    connection = connect(data_dir)
    rows = connection.execute("SELECT video_id FROM calls ORDER BY video_id").fetchall()
    connection.close()
    assert rows == [("good_1",), ("good_2",)]


def test_a_failed_flush_keeps_the_rows_and_the_next_one_writes_them(
    data_dir: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(3):
        ledger.record_cost(final(f"video_{index}", Decimal(1)))
        ledger.record_call(call())
    original = segments_module.write_segment
    calls: list[str] = []

    def failing_costs(paths: object, table: object, rows: object) -> Path | None:
        calls.append(table.name)  # type: ignore[attr-defined]
        if table.name == "costs":  # type: ignore[attr-defined]
            raise OSError(28, "No space left on device")
        return original(paths, table, rows)  # type: ignore[arg-type]

    monkeypatch.setattr("reelgate.ledger._writer.write_segment", failing_costs)
    with pytest.raises(OSError, match="No space"):
        ledger.flush()
    assert ledger.pending == 3  # the calls were written, the costs kept
    monkeypatch.setattr("reelgate.ledger._writer.write_segment", original)
    ledger.record_cost(final("video_3", Decimal(1)))
    assert ledger.flush() == 4
    assert _count(data_dir, "cost_events") == 4
    assert _count(data_dir, "calls") == 3


def test_flushes_leave_no_temporary_files(data_dir: Path, ledger: Ledger) -> None:
    for index in range(20):
        ledger.record_cost(final(f"video_{index}", Decimal(1)))
        ledger.flush()
    leftovers = [path for path in (data_dir / "ledger").rglob("*") if path.name.endswith(".tmp")]
    assert leftovers == []
    assert len(list((data_dir / "ledger" / "costs").glob("seg-2*.parquet"))) == 20


def test_segments_are_valid_parquet_with_the_documented_types(data_dir: Path, ledger: Ledger) -> None:
    ledger.record_cost(
        final("video_1", Decimal("0.1234567"), unit_price=Decimal("0.123456789"), tags={"a": "b"})
    )
    ledger.flush()
    segment = next((data_dir / "ledger" / "costs").glob("seg-2*.parquet"))
    described = duckdb.sql(f"DESCRIBE SELECT * FROM '{segment}'").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["amount"] == "DECIMAL(18,6)"
    assert types["unit_price"] == "DECIMAL(18,8)"
    assert types["ts"] == "TIMESTAMP WITH TIME ZONE"
    assert types["tags"] == "MAP(VARCHAR, VARCHAR)"
    assert types["video_key"] == "UUID"
    (row,) = duckdb.sql(f"SELECT amount, unit_price, tags FROM '{segment}'").fetchall()
    assert row == (Decimal("0.123457"), Decimal("0.12345679"), {"a": "b"})


def test_constructor_arguments_are_checked(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="flush_interval"):
        Ledger(data_dir, flush_interval=0)
    with pytest.raises(ValueError, match="max_buffer"):
        Ledger(data_dir, max_buffer=0)
