"""Which ``seconds`` and ``size`` values each model accepts, per flavour, and their validation.

OpenAI (after the 2026-03-12 expansion): ``seconds`` 4, 8, 12, 16, 20 for both models; sora-2 sizes
720x1280 and 1280x720; sora-2-pro adds 1024x1792 and 1792x1024, and 1080x1920 / 1920x1080 only with
``allow_1080p``. Azure: ``seconds`` 4, 8, 12 with the same sizes. Snapshots behave as their family.
Unknown models are open: ``seconds`` any whole number 1..60, ``size`` any ``WxH`` with even sides
between 16 and 4096 (H.264 in yuv420p needs even sides, and the renderer must stay quick).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelgate.emulator._errors import APIError, invalid_value

OPENAI_SECONDS = ("4", "8", "12", "16", "20")
AZURE_SECONDS = ("4", "8", "12")
SORA_2_SIZES = ("720x1280", "1280x720")
SORA_2_PRO_SIZES = (*SORA_2_SIZES, "1024x1792", "1792x1024")
FULL_HD_SIZES = ("1080x1920", "1920x1080")
FAMILIES = {
    "sora-2": "sora-2",
    "sora-2-2025-10-06": "sora-2",
    "sora-2-2025-12-08": "sora-2",
    "sora-2-pro": "sora-2-pro",
    "sora-2-pro-2025-10-06": "sora-2-pro",
}
DEFAULT_MODEL = "sora-2"
DEFAULT_SECONDS = "4"
DEFAULT_SIZE = "720x1280"

_SIZE = re.compile(r"([1-9]\d{0,4})x([1-9]\d{0,4})")
_OPEN_MIN_SIDE, _OPEN_MAX_SIDE, _OPEN_MAX_SECONDS = 16, 4096, 60


@dataclass(frozen=True)
class Rules:
    """The values one model accepts; ``None`` means any well-formed value."""

    seconds: tuple[str, ...] | None
    sizes: tuple[str, ...] | None


def rules_for(model: str, *, azure: bool, allow_1080p: bool) -> Rules:
    """The rules for ``model`` (a base model name, not an Azure deployment name)."""
    family = FAMILIES.get(model)
    if family is None:
        return Rules(seconds=None, sizes=None)
    seconds = AZURE_SECONDS if azure else OPENAI_SECONDS
    if family == "sora-2":
        return Rules(seconds=seconds, sizes=SORA_2_SIZES)
    return Rules(seconds=seconds, sizes=SORA_2_PRO_SIZES + (FULL_HD_SIZES if allow_1080p else ()))


def check_seconds(value: str, rules: Rules) -> str:
    """``value`` if the model accepts it, else a 400 ``invalid_value`` on ``seconds``."""
    if rules.seconds is not None:
        if value not in rules.seconds:
            raise invalid_value("seconds", value, rules.seconds)
        return value
    if not value.isdigit() or not 1 <= int(value) <= _OPEN_MAX_SECONDS:
        raise APIError(
            400,
            f"Invalid value: '{value}'. Expected a whole number of seconds between 1 and "
            f"{_OPEN_MAX_SECONDS}.",
            param="seconds",
            code="invalid_value",
        )
    return str(int(value))


def check_size(value: str, rules: Rules) -> tuple[int, int]:
    """``(width, height)`` if the model accepts ``value``, else a 400 ``invalid_value`` on ``size``."""
    if rules.sizes is not None and value not in rules.sizes:
        raise invalid_value("size", value, rules.sizes)
    match = _SIZE.fullmatch(value)
    if match is not None:
        width, height = int(match.group(1)), int(match.group(2))
        sides_ok = all(_OPEN_MIN_SIDE <= side <= _OPEN_MAX_SIDE and side % 2 == 0 for side in (width, height))
        if rules.sizes is not None or sides_ok:
            return width, height
    raise APIError(
        400,
        f"Invalid value: '{value}'. Expected a size formatted as WIDTHxHEIGHT with even sides between "
        f"{_OPEN_MIN_SIDE} and {_OPEN_MAX_SIDE}, e.g. '1280x720'.",
        param="size",
        code="invalid_value",
    )
