"""The Videos API operations: create, retrieve, list, delete, content and remix.

Each handler takes the emulator and the exchange (the request plus what the dispatcher tracks for
it) and returns a response or raises :class:`~reelgate.emulator._errors.APIError`. Auth, rate limits,
fault rules, common headers and the request log are the dispatcher's job (``_app.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from reelgate.emulator._bodies import read_body
from reelgate.emulator._catalog import (
    DEFAULT_MODEL,
    DEFAULT_SECONDS,
    DEFAULT_SIZE,
    check_seconds,
    check_size,
    rules_for,
)
from reelgate.emulator._directives import Directives, parse_directives
from reelgate.emulator._emulator import Emulator
from reelgate.emulator._errors import APIError, invalid_value, status_error, video_not_found
from reelgate.emulator._jobs import Job, UnknownCursor
from reelgate.emulator._media import VARIANTS, media
from reelgate.emulator._record import RecordedRequest
from reelgate.emulator._reference import check_reference

DIRECTIVE_RETRY_AFTER = 0.05
"""The ``retry-after`` a directive's 429 or 503 carries: short, so tests stay quick."""

CONTENT_POLICY_MESSAGE = (
    "Your request was rejected as a result of our safety system. Your prompt may contain text that is "
    "not allowed by our safety system."
)


@dataclass
class Exchange:
    """One request in flight: what handlers read and what they hand back to the dispatcher."""

    request: Request
    route: str
    record: RecordedRequest
    delay: float = 0.0
    """Extra seconds to hold the response back after handling (``@emulator:latency``)."""


Handler = Callable[[Emulator, Exchange], Awaitable[Response]]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON response (``application/json``)."""
    return JSONResponse(data, status_code=status, headers=headers)


def _video_response(emulator: Emulator, job: Job) -> Response:
    headers = {"openai-poll-after-ms": str(emulator.config.poll_after_ms)}
    return json_response(job.to_object(), headers=headers)


def _resolve_model(emulator: Emulator, requested: str) -> str:
    """The base model behind ``requested`` (an Azure deployment name, or the OpenAI model itself)."""
    model = requested
    if emulator.azure:
        deployment = emulator.config.deployments.get(requested)
        if deployment is None:
            raise APIError(
                404,
                f"The API deployment '{requested}' for this resource does not exist. If you created the "
                "deployment within the last 5 minutes, please wait a moment and try again.",
                kind="video_generation_user_error",
            )
        model = deployment
    retired = emulator.config.retired_models
    if requested in retired or model in retired:
        raise APIError(
            404,
            f"The model '{requested}' does not exist or you do not have access to it.",
            param="model",
            code="model_not_found",
        )
    return model


def _apply_directives(emulator: Emulator, prompt: str) -> Directives:
    directives = parse_directives(prompt)
    status = directives.error_status
    if status is not None and emulator.directive_should_fail(prompt, directives.error_times):
        retry_after = DIRECTIVE_RETRY_AFTER if status in (429, 503) else None
        raise status_error(status, retry_after=retry_after)
    return directives


def _new_job(
    emulator: Emulator,
    exchange: Exchange,
    directives: Directives,
    *,
    model: str,
    prompt: str,
    size: str,
    seconds: str,
    remixed_from: str | None = None,
) -> Job:
    """Apply the job-level directives (reject, fail, job_seconds, latency) and store the job."""
    if directives.reject is not None:
        raise APIError(400, CONTENT_POLICY_MESSAGE, param="prompt", code="content_policy_violation")
    duration = emulator.config.job_seconds if directives.job_seconds is None else directives.job_seconds
    job = emulator.create_job(
        model=model,
        prompt=prompt,
        size=size,
        seconds=seconds,
        duration=duration,
        failure=directives.fail,
        remixed_from=remixed_from,
    )
    exchange.delay = directives.latency
    return job


async def create(emulator: Emulator, exchange: Exchange) -> Response:
    """``POST /videos``."""
    body = await read_body(exchange.request)
    exchange.record.body = body.summary
    directives = _apply_directives(emulator, body.prompt)
    requested = body.model if body.model is not None else DEFAULT_MODEL
    model = _resolve_model(emulator, requested)
    rules = rules_for(model, azure=emulator.azure, allow_1080p=emulator.config.allow_1080p)
    seconds = check_seconds(body.seconds if body.seconds is not None else DEFAULT_SECONDS, rules)
    width, height = check_size(body.size if body.size is not None else DEFAULT_SIZE, rules)
    check_reference(body.reference, width, height)
    job = _new_job(
        emulator,
        exchange,
        directives,
        model=requested if not emulator.azure else model,
        prompt=body.prompt,
        size=f"{width}x{height}",
        seconds=seconds,
    )
    return _video_response(emulator, job)


def _job(emulator: Emulator, exchange: Exchange) -> Job:
    video_id = exchange.request.path_params["video_id"]
    job = emulator.jobs.get(video_id)
    if job is None:
        raise video_not_found(video_id)
    return job


async def retrieve(emulator: Emulator, exchange: Exchange) -> Response:
    """``GET /videos/{video_id}``."""
    return _video_response(emulator, _job(emulator, exchange))


def _limit(raw: str | None) -> int:
    if raw is None:
        return 20
    try:
        limit = int(raw)
    except ValueError:
        raise APIError(
            400,
            f"Invalid 'limit': expected an integer, but got '{raw}' instead.",
            param="limit",
            code="invalid_type",
        ) from None
    if limit < 0:
        raise APIError(
            400,
            f"Invalid 'limit': integer below minimum value. Expected a value >= 0, but got {limit} instead.",
            param="limit",
            code="integer_below_min_value",
        )
    if limit > 100:
        raise APIError(
            400,
            "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got "
            f"{limit} instead.",
            param="limit",
            code="integer_above_max_value",
        )
    return limit


async def list_videos(emulator: Emulator, exchange: Exchange) -> Response:
    """``GET /videos?after=&limit=&order=`` (an unknown ``after`` is a 400)."""
    query = exchange.request.query_params
    limit = _limit(query.get("limit"))
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_value("order", order, ("asc", "desc"))
    after = query.get("after") or None
    try:
        jobs, has_more = emulator.page(after=after, limit=limit, descending=order == "desc")
    except UnknownCursor:
        raise APIError(
            400,
            f"Invalid 'after': no video with id '{after}' was ever listed here.",
            param="after",
            code="invalid_value",
        ) from None
    data = [job.to_object() for job in jobs]
    return json_response(
        {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": has_more,
        }
    )


async def delete(emulator: Emulator, exchange: Exchange) -> Response:
    """``DELETE /videos/{video_id}`` (any body, usually none, is ignored)."""
    job = _job(emulator, exchange)
    emulator.delete_job(job.id)
    return json_response({"id": job.id, "object": "video.deleted", "deleted": True})


async def content(emulator: Emulator, exchange: Exchange) -> Response:
    """``GET /videos/{video_id}/content?variant=video|thumbnail|spritesheet``."""
    variant = exchange.request.query_params.get("variant", "video")
    if variant not in VARIANTS:
        raise invalid_value("variant", variant, tuple(VARIANTS))
    job = _job(emulator, exchange)
    now = emulator.now()
    status, _ = job.state(now)
    if status == "failed":
        raise APIError(404, f"Video with id '{job.id}' failed; it has no content to download.")
    if status != "completed":
        raise APIError(404, "Video is not ready yet, use GET /v1/videos/{video_id} to check status.")
    expires_at = job.expires_at(now)
    if expires_at is not None and now >= expires_at:
        raise APIError(404, f"The content of video '{job.id}' has expired.")
    width, height = (int(side) for side in job.size.split("x"))
    data = await run_in_threadpool(media, variant, width, height, job.seconds, emulator.config.fps)
    return Response(data, media_type=VARIANTS[variant])


async def remix(emulator: Emulator, exchange: Exchange) -> Response:
    """``POST /videos/{video_id}/remix``: a new job like the (completed) source, with a new prompt."""
    body = await read_body(exchange.request, prompt_only=True)
    exchange.record.body = body.summary
    source = _job(emulator, exchange)
    status, _ = source.state()
    if status != "completed":
        raise APIError(
            400,
            f"Video '{source.id}' cannot be remixed until it has completed (its status is '{status}').",
            param="video_id",
            code="invalid_value",
        )
    directives = _apply_directives(emulator, body.prompt)
    job = _new_job(
        emulator,
        exchange,
        directives,
        model=source.model,
        prompt=body.prompt,
        size=source.size,
        seconds=source.seconds,
        remixed_from=source.id,
    )
    return _video_response(emulator, job)


HANDLERS: dict[str, Handler] = {
    "create": create,
    "retrieve": retrieve,
    "list": list_videos,
    "delete": delete,
    "content": content,
    "remix": remix,
}
