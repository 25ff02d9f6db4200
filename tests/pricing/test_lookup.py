"""Lookup against the packaged table: tiers, aliases, audio, dates, and what stays unpriced."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from reelgate.pricing import PriceTable, estimate_cost

TABLE = PriceTable.load()
NOW = date(2026, 11, 25)


def price(
    model: str, size: str | None = None, *, audio: bool | None = None, at: date = NOW
) -> Decimal | None:
    estimate = estimate_cost(model, 1, size, audio=audio, at=at, table=TABLE)
    assert (estimate.amount is None) == (estimate.status == "unpriced")
    return estimate.unit_price


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("720x1280", "0.30"),
        ("1280x720", "0.30"),
        ("1024x1792", "0.50"),
        ("1792x1024", "0.50"),
        ("1080x1920", "0.70"),
        ("1920x1080", "0.70"),
    ],
)
def test_sora_2_pro_is_billed_by_size(size: str, expected: str) -> None:
    assert price("openai/sora-2-pro", size) == Decimal(expected)
    assert price("openai/sora-2-pro-2025-10-06", size) == Decimal(expected)


def test_1024p_sizes_are_never_billed_as_1080p() -> None:
    for size in ("1024x1792", "1792x1024", "1024p"):
        entry = TABLE.lookup("openai", "sora-2-pro", size=size, at=NOW)
        assert entry is not None
        assert entry.tier == "1024p"


def test_sora_2_pro_1080p_exists_only_from_the_2026_03_12_expansion() -> None:
    assert price("openai/sora-2-pro", "1920x1080", at=date(2026, 3, 11)) is None
    assert price("openai/sora-2-pro", "1920x1080", at=date(2026, 3, 12)) == Decimal("0.70")


@pytest.mark.parametrize(
    "model", ["sora-2", "openai/sora-2", "sora-2-2025-10-06", "openai/sora-2-2025-12-08", "azure/sora-2"]
)
def test_sora_2_and_its_snapshots(model: str) -> None:
    assert price(model, "720x1280") == Decimal("0.10")


def test_sora_2_has_no_price_for_sizes_it_does_not_make() -> None:
    assert price("sora-2", "1792x1024") is None
    assert price("sora-2", "4k") is None


def test_a_row_for_a_tier_needs_a_size() -> None:
    estimate = estimate_cost("openai/sora-2", 8, table=TABLE, at=NOW)
    assert estimate.status == "unpriced"
    assert estimate.amount is None


@pytest.mark.parametrize("provider", ["vertex_ai", "gemini"])
@pytest.mark.parametrize(
    ("model", "size", "expected"),
    [
        ("veo-3.1-generate-001", "720p", "0.40"),
        ("veo-3.1-generate-001", "1080p", "0.40"),
        ("veo-3.1-generate-001", "1920x1080", "0.40"),
        ("veo-3.1-generate-001", "4k", "0.60"),
        ("veo-3.1-generate-preview", "4K", "0.60"),
        ("veo-3.1-fast-generate-001", "720p", "0.10"),
        ("veo-3.1-fast-generate-preview", "1080p", "0.12"),
        ("veo-3.1-fast-generate-001", "3840x2160", "0.30"),
        ("veo-3.1-lite-generate-001", "720p", "0.05"),
        ("veo-3.1-lite-generate-preview", "1080x1920", "0.08"),
    ],
)
def test_veo_by_resolution(provider: str, model: str, size: str, expected: str) -> None:
    assert price(f"{provider}/{model}", size) == Decimal(expected)


def test_veo_video_only_is_the_cheaper_inferred_row() -> None:
    assert price("vertex_ai/veo-3.1-generate-001", "720p", audio=False) == Decimal("0.20")
    assert price("vertex_ai/veo-3.1-generate-001", "720p", audio=True) == Decimal("0.40")
    entry = TABLE.lookup("vertex_ai", "veo-3.1-generate-001", size="1080p", audio=False, at=NOW)
    assert entry is not None
    assert entry.notes is not None
    assert "inferred" in entry.notes.lower()
    # no video-only 4k price is known: unpriced, not the with-audio or 1080p price
    assert price("vertex_ai/veo-3.1-generate-001", "4k", audio=False) is None


def test_veo_lite_has_no_4k_and_did_not_exist_before_launch() -> None:
    assert price("vertex_ai/veo-3.1-lite-generate-001", "4k") is None
    assert price("vertex_ai/veo-3.1-lite-generate-001", "720p", at=date(2026, 3, 30)) is None
    assert price("vertex_ai/veo-3.1-lite-generate-001", "720p", at=date(2026, 3, 31)) == Decimal("0.05")


@pytest.mark.parametrize(
    ("at", "p720", "p1080", "p4k"),
    [
        (date(2026, 2, 1), "0.15", "0.15", "0.35"),
        (date(2026, 4, 6), "0.15", "0.15", "0.35"),
        (date(2026, 4, 7), "0.10", "0.12", "0.30"),
        (date(2026, 11, 25), "0.10", "0.12", "0.30"),
    ],
)
def test_veo_fast_price_cut_on_2026_04_07(at: date, p720: str, p1080: str, p4k: str) -> None:
    model = "vertex_ai/veo-3.1-fast-generate-001"
    assert price(model, "720p", at=at) == Decimal(p720)
    assert price(model, "1080p", at=at) == Decimal(p1080)
    assert price(model, "4k", at=at) == Decimal(p4k)


def test_veo_4k_did_not_exist_before_2026_01_13() -> None:
    assert price("vertex_ai/veo-3.1-generate-001", "4k", at=date(2026, 1, 12)) is None
    assert price("vertex_ai/veo-3.1-fast-generate-001", "4k", at=date(2026, 1, 12)) is None


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("veo-3.0-generate-001", "720p"),
        ("veo-3.0-fast-generate-001", "1080p"),
        ("veo-2.0-generate-001", None),
    ],
)
def test_retired_veo_models_are_unpriced_after_2026_06_30(model: str, size: str | None) -> None:
    for provider in ("vertex_ai", "gemini"):
        assert price(f"{provider}/{model}", size, at=date(2026, 6, 30)) is not None
        estimate = estimate_cost(f"{provider}/{model}", 8, size, at=date(2026, 7, 1), table=TABLE)
        assert estimate.status == "unpriced"
        assert estimate.amount is None


def test_veo_3_price_on_its_last_day() -> None:
    assert price("vertex_ai/veo-3.0-generate-001", "1080p", at=date(2026, 6, 30)) == Decimal("0.40")


@pytest.mark.parametrize(
    ("audio", "veo", "fast"),
    [(True, "0.40", "0.15"), (False, "0.20", "0.10"), (None, "0.40", "0.15")],
)
def test_runway_veo_audio_on_and_off(audio: bool | None, veo: str, fast: str) -> None:
    assert price("runway/veo3.1", "1280:720", audio=audio) == Decimal(veo)
    assert price("runway/veo3.1_fast", "1920:1080", audio=audio) == Decimal(fast)


@pytest.mark.parametrize(
    ("model", "expected"),
    [("gen4_turbo", "0.05"), ("gen4.5", "0.12"), ("gen4_aleph", "0.15"), ("veo3", "0.40")],
)
def test_runway_credit_prices(model: str, expected: str) -> None:
    assert price(f"runway/{model}", "1280:720") == Decimal(expected)
    assert price(f"runway/{model}", None, audio=False) == Decimal(expected)


def test_runway_eight_seconds_of_veo_3_1() -> None:
    estimate = estimate_cost("runway/veo3.1", "8", "1280:720", audio=True, at=NOW, table=TABLE)
    assert estimate.amount == Decimal("3.200000")  # 320 credits


@pytest.mark.parametrize("size", [None, "1280x720", "4k", "weird"])
def test_local_models_are_free_at_any_size(size: str | None) -> None:
    estimate = estimate_cost("local/preview", 12, size, at=NOW, table=TABLE)
    assert estimate.status == "priced"
    assert estimate.amount == Decimal(0)


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("openai/sora-3", "720x1280"),
        ("nobody/sora-2", "720x1280"),
        ("unknown-bare-model", None),
        ("veo-3.1-generate-001", "720p"),  # a bare name means openai only when it is an OpenAI model
        ("openai/sora-2-pro", "3840x2160"),
        ("openai/sora-2-pro", "900x900"),
        ("vertex_ai/veo-3.1-generate-001", "360p"),
        ("openai_compatible/sora-2", "720x1280"),
    ],
)
def test_unknown_model_or_tier_is_unpriced_never_zero(model: str, size: str | None) -> None:
    estimate = estimate_cost(model, 8, size, at=NOW, table=TABLE)
    assert estimate.status == "unpriced"
    assert estimate.amount is None
    assert estimate.unit_price is None
    assert estimate.entry is None
    assert estimate.currency is None
    assert estimate.seconds == Decimal(8)
    assert estimate.pricing_version == TABLE.version


def test_lookup_never_raises_for_junk() -> None:
    assert TABLE.lookup("", "", size="x", audio=None, at=NOW) is None
    assert TABLE.lookup("OPENAI", "no-such-model", at=NOW) is None


def test_a_priced_estimate_carries_everything_the_ledger_needs() -> None:
    estimate = estimate_cost("sora-2-pro", 12, "1792x1024", at=NOW, table=TABLE)
    assert estimate.model_dump(exclude={"entry"}) == {
        "amount": Decimal("6.000000"),
        "currency": "USD",
        "unit_price": Decimal("0.50"),
        "seconds": Decimal(12),
        "size": "1792x1024",
        "tier": "1024p",
        "status": "priced",
        "pricing_version": TABLE.version,
        "provider": "openai",
        "model": "sora-2-pro",
    }
    assert estimate.entry is not None
    assert estimate.entry.source


def test_names_are_matched_case_insensitively() -> None:
    assert price("OpenAI/Sora-2", "720x1280") == Decimal("0.10")


def test_at_accepts_datetimes_in_any_zone() -> None:
    model = "vertex_ai/veo-3.1-fast-generate-001"
    before_cut_utc = datetime(2026, 4, 7, 1, 0, tzinfo=timezone(timedelta(hours=3)))  # 2026-04-06 22:00 UTC
    assert price(model, "720p", at=before_cut_utc) == Decimal("0.15")
    assert price(model, "720p", at=datetime(2026, 4, 7, 0, 0, tzinfo=UTC)) == Decimal("0.10")
    assert price(model, "720p", at=datetime(2026, 4, 7, 0, 0)) == Decimal("0.10")  # naive = UTC


def test_default_at_is_today() -> None:
    estimate = estimate_cost("openai/sora-2", 4, "720x1280", table=TABLE)
    assert estimate.amount == Decimal("0.400000")
