"""The two ledger tables: their columns, how an event becomes a row, and the SQL that types it.

A flush appends plain tuples (:func:`call_row`, :func:`cost_row`) to a staging table whose money
columns are filled from fixed-point strings (several times faster through the DuckDB appender than
``Decimal`` objects, and exact), then copies ``SELECT`` :meth:`Table.segment_select` to Parquet, which
adds the derived columns: ``instance_id`` on every row, and on cost rows ``video_key``, the md5 of
the video id as a UUID (a fixed-width key that makes per-video grouping cheaper than the long id).

The compacted base file of the costs table also carries, per row, ``chosen`` (this event is the
one that counts for its video: the earliest final, else the earliest estimate) and, on every row of a
video, the video's summary: ``video_first_ts``, ``video_estimate_amount``, and its
attribution ``video_user`` and ``video_tags`` (from its earliest event that has them: the create, as
a later status call may come from another caller).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reelgate.ledger._events import CallEvent, CostEvent

SCHEMA_VERSION = 1
TAGS_MAP = "MAP(VARCHAR, VARCHAR)"


def quote(name: str) -> str:
    """A SQL identifier, quoted (``user`` is a keyword)."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Table:
    """One ledger table: the event fields (in row order), derived columns and base-only columns."""

    name: str
    fields: tuple[tuple[str, str], ...]
    derived: tuple[tuple[str, str, str], ...]
    base_only: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> list[tuple[str, str]]:
        """Every column of a segment file: event fields then derived columns."""
        return [*self.fields, *((name, sql_type) for name, sql_type, _ in self.derived)]

    @property
    def event_columns(self) -> list[str]:
        """What the event views show: the fields and ``instance_id`` (not internal keys)."""
        return [name for name, _ in self.fields] + ["instance_id"]

    def staging_ddl(self, staging: str) -> str:
        columns = ", ".join(
            f"{quote(name)} {'JSON' if name in ('tags', 'metadata') else sql_type}"
            for name, sql_type in self.fields
        )
        return f"CREATE OR REPLACE TEMP TABLE {staging} ({columns})"

    def segment_select(self, staging: str, instance: str) -> str:
        """``SELECT`` the typed segment rows from the staging table (derived columns computed here)."""
        parts = []
        for name, _ in self.fields:
            if name == "tags":
                parts.append(f"coalesce(CAST(tags AS {TAGS_MAP}), MAP {{}}::{TAGS_MAP}) AS tags")
            else:
                parts.append(quote(name))
        for name, sql_type, expression in self.derived:
            value = expression.replace("{instance}", literal(instance))
            parts.append(f"CAST({value} AS {sql_type}) AS {quote(name)}")
        return f"SELECT {', '.join(parts)} FROM {staging}"

    def schema_select(self) -> str:
        """A zero-row ``SELECT`` with every column a file of this table may have."""
        columns = [*self.columns, *self.base_only]
        return "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS {quote(n)}" for n, t in columns) + " WHERE false"


CALLS = Table(
    name="calls",
    fields=(
        ("event_id", "VARCHAR"),
        ("ts", "TIMESTAMPTZ"),
        ("trace_id", "VARCHAR"),
        ("span_id", "VARCHAR"),
        ("operation", "VARCHAR"),
        ("provider", "VARCHAR"),
        ("model", "VARCHAR"),
        ("deployment", "VARCHAR"),
        ("video_id", "VARCHAR"),
        ("http_status", "INTEGER"),
        ("error_type", "VARCHAR"),
        ("duration_ms", "DOUBLE"),
        ("request_bytes", "BIGINT"),
        ("response_bytes", "BIGINT"),
        ("user", "VARCHAR"),
        ("tags", TAGS_MAP),
        ("metadata", "JSON"),
    ),
    derived=(("instance_id", "VARCHAR", "{instance}"),),
)

COSTS = Table(
    name="costs",
    fields=(
        ("event_id", "VARCHAR"),
        ("ts", "TIMESTAMPTZ"),
        ("video_id", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("status", "VARCHAR"),
        ("operation", "VARCHAR"),
        ("provider", "VARCHAR"),
        ("model", "VARCHAR"),
        ("size", "VARCHAR"),
        ("tier", "VARCHAR"),
        ("seconds", "DECIMAL(18,6)"),
        ("unit_price", "DECIMAL(18,8)"),
        ("amount", "DECIMAL(18,6)"),
        ("currency", "VARCHAR"),
        ("job_status", "VARCHAR"),
        ("pricing_version", "VARCHAR"),
        ("user", "VARCHAR"),
        ("tags", TAGS_MAP),
        ("trace_id", "VARCHAR"),
        ("span_id", "VARCHAR"),
    ),
    derived=(
        ("instance_id", "VARCHAR", "{instance}"),
        ("video_key", "UUID", "md5(video_id)"),
    ),
    base_only=(
        ("chosen", "BOOLEAN"),
        ("video_first_ts", "TIMESTAMPTZ"),
        ("video_estimate_amount", "DECIMAL(18,6)"),
        ("video_user", "VARCHAR"),
        ("video_tags", TAGS_MAP),
    ),
)

TABLES = (CALLS, COSTS)


def _fixed(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"  # never exponent notation, which the cast refuses


def _tags_json(tags: Mapping[str, str]) -> str | None:
    if not tags:
        return None
    return json.dumps({str(key): str(value) for key, value in tags.items()})


def _metadata_json(metadata: Mapping[str, Any]) -> str | None:
    if not metadata:
        return None
    try:
        return json.dumps(metadata, default=str, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):  # NaN, a cycle, a key that is not a string
        return json.dumps({"unserializable": repr(metadata)})


def call_row(event: CallEvent) -> tuple[Any, ...]:
    """The staging row of a call, in :data:`CALLS` field order."""
    return (
        event.event_id,
        event.ts,
        event.trace_id,
        event.span_id,
        event.operation,
        event.provider,
        event.model,
        event.deployment,
        event.video_id,
        event.http_status,
        event.error_type,
        event.duration_ms,
        event.request_bytes,
        event.response_bytes,
        event.user,
        _tags_json(event.tags),
        _metadata_json(event.metadata),
    )


def cost_row(event: CostEvent) -> tuple[Any, ...]:
    """The staging row of a cost, in :data:`COSTS` field order."""
    return (
        event.event_id,
        event.ts,
        event.video_id,
        event.kind,
        event.status,
        event.operation,
        event.provider,
        event.model,
        event.size,
        event.tier,
        _fixed(event.seconds),
        _fixed(event.unit_price),
        _fixed(event.amount),
        event.currency,
        event.job_status,
        event.pricing_version,
        event.user,
        _tags_json(event.tags),
        event.trace_id,
        event.span_id,
    )
