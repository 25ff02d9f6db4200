"""Size and resolution strings → the price tier they are billed at.

A ``WIDTHxHEIGHT`` size (``1280x720``; ``1280:720`` as Runway writes ratios) is billed by its shorter
side: 720 → ``720p``, 1024 → ``1024p``, 1080 → ``1080p``, 2160 → ``4k``, any other ``n`` → ``<n>p``
(a shorter side under 100 is an aspect ratio such as ``16:9``, not a size: no tier). A resolution
(``1080p``, ``4K``, ``2160p``) is a tier already and is only normalized. Anything else has no tier:
it can then match only a price row that applies to every size.
"""

from __future__ import annotations

import re

__all__ = ["normalize_tier", "size_tier"]

_SIZE = re.compile(r"^([0-9]{1,5})\s*[xX×:]\s*([0-9]{1,5})$")
_PIXELS = re.compile(r"^([0-9]{1,5})[pP]$")
_K = re.compile(r"^([0-9]{1,2})[kK]$")
_FOUR_K_LINES = 2160
_MIN_LINES = 100


def _lines_tier(lines: int) -> str | None:
    if lines <= 0:
        return None
    return "4k" if lines == _FOUR_K_LINES else f"{lines}p"


def normalize_tier(tier: str) -> str | None:
    """``"1080P"`` → ``"1080p"``, ``"4K"`` / ``"2160p"`` → ``"4k"``; ``None`` for a non-resolution."""
    text = tier.strip()
    if match := _PIXELS.match(text):
        return _lines_tier(int(match.group(1)))
    if match := _K.match(text):
        count = int(match.group(1))
        return f"{count}k" if count > 0 else None
    return None


def size_tier(size: str | None) -> str | None:
    """The tier a size or resolution is billed at, or ``None`` when it names none.

    >>> size_tier("1792x1024"), size_tier("1920x1080"), size_tier("4k"), size_tier(None)
    ('1024p', '1080p', '4k', None)
    """
    if not isinstance(size, str):
        return None
    text = size.strip()
    if match := _SIZE.match(text):
        width, height = int(match.group(1)), int(match.group(2))
        lines = min(width, height)
        return _lines_tier(lines) if lines >= _MIN_LINES else None
    return normalize_tier(text)
