"""OpenAI error envelopes: one exception type, the standard messages, and the retry headers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

JSONValue = Any


class APIError(Exception):
    """An error answer: ``{"error": {"message", "type", "param", "code"}}`` with a status and headers.

    ``kind`` is the envelope's ``type``.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, JSONValue]:
        """The JSON envelope."""
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}


def retry_headers(seconds: float) -> dict[str, str]:
    """``retry-after`` (whole seconds, rounded, as HTTP wants) and the exact ``retry-after-ms``."""
    seconds = max(0.0, seconds)
    return {"retry-after": str(int(seconds + 0.5)), "retry-after-ms": str(round(seconds * 1000))}


def quoted_choices(values: Sequence[str]) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'``: OpenAI's way of listing allowed values."""
    quoted = [f"'{value}'" for value in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def json_type_name(value: object) -> str:
    """How OpenAI names a JSON value's type in ``invalid_type`` messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def invalid_type(param: str, expected: str, value: object) -> APIError:
    """400 ``invalid_type``: ``Invalid type for 'x': expected ..., but got ... instead.``"""
    return APIError(
        400,
        f"Invalid type for '{param}': expected {expected}, but got {json_type_name(value)} instead.",
        param=param,
        code="invalid_type",
    )


def invalid_value(param: str, value: str, allowed: Sequence[str]) -> APIError:
    """400 ``invalid_value`` naming the supported values."""
    return APIError(
        400,
        f"Invalid value: '{value}'. Supported values are: {quoted_choices(allowed)}.",
        param=param,
        code="invalid_value",
    )


def missing_parameter(param: str) -> APIError:
    """400 ``missing_required_parameter``."""
    return APIError(
        400, f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter"
    )


def video_not_found(video_id: str) -> APIError:
    """404 for an unknown or deleted video id."""
    return APIError(404, f"Video with id '{video_id}' not found.")


_STATUS_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("The request was rejected by the emulator (injected fault).", "invalid_request_error", None),
    401: ("Incorrect API key provided (injected fault).", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to sample from this model.", "invalid_request_error", None),
    404: ("The requested resource was not found (injected fault).", "invalid_request_error", None),
    408: ("Request timed out.", "timeout", None),
    409: ("The request conflicted with another request (injected fault).", "invalid_request_error", None),
    429: (
        "Rate limit reached for requests. Please try again later (injected by the emulator).",
        "requests",
        "rate_limit_exceeded",
    ),
    500: (
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        None,
    ),
    502: ("Bad gateway.", "server_error", None),
    503: ("The server is overloaded or not ready yet.", "server_error", None),
    504: ("Gateway timeout.", "server_error", None),
}


def status_error(status: int, message: str | None = None, retry_after: float | None = None) -> APIError:
    """The error a fault rule or directive answers with: ``status`` with its usual envelope."""
    default_message, kind, code = _STATUS_ERRORS.get(
        status,
        (
            "The emulator answered with an injected error.",
            "server_error" if status >= 500 else "invalid_request_error",
            None,
        ),
    )
    headers = retry_headers(retry_after) if retry_after is not None else None
    return APIError(status, message or default_message, kind=kind, code=code, headers=headers)
