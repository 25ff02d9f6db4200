"""The OpenAI ``/videos`` wire format, shared by every provider that speaks it.

OpenAI defined it, Azure serves it under ``/openai/v1``, and many self-hosted servers copy it; those
providers differ only in their :class:`~reelgate.providers._base.Endpoint` (base URL, auth header,
query) and capability tables, so they subclass :class:`OpenAIVideosProvider` and override nothing else.

Creates are JSON unless an image file is uploaded, then multipart (the form the official SDK sends:
scalar fields plus an ``input_reference`` file part; nested ``extra_body`` values become bracketed
field names such as ``input_reference[image_url]``).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any, ClassVar

from reelgate import _http
from reelgate._flow import FORM_FIELDS, Flow, send
from reelgate._retry import RetryPolicy
from reelgate._version import __version__
from reelgate.errors import ProviderServerError
from reelgate.providers._base import CallConfig, CreateParams, ListParams, Provider, RemixParams
from reelgate.types import ContentVariant, Video, VideoDeleted, VideoList

USER_AGENT = f"reelgate/{__version__}"

STATUS_ALIASES: dict[str, str] = {
    "queued": "queued",
    "pending": "queued",
    "preprocessing": "queued",
    "in_progress": "in_progress",
    "processing": "in_progress",
    "running": "in_progress",
    "completed": "completed",
    "succeeded": "completed",
    "failed": "failed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "expired": "expired",
}


class OpenAIVideosProvider(Provider):
    """Flows for ``POST/GET/DELETE /videos...`` in the OpenAI shape."""

    name: ClassVar[str] = "openai"

    def create(self, config: CallConfig, params: CreateParams) -> Flow[Video]:
        fields: dict[str, Any] = {"prompt": params.prompt, "model": params.model}
        if params.seconds is not None:
            fields["seconds"] = params.seconds
        if params.size is not None:
            fields["size"] = params.size
        request = self._build_with_reference(config, "/videos", fields, params.reference, params.extra_body)
        response = yield from self._send(config, request, RetryPolicy.CREATE)
        return self.parse_video(response)

    def retrieve(self, config: CallConfig, video_id: str) -> Flow[Video]:
        request = self._build(config, "GET", f"/videos/{video_id}")
        response = yield from self._send(config, request, RetryPolicy.READ)
        return self.parse_video(response)

    def content(self, config: CallConfig, video_id: str, variant: ContentVariant) -> Flow[_http.Response]:
        request = self._build(
            config,
            "GET",
            f"/videos/{video_id}/content",
            params={"variant": variant},
            accept="application/binary",
        )
        return (yield from self._send(config, request, RetryPolicy.READ, stream=True))

    def remix(self, config: CallConfig, params: RemixParams) -> Flow[Video]:
        fields: dict[str, Any] = {"prompt": params.prompt}
        if params.seconds is not None:
            fields["seconds"] = params.seconds
        path = f"/videos/{params.video_id}/remix"
        request = self._build_with_reference(config, path, fields, params.reference, params.extra_body)
        response = yield from self._send(config, request, RetryPolicy.CREATE)
        return self.parse_video(response)

    def list(self, config: CallConfig, params: ListParams) -> Flow[VideoList]:
        query = {"after": params.after, "limit": params.limit, "order": params.order}
        request = self._build(
            config, "GET", "/videos", params={k: v for k, v in query.items() if v is not None}
        )
        response = yield from self._send(config, request, RetryPolicy.READ)
        body = self._json_object(response)
        items = body.get("data")
        if not isinstance(items, list):
            raise self._unreadable(response, "'data' is not a list")
        body["data"] = [self.normalize_video(item, response) for item in items]
        return VideoList.model_validate(body)

    def delete(self, config: CallConfig, video_id: str) -> Flow[VideoDeleted]:
        request = self._build(config, "DELETE", f"/videos/{video_id}")
        response = yield from self._send(config, request, RetryPolicy.READ)
        body = self._json_object(response)
        body.setdefault("id", video_id)
        return VideoDeleted.model_validate(body)

    # -- parsing -----------------------------------------------------------------------------------

    def parse_video(self, response: _http.Response) -> Video:
        """Parse a video object response, normalizing status, seconds, progress and usage."""
        video = Video.model_validate(self.normalize_video(self._json_object(response), response))
        video._request_id = response.headers.get("x-request-id")
        poll_after = response.headers.get("openai-poll-after-ms")
        if poll_after and poll_after.isdigit():
            video._poll_after = int(poll_after) / 1000
        return video

    def normalize_video(self, item: object, response: _http.Response) -> dict[str, Any]:
        """Bring one upstream video object into canonical form (unknown keys are kept)."""
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise self._unreadable(response, "a video object has no 'id'")
        video = dict(item)
        raw_status = str(video.get("status", ""))
        status = STATUS_ALIASES.get(raw_status.lower())
        if status is None:
            status = "in_progress"
            video["upstream_status"] = raw_status
        video["status"] = status
        seconds = video.get("seconds")
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            video["seconds"] = f"{seconds:g}"
        progress = video.get("progress")
        if isinstance(progress, float):
            video["progress"] = round(progress * 100 if progress <= 1 else progress)
        if video.get("usage") is None and isinstance(video.get("seconds"), str):
            with contextlib.suppress(ValueError):
                video["usage"] = {"duration_seconds": float(video["seconds"])}
        return video

    # -- building and sending ----------------------------------------------------------------------

    def _send(
        self, config: CallConfig, request: _http.Request, policy: RetryPolicy, *, stream: bool = False
    ) -> Flow[_http.Response]:
        return send(
            request,
            provider=self.name,
            policy=policy,
            max_retries=config.max_retries,
            secrets=config.endpoint.secrets,
            stream=stream,
            handler=config.endpoint.handler,
        )

    def _build(
        self,
        config: CallConfig,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        accept: str = "application/json",
        **content: Any,
    ) -> _http.Request:
        endpoint = config.endpoint
        headers = {"accept": accept, "user-agent": USER_AGENT, **endpoint.headers, **config.extra_headers}
        query = {**endpoint.params, **(params or {})}
        request = _http.Request(
            method, endpoint.base_url + path, params=query or None, headers=headers, **content
        )
        if config.timeout is not None:
            request.extensions["timeout"] = config.timeout.as_dict()
        return request

    def _build_with_reference(
        self,
        config: CallConfig,
        path: str,
        fields: dict[str, Any],
        reference: Any,
        extra_body: Mapping[str, Any],
    ) -> _http.Request:
        if reference is not None and reference.content is not None:
            data = _form_fields({**fields, **extra_body})
            files = {"input_reference": (reference.filename, reference.content, reference.content_type)}
            request = self._build(config, "POST", path, data=data, files=files)
            request.extensions[FORM_FIELDS] = {
                **data,
                "input_reference": {
                    "filename": reference.filename,
                    "content_type": reference.content_type,
                    "content": reference.content,
                },
            }
            return request
        if reference is not None:
            fields["input_reference"] = (
                {"file_id": reference.file_id} if reference.file_id else {"image_url": reference.url}
            )
        return self._build(config, "POST", path, json={**fields, **extra_body})

    def _json_object(self, response: _http.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise self._unreadable(response, "the body is not JSON") from None
        if not isinstance(body, dict):
            raise self._unreadable(response, "the body is not a JSON object")
        return body

    def _unreadable(self, response: _http.Response, why: str) -> ProviderServerError:
        return ProviderServerError(
            f"{self.name} returned a response reelgate cannot read ({why}); "
            "check that api_base points at an OpenAI-compatible /videos API",
            status_code=502,
            provider=self.name,
            request_id=response.headers.get("x-request-id"),
            response=response,
        )


def _form_fields(values: Mapping[str, Any], prefix: str = "") -> dict[str, str | list[str]]:
    """Flatten values into multipart field names the way the official SDK does (``a[b]``, ``a[]``)."""
    fields: dict[str, str | list[str]] = {}
    for key, value in values.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, Mapping):
            fields.update(_form_fields(value, name))
        elif isinstance(value, list | tuple):
            fields[f"{name}[]"] = [_form_value(item) for item in value]
        else:
            fields[name] = _form_value(value)
    return fields


def _form_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
