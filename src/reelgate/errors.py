"""Every error reelgate raises, and the one boundary that maps HTTP failures onto them.

::

    ReelgateError
    ├── ConfigurationError          a setting is missing or wrong (no request was sent)
    ├── UnsupportedError            the provider cannot do this operation
    ├── VideoFailedError            a video ended failed/cancelled/expired (only when asked to raise)
    ├── WaitTimeoutError            video_wait gave up while the video was still running
    ├── BudgetExceededError         a spend limit refused the call (reserved for policy)
    ├── NoDeploymentAvailableError  a router's deployments are all cooling down or at their limits
    ├── APIConnectionError          the upstream could not be reached, or the connection broke
    │   └── APITimeoutError         ... because a timeout expired
    └── APIStatusError              the upstream answered with an error status (or validation refused
        │                           the request before sending it, status 400 and no response)
        ├── BadRequestError             400
        │   └── ContentPolicyError      400 for a prompt or image refused by moderation
        ├── AuthenticationError         401
        ├── PermissionDeniedError       403
        ├── NotFoundError               404
        ├── ConflictError               409
        ├── UnprocessableEntityError    422
        ├── RateLimitError              429 (``retry_after`` in seconds when the upstream said)
        └── ProviderServerError         5xx

Mapping is by status code and the structured error body, never by message text, and it happens in
:func:`error_from_response` and :func:`error_from_transport`. Messages say what went wrong and what to
do; they never contain a credential (every message passes through :func:`reelgate._redact.redact`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reelgate import _http
from reelgate._redact import redact
from reelgate._retry import retry_after_seconds

if TYPE_CHECKING:
    from reelgate.types import Video

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BudgetExceededError",
    "ConfigurationError",
    "ConflictError",
    "ContentPolicyError",
    "NoDeploymentAvailableError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProviderServerError",
    "RateLimitError",
    "ReelgateError",
    "UnprocessableEntityError",
    "UnsupportedError",
    "VideoFailedError",
    "WaitTimeoutError",
]

CONTENT_POLICY_CODES = frozenset({"content_policy_violation", "moderation_blocked", "content_filter"})


class ReelgateError(Exception):
    """Root of every error reelgate raises."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(ReelgateError):
    """A required setting is missing or invalid; nothing was sent upstream."""


class UnsupportedError(ReelgateError):
    """The provider (or the model) cannot perform the requested operation."""


class NoDeploymentAvailableError(ReelgateError):
    """A router has no deployment to send a create to right now (all cooling down or at their limits).

    Nothing was sent. ``retry_after`` is the number of seconds until the first one is usable again
    (None when that depends on traffic, e.g. jobs finishing); ``deployments`` maps each deployment id
    to why it was skipped.
    """

    def __init__(self, message: str, *, retry_after: float | None, deployments: dict[str, str]) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.deployments = deployments


class BudgetExceededError(ReelgateError):
    """A spend limit refused the call before anything was sent."""


class VideoFailedError(ReelgateError):
    """A video reached a terminal status other than ``completed``.

    Raised only when the caller asked for it (``raise_on_failure=True``); otherwise the failed video
    is returned as data. ``code`` and ``provider_message`` are the provider's own words.
    """

    def __init__(self, video: Video) -> None:
        self.video = video
        self.code = video.error.code if video.error else None
        self.provider_message = video.error.message if video.error else None
        detail = f": {self.code}: {self.provider_message}" if video.error else ""
        super().__init__(f"video {video.id} ended {video.status}{detail}")


class WaitTimeoutError(ReelgateError):
    """``video_wait`` ran out of time; the video is still running upstream and can be waited on again."""

    def __init__(self, video: Video, timeout: float) -> None:
        self.video = video
        self.timeout = timeout
        super().__init__(
            f"video {video.id} is still {video.status} ({video.progress or 0}%) after {timeout:g} s; "
            "it keeps running upstream: call video_wait again (or raise timeout=) to keep waiting"
        )


class APIConnectionError(ReelgateError):
    """The upstream could not be reached or the connection broke mid-exchange.

    ``reached_upstream`` is False only when the request surely never arrived (the connection was never
    established), which is what makes retrying a create safe.
    """

    def __init__(self, message: str, *, provider: str | None = None, reached_upstream: bool = True) -> None:
        super().__init__(message)
        self.provider = provider
        self.reached_upstream = reached_upstream


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired."""


class APIStatusError(ReelgateError):
    """The upstream answered with an error status, or validation refused the request (status 400).

    Attributes mirror the provider's error envelope: ``code``, ``type``, ``param``, plus ``status_code``,
    ``request_id`` (the upstream's ``x-request-id``) and ``body`` (the parsed JSON, when there is one).
    """

    status_code: int = 0

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        provider: str | None = None,
        code: str | None = None,
        type: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
        body: object = None,
        response: _http.Response | None = None,
    ) -> None:
        super().__init__(message)
        if status_code is not None:
            self.status_code = status_code
        self.provider = provider
        self.code = code
        self.type = type
        self.param = param
        self.request_id = request_id
        self.body = body
        self.response = response


class BadRequestError(APIStatusError):
    """400: the request is invalid. ``param`` names the offending parameter."""

    status_code = 400


class ContentPolicyError(BadRequestError):
    """400: moderation refused the prompt or the reference image."""


class AuthenticationError(APIStatusError):
    """401: the credential is missing or wrong."""

    status_code = 401


class PermissionDeniedError(APIStatusError):
    """403: the credential is valid but may not use this model or resource."""

    status_code = 403


class NotFoundError(APIStatusError):
    """404: the video, model or deployment does not exist (or is not ready, for content)."""

    status_code = 404


class ConflictError(APIStatusError):
    """409: the resource is in a conflicting state."""

    status_code = 409


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but cannot be processed."""

    status_code = 422


class RateLimitError(APIStatusError):
    """429: too many requests or jobs. ``retry_after`` is the wait the upstream asked for, in seconds."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ProviderServerError(APIStatusError):
    """5xx: the provider failed. Reads, lists and deletes were already retried."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_HINTS: dict[type[APIStatusError], str] = {
    AuthenticationError: "check the API key for this provider (api_key= or its environment variable)",
    PermissionDeniedError: "the key is valid but has no access to this model, deployment or resource",
    NotFoundError: "check the id, the model name or deployment, and that the video belongs to this provider",
    RateLimitError: "slow down or retry later",
    ProviderServerError: "the provider failed; retry later",
    ContentPolicyError: "change the prompt or reference image",
}


@dataclass(frozen=True, slots=True)
class ErrorEnvelope:
    """The fields of a provider's error body, whatever its shape."""

    message: str | None = None
    code: str | None = None
    type: str | None = None
    param: str | None = None


def parse_error_body(body: object) -> ErrorEnvelope:
    """Read the error envelopes in use: OpenAI/Azure ``{"error": {message, type, param, code}}``,
    Google ``{"error": {code: int, message, status}}`` and Runway-style ``{"error": "text"}``."""
    if not isinstance(body, Mapping):
        return ErrorEnvelope()
    error = body.get("error", body)
    if isinstance(error, str):
        return ErrorEnvelope(message=error)
    if not isinstance(error, Mapping):
        return ErrorEnvelope()
    code = error.get("code")
    if not isinstance(code, str):  # Google puts the HTTP status number in code and the name in status
        code = error.get("status") if isinstance(error.get("status"), str) else None
    return ErrorEnvelope(
        message=_str_or_none(error.get("message")),
        code=code,
        type=_str_or_none(error.get("type")),
        param=_str_or_none(error.get("param")),
    )


def error_from_response(
    response: _http.Response, *, provider: str, secrets: Iterable[str] = ()
) -> APIStatusError:
    """Build the error for an upstream error response (the response body must have been read)."""
    body = _json_or_none(response)
    envelope = parse_error_body(body)
    status = response.status_code
    cls = _BY_STATUS.get(status, ProviderServerError if status >= 500 else APIStatusError)
    if cls is BadRequestError and envelope.code in CONTENT_POLICY_CODES:
        cls = ContentPolicyError
    upstream = envelope.message or _short_text(response) or response.reason_phrase or "no error message"
    message = f"{provider} returned {status}: {upstream}"
    if envelope.code:
        message += f" (code: {envelope.code})"
    hint = _HINTS.get(cls)
    if hint:
        message += f"; {hint}"
    request_id = response.headers.get("x-request-id") or response.headers.get("apim-request-id")
    kwargs: dict[str, Any] = {
        "status_code": status,
        "provider": provider,
        "code": envelope.code,
        "type": envelope.type,
        "param": envelope.param,
        "request_id": request_id,
        "body": body,
        "response": response,
    }
    if cls is RateLimitError:
        kwargs["retry_after"] = retry_after_seconds(response.headers)
    return cls(redact(message, secrets), **kwargs)


def error_from_transport(
    exc: _http.TransportError, *, provider: str, secrets: Iterable[str] = ()
) -> APIConnectionError:
    """Map a transport failure; ``reached_upstream`` is False when the request surely never arrived."""
    never_arrived = isinstance(exc, _http.ConnectError | _http.ConnectTimeout | _http.PoolTimeout)
    what = type(exc).__name__
    url = ""
    with contextlib.suppress(RuntimeError):  # httpx raises when the exception carries no request
        url = f" {exc.request.method} {exc.request.url.copy_with(query=None)}"
    if isinstance(exc, _http.TimeoutException):
        message = f"{provider}: {what} on{url}; raise timeout= or check that the endpoint is reachable"
        return APITimeoutError(
            redact(message, secrets), provider=provider, reached_upstream=not never_arrived
        )
    detail = str(exc) or what
    message = f"{provider}: could not complete{url}: {detail}; check api_base and that the server is up"
    return APIConnectionError(redact(message, secrets), provider=provider, reached_upstream=not never_arrived)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _json_or_none(response: _http.Response) -> object:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _short_text(response: _http.Response) -> str:
    text = response.text.strip()
    return text if len(text) <= 300 else text[:300] + "…"
