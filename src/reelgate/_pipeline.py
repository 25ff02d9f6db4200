"""The one pipeline every operation goes through, whichever front door it came from.

Each method validates its arguments eagerly (so a bad call raises before anything is sent), resolves
the provider and its endpoint, and returns the provider's flow wrapped by the
:class:`~reelgate._observe.Observer` (spans, logs, metrics, cost, ledger) for a driver to run.
Providers stay free of all of that.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from opentelemetry.trace import SpanKind

from reelgate import _http
from reelgate._flow import Call, Download, Flow, Sleep
from reelgate._inputs import ReferenceImage, load_reference
from reelgate._observe import Observer, OperationInfo, record_polls
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
    default_model,
    resolve_model,
)
from reelgate.telemetry import names
from reelgate.types import ContentVariant, Video, VideoDeleted, VideoList

if TYPE_CHECKING:
    from reelgate.router._router import Route, Router

T = TypeVar("T")

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
    """The provider, upstream model name and call configuration for one call, and its attribution."""

    provider: Provider
    model: str
    config: CallConfig
    user: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.provider.name}/{self.model}" if self.model else self.provider.name

    def info(self, operation: str, **details: Any) -> OperationInfo:
        """What the observer needs to know about one operation on this target."""
        return OperationInfo(
            operation=operation,
            provider=self.provider.name,
            model=self.model,
            base_url=self.config.endpoint.base_url,
            user=self.user,
            tags=self.tags,
            secrets=self.config.endpoint.secrets,
            **details,
        )


@dataclass(frozen=True, slots=True)
class Owner:
    """Where one call about an existing video goes, and how its results get their public ids."""

    target: Target
    video_id: str
    """The id the caller used (a router's signed id, or the provider's own)."""
    upstream_id: str
    """The id the provider knows the video by."""
    publish: Callable[[Any], Any] | None = None
    deployment: str | None = None

    def info(self, operation: str, **details: Any) -> OperationInfo:
        return self.target.info(operation, video_id=self.video_id, deployment=self.deployment, **details)

    def published(self, flow: Flow[T]) -> Flow[T]:
        return published(flow, self.publish)


def published(flow: Flow[T], publish: Callable[[Any], Any] | None) -> Flow[T]:
    """``flow``, its result passed through ``publish`` (a router giving ids their public form)."""
    result = yield from flow
    return publish(result) if publish is not None else result


class Pipeline:
    """Builds the (observed) flow of every operation from caller arguments."""

    def __init__(self, config: ClientConfig, observer: Observer, router: Router | None = None) -> None:
        self.config = config
        self.observer = observer
        self.router = router

    def create(self, prompt: object, model: str | None, options: CreateOptions) -> Flow[Video]:
        group = self._group(model)
        if group is not None:
            from reelgate.router import _routed

            assert self.router is not None
            return _routed.create(self, self.router, group, prompt, options)
        target = self._target(model, options, "video_generation", needs_model=True)
        prompt = check_prompt(prompt)
        seconds = normalize_seconds(options.get("seconds"))
        size = check_size(options.get("size"))
        raw_reference = options.get("input_reference")
        reference = load_reference(raw_reference) if raw_reference is not None else None
        capabilities = target.provider.capabilities(target.model)
        check_capabilities(target.label, capabilities, seconds=seconds, size=size, reference=reference)
        return self.create_on(target, prompt, seconds, size, reference, options)

    def create_on(
        self,
        target: Target,
        prompt: str,
        seconds: str | None,
        size: str | None,
        reference: ReferenceImage | None,
        options: CreateOptions,
        *,
        publish: Callable[[Any], Any] | None = None,
        **details: Any,
    ) -> Flow[Video]:
        """The observed create of validated arguments on ``target`` (``details`` go to its span)."""
        capabilities = target.provider.capabilities(target.model)
        params = CreateParams(
            model=target.model,
            prompt=prompt,
            seconds=seconds,
            size=size,
            reference=reference,
            extra_body=options.get("extra_body") or {},
        )
        info = target.info(
            names.CREATE_VIDEO,
            prompt=prompt,
            seconds=seconds or (capabilities.default_seconds if capabilities else None),
            size=size or (capabilities.default_size if capabilities else None),
            **details,
        )
        return self.observer.observe(info, published(target.provider.create(target.config, params), publish))

    def status(self, video_id: object, model: str | None, options: CallOptions) -> Flow[Video]:
        video_id = check_video_id(video_id, "video_status")
        return self._status(self._locate(video_id, model, options, "video_status"))

    def _status(self, owner: Owner) -> Flow[Video]:
        info = owner.info(names.GET_VIDEO)
        flow = owner.target.provider.retrieve(owner.target.config, owner.upstream_id)
        return self.observer.observe(info, owner.published(flow))

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
        owner = self._locate(video_id, model, options, "video_content")
        info = owner.info(names.DOWNLOAD_VIDEO_CONTENT, variant=variant)
        return self.observer.observe(info, self._content(owner.target, owner.upstream_id, variant))

    def _content(self, target: Target, video_id: str, variant: ContentVariant) -> Flow[Download]:
        response = yield from target.provider.content(target.config, video_id, variant)
        return Download(response, provider=target.provider.name, secrets=target.config.endpoint.secrets)

    def remix(
        self, video_id: object, prompt: object, model: str | None, options: RemixOptions
    ) -> Flow[Video]:
        video_id = check_video_id(video_id, "video_remix")
        prompt = check_prompt(prompt)
        owner = self._locate(video_id, model, options, "video_remix")
        provider = owner.target.provider
        seconds = normalize_seconds(options.get("seconds"))
        raw_reference = options.get("input_reference")
        ignored = [
            name
            for name, value in (("seconds", seconds), ("input_reference", raw_reference))
            if value is not None and name not in provider.remix_parameters
        ]
        if ignored:
            warn_caller(
                f"{provider.name} remix takes only a prompt: ignoring {' and '.join(ignored)} "
                "(the remix keeps the source video's duration and size)"
            )
        accepted = provider.remix_parameters
        reference = load_reference(raw_reference) if raw_reference is not None else None
        params = RemixParams(
            video_id=owner.upstream_id,
            prompt=prompt,
            seconds=seconds if "seconds" in accepted else None,
            reference=reference if "input_reference" in accepted else None,
            extra_body=options.get("extra_body") or {},
        )
        info = owner.target.info(  # about the new video: the source is ``remix_of``
            names.REMIX_VIDEO,
            prompt=prompt,
            remix_of=video_id,
            seconds=params.seconds,
            deployment=owner.deployment,
        )
        return self.observer.observe(info, owner.published(provider.remix(owner.target.config, params)))

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
        group = self._group(model)
        if after is not None and (group is None or not isinstance(after, str)):
            check_video_id(after, "video_list")  # a routed list's cursor is verified by its signature
        if group is not None:
            from reelgate.router import _routed

            assert self.router is not None
            return _routed.list_videos(self, self.router, group, after, limit, order, options)
        target = self._target(model, options, "video_list")
        flow = target.provider.list(target.config, ListParams(after=after, limit=limit, order=order))
        return self.observer.observe(target.info(names.LIST_VIDEOS), flow)

    def delete(self, video_id: object, model: str | None, options: CallOptions) -> Flow[VideoDeleted]:
        video_id = check_video_id(video_id, "video_delete")
        owner = self._locate(video_id, model, options, "video_delete")
        info = owner.info(names.DELETE_VIDEO)
        flow = owner.target.provider.delete(owner.target.config, owner.upstream_id)
        return self.observer.observe(info, owner.published(flow))

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
        owner = self._locate(video_id, model, options, "video_wait")
        budget = DEFAULT_WAIT_TIMEOUT if timeout is None else float(timeout)
        flow = self._wait(owner, budget, poll_interval, on_progress, raise_on_failure)
        return self.observer.observe(owner.info(names.GENERATE_VIDEO), flow, kind=SpanKind.INTERNAL)

    def _wait(
        self,
        owner: Owner,
        timeout: float,
        poll_interval: float | None,
        on_progress: Callable[[Video], Any] | None,
        raise_on_failure: bool,
    ) -> Flow[Video]:
        deadline = time.monotonic() + timeout
        polls = 0
        try:
            while True:
                video = yield from self._status(owner)
                polls += 1
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
        finally:
            record_polls(polls, owner.target.provider.name, owner.target.model)

    # -- targets --------------------------------------------------------------------------------

    def _group(self, model: str | None) -> str | None:
        """The router model group ``model`` (or the client's default) names, if any."""
        chosen = model or self.config.model
        if self.router is not None and chosen and self.router.has_group(chosen):
            return chosen
        return None

    def _locate(
        self, video_id: str, model: str | None, options: CallOptions | ConnectionOptions, operation: str
    ) -> Owner:
        """Where a call about ``video_id`` goes: its owning deployment when the id is a router's, else
        the provider ``model`` names (a router group with a single deployment counts as that one)."""
        router = self.router
        if router is not None:
            owned = router.owner(video_id)
            group = self._group(model)
            if owned is None and group is not None:
                routes = router.routes(group)
                if len(routes) > 1:
                    raise BadRequestError(
                        f"{video_id!r} is not an id this router issued, and {group!r} has "
                        f"{len(routes)} deployments; pass the id the router returned, or "
                        "model='provider/model' with the deployment's credentials",
                        param="video_id",
                        code="ambiguous_owner",
                    )
                owned = (routes[0], video_id)
                route, upstream_id = owned
                return Owner(self._route_target(route, options), video_id, upstream_id, None, route.id)
            if owned is not None:
                route, upstream_id = owned
                target = self._route_target(route, options)
                return Owner(target, video_id, upstream_id, partial(router.publish, route), route.id)
        from reelgate.router._ids import VideoIdCodec

        if router is None and VideoIdCodec.is_signed(video_id):
            raise BadRequestError(
                f"{video_id!r} was issued by a reelgate Router: call through that router "
                "(router.video_status(...), or Client(router=router)), which knows its deployment",
                param="video_id",
                code="router_video_id",
            )
        target = self._target(model, options, operation)
        return Owner(target, video_id, video_id)

    def _route_target(self, route: Route, options: CallOptions | ConnectionOptions) -> Target:
        assert self.router is not None
        return self.target_for(
            route.provider,
            route.model,
            route.settings,
            options,
            timeout=route.deployment.params.timeout or self.router.config.timeout,
            max_retries=self.router.config.num_retries,
        )

    def _chosen_model(
        self, model: str | None, options: CallOptions | ConnectionOptions, operation: str
    ) -> str:
        defaults = self.config.settings
        chosen = (
            model
            or self.config.model
            or os.environ.get(DEFAULT_MODEL_ENV)
            or default_model(
                has_credentials=any(
                    (defaults.api_key, defaults.api_base, options.get("api_key"), options.get("api_base"))
                )
            )
        )
        if not chosen:
            raise BadRequestError(
                f"{operation} needs model= (for example model='openai/sora-2' or 'azure/<deployment>'), "
                f"or a default from Client(model=...) or the {DEFAULT_MODEL_ENV} environment variable "
                "(with no provider credentials configured, the default is the offline 'local/preview')",
                param="model",
                code="missing_model",
            )
        return chosen

    def _target(
        self,
        model: str | None,
        options: CallOptions | ConnectionOptions,
        operation: str,
        *,
        needs_model: bool = False,
    ) -> Target:
        chosen = self._chosen_model(model, options, operation)
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
        return self.target_for(provider, upstream_model, settings, options)

    def target_for(
        self,
        provider: Provider,
        upstream_model: str,
        settings: Settings,
        options: CallOptions | ConnectionOptions,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
    ) -> Target:
        """The target for one provider and model with these credentials (a router deployment's, say).

        Timeout: the call's, else ``timeout`` (a deployment's), else the client's.
        """
        raw_timeout = options.get("timeout") if "timeout" in options else None
        if raw_timeout is None:
            raw_timeout = timeout
        config = CallConfig(
            endpoint=provider.endpoint(settings),
            max_retries=self.config.max_retries if max_retries is None else max_retries,
            timeout=self.config.timeout if raw_timeout is None else _as_timeout(raw_timeout),
            extra_headers={**self.config.default_headers, **(options.get("extra_headers") or {})},
        )
        user, tags = attribution(options)
        return Target(provider=provider, model=upstream_model, config=config, user=user, tags=tags)


def attribution(options: CallOptions | ConnectionOptions) -> tuple[str | None, dict[str, str]]:
    """The call's ``user`` and ``tags`` (recorded with its calls and costs), checked."""
    user = options.get("user")
    tags = options.get("tags") or {}
    if user is not None and not isinstance(user, str):
        raise BadRequestError(f"user={user!r} must be a string", param="user")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        raise BadRequestError("tags must map strings to strings, e.g. {'team': 'ads'}", param="tags")
    return user, dict(tags)


def _as_timeout(value: object) -> _http.Timeout:
    if isinstance(value, _http.Timeout):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return _http.Timeout(float(value))
    raise BadRequestError(f"timeout={value!r} must be a positive number of seconds", param="timeout")
