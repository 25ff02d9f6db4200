"""Process-wide defaults behind every client: the ledger, the span-link store and the price table.

One ledger writer per process (every client shares it, so module-level calls that build a client
per call do not start a writer each), created on first use in the data directory
(``REELGATE_DATA_DIR``). ``REELGATE_LEDGER=off`` turns the ledger off. The span-link store
(``links.sqlite3``, which lets a status call in one process link to the create span of another) lives
in the same directory.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from reelgate._paths import resolve_data_dir
from reelgate.telemetry._links import SpanLinkStore

if TYPE_CHECKING:
    from reelgate.ledger import Ledger
    from reelgate.pricing import PriceTable

LEDGER_ENV = "REELGATE_LEDGER"
LINKS_FILE = "links.sqlite3"
_lock = threading.Lock()
_ledgers: dict[str, Ledger] = {}


def ledger_enabled() -> bool:
    return os.environ.get(LEDGER_ENV, "on").lower() not in ("off", "0", "false", "no")


def default_ledger() -> Ledger | None:
    """The shared ledger for the current data directory, or None when turned off."""
    if not ledger_enabled():
        return None
    from reelgate.ledger import Ledger

    key = str(resolve_data_dir())
    with _lock:
        ledger = _ledgers.get(key)
        if ledger is None:
            ledger = _ledgers[key] = Ledger(data_dir=key)
        return ledger


def default_links() -> SpanLinkStore:
    """The shared span-link store of the current data directory."""
    return _links_at(str(resolve_data_dir() / LINKS_FILE))


def flush_process_ledger(data_dir: str | os.PathLike[str] | None = None) -> None:
    """Flush this process's shared ledger for ``data_dir`` (if one was started) so readers see it."""
    with _lock:
        ledger = _ledgers.get(str(resolve_data_dir(data_dir)))
    if ledger is not None:
        ledger.flush()


@cache
def _links_at(path: str) -> SpanLinkStore:
    return SpanLinkStore(Path(path))


def default_prices() -> PriceTable:
    from reelgate.pricing import default_price_table

    return default_price_table()
