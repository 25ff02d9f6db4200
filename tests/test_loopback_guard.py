"""The network guard itself: anything outside loopback fails, loopback works."""

from __future__ import annotations

import socket

import httpx
import pytest

from tests._loopback_guard import NonLoopbackConnectionError


@pytest.mark.parametrize("address", [("192.0.2.10", 443), ("example.com", 80), ("2001:db8::1", 443)])
def test_connection_outside_loopback_is_refused(address: tuple[str, int]) -> None:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock, pytest.raises(NonLoopbackConnectionError):
        sock.connect(address)


def test_httpx_request_outside_loopback_is_refused() -> None:
    with pytest.raises(NonLoopbackConnectionError):
        httpx.get("http://192.0.2.10/v1/videos", timeout=2)


def test_loopback_connection_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
