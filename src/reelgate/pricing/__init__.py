"""Video prices as data: a dated, sourced table shipped in the package, with user overrides.

``prices.toml`` (next to this module) holds one row per provider, model, size tier, audio flag and
period; it is parsed on first use, never fetched. Overrides merge on top and win at equal specificity:
``PriceTable.load(files=..., entries=...)``, or for :func:`default_price_table` the environment
variables ``REELGATE_PRICES_FILE`` (a TOML or JSON file) and ``REELGATE_PRICES`` (a JSON list).

>>> from reelgate.pricing import estimate_cost
>>> estimate_cost("openai/sora-2-pro", 8, "1792x1024").amount
Decimal('4.000000')

Lookup precedence is documented in :class:`PriceTable`'s module (exact model name > alias > glob;
tier-specific > any size; matching audio flag > unset; user override > packaged; newest
``effective_from``). An unknown model, size tier or date is ``status="unpriced"`` with
``amount=None``: never a silent 0.
"""

from __future__ import annotations

from reelgate.pricing._default import default_price_table, estimate_cost
from reelgate.pricing._model import CostEstimate, PriceEntry
from reelgate.pricing._table import PriceTable
from reelgate.pricing._tiers import size_tier

__all__ = [
    "CostEstimate",
    "PriceEntry",
    "PriceTable",
    "default_price_table",
    "estimate_cost",
    "size_tier",
]
