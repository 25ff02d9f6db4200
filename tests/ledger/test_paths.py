"""The data directory: REELGATE_DATA_DIR, the platform default, and a clear error when it is unusable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelgate import reports
from reelgate.errors import ConfigurationError
from reelgate.ledger import DataDirectoryError, Ledger, compact, connect, write_views_file
from reelgate.ledger._files import LedgerPaths


def test_the_environment_variable_chooses_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGATE_DATA_DIR", str(tmp_path / "from-env"))
    with Ledger(compact_every=None) as ledger:
        assert ledger.data_dir == tmp_path / "from-env"
    assert (tmp_path / "from-env" / "ledger" / "costs").is_dir()


def test_the_platform_data_directory_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REELGATE_DATA_DIR", raising=False)
    monkeypatch.setattr("platformdirs.user_data_path", lambda name: tmp_path / "platform" / name)
    assert LedgerPaths.resolve().data_dir == tmp_path / "platform" / "reelgate"


def test_a_relative_data_directory_becomes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert LedgerPaths.resolve("relative").data_dir == tmp_path / "relative"


def test_a_data_directory_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    target = blocker / "data"
    for attempt in (
        lambda: Ledger(target),
        lambda: connect(target),
        lambda: compact(target),
        lambda: write_views_file(target),
        lambda: reports.totals(data_dir=target),
    ):
        with pytest.raises(DataDirectoryError) as caught:
            attempt()
        message = str(caught.value)
        assert str(target) in message
        assert "REELGATE_DATA_DIR" in message
        assert isinstance(caught.value, ConfigurationError)


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes through permissions")
def test_a_read_only_data_directory_is_a_clear_error_for_writers_but_readable(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    Ledger(data_dir, compact_every=None).close()
    for directory in (data_dir / "ledger", data_dir / "ledger" / "calls", data_dir / "ledger" / "costs"):
        directory.chmod(0o555)
    try:
        with pytest.raises(DataDirectoryError, match="REELGATE_DATA_DIR"):
            Ledger(data_dir)
        assert reports.totals(data_dir=data_dir)["videos"] == 0
    finally:
        for directory in (data_dir / "ledger", data_dir / "ledger" / "calls", data_dir / "ledger" / "costs"):
            directory.chmod(0o755)
