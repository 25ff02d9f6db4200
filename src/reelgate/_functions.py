"""The seed page's functions (``video_generation``, ``avideo_status``, ...) over any client source.

:class:`VideoFunctions` holds them once: :mod:`reelgate._api` binds them to the process-wide default
client (the module-level functions), and :class:`reelgate.Router` to clients that route through it.
Sync functions use one long-lived :class:`~reelgate.Client`; async functions a short-lived
:class:`~reelgate.AsyncClient` per call, so they work in any event loop (each ``asyncio.run`` gets its
own loop, which a pooled async connection cannot outlive).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Unpack

from reelgate._client import AsyncClient, Client
from reelgate._content import AsyncVideoContentStream, VideoContentStream
from reelgate._options import CallOptions, ConnectionOptions, CreateOptions, RemixOptions
from reelgate.types import ContentVariant, Video, VideoDeleted, VideoList


class VideoFunctions:
    """``video_*`` and ``avideo_*`` over the clients that :meth:`_client` and :meth:`_async_client` give."""

    def __init__(self, client: Callable[[], Client], async_client: Callable[[], AsyncClient]) -> None:
        self._client = client
        self._async_client = async_client

    def video_generation(
        self, prompt: str, model: str | None = None, **options: Unpack[CreateOptions]
    ) -> Video:
        """Start generating a video (see :meth:`reelgate.Client.create`)."""
        return self._client().create(prompt, model, **options)

    def video_status(self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> Video:
        """Fetch a video's status (see :meth:`reelgate.Client.status`)."""
        return self._client().status(video_id, model, **options)

    def video_retrieval(
        self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]
    ) -> bytes:
        """Download a completed video's MP4 bytes (see :meth:`reelgate.Client.content`)."""
        return self._client().content(video_id, model, **options)

    def video_content(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> bytes:
        """Download one asset of a completed video: ``video``, ``thumbnail`` or ``spritesheet``."""
        return self._client().content(video_id, model, variant=variant, **options)

    def video_content_stream(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        chunk_size: int | None = None,
        **options: Unpack[CallOptions],
    ) -> VideoContentStream:
        """Stream an asset in chunks with flat memory (see :meth:`reelgate.Client.stream_content`)."""
        return self._client().stream_content(
            video_id, model, variant=variant, chunk_size=chunk_size, **options
        )

    def video_download(
        self,
        video_id: str,
        path: str | os.PathLike[str],
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> Path:
        """Stream an asset to a file (see :meth:`reelgate.Client.download`)."""
        return self._client().download(video_id, path, model, variant=variant, **options)

    def video_remix(
        self,
        video_id: str | None = None,
        prompt: str | None = None,
        model: str | None = None,
        **options: Unpack[RemixOptions],
    ) -> Video:
        """Remix a completed video with a new prompt (see :meth:`reelgate.Client.remix`)."""
        return self._client().remix(video_id, prompt, model, **options)

    def video_list(
        self,
        model: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        **options: Unpack[CallOptions],
    ) -> VideoList:
        """One page of videos (see :meth:`reelgate.Client.list`)."""
        return self._client().list(model, after=after, limit=limit, order=order, **options)

    def video_delete(
        self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]
    ) -> VideoDeleted:
        """Delete a video (see :meth:`reelgate.Client.delete`)."""
        return self._client().delete(video_id, model, **options)

    def video_wait(
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
        """Poll until the video is terminal (see :meth:`reelgate.Client.wait`)."""
        return self._client().wait(
            video_id,
            model,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            raise_on_failure=raise_on_failure,
            **options,
        )

    async def avideo_generation(
        self, prompt: str, model: str | None = None, **options: Unpack[CreateOptions]
    ) -> Video:
        """Async :func:`video_generation`."""
        async with self._async_client() as client:
            return await client.create(prompt, model, **options)

    async def avideo_status(
        self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]
    ) -> Video:
        """Async :func:`video_status`."""
        async with self._async_client() as client:
            return await client.status(video_id, model, **options)

    async def avideo_retrieval(
        self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]
    ) -> bytes:
        """Async :func:`video_retrieval`."""
        async with self._async_client() as client:
            return await client.content(video_id, model, **options)

    async def avideo_content(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> bytes:
        """Async :func:`video_content`."""
        async with self._async_client() as client:
            return await client.content(video_id, model, variant=variant, **options)

    def avideo_content_stream(
        self,
        video_id: str,
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        chunk_size: int | None = None,
        **options: Unpack[CallOptions],
    ) -> AsyncVideoContentStream:
        """Async :func:`video_content_stream`: ``async with`` / ``async for`` the stream (not awaited)."""
        client = self._async_client()
        stream = client.stream_content(video_id, model, variant=variant, chunk_size=chunk_size, **options)
        stream._on_close = client.aclose
        return stream

    async def avideo_download(
        self,
        video_id: str,
        path: str | os.PathLike[str],
        model: str | None = None,
        *,
        variant: ContentVariant = "video",
        **options: Unpack[CallOptions],
    ) -> Path:
        """Async :func:`video_download`."""
        async with self._async_client() as client:
            return await client.download(video_id, path, model, variant=variant, **options)

    async def avideo_remix(
        self,
        video_id: str | None = None,
        prompt: str | None = None,
        model: str | None = None,
        **options: Unpack[RemixOptions],
    ) -> Video:
        """Async :func:`video_remix`."""
        async with self._async_client() as client:
            return await client.remix(video_id, prompt, model, **options)

    async def avideo_list(
        self,
        model: str | None = None,
        *,
        after: str | None = None,
        limit: int | None = None,
        order: Literal["asc", "desc"] | None = None,
        **options: Unpack[CallOptions],
    ) -> VideoList:
        """Async :func:`video_list`."""
        async with self._async_client() as client:
            return await client.list(model, after=after, limit=limit, order=order, **options)

    async def avideo_delete(
        self, video_id: str, model: str | None = None, **options: Unpack[CallOptions]
    ) -> VideoDeleted:
        """Async :func:`video_delete`."""
        async with self._async_client() as client:
            return await client.delete(video_id, model, **options)

    async def avideo_wait(
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
        """Async :func:`video_wait`."""
        async with self._async_client() as client:
            return await client.wait(
                video_id,
                model,
                timeout=timeout,
                poll_interval=poll_interval,
                on_progress=on_progress,
                raise_on_failure=raise_on_failure,
                **options,
            )
