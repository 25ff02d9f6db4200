"""The ledger's errors: a data directory it cannot use, a query :func:`reelgate.reports.sql` refuses, and
a compaction that did not add up."""

from __future__ import annotations

from pathlib import Path

from reelgate._paths import DATA_DIR_ENV
from reelgate.errors import ConfigurationError, ReelgateError


class LedgerError(ReelgateError):
    """The ledger refused to go on (for example, a compaction whose output did not add up)."""


class DataDirectoryError(ConfigurationError):
    """The data directory (or the ledger inside it) cannot be created or written."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(
            f"the reelgate data directory {str(path)!r} is not usable: {reason}; "
            f"point {DATA_DIR_ENV} at a writable directory (or pass data_dir=)"
        )


class ReadOnlyQueryError(ReelgateError, ValueError):
    """A query given to :func:`reelgate.reports.sql` is not a single read-only statement."""
