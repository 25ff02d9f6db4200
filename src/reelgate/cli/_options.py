"""How the commands declare options: :func:`option`, a typer option whose help text says the default."""

from __future__ import annotations

from typing import Any

import typer


def option(help: str, *names: str, **settings: Any) -> Any:
    """A typer option without a ``[default: ...]`` tag: its help says what happens when it is left out."""
    return typer.Option(*names, help=help, show_default=False, **settings)
