"""Log events of the pipeline, and the structlog processors :func:`configure` installs.

The library only logs, and only when structlog has been configured (by the application, or by
``reelgate.telemetry.configure``); an unconfigured structlog would print to stdout, which a library
must never do. Every field is made safe at the source: headers are allow-listed and credentials
masked, bodies are redacted, binary parts become ``{bytes, sha256, content_type}``, and long text is
truncated with a marker. The processors below are a second line of defence for every event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, MutableMapping
from contextvars import ContextVar
from typing import Any

import structlog
from opentelemetry import trace

from reelgate import _http
from reelgate._flow import FORM_FIELDS
from reelgate._redact import MASK, redact

MAX_TEXT = 4096
"""Longer strings in logged bodies are cut here, with a marker saying how much was cut."""

SENSITIVE_HEADERS = frozenset(
    {"authorization", "api-key", "x-api-key", "x-goog-api-key", "cookie", "set-cookie", "proxy-authorization"}
)
SENSITIVE_KEYS = SENSITIVE_HEADERS | {"api_key", "apikey", "password", "secret", "token", "access_token"}
LOGGED_HEADERS = SENSITIVE_HEADERS | {
    "accept",
    "apim-request-id",
    "content-length",
    "content-type",
    "openai-organization",
    "openai-poll-after-ms",
    "openai-processing-ms",
    "openai-project",
    "openai-version",
    "retry-after",
    "retry-after-ms",
    "user-agent",
    "x-request-id",
    "x-should-retry",
    "x-ratelimit-limit-requests",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-reset-requests",
}

_logger = structlog.get_logger("reelgate")
_EMITTING_SAFE_EVENT: ContextVar[bool] = ContextVar("reelgate_emitting_safe_event", default=False)


def enabled() -> bool:
    """Whether anyone configured structlog; otherwise reelgate stays silent."""
    return structlog.is_configured()


def emit(level: str, event: str, **fields: Any) -> None:
    """Log one pipeline event whose fields were made safe at the source (see :func:`redact_event`)."""
    token = _EMITTING_SAFE_EVENT.set(True)
    try:
        getattr(_logger, level)(event, **fields)
    finally:
        _EMITTING_SAFE_EVENT.reset(token)


def headers_for_log(headers: _http.Headers, secrets: tuple[str, ...] = ()) -> dict[str, str]:
    """Allow-listed headers, credentials masked."""
    return {
        name: (MASK if name in SENSITIVE_HEADERS else redact(value, secrets))
        for name, value in headers.items()
        if name in LOGGED_HEADERS or name.startswith("x-ratelimit-")
    }


def binary_summary(data: bytes, content_type: str | None) -> dict[str, Any]:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "content_type": content_type}


def request_body_for_log(request: _http.Request, secrets: tuple[str, ...] = ()) -> Any:
    form = request.extensions.get(FORM_FIELDS)
    if form is not None:
        return safe_value(form, secrets)
    try:
        content = request.content
    except _http.RequestNotRead:  # a streaming body reelgate did not build: describe, do not read
        return {"streamed": True, "content_type": request.headers.get("content-type")}
    return _body(content, request.headers.get("content-type"), secrets)


def response_body_for_log(response: _http.Response, secrets: tuple[str, ...] = (), *, streamed: bool) -> Any:
    content_type = response.headers.get("content-type")
    if streamed and response.is_success:
        length = response.headers.get("content-length")
        return {"streamed": True, "content_type": content_type, "bytes": int(length) if length else None}
    return _body(response.content, content_type, secrets)


def _body(content: bytes, content_type: str | None, secrets: tuple[str, ...]) -> Any:
    if not content:
        return None
    if content_type and "json" in content_type:
        try:
            return safe_value(json.loads(content), secrets)
        except (ValueError, UnicodeDecodeError):
            pass
    if content_type and content_type.startswith("text/"):
        return safe_value(content.decode("utf-8", "replace"), secrets)
    return binary_summary(content, content_type)


def safe_value(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """Redact and truncate a JSON-like value: masked keys and credentials, summarized data URLs."""
    if isinstance(value, str):
        if value.startswith("data:") and ";base64," in value[:100]:
            content_type = value[5 : value.index(";")]
            return {
                "bytes": len(value),
                "sha256": hashlib.sha256(value.encode()).hexdigest(),
                "content_type": content_type,
            }
        text = redact(value, secrets)
        if len(text) > MAX_TEXT:
            return f"{text[:MAX_TEXT]}…[truncated {len(text) - MAX_TEXT} chars]"
        return text
    if isinstance(value, Mapping):
        return {
            key: (MASK if str(key).lower() in SENSITIVE_KEYS else safe_value(item, secrets))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [safe_value(item, secrets) for item in value]
    if isinstance(value, bytes | bytearray):
        return binary_summary(bytes(value), None)
    return value


# -- processors installed by configure() -----------------------------------------------------------


def add_trace_ids(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Add the current span's W3C ``trace_id`` / ``span_id`` when the event has none."""
    if "trace_id" not in event:
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            event["trace_id"] = f"{context.trace_id:032x}"
            event["span_id"] = f"{context.span_id:016x}"
    return event


def redact_event(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Mask sensitive keys and credential-looking strings anywhere in the event.

    Events from :func:`emit` were redacted when they were built (with the call's own secrets, which
    this processor does not know), so they pass untouched instead of being walked a second time.
    """
    if _EMITTING_SAFE_EVENT.get():
        return event
    for key, value in list(event.items()):
        if key in ("event", "timestamp", "level", "trace_id", "span_id"):
            continue
        event[key] = MASK if key.lower() in SENSITIVE_KEYS else safe_value(value)
    return event
