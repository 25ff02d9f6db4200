"""Property test: whatever the events, duplicates and compactions, video_costs matches a Python model."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelgate import reports
from reelgate.ledger import CostEvent, Ledger, compact
from tests.ledger._helpers import estimate, final

T0 = datetime(2026, 11, 1, tzinfo=UTC)
VIDEOS = ("v0", "v1", "v2", "v3")


@dataclass(frozen=True)
class Step:
    video: str
    kind: str
    amount: Decimal | None
    second: int
    event_id: str | None  # None: the deterministic id (one per video and kind)
    copies: int  # recorded this many times, each later copy a second later (another process)
    then: str  # "nothing" | "flush" | "merge" | "fold"


amounts = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=1000, places=6, allow_nan=False, allow_infinity=False)
)
steps = st.builds(
    Step,
    video=st.sampled_from(VIDEOS),
    kind=st.sampled_from(["estimate", "final"]),
    amount=amounts,
    second=st.integers(0, 10_000),
    event_id=st.one_of(st.none(), st.sampled_from(["custom-a", "custom-b"])),
    copies=st.integers(1, 3),
    then=st.sampled_from(["nothing", "flush", "merge", "fold"]),
)


def events_of(step: Step, order: int) -> list[CostEvent]:
    make = final if step.kind == "final" else estimate
    extra = {"event_id": f"{step.event_id}-{step.video}-{step.kind}"} if step.event_id else {}
    ts = T0 + timedelta(seconds=step.second, microseconds=order)  # no two events at the same instant
    return [
        make(step.video, step.amount, ts=ts + timedelta(seconds=copy), **extra) for copy in range(step.copies)
    ]


def model(recorded: list[CostEvent]) -> dict[str, tuple[Decimal | None, str]]:
    """Earliest copy of each event id; per video the earliest final, else the earliest estimate."""
    first_copy: dict[str, CostEvent] = {}
    for event in recorded:
        kept = first_copy.get(event.event_id)
        if kept is None or event.ts < kept.ts:
            first_copy[event.event_id] = event
    result: dict[str, tuple[Decimal | None, str]] = {}
    for video in VIDEOS:
        events = [e for e in first_copy.values() if e.video_id == video]
        if not events:
            continue
        chosen = min(events, key=lambda e: (e.kind != "final", e.ts))
        status = "unpriced" if chosen.amount is None else chosen.kind
        result[video] = (chosen.amount, status)
    return result


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=12))
def test_video_costs_match_the_model(plan: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        data_dir = Path(directory)
        ledger = Ledger(data_dir, flush_interval=3600, compact_every=None)
        recorded: list[CostEvent] = []
        try:
            for order, step in enumerate(plan):
                for event in events_of(step, order):
                    ledger.record_cost(event)
                    recorded.append(event)
                if step.then != "nothing":
                    ledger.flush()
                if step.then == "merge":
                    compact(data_dir, min_segments=2, fold_ratio=1e9, grace=0)
                elif step.then == "fold":
                    compact(data_dir, full=True, grace=0)
            ledger.flush()
        finally:
            ledger.close()
        rows = reports.sql("SELECT video_id, amount, cost_status FROM video_costs", data_dir=data_dir)
        assert {row["video_id"]: (row["amount"], row["cost_status"]) for row in rows} == model(recorded)
        events = reports.sql("SELECT count(*) AS n FROM cost_events", data_dir=data_dir)
        assert events[0]["n"] == len({event.event_id for event in recorded})
        expected_total = sum(
            (amount for amount, _ in model(recorded).values() if amount is not None), Decimal(0)
        )
        assert reports.totals(data_dir=data_dir)["total"] == expected_total
