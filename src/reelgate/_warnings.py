"""Warnings attributed to the caller's line, not to reelgate's internals."""

from __future__ import annotations

import os
import sys
import warnings

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def warn_caller(message: str, category: type[Warning] = UserWarning) -> None:
    """Emit ``message`` with the stack level of the first frame outside the reelgate package."""
    level, frame = 2, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(message, category, stacklevel=level)
