"""The admin API under ``/_emulator/`` (no auth): the request log, fault rules, reset and health."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from reelgate.emulator._config import FaultRule
from reelgate.emulator._emulator import Emulator


def _error(message: str) -> Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}
    return JSONResponse(body, status_code=400)


def _faults(emulator: Emulator) -> dict[str, Any]:
    return {"object": "list", "data": [rule.as_dict() for rule in emulator.faults]}


def admin_routes(emulator: Emulator) -> list[BaseRoute]:
    """The ``/_emulator/...`` routes bound to ``emulator``."""

    async def requests_log(request: Request) -> Response:
        if request.method == "DELETE":
            emulator.clear_requests()
            return JSONResponse({"deleted": True})
        entries = [entry.as_dict() for entry in list(emulator.requests)]
        return JSONResponse({"object": "list", "data": entries})

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            emulator.clear_faults()
        elif request.method == "POST":
            try:
                payload = json.loads(await request.body())
                items = payload if isinstance(payload, list) else [payload]
                rules = [FaultRule.from_dict(item) for item in items]
            except (ValueError, TypeError, AttributeError) as exc:
                return _error(f"Invalid fault rules: {exc}")
            for rule in rules:
                emulator.add_fault(rule)
        return JSONResponse(_faults(emulator))

    async def reset(_request: Request) -> Response:
        emulator.reset()
        return JSONResponse({"reset": True})

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "provider": emulator.provider, "jobs": len(emulator.jobs)})

    return [
        Route("/_emulator/requests", requests_log, methods=["GET", "DELETE"]),
        Route("/_emulator/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/reset", reset, methods=["POST"]),
        Route("/_emulator/health", health, methods=["GET"]),
    ]
