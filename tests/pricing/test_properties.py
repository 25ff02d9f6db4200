"""Property tests: costs grow with seconds, are exact, and are deterministic, for every packaged row."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reelgate.pricing import PriceEntry, PriceTable, estimate_cost

TABLE = PriceTable.load()
ENTRIES = TABLE.entries

seconds_values = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)
sizes = st.one_of(
    st.none(),
    st.sampled_from(["720p", "1024p", "1080p", "4k", "2160p", "360p"]),
    st.builds(lambda w, h: f"{w}x{h}", st.integers(1, 5000), st.integers(1, 5000)),
    st.sampled_from(
        ["720x1280", "1280x720", "1024x1792", "1792x1024", "1080x1920", "1920x1080", "3840x2160"]
    ),
)
audios = st.sampled_from([None, True, False])


def _day_in(entry: PriceEntry, offset: int) -> date:
    end = entry.effective_to or date(2030, 1, 1)
    span = (end - entry.effective_from).days
    return entry.effective_from + timedelta(days=offset % (span + 1))


def _model(entry: PriceEntry) -> str:
    name = entry.model.replace("*", "anything")
    return f"{entry.provider}/{name}"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ENTRIES), seconds_values, seconds_values, sizes, audios, st.integers(0, 10_000))
def test_cost_is_monotonic_in_seconds(
    entry: PriceEntry, a: Decimal, b: Decimal, size: str | None, audio: bool | None, offset: int
) -> None:
    low, high = sorted((a, b))
    at = _day_in(entry, offset)
    first = estimate_cost(_model(entry), low, size, audio=audio, at=at, table=TABLE)
    second = estimate_cost(_model(entry), high, size, audio=audio, at=at, table=TABLE)
    assert first.status == second.status
    if first.amount is not None and second.amount is not None:
        assert first.amount <= second.amount


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ENTRIES), seconds_values, st.integers(0, 10_000))
def test_amount_is_seconds_times_unit_price_exactly(entry: PriceEntry, seconds: Decimal, offset: int) -> None:
    size = entry.tier or "1280x720"
    estimate = estimate_cost(
        _model(entry), seconds, size, audio=entry.audio, at=_day_in(entry, offset), table=TABLE
    )
    assert estimate.status == "priced"
    assert estimate.entry == entry  # the packaged row for its own key, tier, audio and date is the one found
    assert estimate.unit_price is not None
    assert estimate.amount == seconds * estimate.unit_price  # ≤ 2 + 2 places: no rounding needed


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=100, places=8, allow_nan=False, allow_infinity=False),
)
def test_amount_is_the_rounded_exact_product(seconds: Decimal, unit_price: Decimal) -> None:
    table = PriceTable.load(
        include_packaged=False, entries=[{"provider": "p", "model": "m", "unit_price": str(unit_price)}]
    )
    amount = table.estimate("p", "m", seconds).amount
    assert amount is not None
    assert amount.as_tuple().exponent == -6
    assert abs(amount - seconds * unit_price) <= Decimal("0.0000005")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([*(_model(entry) for entry in ENTRIES), "sora-2", "openai/unknown", "x/y"]),
    st.one_of(st.integers(0, 100), st.decimals(0, 100, places=3), st.integers(0, 100).map(str)),
    sizes,
    audios,
    st.dates(date(2024, 1, 1), date(2028, 1, 1)),
)
def test_estimate_cost_is_deterministic(
    model: str, seconds: int | Decimal | str, size: str | None, audio: bool | None, at: date
) -> None:
    first = estimate_cost(model, seconds, size, audio=audio, at=at, table=TABLE)
    again = estimate_cost(model, seconds, size, audio=audio, at=at, table=PriceTable.load())
    assert first == again
    assert (first.amount is None) == (first.status == "unpriced")
    if first.amount is not None:
        assert first.amount >= 0
