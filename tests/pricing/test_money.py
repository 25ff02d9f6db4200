"""Seconds parsing and the exact, rounded amount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reelgate.pricing import PriceTable

TABLE = PriceTable.load(
    include_packaged=False,
    entries=[{"provider": "p", "model": "m", "unit_price": "0.0333333", "source": "test"}],
)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (8, Decimal(8)),
        ("8", Decimal(8)),
        (" 12 ", Decimal(12)),
        (8.5, Decimal("8.5")),
        (Decimal("4.25"), Decimal("4.25")),
        (0, Decimal(0)),
        ("-0", Decimal(0)),
    ],
)
def test_seconds_accepted(seconds: object, expected: Decimal) -> None:
    estimate = TABLE.estimate("p", "m", seconds)  # type: ignore[arg-type]
    assert estimate.seconds == expected


@pytest.mark.parametrize(
    "seconds", [-1, "-0.5", "eight", "", None, True, float("nan"), float("inf"), "NaN", [8]]
)
def test_bad_seconds_raise(seconds: object) -> None:
    with pytest.raises(ValueError, match="seconds"):
        TABLE.estimate("p", "m", seconds)  # type: ignore[arg-type]


def test_amount_is_rounded_half_up_to_six_places() -> None:
    # 3 × 0.0333333 = 0.0999999 → 0.100000; 1.5 × 0.0333333 = 0.04999995 → 0.050000
    assert TABLE.estimate("p", "m", 3).amount == Decimal("0.100000")
    assert TABLE.estimate("p", "m", "1.5").amount == Decimal("0.050000")
    assert str(TABLE.estimate("p", "m", 1).amount) == "0.033333"


def test_float_prices_are_refused_in_python_entries() -> None:
    with pytest.raises(ValueError, match="decimal string"):
        PriceTable.load(include_packaged=False, entries=[{"provider": "p", "model": "m", "unit_price": 0.1}])
