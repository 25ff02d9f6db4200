"""The ASGI app: routes for one flavour, and the dispatcher every API request goes through.

The dispatcher records the request, authenticates it, applies the per-key rate limit, applies the
first matching fault rule, runs the handler, holds the response back for latency faults and
directives, and stamps the common headers (``x-request-id``, ``openai-processing-ms``,
``openai-version``, ``x-ratelimit-*``, and ``apim-request-id`` for Azure).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from reelgate.emulator._admin import admin_routes
from reelgate.emulator._auth import authenticate, fingerprint
from reelgate.emulator._config import EmulatorConfig
from reelgate.emulator._emulator import PROVIDERS, Emulator, Provider
from reelgate.emulator._errors import APIError, retry_headers, status_error
from reelgate.emulator._handlers import HANDLERS, Exchange, Handler, json_response
from reelgate.emulator._limits import RateDecision, format_duration
from reelgate.emulator._record import RecordedRequest

logger = logging.getLogger(__name__)

PREFIXES: dict[Provider, str] = {"openai": "/v1", "azure": "/openai/v1"}
"""Where each flavour serves the Videos API."""

ROUTES: tuple[tuple[str, str, str], ...] = (
    ("create", "POST", "/videos"),
    ("list", "GET", "/videos"),
    ("retrieve", "GET", "/videos/{video_id}"),
    ("delete", "DELETE", "/videos/{video_id}"),
    ("content", "GET", "/videos/{video_id}/content"),
    ("remix", "POST", "/videos/{video_id}/remix"),
)
_SECRET_HEADER_PARTS = ("auth", "key", "token", "secret", "cookie")


def _safe_headers(request: Request) -> dict[str, str]:
    return {
        name: value
        for name, value in request.headers.items()
        if not any(part in name.lower() for part in _SECRET_HEADER_PARTS)
    }


def _error_response(error: APIError) -> Response:
    return json_response(error.body(), status=error.status, headers=error.headers)


def _rate_limited(decision: RateDecision) -> APIError:
    wait = format_duration(decision.reset_seconds)
    return APIError(
        429,
        f"Rate limit reached for videos in organization org-emulator on requests per min (RPM): Limit "
        f"{decision.limit}, Used {decision.limit}, Requested 1. Please try again in {wait}. Visit "
        "https://platform.openai.com/account/rate-limits to learn more.",
        kind="requests",
        code="rate_limit_exceeded",
        headers=retry_headers(decision.reset_seconds),
    )


def _stamp(response: Response, emulator: Emulator, request_id: str, started: float) -> None:
    response.headers["x-request-id"] = request_id
    response.headers["openai-processing-ms"] = str(round((time.perf_counter() - started) * 1000))
    response.headers["openai-version"] = "2020-10-01"
    if emulator.azure:
        response.headers["apim-request-id"] = str(uuid.uuid4())


async def _serve(emulator: Emulator, exchange: Exchange, handler: Handler) -> Response:
    request = exchange.request
    key = authenticate(request.headers, azure=emulator.azure, allowed=emulator.config.api_keys)
    exchange.record.api_key_fingerprint = fingerprint(key)
    decision = emulator.check_rate(exchange.record.api_key_fingerprint)
    try:
        if not decision.allowed:
            raise _rate_limited(decision)
        fault = emulator.take_fault(exchange.route)
        if fault is not None and fault.status is not None:
            await anyio.sleep(fault.latency)
            raise status_error(fault.status, fault.message, fault.retry_after)
        response = await handler(emulator, exchange)
        delay = exchange.delay + (fault.latency if fault is not None else 0.0)
        if delay > 0:
            await anyio.sleep(delay)
    except APIError as error:
        response = _error_response(error)
    response.headers.update(decision.headers())
    return response


def _endpoint(emulator: Emulator, route: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        request_id = f"req_{uuid.uuid4().hex}"
        record = RecordedRequest(
            request_id=request_id,
            time=emulator.now(),
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            content_type=request.headers.get("content-type"),
            route=route,
            headers=_safe_headers(request),
        )
        emulator.record(record)
        try:
            response = await _serve(emulator, Exchange(request, route, record), handler)
        except APIError as error:
            response = _error_response(error)
        except Exception:
            logger.exception("emulator: unexpected error in %s %s", request.method, request.url.path)
            response = _error_response(status_error(500))
        record.status = response.status_code
        _stamp(response, emulator, request_id, started)
        return response

    return endpoint


async def _not_found(request: Request, _exc: Exception) -> Response:
    error = APIError(404, f"Invalid URL ({request.method} {request.url.path})")
    response = _error_response(error)
    emulator: Emulator = request.app.state.emulator
    _stamp(response, emulator, f"req_{uuid.uuid4().hex}", time.perf_counter())
    return response


def create_app(provider: str = "openai", config: EmulatorConfig | None = None) -> Starlette:
    """A Starlette app emulating ``provider`` (``"openai"`` or ``"azure"``).

    Its state, the :class:`Emulator`, is ``app.state.emulator``.
    """
    if provider not in PROVIDERS:
        raise ValueError(f"provider must be one of {', '.join(PROVIDERS)}; got {provider!r}")
    flavour: Provider = "azure" if provider == "azure" else "openai"
    emulator = Emulator(flavour, config if config is not None else EmulatorConfig())
    prefix = PREFIXES[flavour]
    routes: list[BaseRoute] = [
        Route(prefix + path, _endpoint(emulator, name, HANDLERS[name]), methods=[method])
        for name, method, path in ROUTES
    ]
    routes.extend(admin_routes(emulator))
    app = Starlette(routes=routes, exception_handlers={404: _not_found, 405: _not_found})
    app.state.emulator = emulator
    return app
