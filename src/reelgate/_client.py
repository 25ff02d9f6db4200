"""``Client`` and ``AsyncClient``: configuration held once, every operation a thin I/O shell.

Both classes hand their arguments to the same :class:`~reelgate._pipeline.Pipeline`, which returns a
flow; ``Client`` runs it with the blocking driver, ``AsyncClient`` with the async one. Their method
signatures are identical (a test keeps them so), and so is their behaviour, by construction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack

import anyio

from reelgate import _http
from reelgate._content import AsyncVideoContentStream, VideoContentStream, download_paths
from reelgate._defaults import default_ledger, default_links, default_prices
from reelgate._drivers import run_async, run_sync
from reelgate._observe import Observer
from reelgate._options import CallOptions, ConnectionOptions, CreateOptions, RemixOptions
from reelgate._pipeline import ClientConfig, Pipeline, _as_timeout
from reelgate._retry import DEFAULT_MAX_RETRIES
from reelgate.errors import ConfigurationError
from reelgate.providers import Settings
from reelgate.telemetry._http import instrument
from reelgate.types import ContentVariant, Video, VideoDeleted, VideoList

if TYPE_CHECKING:
    from reelgate.ledger import Ledger
    from reelgate.pricing import PriceTable
    from reelgate.router import Router

DEFAULT_TIMEOUT = _http.Timeout(60.0, connect=10.0)


def _client_config(
    model: str | None,
    api_key: str | None,
    api_base: str | None,
    api_version: str | None,
    timeout: float | _http.Timeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
) -> ClientConfig:
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise ConfigurationError(f"max_retries={max_retries!r} must be a whole number >= 0")
    return ClientConfig(
        model=model,
        settings=Settings(api_key=api_key, api_base=api_base, api_version=api_version),
        timeout=None if timeout is None else _as_timeout(timeout),
        max_retries=max_retries,
        default_headers=dict(default_headers or {}),
    )


def _check_one_http_source(http_client: object, transport: object) -> None:
    if http_client is not None and transport is not None:
        raise ConfigurationError("pass http_client= or transport=, not both")


HttpClientT = TypeVar("HttpClientT", _http.Client, _http.AsyncClient)


def _owned_http(cls: type[HttpClientT], transport: Any, config: ClientConfig) -> HttpClientT:
    """The HTTP client reelgate builds (and closes), with HTTP child spans when tracing is on."""
    client = cls(
        transport=transport,
        timeout=config.timeout or DEFAULT_TIMEOUT,
        verify=_http.default_ssl_context(),
        follow_redirects=True,
    )
    instrument(client)
    return client


def _observer(ledger: Ledger | Literal[False] | None, prices: PriceTable | None) -> Observer:
    if prices is None:
        try:
            default_prices()  # a broken override file should fail here, not after a video was bought
        except ValueError as exc:
            raise ConfigurationError(f"the price table cannot be loaded: {exc}") from exc
    chosen = None if ledger is False else (ledger if ledger is not None else default_ledger())
    return Observer(
        ledger=chosen,
        prices=(lambda: prices) if prices is not None else default_prices,
        links=default_links(),
    )


class Client:
    """A configured, blocking reelgate client.

    **Parameters** (all optional; anything not given falls back to each provider's environment):

    * ``model``: the default ``provider/model`` for calls that omit ``model=``.
    * ``api_key``, ``api_base``, ``api_version``: connection settings for every call.
    * ``timeout``: seconds (or an ``httpx.Timeout``) per upstream request; default 60 s, 10 s to connect.
    * ``max_retries``: retries of safe failures (reads on 408/429/5xx/connection errors; creates only
      when nothing started upstream). Default 2.
    * ``default_headers``: headers added to every upstream request.
    * ``http_client``: your own ``httpx.Client`` (you keep ownership and close it yourself; reelgate
      adds no HTTP spans to it).
    * ``transport``: an ``httpx`` transport for the client reelgate builds (e.g. ``httpx.MockTransport``).
    * ``ledger``: where calls and costs are recorded; default the process-wide ledger in
      ``REELGATE_DATA_DIR``; ``False`` records nothing.
    * ``prices``: a :class:`reelgate.pricing.PriceTable` (default: packaged prices plus overrides).
    * ``router``: a :class:`reelgate.Router`: ``model=`` may then name one of its model groups (the
      router picks the deployment, with fallbacks), and calls about a video it created need no
      ``model=`` (its id routes back to the deployment that owns it, with that deployment's credentials).
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        api_key: str | None = None,
        api_base: str | None = None,
        api_version: str | None = None,
        timeout: float | _http.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: _http.Client | None = None,
        transport: _http.BaseTransport | None = None,
        ledger: Ledger | Literal[False] | None = None,
        prices: PriceTable | None = None,
        router: Router | None = None,
    ) -> None:
        _check_one_http_source(http_client, transport)
        config = _client_config(model, api_key, api_base, api_version, timeout, max_retries, default_headers)
        self._pipeline = Pipeline(config, _observer(ledger, prices), router)
        self._owns_http = http_client is None
        self._http = http_client or _owned_http(_http.Client, transport, config)

    def create(self, prompt: str, model: str | None = None, **options: Unpack[CreateOptions]) -> Video:
        """Start generating a video; returns it ``queued``."""
        return run_sync(self._pipeline.create(prompt, model, options), self._http)

    def status(self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> Video:
        """Fetch the video's current status and progress."""
        return run_sync(self._pipeline.status(video_id, model, options), self._http)

    def content(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> bytes:
        """Download an asset of a completed video into memory (prefer ``download`` for large files)."""
        return self.stream_content(video_id, model, variant=variant, **options).read()

    def stream_content(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        chunk_size: int | None = None,
        **options: Unpack[CallOptions],
    ) -> VideoContentStream:
        """Stream an asset in chunks: ``with client.stream_content(id) as s: for chunk in s: ...``."""
        flow = self._pipeline.content(video_id, model, variant, options)
        return VideoContentStream(flow, self._http, chunk_size=chunk_size)

    def download(
        self,
        video_id: str,
        path: str | os.PathLike[str],
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> Path:
        """Stream an asset to ``path`` (a file, or a directory to put ``<video_id>.<ext>`` in).

        The bytes go to a temporary file renamed into place at the end, so a failed download never
        leaves a partial file behind. Returns the final path.
        """
        stream = self.stream_content(video_id, model, variant=variant, **options)
        final, partial = download_paths(path, video_id, variant)
        try:
            with stream, open(partial, "wb") as file:
                for chunk in stream:
                    file.write(chunk)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        return final

    def remix(
        self,
        video_id: str | None = None,
        prompt: str | None = None,
        model: str | None = None,
        **options: Unpack[RemixOptions],
    ) -> Video:
        """Create a new video from a completed one and a new prompt."""
        return run_sync(self._pipeline.remix(video_id, prompt, model, options), self._http)

    def list(
        self,
        model: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        **options: Unpack[CallOptions],
    ) -> VideoList:
        """One page of videos; pass ``page.next_after`` as ``after`` for the next one."""
        return run_sync(self._pipeline.list(model, after, limit, order, options), self._http)

    def delete(self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> VideoDeleted:
        """Delete a completed or failed video and its assets."""
        return run_sync(self._pipeline.delete(video_id, model, options), self._http)

    def wait(
        self,
        video_id: str,
        model: str | None = None,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[Video], Any] | None = None,
        raise_on_failure: bool = False,
        **options: Unpack[ConnectionOptions],
    ) -> Video:
        """Poll until the video is terminal and return it.

        Polls at ``poll_interval`` if given, else at the interval the server asks for
        (``openai-poll-after-ms``), else every 2 s. ``on_progress(video)`` is called after every poll.
        After ``timeout`` seconds (default 30 min) raises :class:`~reelgate.errors.WaitTimeoutError`;
        the video keeps running. A failed video is returned as data unless ``raise_on_failure``, then
        :class:`~reelgate.errors.VideoFailedError` carries the provider's error code and message.
        """
        flow = self._pipeline.wait(
            video_id,
            model,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            raise_on_failure=raise_on_failure,
            options=options,
        )
        return run_sync(flow, self._http)

    def close(self) -> None:
        """Close the HTTP client reelgate created (an injected ``http_client`` is left open)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClient:
    """The async twin of :class:`Client`: same parameters, same methods, awaited.

    ``stream_content`` is not awaited: it returns an :class:`AsyncVideoContentStream` to use with
    ``async with`` or ``async for``. ``on_progress`` callbacks may be sync or async.
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        api_key: str | None = None,
        api_base: str | None = None,
        api_version: str | None = None,
        timeout: float | _http.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: _http.AsyncClient | None = None,
        transport: _http.AsyncBaseTransport | None = None,
        ledger: Ledger | Literal[False] | None = None,
        prices: PriceTable | None = None,
        router: Router | None = None,
    ) -> None:
        _check_one_http_source(http_client, transport)
        config = _client_config(model, api_key, api_base, api_version, timeout, max_retries, default_headers)
        self._pipeline = Pipeline(config, _observer(ledger, prices), router)
        self._owns_http = http_client is None
        self._http = http_client or _owned_http(_http.AsyncClient, transport, config)

    async def create(self, prompt: str, model: str | None = None, **options: Unpack[CreateOptions]) -> Video:
        """Start generating a video; returns it ``queued``."""
        return await run_async(self._pipeline.create(prompt, model, options), self._http)

    async def status(self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> Video:
        """Fetch the video's current status and progress."""
        return await run_async(self._pipeline.status(video_id, model, options), self._http)

    async def content(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> bytes:
        """Download an asset of a completed video into memory (prefer ``download`` for large files)."""
        return await self.stream_content(video_id, model, variant=variant, **options).read()

    def stream_content(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        chunk_size: int | None = None,
        **options: Unpack[CallOptions],
    ) -> AsyncVideoContentStream:
        """Stream an asset: ``async with client.stream_content(id) as s: async for chunk in s: ...``."""
        flow = self._pipeline.content(video_id, model, variant, options)
        return AsyncVideoContentStream(flow, self._http, chunk_size=chunk_size)

    async def download(
        self,
        video_id: str,
        path: str | os.PathLike[str],
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> Path:
        """Stream an asset to ``path`` through a temporary file; returns the final path."""
        stream = self.stream_content(video_id, model, variant=variant, **options)
        final, partial = download_paths(path, video_id, variant)
        try:
            async with stream, await anyio.open_file(partial, "wb") as file:
                async for chunk in stream:
                    await file.write(chunk)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        return final

    async def remix(
        self,
        video_id: str | None = None,
        prompt: str | None = None,
        model: str | None = None,
        **options: Unpack[RemixOptions],
    ) -> Video:
        """Create a new video from a completed one and a new prompt."""
        return await run_async(self._pipeline.remix(video_id, prompt, model, options), self._http)

    async def list(
        self,
        model: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        **options: Unpack[CallOptions],
    ) -> VideoList:
        """One page of videos; pass ``page.next_after`` as ``after`` for the next one."""
        return await run_async(self._pipeline.list(model, after, limit, order, options), self._http)

    async def delete(
        self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]
    ) -> VideoDeleted:
        """Delete a completed or failed video and its assets."""
        return await run_async(self._pipeline.delete(video_id, model, options), self._http)

    async def wait(
        self,
        video_id: str,
        model: str | None = None,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_progress: Callable[[Video], Any] | None = None,
        raise_on_failure: bool = False,
        **options: Unpack[ConnectionOptions],
    ) -> Video:
        """Poll until the video is terminal and return it (see :meth:`Client.wait`)."""
        flow = self._pipeline.wait(
            video_id,
            model,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            raise_on_failure=raise_on_failure,
            options=options,
        )
        return await run_async(flow, self._http)

    async def aclose(self) -> None:
        """Close the HTTP client reelgate created (an injected ``http_client`` is left open)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
