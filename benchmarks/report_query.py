"""How long ``reports.spend(by="model")`` takes over 10 million cost events, next to bare scans of them.

Usage: ``python benchmarks/report_query.py [--events N] [--files N] [--runs N] [--keep DIR]``.

The events are generated directly as ledger segment files with DuckDB SQL (every video has an estimate;
90% also a final, 5% of finals are failed videos at 0, 1% of videos are unpriced), then timed (best of
``--runs``), in the same run:

- baselines: ``SELECT count(*)`` over the files (Parquet metadata only), and a naive
  ``SELECT provider, model, sum(amount) ... GROUP BY`` (every row added up: wrong, since a video's final
  replaces its estimate, but the cost of one pass over the columns);
- ``spend(by="model")`` with every event still in delta segments (as if nothing was ever compacted: the
  views resolve all videos at query time);
- ``compact(full=True)``, which folds the segments into the base (writers and ``compact()`` do this
  incrementally as they go);
- ``spend(by="model")`` and ``totals()`` on the compacted ledger (the steady state).

Both ``spend`` results are checked against each other and against an independent SQL computation.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

import duckdb

from reelgate import reports
from reelgate.ledger import CostEvent, Ledger, compact
from reelgate.ledger._schema import COSTS, quote

T = TypeVar("T")

EXPRESSIONS = {
    "event_id": "uuid()::VARCHAR",
    "ts": "TIMESTAMPTZ '2026-10-01 00:00:00+00' + to_microseconds(i * 500000)"
    " + CASE WHEN kind = 'final' THEN INTERVAL 3 MINUTE ELSE INTERVAL 0 MINUTE END",
    "video_id": "video_id",
    "kind": "kind",
    "status": "CASE WHEN unpriced THEN 'unpriced' ELSE 'priced' END",
    "operation": "CASE WHEN kind = 'final' THEN 'get_video' ELSE 'create_video' END",
    "provider": "['openai', 'azure', 'google', 'runway'][i % 4 + 1]",
    "model": "['sora-2', 'sora-2-pro', 'veo-3.1', 'gen-4'][i % 4 + 1]"
    " || CASE WHEN i % 3 = 0 THEN '-hd' ELSE '' END",
    "size": "'1280x720'",
    "tier": "NULL",
    "seconds": "(i % 3 + 1) * 4",
    "unit_price": "CASE WHEN unpriced THEN NULL ELSE 0.1 + (i % 4) * 0.05 END",
    "amount": "CASE WHEN unpriced THEN NULL WHEN kind = 'final' AND i % 20 = 1 THEN 0"
    " ELSE ((i % 3 + 1) * 4) * (0.1 + (i % 4) * 0.05) END",
    "currency": "'USD'",
    "job_status": "CASE WHEN kind = 'estimate' THEN 'queued'"
    " WHEN i % 20 = 1 THEN 'failed' ELSE 'completed' END",
    "pricing_version": "'2026-11-01'",
    "user": "'user' || (i % 1000)",
    "tags": "CASE WHEN i % 5 = 0 THEN MAP {'team': 'team' || (i % 17)} ELSE MAP {} END",
    "trace_id": "NULL",
    "span_id": "NULL",
    "instance_id": "'benchmark'",
    "video_key": "video_key",
}


def generate(data_dir: Path, events: int, files: int) -> int:
    """Write about ``events`` cost events as ``files`` segments; return the exact number written."""
    videos = round(events / 1.9)  # every video has an estimate, 90% also a final
    columns = ", ".join(
        f"CAST({EXPRESSIONS[name]} AS {sql_type}) AS {quote(name)}" for name, sql_type in COSTS.columns
    )
    directory = data_dir / "ledger" / "costs"
    connection = duckdb.connect(":memory:")
    written = 0
    for number in range(files):
        low, high = videos * number // files, videos * (number + 1) // files
        target = (directory / f"seg-benchmark-{number:04d}.parquet").as_posix()
        connection.execute(f"""COPY (
            WITH v AS (
                SELECT i, 'video_' || lpad(to_hex(hash(i)), 16, '0') || '_' || i AS video_id,
                       CAST(md5(video_id) AS UUID) AS video_key, i % 100 = 0 AS unpriced
                FROM range({low}, {high}) t(i))
            SELECT {columns} FROM v CROSS JOIN (VALUES ('estimate'), ('final')) k(kind)
            WHERE kind = 'estimate' OR i % 10 <> 0
        ) TO '{target}' (FORMAT parquet)""")
        written += int(connection.execute(f"SELECT count(*) FROM '{target}'").fetchall()[0][0])
    connection.close()
    return written


def fold_again(data_dir: Path) -> float:
    """Record 50,000 new events (finals of known videos and new estimates), then time one more fold."""
    with Ledger(data_dir, compact_every=None) as ledger:
        for index in range(25_000):
            ledger.record_cost(cost_of(f"video_{index}", "final"))
            ledger.record_cost(cost_of(f"new_video_{index}", "estimate"))
    started = time.perf_counter()
    compact(data_dir, full=True)
    return time.perf_counter() - started


def cost_of(video_id: str, kind: Literal["estimate", "final"]) -> CostEvent:
    """A priced 4-second sora-2 event: the estimate at create or the final once completed."""
    final = kind == "final"
    return CostEvent(
        video_id=video_id,
        kind=kind,
        status="priced",
        operation="get_video" if final else "create_video",
        provider="openai",
        model="sora-2",
        seconds=Decimal(4),
        amount=Decimal("0.4"),
        job_status="completed" if final else "queued",
    )


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    options = parser.parse_args()
    holder = None if options.keep else tempfile.TemporaryDirectory()
    data_dir = options.keep or Path(holder.name)  # type: ignore[union-attr]
    try:
        run(data_dir, options)
    finally:
        if holder is not None:
            holder.cleanup()


def run(data_dir: Path, options: argparse.Namespace) -> None:
    Ledger(data_dir, compact_every=None).close()  # the layout: directories and zero-row files
    started = time.perf_counter()
    events = generate(data_dir, options.events, options.files)
    elapsed = time.perf_counter() - started
    print(f"generated {events:,} cost events in {options.files} segments in {elapsed:.1f} s")

    files = (data_dir / "ledger" / "costs" / "seg-*.parquet").as_posix()
    connection = duckdb.connect(":memory:")

    def scalar(sql: str) -> Any:
        return connection.execute(sql).fetchall()

    count_time, _ = best_of(options.runs, lambda: scalar(f"SELECT count(*) FROM '{files}'"))
    naive_time, _ = best_of(
        options.runs, lambda: scalar(f"SELECT provider, model, sum(amount) FROM '{files}' GROUP BY ALL")
    )
    expected = {
        (row[0], row[1]): row[2]
        for row in scalar(f"""SELECT provider, model, coalesce(sum(amount), 0) FROM '{files}'
            WHERE kind = 'final' OR video_id NOT IN (SELECT video_id FROM '{files}' WHERE kind = 'final')
            GROUP BY ALL""")
    }
    connection.close()

    def spend() -> dict[tuple[str, str], Any]:
        return {
            (row["provider"], row["model"]): row["amount"]
            for row in reports.spend(by="model", data_dir=data_dir)
        }

    fresh_time, fresh = best_of(options.runs, spend)
    started = time.perf_counter()
    compact(data_dir, full=True)
    fold_time = time.perf_counter() - started
    time.sleep(1.5)  # readers skip the folded segments once their superseded markers are a second old
    settled_time, settled = best_of(options.runs, spend)
    totals_time, totals = best_of(options.runs, lambda: reports.totals(data_dir=data_dir))
    incremental_time = fold_again(data_dir)
    if not fresh == settled == expected:
        raise SystemExit(f"spend disagrees: {fresh} / {settled} / {expected}")

    def line(label: str, seconds: float) -> str:
        ratios = f"{seconds / count_time:8.1f}x count(*)   {seconds / naive_time:6.2f}x naive"
        return f"{label:<52} {seconds:8.3f} s   {ratios}"

    print(
        f"{len(settled)} (provider, model) groups, {totals['videos']:,} videos, total {totals['total']} USD\n"
    )
    print(line("baseline: SELECT count(*)", count_time))
    print(line("baseline: naive sum(amount) GROUP BY provider, model", naive_time))
    print(line('spend(by="model"), all events in segments', fresh_time))
    print(f"{'compact(full=True): fold every segment into the base':<52} {fold_time:8.3f} s")
    print(line('spend(by="model"), compacted', settled_time))
    print(line("totals(), compacted", totals_time))
    print(f"{'then 50,000 new events folded into that base':<52} {incremental_time:8.3f} s")
    verdict = "met" if settled_time < 1 else "NOT met"
    print(f"\naim: spend under 1 s over {events:,} events: {verdict} compacted ({settled_time:.3f} s)")


if __name__ == "__main__":
    main()
