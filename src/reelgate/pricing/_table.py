"""The merged price table: layers of entries (packaged first, overrides after), lookup and estimates.

Lookup keeps the rows whose provider, model, tier, audio flag and dates all match the call, then picks
the first by these keys, in order:

1. model name: the exact ``model`` name, then an exact alias, then a glob (``*``);
2. tier: a row for the call's tier, then a row for any size;
3. audio: a row for the call's audio flag, then a row for either; when the call says nothing
   (``audio=None``) an ``audio=true`` row comes first, then ``audio`` unset, then ``audio=false``,
   so an unknown audio setting is priced at the (usually higher) with-audio rate;
4. layer: a later layer (user overrides) beats an earlier one (the packaged data);
5. the newest ``effective_from``; then the entry listed last.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any

from reelgate.pricing._load import packaged_document, parse_entries, read_file
from reelgate.pricing._model import CostEstimate, PriceEntry
from reelgate.pricing._money import cost_amount, parse_seconds
from reelgate.pricing._tiers import size_tier

__all__ = ["PriceTable"]

_GLOB_CHARS = frozenset("*?[")
_EXACT, _ALIAS, _GLOB = 0, 1, 2
_HASH_CHARS = 8


@dataclass(frozen=True)
class _Row:
    entry: PriceEntry
    layer: int
    position: int
    name: str | None
    aliases: frozenset[str]
    patterns: tuple[str, ...]

    @classmethod
    def of(cls, entry: PriceEntry, layer: int, position: int) -> _Row:
        names = [entry.model.casefold(), *(alias.casefold() for alias in entry.aliases)]
        patterns = tuple(name for name in names if _GLOB_CHARS & set(name))
        model = names[0] if names[0] not in patterns else None
        aliases = frozenset(name for name in names[1:] if name not in patterns)
        return cls(entry, layer, position, model, aliases, patterns)

    def name_rank(self, model: str) -> int | None:
        if model == self.name:
            return _EXACT
        if model in self.aliases:
            return _ALIAS
        if any(fnmatchcase(model, pattern) for pattern in self.patterns):
            return _GLOB
        return None


def _audio_rank(row_audio: bool | None, audio: bool | None) -> int | None:
    if audio is None:  # unknown: with audio first, then unset, then without
        return 1 if row_audio is None else (0 if row_audio else 2)
    if row_audio is None:
        return 1
    return 0 if row_audio == audio else None


def _day(at: date | None) -> date:
    if at is None:
        return datetime.now(UTC).date()
    if isinstance(at, datetime):
        return (at if at.tzinfo is None else at.astimezone(UTC)).date()
    return at


def _canonical(entry: PriceEntry) -> dict[str, Any]:
    fields = entry.model_dump(mode="json")
    fields["unit_price"] = format(entry.unit_price.normalize(), "f")
    return fields


class PriceTable:
    """Prices merged from layers of entries; build one with :meth:`load`.

    ``version`` identifies the contents (``"<packaged data date>+<hash of every entry>"``), so a
    ledger row can say which prices it was computed with.
    """

    def __init__(self, layers: Sequence[Sequence[PriceEntry]], *, updated: date | None = None) -> None:
        rows = [
            _Row.of(entry, layer, position)
            for layer, entries in enumerate(layers)
            for position, entry in enumerate(entries)
        ]
        self._entries = tuple(row.entry for row in rows)
        self._by_provider: dict[str, list[_Row]] = {}
        for row in rows:
            self._by_provider.setdefault(row.entry.provider, []).append(row)
        digest = hashlib.sha256(
            json.dumps(
                [[row.layer, _canonical(row.entry)] for row in rows], sort_keys=True, separators=(",", ":")
            ).encode()
        ).hexdigest()[:_HASH_CHARS]
        self._version = f"{updated.isoformat() if updated else 'custom'}+{digest}"

    @classmethod
    def load(
        cls,
        files: Iterable[str | os.PathLike[str]] = (),
        entries: Iterable[PriceEntry | Mapping[str, Any]] = (),
        include_packaged: bool = True,
    ) -> PriceTable:
        """The packaged prices, then each override file (TOML or JSON) in order, then ``entries``.

        Later sources beat earlier ones at equal specificity. A bad file or entry raises ValueError
        naming the file (or ``entries``), the entry and the field.
        """
        layers: list[tuple[PriceEntry, ...]] = []
        updated = None
        if include_packaged:
            packaged = packaged_document()
            layers.append(packaged.entries)
            updated = packaged.updated
        layers.extend(read_file(file, f"price file {os.fspath(file)}").entries for file in files)
        extra = parse_entries(
            entries, "PriceTable.load(entries=...)", default_source="PriceTable.load entries"
        )
        if extra:
            layers.append(extra)
        return cls(layers, updated=updated)

    @property
    def version(self) -> str:
        """A stable id of the contents: changes whenever any entry (or its layer) changes."""
        return self._version

    @property
    def entries(self) -> tuple[PriceEntry, ...]:
        """Every entry, packaged first, in merge order."""
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<PriceTable {self._version} ({len(self._entries)} entries)>"

    def knows(self, provider: str, model: str) -> bool:
        """Whether a row names ``model`` exactly or as an alias (not by a glob), at any date."""
        name = model.strip().casefold()
        return any(
            row.name_rank(name) in (_EXACT, _ALIAS)
            for row in self._by_provider.get(provider.strip().lower(), ())
        )

    def lookup(
        self,
        provider: str,
        model: str,
        *,
        size: str | None = None,
        audio: bool | None = None,
        at: date | None = None,
    ) -> PriceEntry | None:
        """The price that applies, or ``None`` (never an error) when nothing matches.

        ``size`` is ``WIDTHxHEIGHT`` or a resolution (``1080p``, ``4k``); without one, only rows for
        any size match. ``at`` (a date or datetime, default now in UTC) picks the prices in effect.
        """
        name, tier, day = model.strip().casefold(), size_tier(size), _day(at)
        best: tuple[int, ...] | None = None
        chosen: PriceEntry | None = None
        for row in self._by_provider.get(provider.strip().lower(), ()):
            entry = row.entry
            if entry.tier is not None and entry.tier != tier:
                continue
            name_rank = row.name_rank(name)
            audio_rank = _audio_rank(entry.audio, audio)
            if name_rank is None or audio_rank is None or not entry.applies_on(day):
                continue
            rank = (
                name_rank,
                0 if entry.tier is not None else 1,
                audio_rank,
                -row.layer,
                -entry.effective_from.toordinal(),
                -row.position,
            )
            if best is None or rank < best:
                best, chosen = rank, entry
        return chosen

    def estimate(
        self,
        provider: str,
        model: str,
        seconds: int | float | str | Decimal,
        size: str | None = None,
        *,
        audio: bool | None = None,
        at: date | None = None,
    ) -> CostEstimate:
        """``seconds`` of ``model`` at ``size``: priced, or ``status="unpriced"`` with ``amount=None``."""
        duration = parse_seconds(seconds)
        entry = self.lookup(provider, model, size=size, audio=audio, at=at)
        return CostEstimate(
            amount=None if entry is None else cost_amount(duration, entry.unit_price),
            currency=None if entry is None else entry.currency,
            unit_price=None if entry is None else entry.unit_price,
            seconds=duration,
            size=size,
            tier=size_tier(size),
            status="unpriced" if entry is None else "priced",
            pricing_version=self._version,
            entry=entry,
            provider=provider.strip().lower(),
            model=model.strip(),
        )
