"""Shared fixtures. Importing this module installs the loopback-only network guard."""

from __future__ import annotations

import pytest

from tests import _loopback_guard

_loopback_guard.install()

PROVIDER_ENVIRONMENT = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "AZURE_OPENAI_API_KEY",
    "AZURE_API_KEY",
    "AZURE_OPENAI_API_BASE",
    "AZURE_API_BASE",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_VERSION",
    "AZURE_API_VERSION",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_AD_TOKEN",
    "OPENAI_COMPATIBLE_API_BASE",
    "OPENAI_COMPATIBLE_API_KEY",
    "REELGATE_MODEL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's provider credentials, and backoff without retry-after is quick."""
    for name in PROVIDER_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("reelgate._retry.INITIAL_DELAY", 0.001)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
