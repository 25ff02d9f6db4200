"""Steps 7 and 8 of the pipeline: account for and observe every operation.

:meth:`Observer.observe` wraps a provider flow in another flow. Around it: one span named
``{operation} {model}`` (current while the flow runs, so the HTTP child spans nest under it), with
links to the span that created the video; for every upstream exchange a ``request`` and a ``response``
log event and one ``calls`` row in the ledger; on success the cost (an estimate at create and remix,
a final cost once at the first terminal status seen) on the returned video, in the ledger and in
metrics. Providers know nothing of this; sync and async get it identically because it is a flow.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode

from reelgate import _http
from reelgate._flow import Done, Download, Flow, Send, advance
from reelgate._redact import redact
from reelgate._retry import RetryPolicy, should_retry_connection, should_retry_status
from reelgate.errors import APIConnectionError, APIStatusError
from reelgate.telemetry import _logging, names
from reelgate.telemetry._content import capture_content_enabled
from reelgate.telemetry._links import SpanLinkStore
from reelgate.telemetry._metrics import instruments
from reelgate.types import Cost, Video, VideoDeleted, VideoList

if TYPE_CHECKING:
    from reelgate.ledger import Ledger
    from reelgate.pricing import CostEstimate, PriceTable

T = TypeVar("T")

_STATE_ENTRIES = 50_000


@dataclass(frozen=True, slots=True)
class OperationInfo:
    """What the pipeline knows about one operation before it runs."""

    operation: str
    provider: str
    model: str
    base_url: str
    video_id: str | None = None
    user: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    prompt: str | None = None
    seconds: str | None = None
    size: str | None = None
    variant: str | None = None
    remix_of: str | None = None
    secrets: tuple[str, ...] = ()
    """The call's credentials, masked wherever they might appear (an upstream may echo them)."""
    deployment: str | None = None
    """The router deployment the call went to, when routed."""
    attributes: Mapping[str, Any] = field(default_factory=dict)
    """Extra span attributes set at the start (e.g. the router's)."""

    @property
    def span_name(self) -> str:
        return f"{self.operation} {self.model}" if self.model else self.operation


class _ProcessState:
    """Per-process memory shared by every client: last status seen per video, videos already
    finalized, models already warned about. Bounded, so a long-running process does not grow."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._statuses: OrderedDict[str, str] = OrderedDict()
        self._finalized: OrderedDict[str, None] = OrderedDict()
        self._warned: set[tuple[str, str]] = set()

    def status_change(self, video_id: str, status: str) -> str | None:
        """Record ``status``; return the previous one if it changed (``""`` when first seen)."""
        with self._lock:
            previous = self._statuses.get(video_id)
            self._remember(self._statuses, video_id, status)
            return None if previous == status else (previous or "")

    def first_final(self, video_id: str) -> bool:
        """True exactly once per video in this process."""
        with self._lock:
            if video_id in self._finalized:
                return False
            self._remember(self._finalized, video_id, None)
            return True

    def first_warning(self, provider: str, model: str) -> bool:
        with self._lock:
            if (provider, model) in self._warned:
                return False
            self._warned.add((provider, model))
            return True

    @staticmethod
    def _remember(store: OrderedDict[str, Any], key: str, value: Any) -> None:
        store[key] = value
        store.move_to_end(key)
        if len(store) > _STATE_ENTRIES:
            store.popitem(last=False)


PROCESS_STATE = _ProcessState()


@dataclass(slots=True)
class _Exchange:
    """One upstream HTTP exchange, kept until the operation ends to become a ``calls`` row."""

    started: datetime
    duration_ms: float
    http_status: int | None
    error_type: str | None
    request_bytes: int | None
    response_bytes: int | None


class Observer:
    """Wraps provider flows with telemetry and cost accounting for one client."""

    def __init__(
        self,
        *,
        ledger: Ledger | None,
        prices: Callable[[], PriceTable],
        links: SpanLinkStore,
    ) -> None:
        self._ledger = ledger
        self._prices = prices
        self._links = links
        self._tracer = trace.get_tracer(names.INSTRUMENTATION_NAME)
        self._estimates: dict[tuple[Any, ...], CostEstimate] = {}

    def price_table(self) -> PriceTable:
        """The price table this observer costs videos with."""
        return self._prices()

    def observe(
        self, info: OperationInfo, flow: Flow[T], *, kind: SpanKind = SpanKind.CLIENT, account: bool = True
    ) -> Flow[T]:
        """Run ``flow`` inside the operation's span, accounting for its result.

        An ``INTERNAL`` operation (``generate_video``) is made of operations observed on their own:
        their exchanges are logged and recorded by them, not a second time by it. With ``account``
        False (a router's parent span, whose attempts account for themselves) the result's video only
        describes the span: no status change, no cost.
        """
        span = self._tracer.start_span(
            info.span_name, kind=kind, attributes=self._start_attributes(info), links=self._links_for(info)
        )
        token = otel_context.attach(trace.set_span_in_context(span))
        started = time.perf_counter()
        exchanges: list[_Exchange] = []
        keep_open = False
        try:
            inner = flow if kind == SpanKind.INTERNAL else self._intercept(flow, info, span, exchanges)
            result = yield from inner
            keep_open = self._succeeded(info, span, result, exchanges, started, account)
            return result
        except BaseException as exc:
            self._failed(info, span, exc, exchanges, started)
            raise
        finally:
            otel_context.detach(token)
            if not keep_open:
                span.end()

    # -- the flow wrapper ----------------------------------------------------------------------------

    def _intercept(
        self, flow: Flow[T], info: OperationInfo, span: Span, exchanges: list[_Exchange]
    ) -> Flow[T]:
        reply: Any = None
        failure: BaseException | None = None
        try:
            while not isinstance(instruction := advance(flow, reply, failure), Done):
                reply, failure = None, None
                if not isinstance(instruction, Send):
                    reply = yield instruction
                    continue
                started_at, started = datetime.now(UTC), time.perf_counter()
                self._log_request(info, span, instruction.request)
                try:
                    reply = yield instruction
                except _http.TransportError as exc:
                    failure = exc
                    exchanges.append(
                        _exchange(started_at, started, None, type(exc).__name__, instruction, None)
                    )
                    continue
                exchanges.append(_exchange(started_at, started, reply.status_code, None, instruction, reply))
                self._log_response(
                    info, span, reply, time.perf_counter() - started, streamed=instruction.stream
                )
            return instruction.value  # type: ignore[no-any-return]
        finally:
            flow.close()

    # -- outcomes -------------------------------------------------------------------------------------

    def _succeeded(
        self,
        info: OperationInfo,
        span: Span,
        result: object,
        exchanges: list[_Exchange],
        started: float,
        account: bool = True,
    ) -> bool:
        """Record a successful operation; returns True when the span must stay open (a stream)."""
        video_id, model = info.video_id, info.model
        if isinstance(result, Video):
            video_id, model = result.id, result.model or info.model
            if account:
                self._account_video(info, span, result)
            else:
                span.set_attributes(_video_attributes(result))
        elif isinstance(result, VideoList):
            span.set_attribute(names.LIST_COUNT, len(result.data))
        elif isinstance(result, VideoDeleted):
            span.set_attribute(names.VIDEO_STATUS, "deleted")
        elif isinstance(result, Download):
            result.on_finished = self._download_finisher(info, span, exchanges, started)
            return True
        self._record_duration(info, started, None)
        self._record_calls(info, span, exchanges, video_id, model)
        return False

    def _failed(
        self, info: OperationInfo, span: Span, exc: BaseException, exchanges: list[_Exchange], started: float
    ) -> None:
        error_type = error_type_of(exc)
        span.set_attribute(names.ERROR_TYPE, error_type)
        span.set_status(Status(StatusCode.ERROR, str(exc)[:500]))
        self._record_duration(info, started, error_type)
        self._record_calls(info, span, exchanges, info.video_id)
        if _logging.enabled() and isinstance(exc, Exception):
            _logging.emit(
                "warning",
                names.EVENT_ERROR,
                **self._event_fields(info, span),
                error_type=error_type,
                error_message=str(exc),
                retryable=_retryable(info, exc),
            )

    def _download_finisher(
        self, info: OperationInfo, span: Span, exchanges: list[_Exchange], started: float
    ) -> Callable[[int, str | None, BaseException | None], None]:
        def finish(received: int, content_type: str | None, error: BaseException | None) -> None:
            span.set_attribute(names.CONTENT_BYTES, received)
            if content_type:
                span.set_attribute(names.CONTENT_TYPE, content_type)
            if exchanges:
                exchanges[-1].response_bytes = received
            if error is None:
                instruments().content_size.record(
                    received,
                    {
                        names.GEN_AI_PROVIDER_NAME: info.provider,
                        names.CONTENT_VARIANT: info.variant or "video",
                    },
                )
                self._record_duration(info, started, None)
                self._record_calls(info, span, exchanges, info.video_id)
            else:
                self._failed(info, span, error, exchanges, started)
            span.end()

        return finish

    # -- cost and status ------------------------------------------------------------------------------

    def _account_video(self, info: OperationInfo, span: Span, video: Video) -> None:
        span.set_attributes(_video_attributes(video))
        previous = PROCESS_STATE.status_change(video.id, video.status)
        if previous is not None and info.operation != names.CREATE_VIDEO and _logging.enabled():
            _logging.emit(
                "info",
                names.EVENT_STATUS_CHANGED,
                **self._event_fields(info, span, video.id),
                from_status=previous or None,
                to_status=video.status,
                progress=video.progress,
            )
        if info.operation in (names.CREATE_VIDEO, names.REMIX_VIDEO):
            self._links.remember(video.id, span.get_span_context())
            self._cost(info, span, video, kind="estimate", record=True)
        elif video.is_terminal:
            first = PROCESS_STATE.first_final(video.id)
            self._cost(info, span, video, kind="final", record=first)
        elif info.operation == names.GET_VIDEO:
            self._cost(info, span, video, kind="estimate", record=False)

    def _cost(
        self,
        info: OperationInfo,
        span: Span,
        video: Video,
        *,
        kind: Literal["estimate", "final"],
        record: bool,
    ) -> None:
        model = video.model or info.model or ""  # the video's own model: a poll may name another
        seconds = video.seconds or info.seconds
        size = video.size or info.size
        estimate = self._estimate(info.provider, model, seconds, size)
        failed = kind == "final" and video.status != "completed"
        amount: Decimal | None = Decimal(0) if failed else (estimate.amount if estimate else None)
        priced = amount is not None
        status: Literal["estimate", "final", "unpriced"] = (
            ("final" if kind == "final" else "estimate") if priced else "unpriced"
        )
        video.cost = Cost(
            amount=amount, currency=(estimate.currency if estimate else None) or "USD", status=status
        )
        span.set_attributes(
            {
                names.COST_STATUS: status,
                names.COST_CURRENCY: video.cost.currency,
                **({names.COST_AMOUNT: float(amount)} if amount is not None else {}),
                **({names.PRICING_VERSION: estimate.pricing_version} if estimate else {}),
            }
        )
        if not record:
            return
        if not priced:
            self._unpriced(info, span, model, size)
        if kind == "final":
            self._final_metrics(info, model, video, amount)
        self._record_cost(info, span, video, kind, estimate, amount, model, seconds, size)

    def _estimate(
        self, provider: str, model: str, seconds: str | None, size: str | None
    ) -> CostEstimate | None:
        if not model or not seconds:
            return None
        try:
            table = self._prices()
            key = (id(table), datetime.now(UTC).date(), provider, model, seconds, size)
            estimate = self._estimates.get(key)  # every poll of a running video asks the same question
            if estimate is None:
                if len(self._estimates) > 4096:
                    self._estimates.clear()
                estimate = self._estimates[key] = table.estimate(provider, model, seconds, size)
            return estimate
        except ValueError as exc:  # an unreadable seconds value, or an override file broken mid-run
            if _logging.enabled():
                _logging.emit("error", names.EVENT_ERROR, error_type="pricing", error_message=str(exc))
            return None

    def _unpriced(self, info: OperationInfo, span: Span, model: str, size: str | None) -> None:
        instruments().unpriced.add(
            1, {names.GEN_AI_PROVIDER_NAME: info.provider, names.GEN_AI_REQUEST_MODEL: model}
        )
        if PROCESS_STATE.first_warning(info.provider, model) and _logging.enabled():
            _logging.emit(
                "warning",
                names.EVENT_UNPRICED,
                **self._event_fields(info, span),
                size=size,
                hint="no price matches this provider/model/size; add one with REELGATE_PRICES_FILE",
            )

    def _final_metrics(self, info: OperationInfo, model: str, video: Video, amount: Decimal | None) -> None:
        labels = {names.GEN_AI_PROVIDER_NAME: info.provider, names.GEN_AI_RESPONSE_MODEL: model}
        meters = instruments()
        meters.jobs_completed.add(1, {**labels, names.VIDEO_STATUS: video.status})
        if amount is not None and amount > 0:
            meters.cost.add(float(amount), labels)
        if video.status == "completed" and video.seconds:
            meters.generated_seconds.add(float(video.seconds), labels)

    # -- ledger ---------------------------------------------------------------------------------------

    def _record_cost(
        self,
        info: OperationInfo,
        span: Span,
        video: Video,
        kind: Literal["estimate", "final"],
        estimate: CostEstimate | None,
        amount: Decimal | None,
        model: str,
        seconds: str | None,
        size: str | None,
    ) -> None:
        if _logging.enabled():
            _logging.emit(
                "info",
                names.EVENT_COST_RECORDED,
                **self._event_fields(info, span, video.id),
                cost_kind=kind,
                amount=str(amount) if amount is not None else None,
                currency=video.cost.currency if video.cost else "USD",
                seconds=seconds,
                size=size,
                unit_price=str(estimate.unit_price) if estimate and estimate.unit_price is not None else None,
                pricing_version=estimate.pricing_version if estimate else None,
                job_status=video.status,
            )
        if self._ledger is None:
            return
        from reelgate.ledger import CostEvent, cost_event_id

        context = span.get_span_context()
        self._ledger.record_cost(
            CostEvent(
                event_id=cost_event_id(video.id, kind),
                ts=datetime.now(UTC),
                video_id=video.id,
                kind=kind,
                status="priced" if amount is not None else "unpriced",
                operation=info.operation,
                provider=info.provider,
                model=model,
                size=size,
                tier=estimate.tier if estimate else None,
                seconds=Decimal(seconds) if seconds else None,
                unit_price=estimate.unit_price if estimate else None,
                amount=amount,
                currency=video.cost.currency if video.cost else "USD",
                job_status=video.status,
                pricing_version=estimate.pricing_version if estimate else "",
                user=info.user,
                tags=dict(info.tags),
                trace_id=f"{context.trace_id:032x}" if context.is_valid else None,
                span_id=f"{context.span_id:016x}" if context.is_valid else None,
            )
        )

    def _record_calls(
        self,
        info: OperationInfo,
        span: Span,
        exchanges: list[_Exchange],
        video_id: str | None,
        model: str | None = None,
    ) -> None:
        if self._ledger is None or not exchanges:
            return
        from reelgate.ledger import CallEvent, call_event_id

        context = span.get_span_context()
        for exchange in exchanges:
            self._ledger.record_call(
                CallEvent(
                    event_id=call_event_id(),
                    ts=exchange.started,
                    trace_id=f"{context.trace_id:032x}" if context.is_valid else None,
                    span_id=f"{context.span_id:016x}" if context.is_valid else None,
                    operation=info.operation,
                    provider=info.provider,
                    model=model or info.model or None,
                    deployment=info.deployment or (info.model if info.provider == "azure" else None),
                    video_id=video_id,
                    http_status=exchange.http_status,
                    error_type=exchange.error_type,
                    duration_ms=exchange.duration_ms,
                    request_bytes=exchange.request_bytes,
                    response_bytes=exchange.response_bytes,
                    user=info.user,
                    tags=dict(info.tags),
                    metadata={},
                )
            )
        exchanges.clear()

    # -- spans, metrics, logs -------------------------------------------------------------------------

    def _start_attributes(self, info: OperationInfo) -> dict[str, Any]:
        parts = urlsplit(info.base_url)
        attributes: dict[str, Any] = {
            names.GEN_AI_OPERATION_NAME: info.operation,
            names.GEN_AI_PROVIDER_NAME: info.provider,
        }
        if info.model:
            attributes[names.GEN_AI_REQUEST_MODEL] = info.model
        if parts.hostname and parts.scheme in ("http", "https"):  # not the in-process local://
            attributes[names.SERVER_ADDRESS] = parts.hostname
            attributes[names.SERVER_PORT] = parts.port or (443 if parts.scheme == "https" else 80)
        optional = {
            names.VIDEO_ID: info.video_id,
            names.VIDEO_SECONDS: info.seconds,
            names.VIDEO_SIZE: info.size,
            names.CONTENT_VARIANT: info.variant,
            names.VIDEO_REMIX_OF: info.remix_of,
            names.USER: info.user,
            names.ROUTER_DEPLOYMENT: info.deployment,
        }
        attributes.update({key: value for key, value in optional.items() if value is not None})
        attributes.update(info.attributes)
        if info.prompt is not None and capture_content_enabled():
            attributes[names.GEN_AI_INPUT_MESSAGES] = _input_messages(redact(info.prompt))
        return attributes

    def _links_for(self, info: OperationInfo) -> list[Link]:
        links = []
        if info.video_id and info.operation not in (names.CREATE_VIDEO, names.REMIX_VIDEO):
            origin = self._links.lookup(info.video_id)
            if origin is not None:
                links.append(Link(origin, {names.LINK_REASON: "job_origin"}))
        if info.remix_of:
            source = self._links.lookup(info.remix_of)
            if source is not None:
                links.append(Link(source, {names.LINK_REASON: "remix_of"}))
        return links

    def _record_duration(self, info: OperationInfo, started: float, error_type: str | None) -> None:
        labels: dict[str, str] = {
            names.GEN_AI_OPERATION_NAME: info.operation,
            names.GEN_AI_PROVIDER_NAME: info.provider,
        }
        if info.model:
            labels[names.GEN_AI_REQUEST_MODEL] = info.model
        if error_type:
            labels[names.ERROR_TYPE] = error_type
        instruments().operation_duration.record(time.perf_counter() - started, labels)

    def _event_fields(self, info: OperationInfo, span: Span, video_id: str | None = None) -> dict[str, Any]:
        context = span.get_span_context()
        return {
            "trace_id": f"{context.trace_id:032x}" if context.is_valid else None,
            "span_id": f"{context.span_id:016x}" if context.is_valid else None,
            "operation": info.operation,
            "provider": info.provider,
            "model": info.model or None,
            "video_id": video_id or info.video_id,
            "user": info.user,
        }

    def _log_request(self, info: OperationInfo, span: Span, request: _http.Request) -> None:
        if not _logging.enabled():
            return
        _logging.emit(
            "info",
            names.EVENT_REQUEST,
            **self._event_fields(info, span),
            method=request.method,
            url=_logging.safe_value(str(request.url), info.secrets),
            headers=_logging.headers_for_log(request.headers, info.secrets),
            body=_logging.request_body_for_log(request, info.secrets),
        )

    def _log_response(
        self, info: OperationInfo, span: Span, response: _http.Response, elapsed: float, *, streamed: bool
    ) -> None:
        if not _logging.enabled():
            return
        _logging.emit(
            "info",
            names.EVENT_RESPONSE,
            **self._event_fields(info, span),
            status=response.status_code,
            duration_ms=round(elapsed * 1000, 3),
            headers=_logging.headers_for_log(response.headers, info.secrets),
            body=_logging.response_body_for_log(response, info.secrets, streamed=streamed),
        )


def _retryable(info: OperationInfo, exc: BaseException) -> bool:
    """Whether the operation's own retry policy would retry this failure (so trying later may help)."""
    creates = info.operation in (names.CREATE_VIDEO, names.REMIX_VIDEO)
    policy = RetryPolicy.CREATE if creates else RetryPolicy.READ
    if isinstance(exc, APIConnectionError):
        return should_retry_connection(policy, reached_upstream=exc.reached_upstream)
    if isinstance(exc, APIStatusError) and exc.response is not None:
        return should_retry_status(policy, exc.status_code, exc.response.headers)
    return False


def error_type_of(exc: BaseException) -> str:
    """The ``error.type`` of a failure: the provider's error code, else the HTTP status, else the class."""
    if isinstance(exc, APIStatusError):
        return exc.code or str(exc.status_code)
    if isinstance(exc, GeneratorExit):
        return "cancelled"
    return type(exc).__qualname__


def _video_attributes(video: Video) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        names.GEN_AI_RESPONSE_ID: video.id,
        names.VIDEO_ID: video.id,
        names.VIDEO_STATUS: video.status,
    }
    optional = {
        names.GEN_AI_RESPONSE_MODEL: video.model,
        names.VIDEO_PROGRESS: video.progress,
        names.VIDEO_SECONDS: video.seconds,
        names.VIDEO_SIZE: video.size,
        names.VIDEO_REMIX_OF: video.remixed_from_video_id,
    }
    attributes.update({key: value for key, value in optional.items() if value is not None})
    return attributes


def _exchange(
    started_at: datetime,
    started: float,
    status: int | None,
    error_type: str | None,
    instruction: Send,
    response: _http.Response | None,
) -> _Exchange:
    response_bytes = None
    if response is not None and not (instruction.stream and response.is_success):
        response_bytes = len(response.content)  # read by the driver
    return _Exchange(
        started=started_at,
        duration_ms=(time.perf_counter() - started) * 1000,
        http_status=status,
        error_type=error_type if error_type else (str(status) if status and status >= 400 else None),
        request_bytes=_content_length(instruction.request.headers),
        response_bytes=response_bytes,
    )


def _content_length(headers: _http.Headers) -> int | None:
    raw = headers.get("content-length")
    return int(raw) if raw and raw.isdigit() else None


def _input_messages(prompt: str) -> str:
    return json.dumps([{"role": "user", "parts": [{"type": "text", "content": prompt}]}])


def record_polls(polls: int, provider: str, model: str) -> None:
    """Record how many status polls one wait made, on its ``generate_video`` span and as a metric."""
    if polls:
        trace.get_current_span().set_attribute(names.POLL_COUNT, polls)
        instruments().polls_per_job.record(
            polls, {names.GEN_AI_PROVIDER_NAME: provider, names.GEN_AI_REQUEST_MODEL: model}
        )
