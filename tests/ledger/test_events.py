"""Events: deterministic ids, validation at construction, and their conversion to rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from reelgate.ledger import CallEvent, CostEvent, call_event_id, cost_event_id
from reelgate.ledger._events import COST_EVENT_NAMESPACE
from reelgate.ledger._schema import call_row, cost_row
from tests.ledger._helpers import call, final


def test_cost_event_id_is_deterministic_per_video_and_kind() -> None:
    assert cost_event_id("video_1", "final") == cost_event_id("video_1", "final")
    assert cost_event_id("video_1", "final") != cost_event_id("video_1", "estimate")
    assert cost_event_id("video_1", "final") != cost_event_id("video_2", "final")
    assert uuid.UUID(cost_event_id("video_1", "final")).version == 5
    for video_id in ("video_1", "vidéo_✓", "x" * 500):
        for kind in ("final", "estimate"):
            expected = uuid.uuid5(COST_EVENT_NAMESPACE, f"{kind}\n{video_id}")
            assert cost_event_id(video_id, kind) == str(expected)


def test_call_event_id_is_random() -> None:
    ids = {call_event_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(uuid.UUID(value).version == 4 for value in ids)


def test_cost_event_defaults_its_id_and_keeps_an_explicit_one() -> None:
    assert final("video_1", Decimal(1)).event_id == cost_event_id("video_1", "final")
    assert final("video_1", Decimal(1), event_id="mine").event_id == "mine"
    assert call().event_id != call().event_id


def test_naive_timestamps_are_utc() -> None:
    naive = datetime(2026, 11, 1, 12, 0)
    assert final("v", Decimal(1), ts=naive).ts == naive.replace(tzinfo=UTC)
    assert call(ts=naive).ts.tzinfo is UTC
    aware = datetime(2026, 11, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert final("v", Decimal(1), ts=aware).ts == aware


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "unpriced", "amount": Decimal(0)}, "never a silent 0"),
        ({"status": "priced", "amount": None}, "never a silent 0"),
        ({"kind": "refund"}, "kind must be"),
        ({"status": "free"}, "status must be"),
        ({"video_id": ""}, "video_id"),
        ({"amount": Decimal("NaN")}, "finite"),
        ({"amount": Decimal(10) ** 12}, "finite Decimal below"),
        ({"unit_price": Decimal(10) ** 10}, "finite Decimal below"),
        ({"seconds": 8.0}, "finite Decimal"),
    ],
)
def test_invalid_cost_events_fail_at_the_call_site(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "video_id": "video_1",
        "kind": "final",
        "status": "priced",
        "operation": "get_video",
        "provider": "openai",
        "model": "sora-2",
        "amount": Decimal(1),
    }
    values.update(fields)
    with pytest.raises(ValueError, match=message):
        CostEvent(**values)  # type: ignore[arg-type]


def test_call_event_needs_an_id() -> None:
    with pytest.raises(ValueError, match="event_id"):
        CallEvent(event_id="", operation="get_video", provider="openai", duration_ms=1.0)


def test_events_are_frozen() -> None:
    event = final("video_1", Decimal(1))
    with pytest.raises(AttributeError):
        event.amount = Decimal(2)  # type: ignore[misc]


def test_cost_rows_carry_money_as_fixed_point_text() -> None:
    row = cost_row(final("v", Decimal("0E-8"), unit_price=Decimal("1E-7"), seconds=Decimal("1E+1")))
    assert row[10:13] == ("10", "0.0000001", "0.00000000")
    assert cost_row(final("v", None))[12] is None


def test_rows_carry_tags_and_metadata_as_json() -> None:
    assert cost_row(final("v", Decimal(1), tags={"team": "a"}))[17] == '{"team": "a"}'
    assert cost_row(final("v", Decimal(1)))[17] is None
    row = call_row(call(tags={"n": 1}, metadata={"ratio": float("nan"), "when": datetime(2026, 1, 1)}))  # type: ignore[dict-item]
    assert row[15] == '{"n": "1"}'
    assert "unserializable" in row[16]
    assert call_row(call(metadata={"when": datetime(2026, 1, 1)}))[16] == '{"when":"2026-01-01 00:00:00"}'
    assert call_row(call())[16] is None
