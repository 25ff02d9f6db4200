"""The shipped prices.toml: valid, sourced, dated, non-overlapping, and read only when first used."""

from __future__ import annotations

import itertools
import subprocess
import sys
import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

import pytest

import reelgate.pricing
from reelgate.pricing import PriceEntry, PriceTable

RAW: list[dict[str, Any]] = tomllib.loads(
    resources.files("reelgate.pricing").joinpath("prices.toml").read_text("utf-8")
)["prices"]
TABLE = PriceTable.load()


def test_every_row_validates() -> None:
    assert len(TABLE) == len(RAW) > 0
    for row in RAW:
        PriceEntry.model_validate(row)


@pytest.mark.parametrize("row", RAW, ids=lambda row: f"{row['provider']}/{row['model']}/{row.get('tier')}")
def test_every_row_is_sourced_dated_and_priced_as_a_string(row: dict[str, Any]) -> None:
    assert isinstance(row.get("source"), str)
    assert len(row["source"].strip()) > 10
    assert isinstance(row["unit_price"], str), "unit_price must be a decimal string, never a float"
    try:
        price = Decimal(row["unit_price"])
    except InvalidOperation:
        pytest.fail(f"unit_price {row['unit_price']!r} is not a decimal")
    assert price.is_finite()
    assert price >= 0
    assert isinstance(row["effective_from"], date), "every packaged row states its start date"
    if "effective_to" in row:
        assert row["effective_to"] >= row["effective_from"]
    assert row["unit"] == "second"
    assert row["currency"] == "USD"


def _keys(entry: PriceEntry) -> set[tuple[str, str, str | None, bool | None]]:
    names = {entry.model.casefold(), *(alias.casefold() for alias in entry.aliases)}
    return {(entry.provider, name, entry.tier, entry.audio) for name in names}


def _overlap(a: PriceEntry, b: PriceEntry) -> bool:
    a_end = a.effective_to or date.max
    b_end = b.effective_to or date.max
    return a.effective_from <= b_end and b.effective_from <= a_end


def test_no_two_rows_overlap_for_the_same_key_and_period() -> None:
    for a, b in itertools.combinations(TABLE.entries, 2):
        if _keys(a) & _keys(b):
            assert not _overlap(a, b), f"overlapping rows:\n{a}\n{b}"


def test_no_alias_shadows_another_models_name() -> None:
    for provider in {entry.provider for entry in TABLE.entries}:
        rows = [entry for entry in TABLE.entries if entry.provider == provider]
        models = {entry.model for entry in rows}
        aliases = {alias for entry in rows for alias in entry.aliases}
        assert not models & aliases


def test_the_expected_providers_and_models_are_priced() -> None:
    priced = {(entry.provider, entry.model) for entry in TABLE.entries}
    for provider in ("vertex_ai", "gemini"):
        for model in ("veo-3.1-generate-001", "veo-3.1-fast-generate-001", "veo-3.1-lite-generate-001"):
            assert (provider, model) in priced
    assert {("openai", "sora-2"), ("openai", "sora-2-pro"), ("azure", "sora-2"), ("local", "*")} <= priced
    assert {
        ("runway", m) for m in ("gen4_turbo", "gen4.5", "gen4_aleph", "veo3.1", "veo3.1_fast", "veo3")
    } <= priced


def test_vertex_and_gemini_rows_are_the_same() -> None:
    def rows(provider: str) -> list[dict[str, Any]]:
        return [
            entry.model_dump(exclude={"provider", "notes"})
            for entry in TABLE.entries
            if entry.provider == provider
        ]

    assert rows("vertex_ai") == rows("gemini")


def test_openai_prices_stay_open_and_say_why() -> None:
    for entry in TABLE.entries:
        if entry.provider == "openai":
            assert entry.effective_to is None
            assert entry.notes is not None
            assert "2026-09-24" in entry.notes


def test_the_data_date_is_in_the_version() -> None:
    assert TABLE.version.startswith("2026-11-25+")
    assert len(TABLE.version.split("+")[1]) == 8


def test_public_names() -> None:
    assert reelgate.pricing.__all__ == sorted(reelgate.pricing.__all__)
    assert set(reelgate.pricing.__all__) == {
        "CostEstimate",
        "PriceEntry",
        "PriceTable",
        "default_price_table",
        "estimate_cost",
        "size_tier",
    }


def test_importing_does_not_read_the_table() -> None:
    code = (
        "import reelgate.pricing, reelgate.pricing._load as load, sys; "
        "assert load.packaged_document.cache_info().currsize == 0; "
        "reelgate.pricing.estimate_cost('sora-2', 4, '720x1280'); "
        "assert load.packaged_document.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
