"""The money commands: ``report`` and ``sql`` over the cost ledger, ``prices`` and ``estimate``.

None of them calls a provider or configures telemetry. ``report`` and ``sql`` read the ledger in the
data directory, read-only. ``prices`` and ``estimate`` read the price table (the packaged prices plus
``REELGATE_PRICES_FILE`` / ``REELGATE_PRICES`` overrides): no network, no ledger writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reelgate.cli._errors import CliError, ExitCode
from reelgate.cli._options import option
from reelgate.cli._output import Format, cell, emit_csv, emit_json, emit_rows, emit_table, fields, money, say

if TYPE_CHECKING:
    from reelgate.pricing import PriceEntry, PriceTable

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="table for people; json or csv for scripts.")
]


def _since(value: str | None) -> date | datetime | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if len(value) == len("2026-01-31") else datetime.fromisoformat(value)
    except ValueError:
        raise CliError(
            f"--since {value!r} is not a date (YYYY-MM-DD) or an ISO date and time",
            code=ExitCode.USAGE,
            hint="for example --since 2026-11-01",
        ) from None


def report(
    by: Annotated[
        str,
        typer.Option(metavar="GROUPING", help="Group by model, provider, day, user, tag, or tag:<key>."),
    ] = "model",
    since: Annotated[
        str | None,
        option(
            "Only videos first seen at or after this UTC date (YYYY-MM-DD) or ISO date and time.",
            metavar="DATE",
        ),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Show spend from the cost ledger, estimates and final costs apart.

    A video counts once: with its final cost once known, else with its estimate.
    In the table, --by model names each row provider/model (JSON and CSV keep them apart).
    A video without a price counts in 'unpriced videos', never as 0.
    The table ends with totals. JSON is an object with 'rows' and 'totals', money as JSON numbers.
    CSV has the rows only, money as exact decimal text.

    Examples:

    reelgate report
    reelgate report --by day --since 2026-11-01
    reelgate report --by tag:team --format csv > spend.csv
    reelgate report --format json
    """
    from reelgate import reports

    start = _since(since)
    rows = reports.spend(by=by, since=start)
    if fmt == "csv":
        emit_csv(rows)
        return
    totals = reports.totals(since=start)
    if fmt == "json":
        emit_json({"by": by, "since": start, "rows": rows, "totals": totals})
        return
    if not rows:
        say("no spend recorded yet")
    else:
        _spend_table(rows, f"spend by {by}")
    _totals(totals)


def _group(row: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    """The cells naming a row's group; provider and model read as one ``provider/model``, like --model."""
    if "model" in keys:
        return [f"{row['provider']}/{row['model']}"]
    return [cell(row[key]) for key in keys]


def _spend_table(rows: Sequence[Mapping[str, Any]], title: str) -> None:
    from reelgate.ledger._sql import SPEND_COLUMNS

    keys = [key for key in rows[0] if key not in SPEND_COLUMNS and key != "currency"]
    figures = ["videos", "final", "estimate", "unpriced videos", "total"]
    emit_table(
        [*(["model"] if "model" in keys else keys), *figures],
        (
            [
                *_group(row, keys),
                str(row["videos"]),
                money(row["final_amount"], row["currency"]),
                money(row["estimate_amount"], row["currency"]),
                str(row["unpriced_videos"]),
                money(row["amount"], row["currency"]),
            ]
            for row in rows
        ),
        title=title,
        numeric=figures,
    )


def _totals(totals: Mapping[str, Any]) -> None:
    pairs: list[tuple[str, str | None]] = []
    per_currency = totals["by_currency"]
    for entry in per_currency:
        currency = entry["currency"]
        label = "total" if len(per_currency) == 1 else f"total {currency or '(no currency)'}"
        final, estimate = money(entry["final_amount"], currency), money(entry["estimate_amount"], currency)
        pairs.append((label, f"{money(entry['amount'], currency)} (final {final}, estimate {estimate})"))
    pairs.append(
        (
            "videos",
            f"{totals['videos']} ({totals['final_videos']} final, {totals['estimate_videos']} estimate, "
            f"{totals['unpriced']} unpriced)",
        )
    )
    pairs.append(("calls", str(totals["calls"])))
    fields(pairs)


def sql(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help="One read-only statement: SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN.",
        ),
    ],
    fmt: FormatOption = "table",
) -> None:
    """Run a read-only SQL query over the ledger views (DuckDB SQL).

    Views: calls, cost_events, video_costs (one row per video), spend_daily, calls_daily, estimate_drift.
    Anything but one read-only statement is refused (exit code 2).
    JSON writes money as numbers and times as ISO 8601 text; CSV writes money as exact decimal text.

    Examples:

    reelgate sql "SELECT model, count(*) AS calls FROM calls GROUP BY model"
    reelgate sql "SELECT video_id, cost_status, amount FROM video_costs" --format json
    reelgate sql "DESCRIBE video_costs"
    """
    import duckdb

    from reelgate import reports
    from reelgate.ledger import VIEW_NAMES, ReadOnlyQueryError

    hint = f"query one of the views: {', '.join(VIEW_NAMES)} ('DESCRIBE <view>' lists its columns)"
    try:
        rows = reports.sql(query)
    except ReadOnlyQueryError as exc:
        raise CliError(exc.message, code=ExitCode.USAGE, hint=hint) from None
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CliError(f"the query failed: {first_line}", code=ExitCode.USAGE, hint=hint) from None
    emit_rows(rows, fmt, empty="no rows")


def _price_table() -> PriceTable:
    from reelgate.pricing import default_price_table

    try:
        return default_price_table()
    except ValueError as exc:
        raise CliError(
            f"the price table cannot be loaded: {exc}",
            code=ExitCode.CONFIG,
            hint="fix or unset REELGATE_PRICES_FILE and REELGATE_PRICES",
        ) from None


def _matches(entry: PriceEntry, wanted: str) -> bool:
    """``provider/model`` matches names, aliases and globs of that provider; a bare name, exact names only."""
    provider, slash, name = wanted.strip().casefold().partition("/")
    known = [entry.model.casefold(), *(alias.casefold() for alias in entry.aliases)]
    if not slash:
        return provider in known
    return entry.provider == provider and any(fnmatchcase(name, pattern) for pattern in known)


def _sort_key(entry: PriceEntry) -> tuple[str, str, int, date]:
    """Provider, model, then tiers by resolution (720p before 1080p before 4k), then date."""
    tier = entry.tier or "0p"
    lines = int(tier[:-1]) * (1000 if tier.endswith("k") else 1)
    return entry.provider, entry.model, lines, entry.effective_from


def prices(
    model: Annotated[
        str | None,
        option("Only the rows for this provider/model (or bare model name).", "--model", "-m"),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Show the price table: unit price per second by provider, model and size tier, with dates and sources.

    A size is billed at the tier of its shorter side (1280x720 is 720p).
    Override prices with REELGATE_PRICES_FILE (TOML or JSON) or REELGATE_PRICES (a JSON list).

    Examples:

    reelgate prices
    reelgate prices --model openai/sora-2-pro
    reelgate prices --format csv > prices.csv
    """
    table = _price_table()
    entries = sorted((e for e in table.entries if model is None or _matches(e, model)), key=_sort_key)
    if not entries:
        raise CliError(
            f"no price for {model!r}",
            code=ExitCode.NOT_FOUND,
            hint="'reelgate prices' lists every priced model; calls to an unpriced model are recorded "
            "as unpriced, never as 0",
        )
    if fmt != "table":
        emit_rows([entry.model_dump() for entry in entries], fmt, empty="")
        return
    audio = {None: "any", True: "with", False: "without"}
    emit_table(
        ["provider", "model", "tier", "audio", "per second", "effective", "source"],
        (
            [
                entry.provider,
                entry.model,
                entry.tier or "any size",
                audio[entry.audio],
                money(entry.unit_price, entry.currency),
                f"{entry.effective_from} to {entry.effective_to or 'now'}",
                entry.source,
            ]
            for entry in entries
        ),
        title=f"prices (version {table.version})",
        numeric=["per second"],
    )


def _default_size(model: str) -> str | None:
    """The size a create without ``size`` would get (the model's default), when reelgate knows it."""
    from reelgate.errors import BadRequestError
    from reelgate.providers import resolve_model

    try:
        provider, name = resolve_model(model)
    except BadRequestError:
        return None
    capabilities = provider.capabilities(name)
    return capabilities.default_size if capabilities is not None else None


def estimate(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="provider/model, e.g. openai/sora-2-pro.")],
    seconds: Annotated[int, typer.Option(min=1, help="Duration in seconds.")],
    size: Annotated[
        str | None,
        option("WIDTHxHEIGHT (or a resolution such as 1080p).", metavar="WxH"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the estimate as JSON.")] = False,
) -> None:
    """Estimate what a video would cost, before making it (no network, nothing recorded).

    Without --size, the model's default size is priced (when reelgate knows it).
    An unknown model or size is 'unpriced' (exit code 0): reelgate never guesses a price.

    Examples:

    reelgate estimate openai/sora-2 --seconds 8 --size 1280x720
    reelgate estimate openai/sora-2-pro --seconds 12 --size 1792x1024 --json
    """
    from reelgate.pricing import estimate_cost, size_tier

    if size is not None and size_tier(size) is None:
        raise CliError(
            f"--size {size!r} is not WIDTHxHEIGHT or a resolution",
            code=ExitCode.USAGE,
            hint="for example --size 1280x720 or --size 1080p",
        )
    given = size is not None
    size = size if given else _default_size(model)
    result = estimate_cost(model, seconds, size, table=_price_table())
    if as_json:
        emit_json(result.model_dump())
        return
    entry = result.entry
    billed = f"billed as {result.tier}" if result.tier else "no size tier"
    fields(
        [
            ("model", model),
            ("seconds", str(seconds)),
            ("size", size and f"{size} ({billed if given else 'the default; ' + billed})"),
            ("unit price", f"{money(result.unit_price, result.currency)} per second" if entry else None),
            (
                "estimate",
                money(result.amount, result.currency)
                if entry
                else "unpriced: no price for this provider, model and size (a call would be recorded "
                "as unpriced, never as 0)",
            ),
            ("source", entry.source if entry else None),
            ("prices", result.pricing_version),
            ("as of", datetime.now(UTC).date().isoformat()),
        ]
    )
