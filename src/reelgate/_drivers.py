"""The two drivers that run every flow: one over ``httpx.Client``, one over ``httpx.AsyncClient``.

A :class:`~reelgate._flow.Send` with a ``handler`` (an in-process server) bypasses the HTTP client;
the async driver runs the handler in a worker thread so file I/O never blocks the event loop.

They are the only code that performs I/O for an operation. Everything else (retries, polling,
error mapping, parsing) lives in the flows of :mod:`reelgate._flow`, so both drivers stay this small.
"""

from __future__ import annotations

import inspect
import time
from typing import Any, TypeVar

import anyio

from reelgate import _http
from reelgate._flow import Call, Done, Flow, Send, Sleep, advance

T = TypeVar("T")


def run_sync(flow: Flow[T], client: _http.Client) -> T:
    """Drive ``flow`` to completion with blocking I/O and return its result."""
    reply: Any = None
    failure: BaseException | None = None
    while not isinstance(instruction := advance(flow, reply, failure), Done):
        reply, failure = None, None
        try:
            if isinstance(instruction, Send):
                try:
                    reply = _send_sync(client, instruction)
                except _http.TransportError as exc:
                    failure = exc
                except Exception as exc:
                    if instruction.handler is None:
                        raise
                    failure = exc  # an in-process server's error belongs to the flow (and its span)
            elif isinstance(instruction, Sleep):
                time.sleep(instruction.seconds)
            else:
                instruction.function(*instruction.args)
        except BaseException:
            flow.close()  # Ctrl-C in a sleep, a raising callback: end the flow's spans now, not at GC
            raise
    return instruction.value  # type: ignore[no-any-return]


async def run_async(flow: Flow[T], client: _http.AsyncClient) -> T:
    """Drive ``flow`` to completion on the running event loop and return its result."""
    reply: Any = None
    failure: BaseException | None = None
    while not isinstance(instruction := advance(flow, reply, failure), Done):
        reply, failure = None, None
        try:
            if isinstance(instruction, Send):
                try:
                    reply = await _send_async(client, instruction)
                except _http.TransportError as exc:
                    failure = exc
                except Exception as exc:
                    if instruction.handler is None:
                        raise
                    failure = exc
            elif isinstance(instruction, Sleep):
                await anyio.sleep(instruction.seconds)
            else:
                await _call_async(instruction)
        except BaseException:
            flow.close()  # cancellation, a raising callback: end the flow's spans now
            raise
    return instruction.value  # type: ignore[no-any-return]


def _send_sync(client: _http.Client, instruction: Send) -> _http.Response:
    if instruction.handler is not None:
        return instruction.handler(instruction.request)
    response = client.send(instruction.request, stream=instruction.stream)
    if instruction.stream and not response.is_success:
        try:
            response.read()  # error bodies are small and the flow needs them to map the error
        finally:
            response.close()
    return response


async def _send_async(client: _http.AsyncClient, instruction: Send) -> _http.Response:
    if instruction.handler is not None:
        return await anyio.to_thread.run_sync(instruction.handler, instruction.request)
    response = await client.send(instruction.request, stream=instruction.stream)
    if instruction.stream and not response.is_success:
        try:
            await response.aread()
        finally:
            await response.aclose()
    return response


async def _call_async(instruction: Call) -> None:
    result = instruction.function(*instruction.args)
    if inspect.isawaitable(result):
        await result
