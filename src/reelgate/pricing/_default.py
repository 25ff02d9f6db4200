"""The process-wide default table (packaged data plus environment overrides) and ``estimate_cost``.

``REELGATE_PRICES_FILE`` names a TOML or JSON override file; ``REELGATE_PRICES`` holds a JSON list of
entries, merged last. The table is built on first use and rebuilt only when one of the two variables,
or the override file's size or modification time, changes.
"""

from __future__ import annotations

import functools
import os
from datetime import date
from decimal import Decimal

from reelgate.pricing._load import ENV_FILE, ENV_INLINE, packaged_document, read_file, read_inline
from reelgate.pricing._model import CostEstimate, PriceEntry
from reelgate.pricing._table import PriceTable

__all__ = ["default_price_table", "estimate_cost", "split_model"]

_Stamp = tuple[int, int] | None


def default_price_table() -> PriceTable:
    """The packaged prices merged with ``REELGATE_PRICES_FILE`` and then ``REELGATE_PRICES`` (cached).

    A bad override raises ValueError naming the variable, the file, the entry and the field.
    """
    path = os.environ.get(ENV_FILE, "").strip() or None
    inline = os.environ.get(ENV_INLINE, "").strip() or None
    return _build(path, _stamp(path), inline)


def _stamp(path: str | None) -> _Stamp:
    if path is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


@functools.lru_cache(maxsize=8)
def _build(path: str | None, stamp: _Stamp, inline: str | None) -> PriceTable:
    del stamp  # part of the cache key only: an edited file gives a new table
    packaged = packaged_document()
    layers: list[tuple[PriceEntry, ...]] = [packaged.entries]
    if path is not None:
        layers.append(read_file(path, f"{ENV_FILE}={path}").entries)
    if inline is not None:
        layers.append(read_inline(inline, ENV_INLINE).entries)
    return PriceTable(layers, updated=packaged.updated)


def split_model(model: str, table: PriceTable) -> tuple[str, str]:
    """``"vertex_ai/veo-3.1-generate-001"`` → ``("vertex_ai", "veo-3.1-generate-001")``.

    A bare name means ``openai`` only when the table knows it as an OpenAI model (``sora-2``);
    otherwise the provider is ``""``, which nothing prices.
    """
    provider, slash, name = model.strip().partition("/")
    if slash:
        return provider, name
    return ("openai" if table.knows("openai", model) else ""), model.strip()


def estimate_cost(
    model: str,
    seconds: int | float | str | Decimal,
    size: str | None = None,
    *,
    audio: bool | None = None,
    at: date | None = None,
    table: PriceTable | None = None,
) -> CostEstimate:
    """The cost of ``seconds`` of ``"provider/model"`` video at ``size`` (``WxH`` or ``1080p``).

    Uses :func:`default_price_table` unless ``table`` is given. An unknown model, size or date gives
    ``status="unpriced"`` and ``amount=None``, never 0. ``audio=None`` prefers the with-audio price.
    """
    chosen = default_price_table() if table is None else table
    provider, name = split_model(model, chosen)
    return chosen.estimate(provider, name, seconds, size, audio=audio, at=at)
