"""Reading price rows: the packaged ``prices.toml``, override files (TOML or JSON), inline JSON.

A document is either ``{"prices": [<entry>, ...]}`` (a TOML file of ``[[prices]]`` tables, optionally
with a top-level ``updated`` date) or, in JSON, just the list of entries. Numbers in files are parsed
as ``Decimal``, never float. Every problem becomes a :class:`ValueError` naming where the data came
from (the file or environment variable), which entry, and which field.
"""

from __future__ import annotations

import functools
import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reelgate.pricing._model import PriceEntry

__all__ = [
    "ENV_FILE",
    "ENV_INLINE",
    "PriceDocument",
    "packaged_document",
    "parse_entries",
    "read_file",
    "read_inline",
]

ENV_FILE = "REELGATE_PRICES_FILE"
"""Path of a TOML or JSON file of price entries merged over the packaged table."""

ENV_INLINE = "REELGATE_PRICES"
"""A JSON list of price entries merged over the packaged table and ``REELGATE_PRICES_FILE``."""

_PACKAGED = "prices.toml"
_TOP_LEVEL_KEYS = frozenset({"prices", "updated"})


@dataclass(frozen=True)
class PriceDocument:
    """The validated entries of one source, and its ``updated`` date if it gives one."""

    entries: tuple[PriceEntry, ...]
    updated: date | None = None


@functools.cache
def packaged_document() -> PriceDocument:
    """The table shipped in the package, parsed once on first use."""
    text = resources.files(__package__ or "reelgate.pricing").joinpath(_PACKAGED).read_text("utf-8")
    label = f"packaged {_PACKAGED}"
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{label}: not valid TOML: {exc}") from exc
    return _document(data, label, default_source=None)


def read_file(path: str | os.PathLike[str], label: str) -> PriceDocument:
    """Parse a ``.toml`` or ``.json`` override file; ``label`` names it in errors."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in {".toml", ".json"}:
        raise ValueError(f"{label}: a price file must end in .toml or .json")
    try:
        text = file.read_text("utf-8")
    except FileNotFoundError:
        raise ValueError(f"{label}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{label}: cannot be read: {exc}") from exc
    try:
        data: object = (
            json.loads(text, parse_float=Decimal)
            if suffix == ".json"
            else tomllib.loads(text, parse_float=Decimal)
        )
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{label}: not valid {suffix[1:].upper()}: {exc}") from exc
    return _document(data, label, default_source=f"override from {file}")


def read_inline(text: str, label: str) -> PriceDocument:
    """Parse a JSON list of entries (or ``{"prices": [...]}``) given as a string."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{label}: not valid JSON: {exc}") from exc
    return _document(data, label, default_source=f"override from {label}")


def parse_entries(
    items: Iterable[PriceEntry | Mapping[str, Any]], label: str, *, default_source: str | None
) -> tuple[PriceEntry, ...]:
    """Validate entries; a mapping without ``source`` gets ``default_source`` (if not ``None``)."""
    entries: list[PriceEntry] = []
    for index, item in enumerate(items):
        if isinstance(item, PriceEntry):
            entries.append(item)
            continue
        if not isinstance(item, Mapping):
            raise ValueError(f"{label}: entry {index} must be a table/object of fields, got {item!r}")
        fields = dict(item)
        if default_source is not None and "source" not in fields:
            fields["source"] = default_source
        try:
            entries.append(PriceEntry.model_validate(fields))
        except ValidationError as exc:
            raise ValueError(f"{label}: entry {index}{_describe(fields)}: {_problems(exc)}") from None
    return tuple(entries)


def _document(data: object, label: str, *, default_source: str | None) -> PriceDocument:
    updated: object = None
    if isinstance(data, list):
        items: object = data
    elif isinstance(data, dict):
        unknown = sorted(set(data) - _TOP_LEVEL_KEYS)
        if unknown:
            raise ValueError(
                f"{label}: unknown top-level key(s) {', '.join(map(repr, unknown))}; "
                "expected 'prices' (a list of entries) and optionally 'updated'"
            )
        items = data.get("prices", [])
        updated = data.get("updated")
    else:
        raise ValueError(f"{label}: expected a list of price entries or a 'prices' list")
    if not isinstance(items, list):
        raise ValueError(f"{label}: 'prices' must be a list of entries")
    entries = parse_entries(items, label, default_source=default_source)
    return PriceDocument(entries=entries, updated=None if updated is None else _as_date(updated, label))


def _as_date(value: object, label: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{label}: 'updated' must be a date such as 2026-11-25, got {value!r}") from None


def _describe(fields: Mapping[str, Any]) -> str:
    provider, model = fields.get("provider"), fields.get("model")
    return f" ({provider}/{model})" if isinstance(provider, str) and isinstance(model, str) else ""


def _problems(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "entry"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] not in {"missing", "value_error"} and not isinstance(error["input"], dict):
            message = f"{message} (got {error['input']!r})"
        problems.append(f"{where}: {message}")
    return "; ".join(problems)
