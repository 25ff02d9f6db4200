"""Helpers shared by the emulator tests (the fixtures live in ``conftest.py``)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import httpx
from PIL import Image

from reelgate.emulator import EmulatedServer

KEY = "sk-test-emulator-key-0123456789"
START = 1_800_000_000.0

Emulate = Callable[..., EmulatedServer]
"""The ``emulate`` fixture: ``emulate(provider="openai", **config) -> EmulatedServer``."""


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def png(width: int, height: int, fmt: str = "PNG") -> bytes:
    """A small solid image of the given size (encoded by Pillow, probed by the emulator with PyAV)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def create(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    """Create a video over JSON and return the Video object (asserting a 200)."""
    body = {"prompt": "a cat on a skateboard", **fields}
    response = api.post("/videos", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The ``error`` object of an envelope, checking the envelope's shape on the way."""
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    error: dict[str, Any] = body["error"]
    return error
