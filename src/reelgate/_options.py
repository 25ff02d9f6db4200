"""Keyword options shared by every front door, typed once.

The client methods and module-level functions take ``**options: Unpack[...]`` of these, so a type
checker and an IDE see every parameter while the parameter list is written in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from reelgate import _http
from reelgate._inputs import InputReference


class ConnectionOptions(TypedDict, total=False):
    """Per-call overrides of where and how to connect, and who the call is for."""

    api_key: str
    """The provider's API key (default: the client's, then the provider's environment variable)."""
    api_base: str
    """The provider's base URL (default: the client's, then the environment, then the public URL)."""
    api_version: str
    """Azure only: ``preview`` or ``latest``; dated versions are not sent on the v1 API."""
    extra_headers: Mapping[str, str]
    """Headers added to every upstream request of this call."""
    user: str
    """Who the call is for: recorded in spans, logs and the ledger for attribution, not sent upstream."""
    tags: Mapping[str, str]
    """Free-form attribution (``{"team": "ads"}``), recorded in the ledger and logs for reports by tag."""


class CallOptions(ConnectionOptions, total=False):
    """Connection overrides plus the HTTP timeout for this call."""

    timeout: float | _http.Timeout
    """Seconds (or an ``httpx.Timeout``) for each upstream request of this call."""


class CreateOptions(CallOptions, total=False):
    """Parameters of a video generation beyond the prompt and the model."""

    seconds: int | str
    """Duration in seconds; sent upstream as a string."""
    size: str
    """``WIDTHxHEIGHT``, e.g. ``720x1280``."""
    input_reference: InputReference
    """A reference image: open file, bytes, path, ``http(s)``/``data:`` URL, or ``{"image_url": ...}``."""
    extra_body: Mapping[str, Any]
    """Fields merged into the upstream request body."""


class RemixOptions(CallOptions, total=False):
    """Parameters of a remix beyond the source video, the prompt and the model."""

    seconds: int | str
    input_reference: InputReference
    user: str
    extra_body: Mapping[str, Any]
