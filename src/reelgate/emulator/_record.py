"""The request log's entries: what the emulator saw of each API request, never a credential."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

MAX_RECORDED = 10_000
"""The request log keeps the most recent this many requests."""


@dataclass(eq=False)
class RecordedRequest(Mapping[str, Any]):
    """One API request as the emulator saw it; read it as attributes or as a mapping.

    ``record.path`` and ``record["path"]`` are the same; ``dict(record)`` is the JSON form served by
    ``GET /_emulator/requests``. Credentials are never kept: ``headers`` leaves out every header
    whose name mentions auth, key, token, secret or cookie, and ``api_key_fingerprint`` names the
    key (``sha256:`` and 12 hex digits) without revealing it. ``body`` summarises a create or remix
    body (file parts as filename, content type and size). ``status`` is ``None`` until answered.
    """

    request_id: str
    time: float
    method: str
    path: str
    query: dict[str, str]
    content_type: str | None
    route: str | None
    api_key_fingerprint: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    status: int | None = None

    def __getitem__(self, key: str) -> Any:
        if key not in _KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_KEYS)

    def __len__(self) -> int:
        return len(_KEYS)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return dict(self)


_KEYS = tuple(item.name for item in fields(RecordedRequest))
