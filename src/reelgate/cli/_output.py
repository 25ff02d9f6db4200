"""Everything the CLI prints: human text and tables through rich, JSON and CSV as plain text, errors.

Human output goes to stdout through rich, with colour only on a terminal. Machine formats
(``--json``, ``--format json|csv``) are written to stdout directly, never through rich, so a pipe
receives exactly the document. Errors, hints, warnings and progress bars go to stderr.

JSON encoding: money (``Decimal``) is a JSON **number** (amounts carry at most 6 decimal places, so
the number is exact, the same as in a video object's ``cost.amount``); dates and times are ISO 8601
strings. CSV: money is its exact decimal text (``0.400000``); maps and lists are JSON text.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from reelgate.cli._errors import CliError

if TYPE_CHECKING:
    from rich.console import Console

    from reelgate.types import Cost, Video

Format: TypeAlias = Literal["table", "json", "csv"]
_CENTS = Decimal("0.01")
_PIPE_WIDTH = 4096


@cache
def out() -> Console:
    """The console for human output (stdout); in a pipe, lines and tables are never cut to 80 columns."""
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = _PIPE_WIDTH
    return console


@cache
def err() -> Console:
    """The console for errors, hints, warnings and progress (stderr)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say(text: str) -> None:
    """One line of human output, never wrapped (ids and paths stay whole in a pipe)."""
    out().print(text, soft_wrap=True, markup=False)


def fields(pairs: Iterable[tuple[str, str | None]]) -> None:
    """``key  value`` lines with aligned values; pairs whose value is None are left out."""
    from rich.text import Text

    shown = [(key, value) for key, value in pairs if value is not None]
    width = max((len(key) for key, _ in shown), default=0)
    for key, value in shown:
        out().print(Text.assemble((f"{key:<{width}}", "bold"), "  ", value), soft_wrap=True)


def show_error(error: CliError) -> None:
    """``error: ...`` (and ``hint: ...``) on stderr."""
    from rich.text import Text

    console = err()
    console.print(Text.assemble((f"{error.label}: ", "bold red"), error.message), soft_wrap=True)
    if error.hint:
        console.print(Text.assemble(("hint: ", "bold"), error.hint), soft_wrap=True)


def show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """A ``warnings.showwarning`` replacement: ``warning: <message>`` on stderr, no file and line."""
    from rich.text import Text

    err().print(Text.assemble(("warning: ", "bold yellow"), str(message)), soft_wrap=True)


def money(amount: Decimal | None, currency: str | None) -> str:
    """``0.40 USD``; at least cents, every significant digit kept; ``unpriced`` when unknown (never 0)."""
    if amount is None:
        return "unpriced"
    value = amount.quantize(_CENTS) if amount == amount.quantize(_CENTS) else amount.normalize()
    return f"{value:f} {currency or ''}".rstrip()


def describe_cost(cost: Cost | None) -> str:
    """``0.40 USD (estimate)``, ``0.40 USD (final)``, or ``unpriced (...)``."""
    if cost is None:
        return "unknown (no cost was computed)"
    if cost.status == "unpriced" or cost.amount is None:
        return "unpriced (no price for this model and size; recorded as unknown, never as 0)"
    return f"{money(cost.amount, cost.currency)} ({cost.status})"


def timestamp(seconds: int | None, spec: str = "%Y-%m-%d %H:%M:%S UTC") -> str | None:
    """A Unix time as ``2026-11-25 14:03:07 UTC`` (or in another ``strftime`` format)."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime(spec)


def video_fields(video: Video) -> list[tuple[str, str | None]]:
    """What a human wants to see of a video, in order."""
    status: str = video.status
    if not video.is_terminal and video.progress is not None:
        status += f" ({video.progress}%)"
    error = video.error
    return [
        ("id", video.id),
        ("status", status),
        ("model", video.model),
        ("size", video.size),
        ("seconds", video.seconds),
        ("created", timestamp(video.created_at)),
        ("completed", timestamp(video.completed_at)),
        ("remix of", video.remixed_from_video_id),
        ("error", f"{error.code}: {error.message}" if error else None),
        ("cost", describe_cost(video.cost)),
    ]


def _encode(value: object) -> Any:
    """JSON for what ``json`` cannot encode by itself (see the module docstring)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return model_dump()
    return str(value)


def emit_json(data: object) -> None:
    """Print ``data`` as one JSON document on stdout."""
    sys.stdout.write(json.dumps(data, default=_encode, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cell(value: object) -> str:
    """The text of one value in a table or CSV cell (exact decimals, ISO dates, JSON for structures)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, default=_encode, ensure_ascii=False)
    return str(value)


def emit_csv(rows: Sequence[Mapping[str, object]]) -> None:
    """Rows as CSV on stdout, with a header row (nothing at all for no rows)."""
    if not rows:
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    columns = list(rows[0])
    writer.writerow(columns)
    writer.writerows([cell(row.get(column)) for column in columns] for row in rows)
    sys.stdout.flush()


def emit_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    title: str | None = None,
    numeric: Iterable[str] = (),
    whole: Iterable[str] = (),
) -> None:
    """A rich table on stdout; ``numeric`` columns are right-aligned, ``whole`` ones never wrap.

    Every text is literal (never read as rich markup: a query result may contain ``[...]``).
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    right, unbroken = set(numeric), set(whole)
    table = Table(title=Text(title) if title else None, title_justify="left", box=box.SIMPLE_HEAD)
    for header in headers:
        table.add_column(
            Text(header), justify="right" if header in right else "left", no_wrap=header in unbroken
        )
    for row in rows:
        table.add_row(*(Text(text) for text in row))
    out().print(table)


def emit_rows(rows: Sequence[Mapping[str, object]], fmt: Format, *, empty: str) -> None:
    """Generic rows in the chosen format; ``empty`` is said (table format) when there are none."""
    if fmt == "json":
        emit_json(list(rows))
    elif fmt == "csv":
        emit_csv(rows)
    elif not rows:
        say(empty)
    else:
        headers = list(rows[0])
        emit_table(headers, ([cell(row.get(column)) for column in headers] for row in rows))
