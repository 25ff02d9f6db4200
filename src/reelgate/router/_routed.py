"""The flows of routed calls: a create tried deployment by deployment, and a list merged across them.

A routed create runs inside one ``route_create_video {group}`` span (kind INTERNAL). Each deployment
tried is an ordinary observed ``create_video`` call under it, with its own span, log events and
``calls`` row, so a fallback is visible and nothing is charged for the attempts that failed: only the
attempt that started a job returns a video, and only a video is costed.

An attempt falls back (to the next deployment of the group, then to the configured fallback groups in
order) on a rate limit, a 5xx, a timeout, a connection error or a retired model (404
``model_not_found``). A content-policy refusal goes to the group's ``content_policy_fallbacks`` if it
has any; other errors (bad request, authentication) surface at once. A create whose response was lost
(a timeout after the request was sent) may have started a job upstream: that is logged as a warning
naming the deployment, and the next attempt goes to a *different* deployment, never the same one.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from opentelemetry import trace
from opentelemetry.trace import SpanKind

from reelgate._flow import Flow
from reelgate._inputs import load_reference
from reelgate._observe import OperationInfo
from reelgate._pipeline import attribution
from reelgate._validation import check_prompt, check_size, normalize_seconds
from reelgate.errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ContentPolicyError,
    NotFoundError,
    PermissionDeniedError,
    ProviderServerError,
    RateLimitError,
    ReelgateError,
)
from reelgate.providers import ListParams
from reelgate.router._router import Route, Router
from reelgate.telemetry import _logging, names
from reelgate.types import Video, VideoList

if TYPE_CHECKING:
    from reelgate._options import CallOptions, CreateOptions
    from reelgate._pipeline import Pipeline

T = TypeVar("T")

DEFAULT_LIST_LIMIT = 20


DEPLOYMENT_TROUBLE = (
    RateLimitError,
    ProviderServerError,
    APIConnectionError,
    AuthenticationError,  # one deployment's key revoked or misconfigured: the others may be fine
    PermissionDeniedError,
)
"""Failures that say something about the deployment, not the request: another one may succeed."""


def falls_back(error: BaseException) -> bool:
    """Whether another deployment may succeed where this one failed."""
    if isinstance(error, DEPLOYMENT_TROUBLE):
        return True
    return isinstance(error, NotFoundError) and error.code == "model_not_found"


def create(
    pipeline: Pipeline, router: Router, group: str, prompt: object, options: CreateOptions
) -> Flow[Video]:
    """The routed create for model group ``group`` (validated now; nothing is sent until run)."""
    prompt = check_prompt(prompt)
    seconds = normalize_seconds(options.get("seconds"))
    size = check_size(options.get("size"))
    raw_reference = options.get("input_reference")
    reference = load_reference(raw_reference) if raw_reference is not None else None
    prices = pipeline.observer.price_table()

    def price(route: Route) -> Decimal | None:
        caps = route.capabilities
        wanted_seconds = seconds or (caps.default_seconds if caps else None)
        if not wanted_seconds:
            return None
        try:
            estimate = prices.estimate(
                route.provider.name,
                route.model,
                wanted_seconds,
                size or (caps.default_size if caps else None),
            )
        except ValueError:
            return None
        return estimate.amount if estimate is not None else None

    def plan(name: str) -> list[Route]:
        try:
            routes, skipped = router.candidates(
                name, seconds=seconds, size=size, reference=reference, price=price
            )
        except BadRequestError:
            if name == group:
                raise
            return []  # a fallback group that cannot make this video is skipped, not the error shown
        if not routes and name == group:
            raise router.unavailable(name, skipped)
        return routes

    first = plan(group)  # eagerly: an impossible request raises before anything is sent
    user, tags = attribution(options)
    info = OperationInfo(
        operation=names.ROUTE_CREATE_VIDEO,
        provider="router",
        model=group,
        base_url="",
        user=user,
        tags=tags,
        seconds=seconds,
        size=size,
        attributes={names.ROUTER_GROUP: group, names.ROUTER_STRATEGY: router.config.routing_strategy},
    )

    def attempt(route: Route) -> Flow[Video]:
        target = pipeline.target_for(
            route.provider,
            route.model,
            route.settings,
            options,
            timeout=route.deployment.params.timeout or router.config.timeout,
            max_retries=router.config.num_retries,
        )
        return pipeline.create_on(
            target,
            prompt,
            seconds,
            size,
            reference,
            options,
            publish=partial(router.publish, route),
            deployment=route.id,
            attributes={names.ROUTER_GROUP: route.deployment.model_name},
        )

    flow = _attempts(router, group, first, plan, attempt)
    return pipeline.observer.observe(info, flow, kind=SpanKind.INTERNAL, account=False)


def _attempts(
    router: Router,
    group: str,
    first: list[Route],
    plan: Callable[[str], list[Route]],
    attempt: Callable[[Route], Flow[Video]],
) -> Flow[Video]:
    span = trace.get_current_span()
    tried: set[str] = set()
    queue: list[tuple[str, list[Route] | None]] = [(group, first)]
    visited_groups = {group}
    last_error: ReelgateError | None = None
    while queue:
        name, routes = queue.pop(0)
        for route in routes if routes is not None else plan(name):
            if route.id in tried:
                continue  # never the same deployment twice, even through a fallback group
            tried.add(route.id)
            if not router.reserve(route):
                continue  # cooled down or filled up since the plan was made
            span.set_attribute(names.ROUTER_ATTEMPTS, len(tried))
            started = time.perf_counter()
            try:
                video = yield from attempt(route)
            except ReelgateError as error:
                router.state.finish(route.id, latency=None, ok=False)
                if not (falls_back(error) or _content_policy(error)):
                    raise
                if falls_back(error):  # the deployment's trouble, not the request's: counts toward cooldown
                    router.state.failure(route.id)
                _moved_on(span, group, route, error)
                last_error = error
                if _content_policy(error):
                    break  # the same model refuses the same prompt: go to the content-policy groups
                continue
            except BaseException:
                router.state.finish(route.id, latency=None, ok=False)
                raise
            router.state.finish(route.id, latency=time.perf_counter() - started, ok=True)
            router.state.success(route.id)
            span.set_attribute(names.ROUTER_DEPLOYMENT, route.id)
            return video
        content_policy = last_error is not None and _content_policy(last_error)
        if content_policy and not router.fallback_groups(name, content_policy=True):
            assert last_error is not None
            raise last_error
        for fallback in router.fallback_groups(name, content_policy=content_policy):
            if fallback not in visited_groups:
                visited_groups.add(fallback)
                queue.append((fallback, None))
    if last_error is not None:
        raise last_error
    raise router.unavailable(group, {route.id: "already tried" for route in first})


def _content_policy(error: BaseException) -> bool:
    return isinstance(error, ContentPolicyError)


def _moved_on(span: Any, group: str, route: Route, error: ReelgateError) -> None:
    lost = isinstance(error, APIConnectionError) and error.reached_upstream
    attributes = {
        names.ROUTER_GROUP: group,
        names.ROUTER_DEPLOYMENT: route.id,
        names.ERROR_TYPE: type(error).__name__,
        "reelgate.router.response_lost": lost,
    }
    span.add_event(names.EVENT_ROUTER_FALLBACK, attributes)
    if _logging.enabled():
        _logging.emit(
            "warning",
            names.EVENT_ROUTER_FALLBACK,
            group=group,
            deployment=route.id,
            error_type=type(error).__name__,
            error_message=str(error),
            hint=(
                f"the request reached {route.id} before the response was lost: a job may have started "
                "there, untracked; the next attempt goes to another deployment"
                if lost
                else "trying the next deployment"
            ),
        )


# -- merged lists ---------------------------------------------------------------------------------


def list_videos(
    pipeline: Pipeline,
    router: Router,
    group: str,
    after: str | None,
    limit: int | None,
    order: Literal["asc", "desc"] | None,
    options: CallOptions,
) -> Flow[VideoList]:
    """One page of the group's videos across its deployments, newest first unless ``order='asc'``.

    Deployments that reach the same upstream account (same provider, base URL and key, e.g. two
    models on one OpenAI key, or two local models) are listed once, through the first of them.
    """
    everyone = router.routes(group)
    routes = _one_per_account(everyone)
    cursors: dict[str, str | None] = (
        _read_cursor(router, after, routes) if after else dict.fromkeys((route.id for route in routes), None)
    )
    size = limit or DEFAULT_LIST_LIMIT
    info = OperationInfo(
        operation=names.ROUTE_LIST_VIDEOS,
        provider="router",
        model=group,
        base_url="",
        attributes={names.ROUTER_GROUP: group},
    )
    flow = _merge(pipeline, router, routes, everyone, cursors, size, order, options)
    return pipeline.observer.observe(info, flow, kind=SpanKind.INTERNAL)


def _merge(
    pipeline: Pipeline,
    router: Router,
    routes: list[Route],
    everyone: list[Route],
    cursors: dict[str, str | None],
    size: int,
    order: Literal["asc", "desc"] | None,
    options: CallOptions,
) -> Flow[VideoList]:
    pages: dict[str, VideoList] = {}
    for route in routes:
        if route.id not in cursors:
            continue  # exhausted on an earlier page
        target = pipeline.target_for(route.provider, route.model, route.settings, options)
        details = target.info(names.LIST_VIDEOS, deployment=route.id)
        params = ListParams(after=cursors[route.id], limit=size, order=order)
        pages[route.id] = yield from pipeline.observer.observe(
            details, route.provider.list(target.config, params)
        )
    taken = _take(pages, size, newest_first=order != "asc")
    following: dict[str, str | None] = {}
    for route_id, page in pages.items():
        mine = [video for video, owner in taken if owner == route_id]
        left_on_page = len(mine) < len(page.data)
        if left_on_page or page.has_more:
            following[route_id] = mine[-1].id if mine else cursors[route_id]
    by_id = {route.id: route for route in routes}
    data = [
        router.publish(_owner(by_id[route_id], video, everyone), video, track=False)
        for video, route_id in taken
    ]
    result = VideoList(
        data=data,
        first_id=data[0].id if data else None,
        last_id=data[-1].id if data else None,
        has_more=bool(following),
    )
    if following:
        result._cursor = _write_cursor(router, following)
    return result


def _account(route: Route) -> tuple[str, str | None, str | None, str | None]:
    settings = route.settings
    return (route.provider.name, settings.api_base, settings.api_key, settings.api_version)


def _one_per_account(routes: list[Route]) -> list[Route]:
    seen: set[tuple[str, str | None, str | None, str | None]] = set()
    unique = []
    for route in routes:
        if _account(route) not in seen:
            seen.add(_account(route))
            unique.append(route)
    return unique


def _owner(listed_by: Route, video: Video, everyone: list[Route]) -> Route:
    """Among the deployments sharing ``listed_by``'s account, the one serving the video's model
    (so the id matches the one its create returned), else the one that listed it."""
    for route in everyone:
        if _account(route) == _account(listed_by) and route.model == video.model:
            return route
    return listed_by


def _take(pages: dict[str, VideoList], size: int, *, newest_first: bool) -> list[tuple[Video, str]]:
    """Up to ``size`` videos across the pages, by creation time, each page consumed as a prefix in its
    own order (so each deployment's cursor stays exact even when creation times tie)."""
    heads = dict.fromkeys(pages, 0)
    taken: list[tuple[Video, str]] = []
    while len(taken) < size:
        ready = [
            (pages[route_id].data[index], route_id)
            for route_id, index in heads.items()
            if index < len(pages[route_id].data)
        ]
        if not ready:
            break
        pick = (max if newest_first else min)(ready, key=lambda item: item[0].created_at or 0)
        taken.append(pick)
        heads[pick[1]] += 1
    return taken


def _write_cursor(router: Router, cursors: dict[str, str | None]) -> str:
    return router.sign_cursor(json.dumps(cursors, separators=(",", ":")).encode())


def _read_cursor(router: Router, after: str, routes: list[Route]) -> dict[str, str | None]:
    payload = router.open_cursor(after)
    cursors: Any = None
    if payload is not None:
        with contextlib.suppress(ValueError):
            cursors = json.loads(payload)
    known = {route.id for route in routes}
    if not isinstance(cursors, dict) or not set(cursors) <= known:
        raise BadRequestError(
            f"after={after[:80]!r} is not a cursor of this router's merged list of these deployments; "
            "pass the previous page's next_after (a routed list's cursor is not a video id)",
            param="after",
            code="invalid_cursor",
        )
    return {str(key): (str(value) if value is not None else None) for key, value in cursors.items()}
