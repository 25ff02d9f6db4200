"""API keys: reading them from a request, checking them, and showing them without revealing them.

OpenAI takes ``Authorization: Bearer <key>``; Azure takes that or ``api-key: <key>``. Errors use
OpenAI's envelope and wording; a wrong key is echoed masked (``sk-ab****yz``), never whole, and
recorded requests carry only a fingerprint (``sha256:`` and the first 12 hex digits of its digest).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from reelgate.emulator._errors import APIError

MISSING_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using "
    "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if "
    "you're accessing the API from your browser and are prompted for a username and password. You can "
    "obtain an API key from https://platform.openai.com/account/api-keys."
)


def request_key(headers: Mapping[str, str], *, azure: bool) -> str | None:
    """The key the request carries, or ``None``."""
    if azure:
        key = headers.get("api-key", "").strip()
        if key:
            return key
    scheme, _, value = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def mask_key(key: str) -> str:
    """``sk-ab****yz``: enough to recognise a key, never enough to use it."""
    if len(key) >= 12:
        return f"{key[:5]}****{key[-2:]}"
    if len(key) >= 6:
        return f"****{key[-2:]}"
    return "****"


def fingerprint(key: str) -> str:
    """A stable, non-reversible name for ``key``."""
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()[:12]


def authenticate(headers: Mapping[str, str], *, azure: bool, allowed: set[str] | None) -> str:
    """The request's key, or a 401: missing, or (when ``allowed`` is a set) not one of them."""
    key = request_key(headers, azure=azure)
    if key is None:
        raise APIError(401, MISSING_KEY_MESSAGE)
    if allowed is not None and key not in allowed:
        raise APIError(
            401,
            f"Incorrect API key provided: {mask_key(key)}. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        )
    return key
