"""How money and costs read in human output: cents at least, every significant digit, unpriced never 0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reelgate.cli._output import describe_cost, money
from reelgate.types import Cost


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("0.400000"), "0.40 USD"),
        (Decimal("0.123456"), "0.123456 USD"),
        (Decimal("100"), "100.00 USD"),
        (Decimal("0"), "0.00 USD"),
        (Decimal("12.5"), "12.50 USD"),
        (None, "unpriced"),
    ],
)
def test_money(amount: Decimal | None, text: str) -> None:
    assert money(amount, "USD") == text


def test_costs_say_whether_they_are_estimates() -> None:
    assert describe_cost(Cost(amount=Decimal("0.8"), status="estimate")) == "0.80 USD (estimate)"
    assert describe_cost(Cost(amount=Decimal("0.8"), status="final")) == "0.80 USD (final)"
    assert describe_cost(Cost(amount=None, status="unpriced")).startswith("unpriced (")
    assert describe_cost(None).startswith("unknown")
