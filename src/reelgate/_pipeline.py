"""The one pipeline every operation goes through, whichever front door it came from.

Each method validates its arguments eagerly (so a bad call raises before anything is sent), resolves
the provider and its endpoint, and returns the provider's flow for a driver to run. Later steps of
the pipeline (routing, telemetry, cost accounting) wrap these flows; providers stay free of them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from reelgate import _http
from reelgate._flow import Call, Flow, Sleep
from reelgate._inputs import load_reference
from reelgate._options import CallOptions, ConnectionOptions, CreateOptions, RemixOptions
from reelgate._polling import DEFAULT_WAIT_TIMEOUT, poll_delay
from reelgate._validation import (
    check_capabilities,
    check_prompt,
    check_size,
    check_video_id,
    normalize_seconds,
)
from reelgate._warnings import warn_caller
from reelgate.errors import BadRequestError, VideoFailedError, WaitTimeoutError
from reelgate.providers import (
    CallConfig,
    CreateParams,
    ListParams,
    Provider,
    RemixParams,
    Settings,
    resolve_model,
)
from reelgate.types import ContentVariant, Video, VideoDeleted, VideoList

DEFAULT_MODEL_ENV = "REELGATE_MODEL"
_VARIANTS = ("video", "thumbnail", "spritesheet")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """What a client was configured with; per-call options override it."""

    model: str | None = None
    settings: Settings = field(default_factory=Settings)
    timeout: _http.Timeout | None = None
    max_retries: int = 2
    default_headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Target:
    """The provider, upstream model name and call configuration for one call."""

    provider: Provider
    model: str
    config: CallConfig

    @property
    def label(self) -> str:
        return f"{self.provider.name}/{self.model}" if self.model else self.provider.name


@dataclass(frozen=True, slots=True)
class Download:
    """An open, successful content response and what is needed to report a failure while reading it."""

    response: _http.Response
    provider: str
    secrets: tuple[str, ...]


class Pipeline:
    """Builds the flow of every operation from caller arguments."""

    def __init__(self, config: ClientConfig) -> None:
        self.config = config

    def create(self, prompt: object, model: str | None, options: CreateOptions) -> Flow[Video]:
        target = self._target(model, options, "video_generation", needs_model=True)
        prompt = check_prompt(prompt)
        seconds = normalize_seconds(options.get("seconds"))
        size = check_size(options.get("size"))
        raw_reference = options.get("input_reference")
        reference = load_reference(raw_reference) if raw_reference is not None else None
        capabilities = target.provider.capabilities(target.model)
        check_capabilities(target.label, capabilities, seconds=seconds, size=size, reference=reference)
        params = CreateParams(
            model=target.model,
            prompt=prompt,
            seconds=seconds,
            size=size,
            reference=reference,
            extra_body=options.get("extra_body") or {},
        )
        return target.provider.create(target.config, params)

    def status(self, video_id: object, model: str | None, options: CallOptions) -> Flow[Video]:
        video_id = check_video_id(video_id, "video_status")
        target = self._target(model, options, "video_status")
        return target.provider.retrieve(target.config, video_id)

    def content(
        self, video_id: object, model: str | None, variant: ContentVariant, options: CallOptions
    ) -> Flow[Download]:
        video_id = check_video_id(video_id, "video_content")
        if variant not in _VARIANTS:
            raise BadRequestError(
                f"variant={variant!r} is not one of: {', '.join(_VARIANTS)}",
                param="variant",
                code="invalid_variant",
            )
        target = self._target(model, options, "video_content")
        return self._content(target, video_id, variant)

    def _content(self, target: Target, video_id: str, variant: ContentVariant) -> Flow[Download]:
        response = yield from target.provider.content(target.config, video_id, variant)
        return Download(response, provider=target.provider.name, secrets=target.config.endpoint.secrets)

    def remix(
        self, video_id: object, prompt: object, model: str | None, options: RemixOptions
    ) -> Flow[Video]:
        video_id = check_video_id(video_id, "video_remix")
        prompt = check_prompt(prompt)
        target = self._target(model, options, "video_remix")
        seconds = normalize_seconds(options.get("seconds"))
        raw_reference = options.get("input_reference")
        ignored = [
            name
            for name, value in (("seconds", seconds), ("input_reference", raw_reference))
            if value is not None and name not in target.provider.remix_parameters
        ]
        if ignored:
            warn_caller(
                f"{target.provider.name} remix takes only a prompt: ignoring {' and '.join(ignored)} "
                "(the remix keeps the source video's duration and size)"
            )
        accepted = target.provider.remix_parameters
        reference = load_reference(raw_reference) if raw_reference is not None else None
        params = RemixParams(
            video_id=video_id,
            prompt=prompt,
            seconds=seconds if "seconds" in accepted else None,
            reference=reference if "input_reference" in accepted else None,
            extra_body=options.get("extra_body") or {},
        )
        return target.provider.remix(target.config, params)

    def list(
        self,
        model: str | None,
        after: str | None,
        limit: int | None,
        order: Literal["asc", "desc"] | None,
        options: CallOptions,
    ) -> Flow[VideoList]:
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
            raise BadRequestError(f"limit={limit!r} must be a whole number >= 0", param="limit")
        if order is not None and order not in ("asc", "desc"):
            raise BadRequestError(f"order={order!r} must be 'asc' or 'desc'", param="order")
        if after is not None:
            check_video_id(after, "video_list")
        target = self._target(model, options, "video_list")
        return target.provider.list(target.config, ListParams(after=after, limit=limit, order=order))

    def delete(self, video_id: object, model: str | None, options: CallOptions) -> Flow[VideoDeleted]:
        video_id = check_video_id(video_id, "video_delete")
        target = self._target(model, options, "video_delete")
        return target.provider.delete(target.config, video_id)

    def wait(
        self,
        video_id: object,
        model: str | None,
        *,
        timeout: float | None,
        poll_interval: float | None,
        on_progress: Callable[[Video], Any] | None,
        raise_on_failure: bool,
        options: ConnectionOptions,
    ) -> Flow[Video]:
        video_id = check_video_id(video_id, "video_wait")
        target = self._target(model, options, "video_wait")
        budget = DEFAULT_WAIT_TIMEOUT if timeout is None else float(timeout)
        return self._wait(target, video_id, budget, poll_interval, on_progress, raise_on_failure)

    def _wait(
        self,
        target: Target,
        video_id: str,
        timeout: float,
        poll_interval: float | None,
        on_progress: Callable[[Video], Any] | None,
        raise_on_failure: bool,
    ) -> Flow[Video]:
        deadline = time.monotonic() + timeout
        while True:
            video = yield from target.provider.retrieve(target.config, video_id)
            if on_progress is not None:
                yield Call(on_progress, (video,))
            if video.is_terminal:
                if raise_on_failure and video.status != "completed":
                    raise VideoFailedError(video)
                return video
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(video, timeout)
            yield Sleep(min(poll_delay(poll_interval, video._poll_after), remaining))

    def _target(
        self,
        model: str | None,
        options: CallOptions | ConnectionOptions,
        operation: str,
        *,
        needs_model: bool = False,
    ) -> Target:
        chosen = model or self.config.model or os.environ.get(DEFAULT_MODEL_ENV)
        if not chosen:
            raise BadRequestError(
                f"{operation} needs model= (for example model='openai/sora-2' or 'azure/<deployment>'), "
                f"or a default from Client(model=...) or the {DEFAULT_MODEL_ENV} environment variable",
                param="model",
                code="missing_model",
            )
        provider, upstream_model = resolve_model(chosen)
        if needs_model and not upstream_model:
            raise BadRequestError(
                f"model={chosen!r} names a provider but no model; use '{provider.name}/<model>'",
                param="model",
            )
        defaults = self.config.settings
        settings = Settings(
            api_key=options.get("api_key") or defaults.api_key,
            api_base=options.get("api_base") or defaults.api_base,
            api_version=options.get("api_version") or defaults.api_version,
        )
        raw_timeout = options.get("timeout") if "timeout" in options else None
        timeout = self.config.timeout if raw_timeout is None else _as_timeout(raw_timeout)
        config = CallConfig(
            endpoint=provider.endpoint(settings),
            max_retries=self.config.max_retries,
            timeout=timeout,
            extra_headers={**self.config.default_headers, **(options.get("extra_headers") or {})},
        )
        return Target(provider=provider, model=upstream_model, config=config)


def _as_timeout(value: object) -> _http.Timeout:
    if isinstance(value, _http.Timeout):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return _http.Timeout(float(value))
    raise BadRequestError(f"timeout={value!r} must be a positive number of seconds", param="timeout")
