"""Whether prompt text may go into spans (off unless turned on)."""

from __future__ import annotations

import os

CAPTURE_ENV = "REELGATE_CAPTURE_CONTENT"
_capture: bool | None = None


def capture_content_enabled() -> bool:
    """``configure(capture_content=...)`` if given, else ``REELGATE_CAPTURE_CONTENT=true``."""
    if _capture is not None:
        return _capture
    return os.environ.get(CAPTURE_ENV, "").lower() in ("1", "true", "yes", "on")


def set_capture_content(value: bool | None) -> None:
    global _capture
    _capture = value
