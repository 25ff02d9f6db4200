"""Spend reports over the cost ledger, as plain rows (lists of dicts) ready to print or serialize.

>>> from reelgate import reports
>>> reports.spend(by="model")                   # doctest: +SKIP
[{'provider': 'openai', 'model': 'sora-2', 'currency': 'USD', 'videos': 3, 'amount': Decimal('2.400000'),
  'final_amount': Decimal('1.600000'), 'estimate_amount': Decimal('0.800000'), 'final_videos': 2,
  'estimate_videos': 1, 'unpriced_videos': 0}]
>>> reports.totals()["total"]                   # doctest: +SKIP
Decimal('2.400000')
>>> reports.sql("SELECT model, count(*) AS n FROM calls GROUP BY model")   # doctest: +SKIP

A video counts once, with its final cost if one was recorded, else its estimate (``video_costs``); an
unpriced video counts in ``unpriced_videos`` and adds nothing to the amounts (never a silent 0). A video
belongs to the UTC day (and to ``since``) of its first cost event. Money is ``Decimal``; each row has
one ``currency``. Events this process recorded but has not flushed yet are flushed first, so a report
right after a call includes it. Every report reads a consistent snapshot of the ledger files, so it
may run while any number of processes write and compact; the views are described in
:mod:`reelgate.ledger`.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal

from reelgate._defaults import flush_process_ledger
from reelgate.ledger import ReadOnlyQueryError
from reelgate.ledger._guard import check_read_only
from reelgate.ledger._sql import SPEND_COLUMNS, SPEND_FIGURES
from reelgate.ledger._views import Params
from reelgate.ledger._views import query as _query


def _run(
    data_dir: _DataDir, query: str, params: Params = None, *, sandbox: bool = False
) -> list[dict[str, Any]]:
    flush_process_ledger(data_dir)  # this process's own buffered events are part of "live"
    return _query(data_dir, query, params, sandbox=sandbox)


__all__ = ["ReadOnlyQueryError", "SpendGrouping", "spend", "sql", "totals"]

SpendGrouping = Literal["model", "provider", "day", "user", "tag"]
_DataDir = str | os.PathLike[str] | None

_KEYS: dict[str, tuple[str, ...]] = {
    "model": ("provider", "model"),
    "provider": ("provider",),
    "day": ("CAST(first_ts AT TIME ZONE 'UTC' AS DATE) AS day",),
    "user": ('"user"',),
    "tag": ("tag_entry.key AS tag", "tag_entry.value AS value"),
}


def _since(since: date | datetime | None) -> datetime | None:
    if since is None:
        return None
    if isinstance(since, datetime):
        return since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    return datetime.combine(since, time(), tzinfo=UTC)


def _where(column: str, since: date | datetime | None) -> tuple[str, list[object]]:
    start = _since(since)
    return ("", []) if start is None else (f"WHERE {column} >= ?", [start])


def spend(
    by: SpendGrouping | str = "model", *, since: date | datetime | None = None, data_dir: _DataDir = None
) -> list[dict[str, Any]]:
    """Spend per group: ``videos``, ``amount`` and its final/estimate split, and unpriced videos.

    ``by``: ``"model"`` (rows keyed by provider and model), ``"provider"``, ``"day"`` (UTC),
    ``"user"``, ``"tag"`` (one row per tag key and value; a video with two tags counts in both, an
    untagged one in none) or ``"tag:<key>"`` (one row per value of that tag, ``None`` for videos
    without it). ``since``: only videos whose first cost event is at or after it (a date means its
    UTC midnight). Rows are sorted by amount, largest first (``"day"``: by day).
    """
    source = "video_costs"
    if by.startswith("tag:") and by != "tag:":
        tag = by.removeprefix("tag:").replace("'", "''")
        keys: tuple[str, ...] = (f"'{tag}' AS tag", f"tags['{tag}'] AS value")
    elif by in _KEYS:
        keys = _KEYS[by]
        if by == "tag":
            source = "(SELECT *, unnest(map_entries(tags)) AS tag_entry FROM video_costs)"
    else:
        raise ValueError(f"spend(by=...) takes one of {', '.join(_KEYS)} or 'tag:<key>', not {by!r}")
    where, params = _where("first_ts", since)
    positions = ", ".join(str(position) for position in range(1, len(keys) + 1))
    order = "day, currency" if by == "day" else f"amount DESC, {positions}"
    select = f"SELECT {', '.join(keys)}, currency, {SPEND_FIGURES} FROM {source} {where}"
    return _run(data_dir, f"{select} GROUP BY ALL ORDER BY {order}", params)


def totals(*, since: date | datetime | None = None, data_dir: _DataDir = None) -> dict[str, Any]:
    """Overall figures: ``total``, ``final``, ``estimate`` (amounts), ``currency``, ``videos``,
    ``final_videos``, ``estimate_videos``, ``unpriced`` (videos without a price) and ``calls``.

    With more than one currency in the ledger the three amounts and ``currency`` are None and
    ``by_currency`` (always present) has one entry per currency.
    """
    video_where, video_params = _where("first_ts", since)
    call_where, call_params = _where("ts", since)
    rows = _run(
        data_dir,
        f"""WITH per_currency AS (
            SELECT currency, {SPEND_FIGURES} FROM video_costs {video_where} GROUP BY currency),
        call_count AS (SELECT count(*) AS calls FROM calls {call_where})
        SELECT per_currency.*, call_count.calls FROM call_count LEFT JOIN per_currency ON true
        ORDER BY currency""",
        [*video_params, *call_params],
    )
    per_currency = [
        {"currency": row["currency"], **{name: row[name] for name in SPEND_COLUMNS}}
        for row in rows
        if row["currency"] is not None or row["videos"] is not None
    ]
    single = per_currency[0] if len(per_currency) == 1 else None
    zero = Decimal("0.000000")
    result: dict[str, Any] = {
        "total": single["amount"] if single else (zero if not per_currency else None),
        "final": single["final_amount"] if single else (zero if not per_currency else None),
        "estimate": single["estimate_amount"] if single else (zero if not per_currency else None),
        "currency": single["currency"] if single else None,
        "videos": sum(entry["videos"] for entry in per_currency),
        "final_videos": sum(entry["final_videos"] for entry in per_currency),
        "estimate_videos": sum(entry["estimate_videos"] for entry in per_currency),
        "unpriced": sum(entry["unpriced_videos"] for entry in per_currency),
        "calls": rows[0]["calls"] if rows else 0,
        "by_currency": per_currency,
    }
    return result


def sql(query: str, *, params: Params = None, data_dir: _DataDir = None) -> list[dict[str, Any]]:
    """Run one read-only statement over the ledger views; rows as dicts.

    Refuses (:class:`ReadOnlyQueryError`, a ``ValueError``) anything but one ``SELECT``, ``WITH``,
    ``DESCRIBE``, ``SHOW``, ``SUMMARIZE`` or ``EXPLAIN``, as judged by DuckDB's parser; the query also
    runs in a connection that can read nothing but the ledger directory. ``params`` bind ``?`` or
    ``$name`` placeholders.
    """
    check_read_only(query)
    return _run(data_dir, query, params, sandbox=True)
