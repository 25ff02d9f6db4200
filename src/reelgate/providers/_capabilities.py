"""What each known model accepts: allowed ``seconds`` and ``size`` values and the upstream defaults.

Sources: OpenAI's Videos API reference and guide (sora-2, sora-2-pro, their snapshots; 16 and 20 s and
the 1080p pro sizes were added on 2026-03-12) and Azure's Sora 2 documentation (4/8/12 s,
720x1280 / 1280x720); the local models are reelgate's own. Models not listed pass through unvalidated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModelCapabilities:
    """The values one model accepts, and the ones the upstream uses when a parameter is omitted."""

    seconds: tuple[str, ...]
    sizes: tuple[str, ...]
    default_seconds: str
    default_size: str


_SORA_2 = ModelCapabilities(
    seconds=("4", "8", "12", "16", "20"),
    sizes=("720x1280", "1280x720"),
    default_seconds="4",
    default_size="720x1280",
)
_SORA_2_PRO = ModelCapabilities(
    seconds=_SORA_2.seconds,
    sizes=(*_SORA_2.sizes, "1024x1792", "1792x1024", "1080x1920", "1920x1080"),
    default_seconds="4",
    default_size="720x1280",
)
_AZURE_SORA_2 = ModelCapabilities(
    seconds=("4", "8", "12"),
    sizes=("720x1280", "1280x720"),
    default_seconds="4",
    default_size="720x1280",
)

OPENAI_MODELS: dict[str, ModelCapabilities] = {
    "sora-2": _SORA_2,
    "sora-2-2025-10-06": _SORA_2,
    "sora-2-2025-12-08": _SORA_2,
    "sora-2-pro": _SORA_2_PRO,
    "sora-2-pro-2025-10-06": _SORA_2_PRO,
}

AZURE_MODELS: dict[str, ModelCapabilities] = {
    "sora-2": _AZURE_SORA_2,
}

_LOCAL_PREVIEW = ModelCapabilities(
    seconds=("4", "8", "12", "16", "20"),
    sizes=("1280x720", "720x1280", "1920x1080", "1080x1920", "1792x1024", "1024x1792", "640x360", "360x640"),
    default_seconds="4",
    default_size="1280x720",
)
_LOCAL_DRAFT = ModelCapabilities(
    seconds=_LOCAL_PREVIEW.seconds,
    sizes=("640x360", "360x640", "480x480", "1280x720", "720x1280"),
    default_seconds="4",
    default_size="640x360",
)

LOCAL_MODELS: dict[str, ModelCapabilities] = {"preview": _LOCAL_PREVIEW, "draft": _LOCAL_DRAFT}
"""reelgate's offline renderer (see :mod:`reelgate.providers.local`): the Sora sizes and durations, so
examples written for ``openai/sora-2`` run unchanged, plus small sizes for fast drafts."""

LOCAL_FPS: dict[str, int] = {"preview": 24, "draft": 12}
"""Frames per second each local model renders at."""
