"""Masking of credentials in any text reelgate produces (error messages now, logs and spans later).

Two layers: the exact secrets known for a call (its API key) are replaced wherever they appear, and
patterns that look like credentials (``sk-...`` keys, bearer tokens, ``key=`` query values) are masked
even when reelgate did not know them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(sk|rk|pk)-[A-Za-z0-9_\-]{8,}"), r"\1-" + MASK),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]{8,}"), r"\1 " + MASK),
    (re.compile(r"(?i)([?&](?:key|api[-_]?key|access_token|token|sig)=)[^&#\s]+"), r"\1" + MASK),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"), MASK),
)


_SHORTEST_PATTERN_MATCH = 11
"""No credential pattern matches fewer characters (``sk-`` plus 8), so shorter text skips the scan."""


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return ``text`` with every known secret and every credential-looking string masked."""
    for secret in secrets:
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, MASK)
    if len(text) < _SHORTEST_PATTERN_MATCH:
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
