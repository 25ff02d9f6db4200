"""Make any connection outside loopback fail the test run loudly.

Installed by ``tests/conftest.py`` before any test runs. It wraps ``socket.socket.connect`` and
``connect_ex`` (which blocking code, asyncio and uvicorn all go through) so that an attempt to reach
a non-loopback address raises :class:`NonLoopbackConnectionError` instead of touching the network.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class NonLoopbackConnectionError(RuntimeError):
    """A test tried to open a connection to a host that is not on loopback."""


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and other families stay on this machine
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # an unresolved host name: refuse rather than resolve it


def _check(sock: socket.socket, address: Any) -> None:
    if not _is_loopback(address):
        sock.close()  # callers only clean up after OSError; this error is deliberately not one
        raise NonLoopbackConnectionError(f"tests may only connect to loopback, not to {address!r}")


_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    _original_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _original_connect_ex(self, address)


def install() -> None:
    """Install the guard (idempotent)."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
