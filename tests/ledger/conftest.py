"""Fixtures: each test gets its own data directory and, if it asks, a ledger writing there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgate.ledger import Ledger


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ledger(data_dir: Path) -> Iterator[Ledger]:
    """A ledger whose background thread stays out of the way (tests flush explicitly)."""
    writer = Ledger(data_dir, flush_interval=3600, compact_every=None)
    yield writer
    writer.close()
