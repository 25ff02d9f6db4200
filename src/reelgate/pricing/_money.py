"""Exact arithmetic for costs: parse a number of seconds, multiply by a price, round to micro-units."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = ["AMOUNT_QUANTUM", "cost_amount", "parse_seconds"]

AMOUNT_QUANTUM = Decimal("0.000001")
"""Amounts are rounded (half up) to 6 decimal places."""

_PRECISION = 60


def parse_seconds(seconds: object) -> Decimal:
    """``8``, ``"8"``, ``8.5`` or ``Decimal("8.5")`` → ``Decimal``; negative or non-numeric → ValueError."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float | str | Decimal):
        raise ValueError(f"seconds must be a number of seconds such as 8 or '8', got {seconds!r}")
    try:
        value = Decimal(str(seconds).strip()) if isinstance(seconds, float | str) else Decimal(seconds)
    except InvalidOperation:
        raise ValueError(f"seconds must be a number of seconds such as 8 or '8', got {seconds!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"seconds must be a finite, non-negative number, got {seconds!r}")
    return value if value else Decimal(0)  # "-0" is zero


def cost_amount(seconds: Decimal, unit_price: Decimal) -> Decimal:
    """``seconds × unit_price``, exact, then rounded half up to :data:`AMOUNT_QUANTUM`."""
    with localcontext() as context:
        context.prec = _PRECISION
        try:
            return (seconds * unit_price).quantize(AMOUNT_QUANTUM, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise ValueError(f"{seconds} seconds × {unit_price} is too large to price") from None
