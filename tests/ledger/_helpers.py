"""Event factories and child-process workers shared by the ledger tests.

Workers are module-level functions so that ``multiprocessing`` (spawn) children can import them.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from reelgate.ledger import CallEvent, CostEvent, Ledger


def final(video_id: str, amount: Decimal | None, **fields: Any) -> CostEvent:
    """A final cost (unpriced when ``amount`` is None)."""
    values: dict[str, Any] = {
        "video_id": video_id,
        "kind": "final",
        "status": "unpriced" if amount is None else "priced",
        "operation": "get_video",
        "provider": "openai",
        "model": "sora-2",
        "seconds": Decimal(8),
        "amount": amount,
        "job_status": "completed",
        "pricing_version": "test-1",
    }
    values.update(fields)
    return CostEvent(**values)


def estimate(video_id: str, amount: Decimal | None, **fields: Any) -> CostEvent:
    values: dict[str, Any] = {"kind": "estimate", "operation": "create_video", "job_status": "queued"}
    values.update(fields)
    return final(video_id, amount, **values)


def call(video_id: str | None = None, **fields: Any) -> CallEvent:
    values: dict[str, Any] = {
        "operation": "get_video",
        "provider": "openai",
        "model": "sora-2",
        "video_id": video_id,
        "http_status": 200,
        "duration_ms": 12.5,
        "request_bytes": 100,
        "response_bytes": 2000,
    }
    values.update(fields)
    return CallEvent(**values)


def amount_of(index: int) -> Decimal:
    """A distinct amount with six decimals for each index (exact sums are then meaningful)."""
    return Decimal(index % 997 + 1) / Decimal(1000) + Decimal("0.000001") * (index % 7)


def record_range(
    data_dir: str, prefix: str, start: int, stop: int, close: bool = True, pause: float = 0.0
) -> None:
    """Child process: record a final cost and a call per index, then close (or leave it to exit hooks).

    ``pause``: seconds to sleep after every 20 records (to spread the writes over time).
    """
    ledger = Ledger(data_dir, flush_interval=0.05, compact_every=None)
    for index in range(start, stop):
        ledger.record_cost(final(f"{prefix}{index}", amount_of(index)))
        ledger.record_call(call(f"{prefix}{index}"))
        if pause and index % 20 == 0:
            time.sleep(pause)
    if close:
        ledger.close()


def record_same_finals(data_dir: str, count: int) -> None:
    """Child process: record the same finals as every sibling (duplicates across processes)."""
    ledger = Ledger(data_dir, flush_interval=0.05, compact_every=None)
    for index in range(count):
        for _ in range(3):  # many polls
            ledger.record_cost(final(f"shared_{index}", amount_of(index)))
    ledger.close()
