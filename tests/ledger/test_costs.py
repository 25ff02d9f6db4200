"""Cost semantics, whatever mix of compacted base and fresh segments holds the events.

Each scenario writes its events in two steps; ``layout`` decides where they end up: all in delta
segments, all folded into the base, or the first step folded and the second still in segments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reelgate import reports
from reelgate.ledger import CostEvent, Ledger, compact, connect
from tests.ledger._helpers import call, estimate, final

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["deltas", "folded", "mixed"])
def layout(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def write(ledger: Ledger, layout: str, first: Sequence[CostEvent], second: Sequence[CostEvent]) -> None:
    for event in first:
        ledger.record_cost(event)
    ledger.flush()
    if layout != "deltas":
        compact(ledger.data_dir, full=True)
    for event in second:
        ledger.record_cost(event)
    ledger.flush()
    if layout == "folded":
        compact(ledger.data_dir, full=True)


def video(data_dir: Path, video_id: str) -> dict[str, Any]:
    rows = reports.sql("SELECT * FROM video_costs WHERE video_id = ?", params=[video_id], data_dir=data_dir)
    assert len(rows) == 1, rows
    return rows[0]


def count(data_dir: Path, view: str) -> int:
    return int(reports.sql(f"SELECT count(*) AS n FROM {view}", data_dir=data_dir)[0]["n"])


def test_a_final_replaces_the_estimate(ledger: Ledger, data_dir: Path, layout: str) -> None:
    write(
        ledger,
        layout,
        [estimate("v1", Decimal("1.2"), ts=T0)],
        [final("v1", Decimal("0.8"), ts=T0 + timedelta(minutes=2))],
    )
    row = video(data_dir, "v1")
    assert (row["amount"], row["cost_status"], row["estimate_amount"]) == (
        Decimal("0.8"),
        "final",
        Decimal("1.2"),
    )
    assert (row["first_ts"], row["last_ts"]) == (T0, T0 + timedelta(minutes=2))
    assert row["job_status"] == "completed"
    assert count(data_dir, "cost_events") == 2
    assert reports.totals(data_dir=data_dir)["total"] == Decimal("0.8")


def test_a_failed_video_costs_zero_not_its_estimate(ledger: Ledger, data_dir: Path, layout: str) -> None:
    write(ledger, layout, [estimate("v1", Decimal(2))], [final("v1", Decimal(0), job_status="failed")])
    row = video(data_dir, "v1")
    assert (row["amount"], row["cost_status"], row["job_status"]) == (Decimal(0), "final", "failed")
    totals = reports.totals(data_dir=data_dir)
    assert (totals["total"], totals["final_videos"], totals["unpriced"]) == (Decimal(0), 1, 0)


def test_an_unpriced_video_has_a_null_amount_never_zero(ledger: Ledger, data_dir: Path, layout: str) -> None:
    write(
        ledger,
        layout,
        [estimate("v1", None, model="mystery"), estimate("v2", Decimal(1))],
        [final("v2", None, size="9999x9999")],  # priced estimate, then a final the table cannot price
    )
    for video_id in ("v1", "v2"):
        row = video(data_dir, video_id)
        assert (row["amount"], row["cost_status"]) == (None, "unpriced")
    (spend,) = [row for row in reports.spend(by="model", data_dir=data_dir) if row["model"] == "mystery"]
    assert (spend["unpriced_videos"], spend["amount"], spend["videos"]) == (1, Decimal(0), 1)
    assert reports.totals(data_dir=data_dir)["unpriced"] == 2


def test_an_estimate_alone_counts_as_an_estimate(ledger: Ledger, data_dir: Path, layout: str) -> None:
    write(ledger, layout, [estimate("v1", Decimal("3.5"))], [estimate("v2", Decimal("1.5"))])
    assert video(data_dir, "v1")["cost_status"] == "estimate"
    totals = reports.totals(data_dir=data_dir)
    assert (totals["total"], totals["estimate"], totals["final"]) == (Decimal(5), Decimal(5), Decimal(0))


def test_duplicate_finals_count_once(ledger: Ledger, data_dir: Path, layout: str) -> None:
    again = [final("v1", Decimal("0.8"), ts=T0 + timedelta(seconds=s)) for s in range(3)]
    write(ledger, layout, [estimate("v1", Decimal(1)), *again], again)
    for event in again:  # many polls, many flushes
        ledger.record_cost(event)
        ledger.flush()
    assert count(data_dir, "cost_events") == 2
    assert video(data_dir, "v1")["amount"] == Decimal("0.8")
    assert reports.totals(data_dir=data_dir)["total"] == Decimal("0.8")


def test_of_two_distinct_finals_the_earliest_counts(ledger: Ledger, data_dir: Path, layout: str) -> None:
    first = final("v1", Decimal(1), ts=T0, event_id="first-final")
    later = final("v1", Decimal(5), ts=T0 + timedelta(hours=1), event_id="later-final")
    write(ledger, layout, [later], [first])
    assert video(data_dir, "v1")["amount"] == Decimal(1)
    assert count(data_dir, "cost_events") == 2


def test_attribution_comes_from_the_create(ledger: Ledger, data_dir: Path, layout: str) -> None:
    write(
        ledger,
        layout,
        [estimate("v1", Decimal(1), user="alice", tags={"team": "red"})],
        [final("v1", Decimal(1))],
    )
    row = video(data_dir, "v1")
    assert (row["user"], row["tags"]) == ("alice", {"team": "red"})


def test_a_call_rewritten_after_a_fold_counts_once(ledger: Ledger, data_dir: Path) -> None:
    event = call("v1")
    ledger.record_call(event)
    ledger.flush()
    compact(data_dir, full=True)
    ledger.record_call(event)  # the same event again (as after a SIGTERM re-flush)
    ledger.flush()
    assert count(data_dir, "calls") == 1
    assert reports.totals(data_dir=data_dir)["calls"] == 1


def test_money_is_exact_decimal(ledger: Ledger, data_dir: Path, layout: str) -> None:
    amounts = [Decimal("0.000001"), Decimal("123456789.123456"), Decimal("0.1"), Decimal("0.2")]
    write(
        ledger,
        layout,
        [final(f"a{i}", a) for i, a in enumerate(amounts[:2])],
        [final(f"b{i}", a) for i, a in enumerate(amounts[2:])],
    )
    assert reports.totals(data_dir=data_dir)["total"] == sum(amounts)
    connection = connect(data_dir)
    row = connection.execute("SELECT sum(amount) FROM cost_events").fetchone()
    connection.close()
    assert row == (sum(amounts),)
