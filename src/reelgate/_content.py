"""Streaming downloads: a video asset read chunk by chunk, never held whole in memory.

:class:`VideoContentStream` and :class:`AsyncVideoContentStream` send their request when first
entered or iterated, expose ``content_type`` and ``content_length`` once open, and close the response
(and anything else they own) when exhausted, closed, or left as a context manager.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from types import TracebackType

from reelgate import _http
from reelgate._drivers import run_async, run_sync
from reelgate._flow import Download, Flow
from reelgate.errors import APIConnectionError, error_from_transport
from reelgate.types import ContentVariant

DEFAULT_CHUNK_SIZE = 1024 * 1024
_EXTENSIONS: dict[str, str] = {"video": "mp4", "thumbnail": "webp", "spritesheet": "jpg"}


class _StreamState:
    """What both stream classes share: the pending flow, the open response, and its headers."""

    def __init__(self, flow: Flow[Download], chunk_size: int | None) -> None:
        self._flow: Flow[Download] | None = flow
        self._download: Download | None = None
        self._chunk_size = chunk_size or DEFAULT_CHUNK_SIZE
        self._closed = False
        self._received = 0
        self._error: BaseException | None = None

    @property
    def _response(self) -> _http.Response | None:
        return self._download.response if self._download is not None else None

    @property
    def content_type(self) -> str | None:
        """The upstream's ``content-type`` (``video/mp4``, ``image/webp``, ...), once open."""
        return self._response.headers.get("content-type") if self._response is not None else None

    @property
    def content_length(self) -> int | None:
        """The size in bytes when the upstream announced it, once open."""
        raw = self._response.headers.get("content-length") if self._response is not None else None
        return int(raw) if raw and raw.isdigit() else None

    def _take_flow(self) -> Flow[Download]:
        if self._closed or self._flow is None:
            raise RuntimeError("this content stream was already consumed or closed; request it again")
        flow, self._flow = self._flow, None
        return flow

    def _broken(self, exc: _http.TransportError) -> APIConnectionError:
        assert self._download is not None
        self._error = error_from_transport(
            exc, provider=self._download.provider, secrets=self._download.secrets
        )
        return self._error

    def _report(self) -> None:
        """Tell the observer how the download ended (bytes received, content type, error)."""
        download = self._download
        if download is not None and download.on_finished is not None:
            finished, download.on_finished = download.on_finished, None
            finished(self._received, self.content_type, self._error)


class VideoContentStream(_StreamState):
    """A video asset streamed in chunks. Iterate it, or use it as a context manager and then iterate."""

    def __init__(
        self,
        flow: Flow[Download],
        client: _http.Client,
        *,
        chunk_size: int | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(flow, chunk_size)
        self._client = client
        self._on_close = on_close

    def open(self) -> VideoContentStream:
        """Send the request now (raising any API error) unless already open."""
        if self._download is None:
            try:
                self._download = run_sync(self._take_flow(), self._client)
            except BaseException:
                self.close()
                raise
        return self

    def __iter__(self) -> Iterator[bytes]:
        response = self.open()._response
        assert response is not None
        try:
            for chunk in response.iter_bytes(self._chunk_size):
                self._received += len(chunk)
                yield chunk
        except _http.TransportError as exc:
            raise self._broken(exc) from exc
        finally:
            self.close()

    def read(self) -> bytes:
        """Read the whole asset into memory (use iteration or a file download for large videos)."""
        return b"".join(self)

    def close(self) -> None:
        """Release the connection; idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._response is not None:
                self._response.close()
            self._report()
        finally:
            if self._on_close is not None:
                self._on_close()

    def __enter__(self) -> VideoContentStream:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncVideoContentStream(_StreamState):
    """The async twin of :class:`VideoContentStream`: ``async with`` and ``async for``."""

    def __init__(
        self,
        flow: Flow[Download],
        client: _http.AsyncClient,
        *,
        chunk_size: int | None = None,
        on_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(flow, chunk_size)
        self._client = client
        self._on_close = on_close

    async def open(self) -> AsyncVideoContentStream:
        """Send the request now (raising any API error) unless already open."""
        if self._download is None:
            try:
                self._download = await run_async(self._take_flow(), self._client)
            except BaseException:
                await self.aclose()
                raise
        return self

    async def __aiter__(self) -> AsyncIterator[bytes]:
        response = (await self.open())._response
        assert response is not None
        try:
            async for chunk in response.aiter_bytes(self._chunk_size):
                self._received += len(chunk)
                yield chunk
        except _http.TransportError as exc:
            raise self._broken(exc) from exc
        finally:
            await self.aclose()

    async def read(self) -> bytes:
        """Read the whole asset into memory."""
        return b"".join([chunk async for chunk in self])

    async def aclose(self) -> None:
        """Release the connection; idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._response is not None:
                await self._response.aclose()
            self._report()
        finally:
            if self._on_close is not None:
                await self._on_close()

    async def __aenter__(self) -> AsyncVideoContentStream:
        return await self.open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


def download_paths(path: str | os.PathLike[str], video_id: str, variant: ContentVariant) -> tuple[Path, Path]:
    """The final path of a download (``<dir>/<video_id>.<ext>`` when ``path`` is a directory) and the
    temporary sibling it is written to first, so a failed download never leaves a partial file."""
    final = Path(path)
    if final.is_dir():
        final = final / f"{video_id}.{_EXTENSIONS[variant]}"
    return final, final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.part")
