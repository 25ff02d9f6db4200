"""The :class:`Router`: deployments grouped under public aliases, chosen per call, owning their videos.

A router is configuration plus live memory: which deployments serve each model group, how to order
them (the routing strategy), where to go when one fails (fallback groups), which are cooling down, and
the key that signs the video ids it hands out. It performs no I/O itself: a
:class:`~reelgate.Client` built with ``router=`` asks it for a plan and runs the attempts through the
ordinary pipeline (see :mod:`reelgate.router._routed`), so every attempt is traced, logged and
recorded like any call.

Its own ``video_*`` / ``avideo_*`` methods (the seed page's functions) run on such a client.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import random
import threading
import time
import warnings
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from reelgate._client import AsyncClient, Client
from reelgate._functions import VideoFunctions
from reelgate._inputs import ReferenceImage
from reelgate._validation import check_capabilities
from reelgate.errors import BadRequestError, NoDeploymentAvailableError, NotFoundError
from reelgate.providers import ModelCapabilities, Provider, Settings, resolve_model
from reelgate.router._config import (
    Deployment,
    RouterConfig,
    RouterConfigError,
    build_config,
    load_yaml,
)
from reelgate.router._ids import InvalidVideoIdError, VideoIdCodec, load_key
from reelgate.router._state import RouterState
from reelgate.router._strategies import order, saturated
from reelgate.types import Video, VideoDeleted

CURSOR_PREFIX = "video_rgc1_"
"""Starts a merged list's cursor (a signed, compressed map of each deployment's position)."""
_CURSOR_CONTEXT = b"reelgate list cursor\x00"
JOB_TTL = 30 * 60.0
"""Seconds a started job counts toward its deployment's load unless seen to end sooner."""
MAX_TRACKED_JOBS = 100_000


@dataclass(frozen=True, slots=True)
class Route:
    """One deployment resolved: its provider, the upstream model name and its credentials."""

    deployment: Deployment
    provider: Provider
    model: str
    capabilities: ModelCapabilities | None

    @property
    def settings(self) -> Settings:
        params = self.deployment.params
        return Settings(api_key=params.api_key, api_base=params.api_base, api_version=params.api_version)

    # the routing strategies' view of a deployment
    @property
    def id(self) -> str:
        return self.deployment.id

    @property
    def weight(self) -> float:
        return self.deployment.params.weight

    @property
    def rpm(self) -> int | None:
        return self.deployment.params.rpm

    @property
    def max_parallel_jobs(self) -> int | None:
        return self.deployment.params.max_parallel_jobs

    def refusal(self, seconds: str | None, size: str | None, reference: ReferenceImage | None) -> str | None:
        """Why this deployment cannot serve the request (the same rule as any direct call), or None."""
        try:
            label = self.deployment.params.model
            check_capabilities(label, self.capabilities, seconds=seconds, size=size, reference=reference)
        except BadRequestError as exc:
            return exc.message
        return None


class Router(VideoFunctions):
    """Load balancing, fallbacks, cooldowns and signed video ids over a list of deployments.

    ``Router(model_list=[{"model_name": "sora", "params": {"model": "azure/sora-2", ...}}, ...],
    routing_strategy="simple-shuffle", fallbacks={"sora": ["sora-backup"]}, num_retries=2,
    timeout=None, cooldown={"allowed_fails": 3, "window": 60, "cooldown_time": 30})``, or
    :meth:`from_yaml` for a LiteLLM-style config file. Use it directly (``router.video_generation(
    "a cat", model="sora")``, the seed page's functions) or give it to a client
    (``Client(router=router)``). ``id_key`` (or ``REELGATE_ID_KEY``, else a key generated once in the
    data directory) signs the video ids it returns.
    """

    def __init__(
        self,
        model_list: Sequence[Mapping[str, Any] | Deployment] = (),
        *,
        routing_strategy: str = "simple-shuffle",
        fallbacks: Any = None,
        content_policy_fallbacks: Any = None,
        num_retries: int = 2,
        timeout: float | None = None,
        cooldown: Any = None,
        id_key: str | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        seed: int | None = None,
    ) -> None:
        config = build_config(
            model_list=model_list,
            routing_strategy=routing_strategy,
            fallbacks=fallbacks,
            content_policy_fallbacks=content_policy_fallbacks,
            num_retries=num_retries,
            timeout=timeout,
            cooldown=cooldown,
            id_key=id_key,
        )
        self._setup(config, data_dir, seed)

    @classmethod
    def from_config(
        cls, config: RouterConfig, *, data_dir: str | os.PathLike[str] | None = None, seed: int | None = None
    ) -> Router:
        """A router for an already-built :class:`RouterConfig`."""
        router = cls.__new__(cls)
        router._setup(config, data_dir, seed)
        return router

    @classmethod
    def from_yaml(
        cls,
        path: str | os.PathLike[str],
        *,
        data_dir: str | os.PathLike[str] | None = None,
        seed: int | None = None,
    ) -> Router:
        """A router from a YAML file (reelgate's or LiteLLM's shape; ``os.environ/VAR`` resolved now)."""
        return cls.from_config(load_yaml(path), data_dir=data_dir, seed=seed)

    def _setup(self, config: RouterConfig, data_dir: str | os.PathLike[str] | None, seed: int | None) -> None:
        self.config = config
        policy = config.cooldown
        self.state = RouterState(
            allowed_fails=policy.allowed_fails, window=policy.window, cooldown_time=policy.cooldown_time
        )
        self._key = load_key(config.id_key, data_dir=data_dir)
        self.codec = VideoIdCodec(self._key)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._routes = {deployment.id: _route(deployment) for deployment in config.deployments}
        self._groups = {
            name: [self._routes[d.id] for d in deployments] for name, deployments in config.groups().items()
        }
        self._running: dict[str, tuple[str, float]] = {}  # video id -> (deployment id, when it started)
        self._blocking: Client | None = None
        if config.ignored:
            warnings.warn(
                "reelgate Router ignores these LiteLLM settings, which have no meaning for video: "
                + ", ".join(config.ignored),
                UserWarning,
                stacklevel=3,
            )
        super().__init__(self.client, lambda: AsyncClient(router=self))

    def __repr__(self) -> str:
        groups = ", ".join(f"{name}: {len(routes)}" for name, routes in self._groups.items())
        return f"Router({groups}; strategy={self.config.routing_strategy!r})"

    # -- clients --------------------------------------------------------------------------------

    def client(self) -> Client:
        """The blocking client behind this router's ``video_*`` methods (built on first use)."""
        with self._lock:
            if self._blocking is None:
                self._blocking = Client(router=self)
            return self._blocking

    def close(self) -> None:
        with self._lock:
            if self._blocking is not None:
                self._blocking.close()
                self._blocking = None

    def __enter__(self) -> Router:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- what the pipeline asks -----------------------------------------------------------------

    def has_group(self, name: str) -> bool:
        return name in self._groups

    @property
    def groups(self) -> list[str]:
        return list(self._groups)

    def routes(self, group: str) -> list[Route]:
        return list(self._groups[group])

    def candidates(
        self,
        group: str,
        *,
        seconds: str | None,
        size: str | None,
        reference: ReferenceImage | None,
        price: Callable[[Route], Decimal | None],
    ) -> tuple[list[Route], dict[str, str]]:
        """The group's deployments able to take this create now, best first, and why others were skipped.

        Raises :class:`BadRequestError` when no deployment of the group can serve the request at all.
        """
        routes = self._groups[group]
        refusals = {route.id: route.refusal(seconds, size, reference) for route in routes}
        able = [route for route in routes if refusals[route.id] is None]
        if not able:
            reasons = "; ".join(f"{route_id}: {why}" for route_id, why in refusals.items())
            raise BadRequestError(
                f"no deployment of {group!r} can make this video: {reasons}",
                param="size" if size else "seconds",
                code="no_capable_deployment",
            )
        self.expire_jobs()
        skipped: dict[str, str] = {}
        usable: list[Route] = []
        now = time.monotonic()
        for route in able:
            until = self.state.cooling_until(route.id)
            if until is not None:
                skipped[route.id] = f"cooling down for {until - now:.0f} s more (until {_clock(until - now)})"
            elif saturated(route, self.state):
                skipped[route.id] = "at its rpm or max_parallel_jobs limit"
            else:
                usable.append(route)
        with self._lock:  # random.Random is not thread-safe
            ordered = order(self.config.routing_strategy, usable, self.state, rng=self._rng, price=price)
        return ordered, skipped

    def reserve(self, route: Route) -> bool:
        """Claim a request slot on ``route`` if it is still usable now (checked and booked at once,
        so concurrent creates cannot all slip under a ``max_parallel_jobs`` or ``rpm`` limit)."""
        with self._lock:
            if self.state.cooling_until(route.id) is not None or saturated(route, self.state):
                return False
            self.state.start(route.id)
            return True

    def sign_cursor(self, payload: bytes) -> str:
        """A list cursor: ``payload`` compressed and signed (not a video id, so no length limit)."""
        body = zlib.compress(payload, 9)
        tag = hmac.new(self._key, _CURSOR_CONTEXT + body, hashlib.sha256).digest()[:16]
        return CURSOR_PREFIX + base64.urlsafe_b64encode(tag + body).decode().rstrip("=")

    def open_cursor(self, cursor: str) -> bytes | None:
        """The payload of a cursor this router signed, or None."""
        if not cursor.startswith(CURSOR_PREFIX):
            return None
        text = cursor.removeprefix(CURSOR_PREFIX)
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            return None
        tag, body = raw[:16], raw[16:]
        expected = hmac.new(self._key, _CURSOR_CONTEXT + body, hashlib.sha256).digest()[:16]
        if len(tag) != 16 or not hmac.compare_digest(tag, expected):
            return None
        try:
            return zlib.decompress(body)
        except zlib.error:
            return None

    def unavailable(self, group: str, skipped: Mapping[str, str]) -> NoDeploymentAvailableError:
        now = time.monotonic()
        ends = [until - now for route in self._groups[group] if (until := self.state.cooling_until(route.id))]
        waits = [end for end in ends if end > 0]
        details = "; ".join(f"{deployment}: {why}" for deployment, why in skipped.items())
        return NoDeploymentAvailableError(
            f"no deployment of {group!r} is available: {details}; retry later"
            + (f" (the first returns in {min(waits):.0f} s)" if waits else ""),
            retry_after=min(waits) if waits else None,
            deployments=dict(skipped),
        )

    def fallback_groups(self, group: str, *, content_policy: bool) -> tuple[str, ...]:
        table = self.config.content_policy_fallbacks if content_policy else self.config.fallbacks
        return tuple(table.get(group, table.get("*", ())))

    def owner(self, video_id: str) -> tuple[Route, str] | None:
        """The deployment and upstream id behind a signed id; None for an id this router did not sign.

        A signed id that does not verify is a :class:`NotFoundError`, decided without any request.
        """
        try:
            decoded = self.codec.decode(video_id)
        except InvalidVideoIdError:
            raise _no_such_video(
                video_id,
                "its signature does not verify (tampered, truncated or issued by "
                "another reelgate installation)",
            ) from None
        if decoded is None:
            return None
        deployment_id, upstream_id = decoded
        route = self._routes.get(deployment_id)
        if route is None:
            raise _no_such_video(
                video_id,
                f"it belongs to deployment {deployment_id!r}, which this router's configuration lacks",
            )
        return route, upstream_id

    def public_id(self, route: Route, upstream_id: str) -> str:
        return self.codec.encode(route.id, upstream_id)

    def publish(self, route: Route, result: Any, *, track: bool = True) -> Any:
        """Give a result from ``route`` its public ids; with ``track``, count the route's running jobs
        (a listing does not: it only reports videos, it did not start them)."""
        if isinstance(result, Video):
            result.id = self.public_id(route, result.id)
            if result.remixed_from_video_id:
                result.remixed_from_video_id = self.public_id(route, result.remixed_from_video_id)
            if track:
                self._track(route, result)
        elif isinstance(result, VideoDeleted):
            result.id = self.public_id(route, result.id)
            self._finished(result.id)
        return result

    def _track(self, route: Route, video: Video) -> None:
        if video.is_terminal:
            self._finished(video.id)
            return
        with self._lock:
            if video.id in self._running:
                return
            self._running[video.id] = (route.id, time.monotonic())
        self.state.job_started(route.id)
        self.expire_jobs()

    def _finished(self, video_id: str) -> None:
        with self._lock:
            entry = self._running.pop(video_id, None)
        if entry is not None:
            self.state.job_finished(entry[0])

    def expire_jobs(self, now: float | None = None) -> None:
        """Stop counting jobs started more than :data:`JOB_TTL` seconds ago: this process may never
        see them end (another process polls them, or nobody does), and a job counted for ever would
        keep its deployment at ``max_parallel_jobs`` for good. Jobs are kept in start order, so only
        the expired ones at the front are visited."""
        cutoff = (time.monotonic() if now is None else now) - JOB_TTL
        expired = []
        with self._lock:
            while self._running:
                video_id, (deployment_id, started) = next(iter(self._running.items()))
                if started >= cutoff and len(self._running) <= MAX_TRACKED_JOBS:
                    break
                del self._running[video_id]
                expired.append(deployment_id)
        for deployment_id in expired:
            self.state.job_finished(deployment_id)


def _route(deployment: Deployment) -> Route:
    try:
        provider, model = resolve_model(deployment.params.model)
        capabilities = provider.capabilities(model) if model else None
    except BadRequestError as exc:
        raise RouterConfigError(f"deployment {deployment.id} ({deployment.model_name}): {exc}") from None
    if not model:
        raise RouterConfigError(
            f"deployment {deployment.id} ({deployment.model_name}): model {deployment.params.model!r} "
            "names a provider but no model"
        )
    return Route(deployment, provider, model, capabilities)


def _no_such_video(video_id: str, why: str) -> NotFoundError:
    return NotFoundError(
        f"no video {video_id!r}: {why}; nothing was sent upstream",
        status_code=404,
        provider="router",
        param="video_id",
        code="invalid_video_id",
    )


def _clock(seconds_from_now: float) -> str:
    moment = datetime.now(UTC).timestamp() + max(0.0, seconds_from_now)
    return datetime.fromtimestamp(moment, UTC).strftime("%H:%M:%S UTC")
