"""The only module that names the HTTP library.

Flows, drivers and clients import the request, response, client and transport types from here, so
moving from ``httpx`` to ``httpx2`` (or another driver with the same shapes) is a one-file change.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx
from httpx import (
    URL,
    AsyncBaseTransport,
    AsyncByteStream,
    AsyncClient,
    BaseTransport,
    Client,
    Headers,
    Request,
    Response,
    SyncByteStream,
    Timeout,
)

__all__ = [
    "URL",
    "AsyncBaseTransport",
    "AsyncByteStream",
    "AsyncClient",
    "BaseTransport",
    "Client",
    "ConnectError",
    "ConnectTimeout",
    "Headers",
    "PoolTimeout",
    "Request",
    "RequestNotRead",
    "Response",
    "SyncByteStream",
    "Timeout",
    "TimeoutException",
    "TransportError",
    "default_ssl_context",
]

TransportError = httpx.TransportError
TimeoutException = httpx.TimeoutException
ConnectError = httpx.ConnectError
ConnectTimeout = httpx.ConnectTimeout
PoolTimeout = httpx.PoolTimeout
RequestNotRead = httpx.RequestNotRead


@cache
def default_ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process: building it loads the CA bundle, which costs milliseconds."""
    return httpx.create_ssl_context()
