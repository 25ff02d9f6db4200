"""The ledger's public surface is exactly what ``__all__`` says."""

from __future__ import annotations

import inspect

import reelgate.ledger
from reelgate import reports


def test_ledger_all_lists_exactly_the_public_names() -> None:
    public = {name for name, value in vars(reelgate.ledger).items() if not name.startswith("_")}
    public = {name for name in public if not inspect.ismodule(getattr(reelgate.ledger, name))}
    assert public == set(reelgate.ledger.__all__)


def test_reports_exports_its_functions() -> None:
    assert set(reports.__all__) == {"ReadOnlyQueryError", "SpendGrouping", "spend", "sql", "totals"}
    for name in reports.__all__:
        assert getattr(reports, name) is not None
    assert list(inspect.signature(reports.sql).parameters) == ["query", "params", "data_dir"]
    assert list(inspect.signature(reports.spend).parameters) == ["by", "since", "data_dir"]
    assert list(inspect.signature(reports.totals).parameters) == ["since", "data_dir"]
