"""The cost and call ledger: append-only events in Parquet, queried with plain SQL through DuckDB.

Any number of processes write at once while readers (``reelgate report``, notebooks, Grafana's DuckDB
data source) query live data. DuckDB lets one process hold a database file for writing, so nothing
does: every process buffers its events in memory and flushes them, at least every second, as new
immutable Parquet segment files under ``<data_dir>/ledger/{calls,costs}/``; ``<data_dir>/reelgate.duckdb``
only defines views over those files. The data directory is ``REELGATE_DATA_DIR``, else the user data
directory (``platformdirs``).

>>> from reelgate.ledger import Ledger, CostEvent, cost_event_id, connect
>>> ledger = Ledger()                                  # one per process (or per Client)
>>> ledger.record_cost(CostEvent(video_id="video_1", kind="final", status="priced", operation="get_video",
...     provider="openai", model="sora-2", seconds=Decimal("8"), amount=Decimal("0.8")))  # doctest: +SKIP
>>> ledger.flush()                                     # doctest: +SKIP
>>> connect().sql("SELECT * FROM video_costs").fetchall()   # doctest: +SKIP

Or, from any DuckDB client: ``duckdb -readonly ~/.local/share/reelgate/reelgate.duckdb``.

Duplicates are harmless by design: a cost event's id is derived from (video id, kind), so the same
final cost seen by two processes is one event, and every view keeps one row per event id. The views
(``calls``, ``cost_events``, ``video_costs``, ``spend_daily``, ``calls_daily``, ``estimate_drift``) are
described in :mod:`reelgate.ledger._sql`; :func:`compact` merges small files (writers start it now and
then); :mod:`reelgate.reports` has ready-made reports.
"""

from reelgate.ledger._compact import CompactionResult, compact
from reelgate.ledger._errors import DataDirectoryError, LedgerError, ReadOnlyQueryError
from reelgate.ledger._events import CallEvent, CostEvent, CostKind, CostStatus, call_event_id, cost_event_id
from reelgate.ledger._identity import instance_id
from reelgate.ledger._sql import VIEW_NAMES
from reelgate.ledger._views import connect, write_views_file
from reelgate.ledger._writer import Ledger

__all__ = [
    "VIEW_NAMES",
    "CallEvent",
    "CompactionResult",
    "CostEvent",
    "CostKind",
    "CostStatus",
    "DataDirectoryError",
    "Ledger",
    "LedgerError",
    "ReadOnlyQueryError",
    "call_event_id",
    "compact",
    "connect",
    "cost_event_id",
    "instance_id",
    "write_views_file",
]
