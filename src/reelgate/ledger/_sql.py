"""The SQL of the ledger's views, over the Parquet files of each table.

Each table is a compacted base file (de-duplicated; no two rows share an event id) plus delta
segments (anything, duplicates included). Live views read the files through globs (the base: its
highest generation); a *snapshot* (what :mod:`reelgate.reports` uses) lists the files once, deltas
first: a compaction publishes its output before it marks its inputs superseded (and deletes them only
after a grace period), so a snapshot, which skips the inputs whose marker it is sure of, never misses a
row (a file deleted before it is read makes the query fail, and the caller retries).

Views (all de-duplicated, all safe to query while processes write and compact):

``calls``          one row per call (event id).
``cost_events``    one row per cost event (event id).
``video_costs``    one row per video: its earliest final cost if any, else its earliest estimate:
                   video_id, provider, model, amount, currency, seconds, size, tier, unit_price,
                   job_status, pricing_version (of that event), cost_status, user, tags,
                   estimate_amount, first_ts, last_ts.
                   ``cost_status`` is ``final``, ``estimate`` or ``unpriced`` (amount NULL);
                   ``estimate_amount`` is the estimate even after a final replaced it; ``first_ts`` is
                   the video's first cost event (its create), ``last_ts`` when the cost that counts
                   was recorded (the final, if any). Both ignore duplicate copies of an event.
                   ``user`` and ``tags`` come from the video's earliest event that has them (the
                   create: a later status call may come from another caller).
``spend_daily``    per UTC day of a video's first cost event, provider, model and currency: videos,
                   amount (final, else estimate), final vs estimate amounts and counts, unpriced videos.
``calls_daily``    per UTC day, provider, operation and model: calls, errors, latency, bytes.
``estimate_drift`` per provider, model and currency, over videos with both: estimated vs final amount.

Helper views ``_calls_base``, ``_calls_delta``, ``_costs_base`` and ``_costs_delta`` show the stored
rows as they are (duplicates included).

Why the split: grouping 10 million events by video takes about a second on two cores, while the
compacted base stores each video's resolved row (``chosen``), so a report reads those and resolves
only the videos that the deltas touch. Every video is counted exactly once even if the files change
between two reads of one query: a video is either untouched by the deltas (its base row) or touched
(resolved from the deltas and its base rows), never both.
"""

from __future__ import annotations

from reelgate.ledger._files import LedgerPaths
from reelgate.ledger._schema import CALLS, COSTS, TAGS_MAP, Table, literal, quote

VIEWS_VERSION = 1
VIEW_NAMES = ("calls", "cost_events", "video_costs", "spend_daily", "calls_daily", "estimate_drift")

PICK = "epoch_us(ts) + CASE WHEN kind = 'final' THEN 0 ELSE 4611686018427387904 END"
"""Orders a video's events: finals before estimates (2**62 µs apart), then by time."""
COST_STATUS = "CASE WHEN status = 'unpriced' THEN 'unpriced' ELSE kind END"
VIDEO_USER = 'arg_min("user", ts)'
"""A video's user: from its earliest event that names one."""
ESTIMATE_AMOUNT = "min(amount) FILTER (WHERE kind = 'estimate')"
EARLIEST_COPY = "row_number() OVER (PARTITION BY event_id ORDER BY ts, instance_id) = 1"
_OPTIONS = "union_by_name = true, hive_partitioning = false"

# Columns of a video_costs row that come from the chosen event.
_CHOSEN = (
    "model",
    "amount",
    "currency",
    "seconds",
    "size",
    "tier",
    "unit_price",
    "job_status",
    "pricing_version",
)


def video_tags(window: str = "") -> str:
    """A video's tags: from its earliest event that has any (``window``: ``" OVER w"`` or nothing)."""
    return f"coalesce(arg_min(tags, ts) FILTER (WHERE cardinality(tags) > 0){window}, MAP {{}}::{TAGS_MAP})"


def read_files(files: list[str]) -> str:
    return f"read_parquet([{', '.join(literal(name) for name in files)}], {_OPTIONS})"


def columns(names: list[str]) -> str:
    return ", ".join(quote(name) for name in names)


def _sources(paths: LedgerPaths, table: Table, snapshot: bool) -> tuple[str, str]:
    schema = paths.schema_file(table).as_posix()
    if snapshot:
        delta = read_files([path.as_posix() for path in paths.readable_segments(table)])
        base = read_files([paths.base_file(table).as_posix(), schema])
    else:
        delta = f"read_parquet({literal(paths.segment_glob(table))}, {_OPTIONS})"
        pattern = literal(paths.base_glob(table))
        base = (
            f"(SELECT * EXCLUDE (filename) FROM read_parquet([{pattern}, {literal(schema)}], {_OPTIONS}, "
            f"filename = true) WHERE filename = (SELECT max(file) FROM glob({pattern})))"
        )
    return base, delta


def _events_view(name: str, prefix: str, table: Table, restrict: bool) -> str:
    cols = columns(table.event_columns)
    delta = f"{prefix}_delta" + (" SEMI JOIN ids USING (event_id)" if restrict else "")
    return f"""CREATE OR REPLACE VIEW {name} AS
WITH ids AS (SELECT DISTINCT event_id FROM {prefix}_delta)
(SELECT {cols} FROM {prefix}_base ANTI JOIN ids USING (event_id))
UNION ALL
(SELECT {cols} FROM (
    SELECT {cols} FROM {delta}
    UNION ALL
    SELECT {cols} FROM {prefix}_base SEMI JOIN ids USING (event_id))
 QUALIFY {EARLIEST_COPY})"""


def _video_costs_view(restrict: bool) -> str:
    events = columns([*COSTS.event_columns, "video_key"])
    delta = "_costs_delta" + (" SEMI JOIN touched USING (video_key)" if restrict else "")
    chosen = ", ".join(f"arg_min_null({quote(c)}, pick) AS {quote(c)}" for c in _CHOSEN)
    plain = columns(list(_CHOSEN))
    return f"""CREATE OR REPLACE VIEW video_costs AS
WITH touched AS (SELECT DISTINCT video_key FROM _costs_delta),
settled AS (
    SELECT video_id, provider, {plain}, {COST_STATUS} AS cost_status,
           video_user AS "user", video_tags AS tags, video_estimate_amount AS estimate_amount,
           video_first_ts AS first_ts, ts AS last_ts
    FROM _costs_base ANTI JOIN touched USING (video_key)
    WHERE chosen),
fresh_events AS (
    SELECT *, {PICK} AS pick FROM (
        SELECT {events} FROM {delta}
        UNION ALL
        SELECT {events} FROM _costs_base SEMI JOIN touched USING (video_key))),
fresh AS (
    SELECT any_value(video_id) AS video_id, any_value(provider) AS provider, {chosen},
           arg_min_null({COST_STATUS}, pick) AS cost_status,
           {VIDEO_USER} AS "user", {video_tags()} AS tags, {ESTIMATE_AMOUNT} AS estimate_amount,
           min(ts) AS first_ts, arg_min_null(ts, pick) AS last_ts
    FROM fresh_events GROUP BY video_key)
SELECT * FROM settled UNION ALL BY NAME SELECT * FROM fresh"""


SPEND_FIGURES = """count(*) AS videos,
    coalesce(sum(amount), 0) AS amount,
    coalesce(sum(amount) FILTER (WHERE cost_status = 'final'), 0) AS final_amount,
    coalesce(sum(amount) FILTER (WHERE cost_status = 'estimate'), 0) AS estimate_amount,
    count(*) FILTER (WHERE cost_status = 'final') AS final_videos,
    count(*) FILTER (WHERE cost_status = 'estimate') AS estimate_videos,
    count(*) FILTER (WHERE cost_status = 'unpriced') AS unpriced_videos"""

SPEND_COLUMNS = (
    "videos",
    "amount",
    "final_amount",
    "estimate_amount",
    "final_videos",
    "estimate_videos",
    "unpriced_videos",
)
"""The figures of every spend row (``spend_daily`` and :func:`reelgate.reports.spend`)."""

_REPORT_VIEWS = (
    f"""CREATE OR REPLACE VIEW spend_daily AS
SELECT CAST(first_ts AT TIME ZONE 'UTC' AS DATE) AS day, provider, model, currency,
    {SPEND_FIGURES}
FROM video_costs GROUP BY ALL""",
    """CREATE OR REPLACE VIEW calls_daily AS
SELECT CAST(ts AT TIME ZONE 'UTC' AS DATE) AS day, provider, operation, model,
    count(*) AS calls,
    count(*) FILTER (WHERE error_type IS NOT NULL OR http_status >= 400) AS errors,
    avg(duration_ms) AS avg_duration_ms,
    quantile_cont(duration_ms, 0.95) AS p95_duration_ms,
    CAST(sum(request_bytes) AS BIGINT) AS request_bytes,
    CAST(sum(response_bytes) AS BIGINT) AS response_bytes
FROM calls GROUP BY ALL""",
    """CREATE OR REPLACE VIEW estimate_drift AS
SELECT provider, model, currency,
    count(*) AS videos,
    sum(estimate_amount) AS estimate_amount,
    sum(amount) AS final_amount,
    sum(amount) - sum(estimate_amount) AS drift
FROM video_costs
WHERE cost_status = 'final' AND estimate_amount IS NOT NULL
GROUP BY ALL""",
)


def view_statements(paths: LedgerPaths, *, snapshot: bool) -> list[str]:
    """Every ``CREATE VIEW``, over globs (live) or over the files listed now (``snapshot``)."""
    statements = []
    for table, prefix in ((CALLS, "_calls"), (COSTS, "_costs")):
        base, delta = _sources(paths, table, snapshot)
        statements.append(f"CREATE OR REPLACE VIEW {prefix}_delta AS SELECT * FROM {delta}")
        statements.append(f"CREATE OR REPLACE VIEW {prefix}_base AS SELECT * FROM {base}")
    restrict = not snapshot
    statements.append(_events_view("calls", "_calls", CALLS, restrict))
    statements.append(_events_view("cost_events", "_costs", COSTS, restrict))
    statements.append(_video_costs_view(restrict))
    statements.extend(_REPORT_VIEWS)
    return statements
