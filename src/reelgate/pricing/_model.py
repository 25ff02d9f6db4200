"""The validated shapes of the pricing data: one price row (:class:`PriceEntry`) and one estimate.

Money is :class:`~decimal.Decimal` throughout. A ``unit_price`` is read from a decimal string (or an
exact number in a file, which the loaders parse as ``Decimal``); a Python ``float`` is refused, since
it has already lost the exact value.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from reelgate.pricing._tiers import normalize_tier

__all__ = ["CostEstimate", "PriceEntry"]

_PROVIDER = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_OPEN_START = date(1970, 1, 1)


def _name(value: str, what: str) -> str:
    text = value.strip()
    if not text or any(char.isspace() for char in text):
        raise ValueError(f"{what} must be a non-empty name without spaces, got {value!r}")
    return text


class PriceEntry(BaseModel):
    """One price: a (provider, model, tier, audio) key, a per-unit price, and the dates it applies.

    ``model`` is the upstream model name; ``aliases`` lists other names billed the same (dated
    snapshots, ``-preview`` ids). Either may be a glob (``*``, ``?``, ``[...]``), e.g. ``model = "*"``.
    ``tier`` ``None`` means any size; ``audio`` ``None`` means with or without audio. ``effective_to``
    is inclusive, ``None`` means open-ended; ``effective_from`` defaults to 1970-01-01 for overrides.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: str
    model: str
    aliases: tuple[str, ...] = ()
    tier: str | None = None
    audio: bool | None = None
    unit: Literal["second"] = "second"
    unit_price: Decimal
    currency: str = "USD"
    effective_from: date = _OPEN_START
    effective_to: date | None = None
    source: str = Field(min_length=1)
    notes: str | None = None

    @field_validator("provider", mode="before")
    @classmethod
    def _check_provider(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        if not _PROVIDER.match(text):
            raise ValueError(f"provider must be a lowercase name such as 'vertex_ai', got {value!r}")
        return text

    @field_validator("model")
    @classmethod
    def _check_model(cls, value: str) -> str:
        return _name(value, "model")

    @field_validator("aliases")
    @classmethod
    def _check_aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_name(alias, "each alias") for alias in value)

    @field_validator("tier", mode="before")
    @classmethod
    def _check_tier(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        tier = normalize_tier(value)
        if tier is None:
            raise ValueError(f"tier must be a resolution such as '720p', '1080p' or '4k', got {value!r}")
        return tier

    @field_validator("unit_price", mode="before")
    @classmethod
    def _refuse_float(cls, value: object) -> object:
        if isinstance(value, bool | float):
            raise ValueError(f"unit_price must be a decimal string such as '0.10', not {value!r}")
        return value

    @field_validator("unit_price")
    @classmethod
    def _check_unit_price(cls, value: Decimal) -> Decimal:
        if not value.is_finite() or value < 0:
            raise ValueError(f"unit_price must be a non-negative decimal, got {value}")
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _check_currency(cls, value: object) -> object:
        if isinstance(value, str) and not _CURRENCY.match(value.strip().upper()):
            raise ValueError(f"currency must be a three-letter code such as 'USD', got {value!r}")
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("source")
    @classmethod
    def _check_source(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("source must say where the price comes from (a URL or description and date)")
        return value.strip()

    @field_validator("effective_to")
    @classmethod
    def _check_period(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("effective_from")
        if value is not None and isinstance(start, date) and value < start:
            raise ValueError(f"effective_to {value} is before effective_from {start}")
        return value

    def applies_on(self, day: date) -> bool:
        """Whether the price is in effect on ``day`` (both ends inclusive)."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class CostEstimate(BaseModel):
    """The cost of ``seconds`` of video, or ``status="unpriced"`` with ``amount=None`` (never 0).

    ``amount`` is ``seconds × unit_price`` rounded half-up to 6 decimal places. ``tier`` is the tier
    the size was billed at (set even when unpriced, to say what was missing).
    """

    model_config = ConfigDict(frozen=True)

    amount: Decimal | None
    currency: str | None
    unit_price: Decimal | None
    seconds: Decimal
    size: str | None
    tier: str | None
    status: Literal["priced", "unpriced"]
    pricing_version: str
    entry: PriceEntry | None
    provider: str
    model: str
