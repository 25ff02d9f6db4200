"""The sans-I/O protocol between operations and drivers.

An operation is a generator (a *flow*) that yields instructions and receives their results:

* :class:`Send` → the driver sends the request and sends back the :class:`httpx.Response` (body read,
  unless ``stream`` is set and the status is a success). A transport failure is thrown into the flow
  as the transport's own exception; :func:`send` maps it. With a ``handler`` (an in-process server,
  such as the local provider's) the driver calls it instead of the network; an async driver calls it
  in a worker thread, and anything it raises is thrown into the flow.
* :class:`Sleep` → the driver sleeps (``time.sleep`` or ``anyio.sleep``) and sends back ``None``.
* :class:`Call` → the driver calls a user callback (awaiting it when async) and sends back ``None``.

The generator's return value is the operation's result. One flow, two drivers
(:mod:`reelgate._drivers`): sync and async behave identically by construction, and flows are tested
with plain ``httpx.Response`` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from reelgate import _http
from reelgate._retry import RetryPolicy, backoff_delay, should_retry_connection, should_retry_status
from reelgate.errors import error_from_response, error_from_transport

T = TypeVar("T")

FORM_FIELDS = "reelgate.form"
"""Request extension: the logical fields of a multipart body (files as ``{filename, content_type,
content}``), so the pipeline can log what was sent without re-parsing the encoded body."""


Handler: TypeAlias = Callable[[_http.Request], _http.Response]
"""An in-process server: answers a request without any network (see :class:`Send`)."""


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request``; with ``stream`` the body of a successful response is left unread."""

    request: _http.Request
    stream: bool = False
    handler: Handler | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    """Pause the flow for ``seconds``."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Call:
    """Call ``function(*args)``; an async driver awaits the result when it is awaitable."""

    function: Callable[..., Any]
    args: tuple[Any, ...] = field(default=())


@dataclass(slots=True)
class Download:
    """What a content flow returns: an open, successful response to stream, and who to tell when
    the stream ends (the pipeline's observer, which keeps the download span open until then)."""

    response: _http.Response
    provider: str
    secrets: tuple[str, ...] = ()
    on_finished: Callable[[int, str | None, BaseException | None], None] | None = None


Instruction: TypeAlias = Send | Sleep | Call
Flow: TypeAlias = Generator[Instruction, Any, T]


@dataclass(frozen=True, slots=True)
class Done:
    """A flow finished with ``value``."""

    value: Any


def advance(flow: Flow[T], reply: Any, failure: BaseException | None) -> Instruction | Done:
    """Resume ``flow`` with a reply (or throw a failure into it): its next instruction, or ``Done``."""
    try:
        return flow.send(reply) if failure is None else flow.throw(failure)
    except StopIteration as stop:
        return Done(stop.value)


def send(
    request: _http.Request,
    *,
    provider: str,
    policy: RetryPolicy,
    max_retries: int,
    secrets: Iterable[str] = (),
    stream: bool = False,
    handler: Handler | None = None,
) -> Flow[_http.Response]:
    """Send with retries under ``policy``; return a success response or raise the mapped error."""
    retries = 0
    while True:
        try:
            response: _http.Response = yield Send(request, stream=stream, handler=handler)
        except _http.TransportError as exc:
            error = error_from_transport(exc, provider=provider, secrets=secrets)
            if retries < max_retries and should_retry_connection(
                policy, reached_upstream=error.reached_upstream
            ):
                yield Sleep(backoff_delay(retries))
                retries += 1
                continue
            raise error from exc
        if response.is_success:
            return response
        if retries < max_retries and should_retry_status(policy, response.status_code, response.headers):
            yield Sleep(backoff_delay(retries, response.headers))
            retries += 1
            continue
        raise error_from_response(response, provider=provider, secrets=secrets)
