"""The local provider's in-process server: the OpenAI ``/videos`` API answered from the job store.

:class:`LocalServer` is a :data:`~reelgate._flow.Handler`: the pipeline's drivers call it with the
``httpx.Request`` the provider built, instead of sending it anywhere, and it answers with an
``httpx.Response`` in the OpenAI wire format (the same bodies, statuses and error envelopes as the real
API). So the local provider shares the OpenAI provider's flows, and its calls are logged, traced and
recorded exactly like any upstream's. Multipart creates are read from the logical fields the provider
attaches to the request (``reelgate.form``), since only reelgate's own flows ever reach this server.

Problems with the data directory itself (not writable, full) raise
:class:`~reelgate.errors.ConfigurationError` rather than answering, since no request can fix them.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import anyio.to_thread

from reelgate import _http
from reelgate._flow import FORM_FIELDS
from reelgate._inputs import ReferenceImage, decode_data_url, load_reference
from reelgate._validation import check_capabilities
from reelgate.errors import BadRequestError, ConfigurationError
from reelgate.local._spawn import start_worker
from reelgate.local._store import ASSETS, Job, JobStore, new_video_id
from reelgate.providers._capabilities import LOCAL_FPS, LOCAL_MODELS

POLL_AFTER_MS = 250
"""How often clients are asked to poll a running local render."""

DEFAULT_LIST_LIMIT = 20
MAX_LIST_LIMIT = 100
CHUNK_SIZE = 256 * 1024
_ROUTE = re.compile(r"^/v1/videos(?:/(?P<id>[^/]+)(?:/(?P<action>content|remix))?)?/?$")


class LocalError(Exception):
    """An API error answered as an OpenAI error envelope."""

    def __init__(self, status: int, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code


class LocalServer:
    """Answers ``/v1/videos`` requests from the videos under ``root``."""

    def __init__(self, root: Path) -> None:
        self.store = JobStore(root)

    def __call__(self, request: _http.Request) -> _http.Response:
        try:
            return self._route(request)
        except LocalError as error:
            envelope = {
                "message": error.message,
                "type": "invalid_request_error",
                "param": error.param,
                "code": error.code,
            }
            return _json(request, {"error": envelope}, status=error.status)
        except OSError as exc:
            raise ConfigurationError(
                f"the local provider cannot use its data directory {self.store.root}: "
                f"{exc.strerror or exc}; set REELGATE_DATA_DIR to a writable directory"
            ) from exc

    def _route(self, request: _http.Request) -> _http.Response:
        match = _ROUTE.match(request.url.path)
        if match is None:
            raise LocalError(404, f"no such route: {request.method} {request.url.path}")
        video_id, action, method = match["id"], match["action"], request.method
        if video_id is None:
            if method == "POST":
                return self._create(request)
            if method == "GET":
                return self._list(request)
        elif action is None and method in ("GET", "DELETE"):
            return self._retrieve(request, video_id) if method == "GET" else self._delete(request, video_id)
        elif action == "content" and method == "GET":
            return self._content(request, video_id)
        elif action == "remix" and method == "POST":
            return self._remix(request, video_id)
        raise LocalError(405, f"{method} is not allowed on {request.url.path}")

    # -- operations -----------------------------------------------------------------------------

    def _create(self, request: _http.Request) -> _http.Response:
        fields = _fields(request)
        model = _text(fields, "model") or "preview"
        capabilities = LOCAL_MODELS.get(model)
        if capabilities is None:
            raise LocalError(
                400,
                f"model {model!r} is not a local model; use one of: "
                + ", ".join(f"local/{name}" for name in LOCAL_MODELS),
                param="model",
                code="model_not_found",
            )
        prompt = _prompt(fields)
        seconds = _text(fields, "seconds") or capabilities.default_seconds
        size = _text(fields, "size") or capabilities.default_size
        try:
            reference = _reference(fields.get("input_reference"))
            check_capabilities(
                f"local/{model}", capabilities, seconds=seconds, size=size, reference=reference
            )
        except BadRequestError as exc:
            raise LocalError(400, str(exc), param=exc.param, code=exc.code) from None
        spec = {"model": model, "prompt": prompt, "seconds": seconds, "size": size, "source": None}
        return self._start(request, spec, reference.content if reference else None)

    def _remix(self, request: _http.Request, video_id: str) -> _http.Response:
        source = self._job(video_id)
        if source.status != "completed":
            raise LocalError(
                400,
                f"video {video_id} is {source.status}; only a completed video can be remixed "
                f"(wait for it first)",
                param="video_id",
                code="video_not_completed",
            )
        prompt = _prompt(_fields(request))
        backdrop_path = source.directory / "backdrop"
        backdrop = backdrop_path.read_bytes() if backdrop_path.exists() else None
        origin = {"prompt": source.spec["prompt"], "source": source.spec.get("source")}
        spec = {
            "model": source.spec["model"],
            "prompt": prompt,
            "seconds": source.spec["seconds"],
            "size": source.spec["size"],
            "remixed_from_video_id": source.id,
            "source": origin,
        }
        return self._start(request, spec, backdrop)

    def _start(self, request: _http.Request, spec: dict[str, Any], backdrop: bytes | None) -> _http.Response:
        spec = {
            "id": new_video_id(),
            "created_at": int(time.time()),
            "fps": LOCAL_FPS[spec["model"]],
            **spec,
        }
        job = self.store.add(spec, backdrop)
        try:
            start_worker(job)
        except OSError as exc:
            job = self.store.update(
                job,
                status="failed",
                completed_at=int(time.time()),
                error={"code": "render_failed", "message": f"the render worker could not start: {exc}"},
            )
        return self._video(request, job)

    def _retrieve(self, request: _http.Request, video_id: str) -> _http.Response:
        return self._video(request, self._job(video_id))

    def _list(self, request: _http.Request) -> _http.Response:
        query = request.url.params
        order = query.get("order") or "desc"
        if order not in ("asc", "desc"):
            raise LocalError(400, f"order={order!r} must be 'asc' or 'desc'", param="order")
        raw_limit = query.get("limit") or str(DEFAULT_LIST_LIMIT)
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIST_LIMIT:
            raise LocalError(400, f"limit={raw_limit!r} must be 1 to {MAX_LIST_LIMIT}", param="limit")
        limit = int(raw_limit)
        ids = self.store.ids()
        after = query.get("after")
        if order == "desc":
            ids.reverse()
            ids = [video_id for video_id in ids if after is None or video_id < after]
        else:
            ids = [video_id for video_id in ids if after is None or video_id > after]
        live = (job for video_id in ids if (job := self.store.get(video_id)) is not None)
        page = list(itertools.islice(live, limit))  # videos deleted meanwhile are skipped
        has_more = next(live, None) is not None
        body = {
            "object": "list",
            "data": [job.video_object() for job in page],
            "first_id": page[0].id if page else None,
            "last_id": page[-1].id if page else None,
            "has_more": has_more,
        }
        return _json(request, body)

    def _delete(self, request: _http.Request, video_id: str) -> _http.Response:
        if not self.store.delete(video_id):
            raise _not_found(video_id)
        return _json(request, {"id": video_id, "object": "video.deleted", "deleted": True})

    def _content(self, request: _http.Request, video_id: str) -> _http.Response:
        variant = request.url.params.get("variant") or "video"
        if variant not in ASSETS:
            raise LocalError(400, f"variant={variant!r} is not one of: {', '.join(ASSETS)}", param="variant")
        job = self._job(video_id)
        if job.status != "completed":
            raise LocalError(
                404,
                f"Video is not ready yet (it is {job.status}), "
                f"use GET /v1/videos/{video_id} to check status.",
                param="video_id",
            )
        try:
            stream = FileStream(open(job.asset(variant), "rb"))  # noqa: SIM115 - the response closes it
        except FileNotFoundError:
            raise _not_found(video_id) from None  # deleted between the status read and the open
        headers = {
            "content-type": ASSETS[variant][1],
            "content-length": str(stream.size),
            "x-request-id": _request_id(),
        }
        return _http.Response(200, headers=headers, stream=stream, request=request)

    # -- helpers --------------------------------------------------------------------------------

    def _job(self, video_id: str) -> Job:
        job = self.store.get(video_id)
        if job is None:
            raise _not_found(video_id)
        return job

    def _video(self, request: _http.Request, job: Job) -> _http.Response:
        headers = (
            {"openai-poll-after-ms": str(POLL_AFTER_MS)} if job.status in ("queued", "in_progress") else {}
        )
        return _json(request, job.video_object(), headers=headers)


class FileStream(_http.SyncByteStream, _http.AsyncByteStream):
    """A response body read from an open file, chunk by chunk, by either driver."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self.size = os.fstat(file.fileno()).st_size

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self._file.read(CHUNK_SIZE):
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while chunk := await anyio.to_thread.run_sync(self._file.read, CHUNK_SIZE):
            yield chunk

    def close(self) -> None:
        self._file.close()

    async def aclose(self) -> None:
        self._file.close()


def _fields(request: _http.Request) -> Mapping[str, Any]:
    form = request.extensions.get(FORM_FIELDS)
    if isinstance(form, Mapping):
        return form
    try:
        body = json.loads(request.content or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise LocalError(400, "the request body is not JSON") from None
    if not isinstance(body, dict):
        raise LocalError(400, "the request body must be a JSON object")
    return body


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    return None if value is None else str(value)


def _prompt(fields: Mapping[str, Any]) -> str:
    prompt = fields.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise LocalError(400, "prompt must be a non-empty string", param="prompt")
    return prompt


def _reference(value: object) -> ReferenceImage | None:
    """The uploaded reference image (bytes from a multipart body, or a ``data:`` URL), identified and
    measured like any caller's (see :mod:`reelgate._inputs`)."""
    if value is None:
        return None
    if isinstance(value, Mapping) and isinstance(value.get("content"), bytes):
        return load_reference(value["content"])
    if isinstance(value, Mapping) and str(value.get("image_url", "")).startswith("data:"):
        return load_reference(decode_data_url(str(value["image_url"])))
    raise BadRequestError(
        "the local provider works offline: input_reference must be an image file, bytes or a data: URL, "
        "not a web URL or a file id",
        param="input_reference",
    )


def _not_found(video_id: str) -> LocalError:
    return LocalError(
        404,
        f"no local video {video_id!r} (it was never created here, or was deleted); a video made by another "
        "provider needs model='provider/model'",
        param="video_id",
        code="video_not_found",
    )


def _request_id() -> str:
    return f"req_local_{os.urandom(8).hex()}"


def _json(
    request: _http.Request, body: object, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> _http.Response:
    return _http.Response(
        status,
        json=body,
        headers={"x-request-id": _request_id(), **(headers or {})},
        request=request,
    )
