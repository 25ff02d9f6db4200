"""Pricing tests never see the developer's price overrides."""

from __future__ import annotations

import pytest

from reelgate.pricing._load import ENV_FILE, ENV_INLINE


@pytest.fixture(autouse=True)
def no_price_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_FILE, raising=False)
    monkeypatch.delenv(ENV_INLINE, raising=False)
