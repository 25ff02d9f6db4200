"""HTTP child spans for the httpx clients reelgate creates (never for a client the caller passed in).

``opentelemetry-instrumentation-httpx`` wraps the client's transports (proxies from the environment
keep working). Its import costs over 100 ms, so it happens only when a real TracerProvider is
installed when the client is built; without one no span would be recorded anyway. The URL recorded on
the span is masked like every other text reelgate emits (``?key=`` values and the like).
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace

from reelgate import _http
from reelgate._redact import redact
from reelgate.telemetry import names


def tracing_active() -> bool:
    """True when an SDK (or other real) TracerProvider is installed globally."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def instrument(client: _http.Client | _http.AsyncClient) -> None:
    """Add HTTP client spans to ``client`` if tracing is active."""
    if not tracing_active():
        return
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    if isinstance(client, _http.AsyncClient):
        HTTPXClientInstrumentor.instrument_client(client, request_hook=_scrub_async)
    else:
        HTTPXClientInstrumentor.instrument_client(client, request_hook=_scrub)


def _scrub(span: Any, request: Any) -> None:
    if span.is_recording():
        url = redact(str(request.url))
        attributes = getattr(span, "attributes", None) or {}
        for key in (names.URL_FULL, names.HTTP_URL_OLD):
            if key in attributes:
                span.set_attribute(key, url)


async def _scrub_async(span: Any, request: Any) -> None:
    _scrub(span, request)
