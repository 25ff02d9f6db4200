"""How many cost events per second one process sustains through ``Ledger.record_cost`` and its flushes.

Usage: ``python benchmarks/ledger_throughput.py [--events N] [--max-buffer N] [--runs N]``.

Every figure is the best of ``--runs`` runs over the same pre-built events (building them is the
pipeline's cost, printed once for scale). Baselines measured in the same run:

- ``list.append``: the floor, appending the events to a plain list;
- ``raw appender``: the same rows through DuckDB's appender into one in-memory table, copied to one
  Parquet file (no ledger: no buffer lock, no segment files, no fsync).

The ledger figure is wall time from the first ``record_cost`` to ``close()`` returning (the final
flush included): the background thread writes a segment whenever ``max_buffer`` events are waiting.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb

from reelgate import reports
from reelgate.ledger import CostEvent, Ledger
from reelgate.ledger._schema import COSTS, cost_row

MODELS = ("sora-2", "sora-2-pro", "veo-3.1", "gen-4")


def build_events(count: int) -> list[CostEvent]:
    return [
        CostEvent(
            video_id=f"video_{index:024d}",
            kind="final" if index % 2 else "estimate",
            status="priced",
            operation="get_video" if index % 2 else "create_video",
            provider="openai",
            model=MODELS[index % len(MODELS)],
            size="1280x720",
            seconds=Decimal(8),
            unit_price=Decimal("0.10000000"),
            amount=Decimal("0.800000"),
            job_status="completed",
            pricing_version="2026-11-01",
            user=f"user{index % 100}",
            tags={"team": "video"} if index % 10 == 0 else {},
        )
        for index in range(count)
    ]


def best_of(runs: int, work: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--max-buffer", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    count = options.events

    started = time.perf_counter()
    events = build_events(count)
    built = time.perf_counter() - started

    def plain_list() -> None:
        target: list[CostEvent] = []
        for event in events:
            target.append(event)

    def raw_appender() -> None:
        with tempfile.TemporaryDirectory() as directory:
            connection = duckdb.connect(":memory:")
            connection.execute(COSTS.staging_ddl("staging"))
            appender = connection.appender("staging")
            appender.append_rows([cost_row(event) for event in events])
            appender.flush()
            target = Path(directory, "all.parquet").as_posix()
            select = COSTS.segment_select("staging", "bench")
            connection.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)")
            connection.close()

    checked: list[int] = []

    def ledger() -> None:
        with tempfile.TemporaryDirectory() as directory:
            writer = Ledger(directory, flush_interval=1.0, max_buffer=options.max_buffer, compact_every=None)
            for event in events:
                writer.record_cost(event)
            writer.close()
            stored = reports.sql("SELECT count(*) AS n FROM _costs_delta", data_dir=directory)
            checked.append(int(stored[0]["n"]))

    list_time = best_of(options.runs, plain_list)
    raw_time = best_of(options.runs, raw_appender)
    ledger_time = best_of(options.runs, ledger)
    if not checked or any(rows != count for rows in checked):
        raise SystemExit(f"the ledger wrote {checked} rows, expected {count}")

    def rate(seconds: float) -> str:
        return f"{count / seconds:>12,.0f} events/s"

    print(f"{count:,} cost events (building them: {built:.2f} s, {count / built:,.0f}/s, pipeline's cost)")
    print(f"list.append (baseline)       {rate(list_time)}   {list_time * 1e9 / count:8.0f} ns/event")
    print(f"raw DuckDB appender + COPY   {rate(raw_time)}   {raw_time * 1e9 / count:8.0f} ns/event")
    print(f"Ledger.record_cost + flushes {rate(ledger_time)}   {ledger_time * 1e9 / count:8.0f} ns/event")
    print(
        f"\nledger vs raw appender: {ledger_time / raw_time:.2f}x the time; "
        f"vs list.append: {ledger_time / list_time:.0f}x; aim: over 50,000 events/s "
        f"({'met' if count / ledger_time > 50_000 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
