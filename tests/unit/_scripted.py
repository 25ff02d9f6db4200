"""A scripted upstream for flow tests: replies in order and records every request it received."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]

VIDEO = {
    "id": "video_123",
    "object": "video",
    "model": "sora-2",
    "status": "queued",
    "progress": 0,
    "created_at": 1_760_000_000,
    "completed_at": None,
    "expires_at": None,
    "prompt": "a cat",
    "size": "720x1280",
    "seconds": "8",
    "remixed_from_video_id": None,
    "error": None,
}


def video(**changes: Any) -> dict[str, Any]:
    return {**VIDEO, **changes}


def json_reply(body: object, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def error_reply(
    status: int,
    message: str = "boom",
    *,
    code: str | None = None,
    type: str = "invalid_request_error",
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {"error": {"message": message, "type": type, "param": param, "code": code}}
    return httpx.Response(status, json=body, headers={"x-request-id": "req_abc", **(headers or {})})


class Scripted:
    """``httpx.MockTransport`` handler replying with ``replies`` in order (the last one repeats)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, httpx.Response):
            return reply(request)
        return reply

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)
