"""Compaction: exact counts and totals after merging and folding, one compactor at a time, and readers
that keep working (and never over-count) while writers write and a compactor compacts."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reelgate import reports
from reelgate.ledger import Ledger, LedgerError, compact, connect
from reelgate.ledger._compact import _exclusive, _install
from reelgate.ledger._duck import cursor
from reelgate.ledger._files import LedgerPaths
from reelgate.ledger._schema import CALLS, COSTS
from tests.ledger._helpers import amount_of, call, estimate, final


def snapshot(data_dir: Path) -> dict[str, Any]:
    """Everything a compaction must not change."""
    return {
        "totals": reports.totals(data_dir=data_dir),
        "videos": reports.sql("SELECT * FROM video_costs ORDER BY video_id", data_dir=data_dir),
        "events": reports.sql("SELECT * FROM cost_events ORDER BY event_id", data_dir=data_dir),
        "calls": reports.sql("SELECT * FROM calls ORDER BY event_id", data_dir=data_dir),
    }


def deltas(data_dir: Path, table: str = "costs") -> list[Path]:
    """The segments not yet superseded by a compaction."""
    return LedgerPaths.resolve(data_dir).live_segments(COSTS if table == "costs" else CALLS)


def files(data_dir: Path, table: str = "costs") -> list[str]:
    return sorted(path.name for path in (data_dir / "ledger" / table).iterdir())


def fill(ledger: Ledger, segments: int, per_segment: int = 10, duplicates: bool = True) -> None:
    """Segments of estimates, finals for half of them later, duplicates and calls."""
    for segment in range(segments):
        for index in range(segment * per_segment, (segment + 1) * per_segment):
            ledger.record_cost(estimate(f"video_{index}", amount_of(index) * 2))
            ledger.record_call(call(f"video_{index}"))
            if index % 2 and segment:
                previous = index - per_segment
                ledger.record_cost(final(f"video_{previous}", amount_of(previous)))
                if duplicates:
                    ledger.record_cost(final(f"video_{previous}", amount_of(previous)))
        ledger.flush()


def test_merging_small_segments_keeps_every_row_once(ledger: Ledger, data_dir: Path) -> None:
    ledger.record_cost(final("in_the_base", Decimal(1)))
    ledger.record_call(call("in_the_base"))
    ledger.flush()
    compact(data_dir, full=True)  # a base that deltas of any size stay far below (fold_ratio below)
    fill(ledger, 12)
    before = snapshot(data_dir)
    results = compact(data_dir, min_segments=8, fold_ratio=1e9)
    assert {(r.table, r.action, r.segments) for r in results} == {
        ("calls", "merge", 12),
        ("costs", "merge", 12),
    }
    assert len(deltas(data_dir)) == 1
    assert snapshot(data_dir) == before
    assert compact(data_dir, fold_ratio=1e9, grace=0) == []  # deletes the superseded segments, nothing else
    stored = reports.sql(
        "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM _costs_delta", data_dir=data_dir
    )
    assert stored[0]["n"] == stored[0]["ids"] == len(before["events"]) - 1  # duplicates gone from disk too


def test_folding_into_the_base_keeps_every_row_once(ledger: Ledger, data_dir: Path) -> None:
    fill(ledger, 6)
    before = snapshot(data_dir)
    results = compact(data_dir, full=True)
    assert {(r.table, r.action) for r in results} == {("calls", "fold"), ("costs", "fold")}
    assert deltas(data_dir) == []
    assert deltas(data_dir, "calls") == []
    assert snapshot(data_dir) == before
    # and again, folding new deltas that touch videos already in the base
    for index in range(0, 60, 2):
        ledger.record_cost(final(f"video_{index}", Decimal("0.5")))
    ledger.flush()
    before = snapshot(data_dir)
    compact(data_dir, full=True)
    assert snapshot(data_dir) == before
    chosen = reports.sql("SELECT count(*) AS n FROM _costs_base WHERE chosen", data_dir=data_dir)
    assert chosen == [{"n": 60}]


def test_superseded_files_stay_readable_until_the_grace_period_ends(ledger: Ledger, data_dir: Path) -> None:
    fill(ledger, 3)
    before = snapshot(data_dir)
    originals = [path.name for path in deltas(data_dir)]
    compact(data_dir, full=True)
    assert deltas(data_dir) == []
    present = files(data_dir)
    assert set(originals) <= set(present)  # superseded, still there for readers that listed them
    assert {f".{name}.superseded" for name in originals} <= set(present)
    assert "base-000000000000.parquet" in present
    assert "base-000000000001.parquet" in present
    assert snapshot(data_dir) == before  # the views de-duplicate the overlap
    compact(data_dir, grace=3600)
    assert set(originals) <= set(files(data_dir))
    compact(data_dir, grace=0)
    assert files(data_dir) == ["base-000000000001.parquet", "seg-0-schema-v1.parquet"]
    assert snapshot(data_dir) == before


def test_small_ledgers_are_left_alone(ledger: Ledger, data_dir: Path) -> None:
    fill(ledger, 3)
    assert compact(data_dir, min_segments=8) == []
    assert len(deltas(data_dir)) == 3


def test_only_one_compactor_runs_at_a_time(ledger: Ledger, data_dir: Path) -> None:
    fill(ledger, 10)
    with _exclusive(LedgerPaths.resolve(data_dir).lock_file) as held:
        assert held
        assert compact(data_dir, full=True) == []
    assert compact(data_dir, full=True) != []


def test_a_compaction_that_does_not_add_up_changes_nothing(ledger: Ledger, data_dir: Path) -> None:
    fill(ledger, 2)
    inputs = deltas(data_dir)
    paths = LedgerPaths.resolve(data_dir)
    connection = cursor()
    try:
        select = f"SELECT * FROM read_parquet({[str(p) for p in inputs]})"
        with pytest.raises(LedgerError, match="nothing was changed"):
            _install(connection, select, paths.table_dir(COSTS) / "base-000000000099.parquet", 1, inputs)
    finally:
        connection.close()
    assert deltas(data_dir) == inputs
    assert not list((data_dir / "ledger").rglob("*.tmp"))


def test_min_segments_is_checked(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="min_segments"):
        compact(data_dir, min_segments=1)


def test_writers_start_compactions_themselves(data_dir: Path) -> None:
    with Ledger(data_dir, flush_interval=3600, compact_every=4) as ledger:
        for index in range(20):
            ledger.record_cost(final(f"video_{index}", Decimal(1)))
            ledger.flush()
        deadline = time.monotonic() + 20
        while len(deltas(data_dir)) >= 8 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(deltas(data_dir)) < 8
    assert reports.totals(data_dir=data_dir)["total"] == 20


def test_readers_never_fail_or_over_count_while_writers_write_and_compactions_run(data_dir: Path) -> None:
    ledger = Ledger(data_dir, flush_interval=0.01, compact_every=None)
    recorded = {"total": Decimal(0), "videos": 0}
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []
    checks = {"report": 0, "live": 0, "compactions": 0, "deleted": 0}
    seen: set[str] = set()

    def writer(offset: int) -> None:
        index = offset
        while not stop.is_set():
            with lock:  # counted before it is recorded, so what readers see can only be less
                recorded["total"] += amount_of(index)
                recorded["videos"] += 1
            ledger.record_cost(final(f"video_{index}", amount_of(index)))
            ledger.record_call(call(f"video_{index}"))
            index += 2
            time.sleep(0.0005)

    def compactor() -> None:
        while not stop.is_set():
            try:
                checks["compactions"] += len(compact(data_dir, min_segments=2, fold_ratio=0.5, grace=3.0))
                present = {path.name for path in (data_dir / "ledger" / "costs").glob("seg-2*.parquet")}
                checks["deleted"] += len(seen - present)
                seen.clear()
                seen.update(present)
            except BaseException as exc:
                errors.append(exc)
            time.sleep(0.02)

    def report_reader() -> None:
        while not stop.is_set():
            try:
                totals = reports.totals(data_dir=data_dir)
                with lock:
                    ceiling = dict(recorded)
                assert totals["total"] <= ceiling["total"], (totals, ceiling)
                assert totals["videos"] <= ceiling["videos"]
                assert totals["calls"] <= ceiling["videos"]
                checks["report"] += 1
            except BaseException as exc:
                errors.append(exc)

    def live_reader() -> None:
        connection = connect(data_dir)
        try:
            while not stop.is_set():
                try:
                    row = connection.execute(
                        "SELECT coalesce(sum(amount), 0), count(*) FROM video_costs"
                    ).fetchone()
                except duckdb.IOException:
                    continue  # a file merged away between the glob and the read: documented, run it again
                with lock:
                    ceiling = dict(recorded)
                assert row is not None
                assert row[0] <= ceiling["total"], (row, ceiling)
                assert row[1] <= ceiling["videos"], (row, ceiling)
                checks["live"] += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=writer, args=(0,)),
        threading.Thread(target=writer, args=(1,)),
        threading.Thread(target=compactor),
        threading.Thread(target=report_reader),
        threading.Thread(target=live_reader),
    ]
    for thread in threads:
        thread.start()
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join(30)
    ledger.close()
    assert errors == []
    assert checks["report"] > 5, checks
    assert checks["live"] > 5, checks
    assert checks["compactions"] > 2, checks
    assert checks["deleted"] > 0, "no superseded file was deleted while readers read"
    compact(data_dir, full=True)
    totals = reports.totals(data_dir=data_dir)
    assert (totals["total"], totals["videos"], totals["calls"]) == (
        recorded["total"],
        recorded["videos"],
        recorded["videos"],
    )
