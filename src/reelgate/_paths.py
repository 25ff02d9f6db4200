"""Where reelgate keeps its files: ``REELGATE_DATA_DIR``, else the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "REELGATE_DATA_DIR"


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the argument, else ``REELGATE_DATA_DIR``, else e.g. ``~/.local/share/reelgate``."""
    if data_dir is not None:
        return Path(data_dir)
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return platformdirs.user_data_path("reelgate")
