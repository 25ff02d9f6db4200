"""The module-level functions of the seed page (``video_generation``, ``avideo_status``, ...).

Sync functions share one lazily built :class:`~reelgate.Client` per process. Async functions use a
short-lived :class:`~reelgate.AsyncClient` per call, so they work in any event loop (each
``asyncio.run`` gets its own loop, which a pooled async connection cannot outlive); for connection
reuse across many async calls, hold an ``AsyncClient`` yourself. Credentials and base URLs are read
from the environment at call time, so setting ``os.environ[...]`` after import works.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Unpack

from reelgate._client import AsyncClient, Client
from reelgate._content import AsyncVideoContentStream, VideoContentStream
from reelgate._options import CallOptions, ConnectionOptions, CreateOptions, RemixOptions
from reelgate.types import ContentVariant, Video, VideoDeleted, VideoList

_default_client: Client | None = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The process-wide client behind the sync module-level functions (built on first use)."""
    global _default_client
    if _default_client is None:
        with _default_lock:
            if _default_client is None:
                _default_client = Client()
                atexit.register(_default_client.close)
    return _default_client


def video_generation(prompt: str, model: str | None = None, **options: Unpack[CreateOptions]) -> Video:
    """Start generating a video (see :meth:`reelgate.Client.create`)."""
    return default_client().create(prompt, model, **options)


def video_status(video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> Video:
    """Fetch a video's status (see :meth:`reelgate.Client.status`)."""
    return default_client().status(video_id, model, **options)


def video_retrieval(video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> bytes:
    """Download a completed video's MP4 bytes (see :meth:`reelgate.Client.content`)."""
    return default_client().content(video_id, model, **options)


def video_content(
    video_id: str,
    model: str | None = None,
    *,
    variant: ContentVariant = "video",
    **options: Unpack[CallOptions],
) -> bytes:
    """Download one asset of a completed video: ``video``, ``thumbnail`` or ``spritesheet``."""
    return default_client().content(video_id, model, variant=variant, **options)


def video_content_stream(
    video_id: str,
    model: str | None = None,
    *,
    variant: ContentVariant = "video",
    chunk_size: int | None = None,
    **options: Unpack[CallOptions],
) -> VideoContentStream:
    """Stream an asset in chunks with flat memory (see :meth:`reelgate.Client.stream_content`)."""
    return default_client().stream_content(video_id, model, variant=variant, chunk_size=chunk_size, **options)


def video_download(
    video_id: str,
    path: str | os.PathLike[str],
    model: str | None = None,
    *,
    variant: ContentVariant = "video",
    **options: Unpack[CallOptions],
) -> Path:
    """Stream an asset to a file (see :meth:`reelgate.Client.download`)."""
    return default_client().download(video_id, path, model, variant=variant, **options)


def video_remix(
    video_id: str | None = None,
    prompt: str | None = None,
    model: str | None = None,
    **options: Unpack[RemixOptions],
) -> Video:
    """Remix a completed video with a new prompt (see :meth:`reelgate.Client.remix`)."""
    return default_client().remix(video_id, prompt, model, **options)


def video_list(
    model: str | None = None,
    *,
    after: str | None = None,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    **options: Unpack[CallOptions],
) -> VideoList:
    """One page of videos (see :meth:`reelgate.Client.list`)."""
    return default_client().list(model, after=after, limit=limit, order=order, **options)


def video_delete(video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> VideoDeleted:
    """Delete a video (see :meth:`reelgate.Client.delete`)."""
    return default_client().delete(video_id, model, **options)


def video_wait(
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
    return default_client().wait(
        video_id,
        model,
        timeout=timeout,
        poll_interval=poll_interval,
        on_progress=on_progress,
        raise_on_failure=raise_on_failure,
        **options,
    )


async def avideo_generation(prompt: str, model: str | None = None, **options: Unpack[CreateOptions]) -> Video:
    """Async :func:`video_generation`."""
    async with AsyncClient() as client:
        return await client.create(prompt, model, **options)


async def avideo_status(video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> Video:
    """Async :func:`video_status`."""
    async with AsyncClient() as client:
        return await client.status(video_id, model, **options)


async def avideo_retrieval(video_id: str, model: str | None = None, **options: Unpack[CallOptions]) -> bytes:
    """Async :func:`video_retrieval`."""
    async with AsyncClient() as client:
        return await client.content(video_id, model, **options)


async def avideo_content(
    video_id: str,
    model: str | None = None,
    *,
    variant: ContentVariant = "video",
    **options: Unpack[CallOptions],
) -> bytes:
    """Async :func:`video_content`."""
    async with AsyncClient() as client:
        return await client.content(video_id, model, variant=variant, **options)


def avideo_content_stream(
    video_id: str,
    model: str | None = None,
    *,
    variant: ContentVariant = "video",
    chunk_size: int | None = None,
    **options: Unpack[CallOptions],
) -> AsyncVideoContentStream:
    """Async :func:`video_content_stream`: ``async with``/``async for`` the returned stream (not awaited)."""
    client = AsyncClient()
    stream = client.stream_content(video_id, model, variant=variant, chunk_size=chunk_size, **options)
    stream._on_close = client.aclose
    return stream


async def avideo_download(
    video_id: str,
    path: str | os.PathLike[str],
    model: str | None = None,
    *,
    variant: ContentVariant = "video",
    **options: Unpack[CallOptions],
) -> Path:
    """Async :func:`video_download`."""
    async with AsyncClient() as client:
        return await client.download(video_id, path, model, variant=variant, **options)


async def avideo_remix(
    video_id: str | None = None,
    prompt: str | None = None,
    model: str | None = None,
    **options: Unpack[RemixOptions],
) -> Video:
    """Async :func:`video_remix`."""
    async with AsyncClient() as client:
        return await client.remix(video_id, prompt, model, **options)


async def avideo_list(
    model: str | None = None,
    *,
    after: str | None = None,
    limit: int | None = None,
    order: Literal["asc", "desc"] | None = None,
    **options: Unpack[CallOptions],
) -> VideoList:
    """Async :func:`video_list`."""
    async with AsyncClient() as client:
        return await client.list(model, after=after, limit=limit, order=order, **options)


async def avideo_delete(
    video_id: str, model: str | None = None, **options: Unpack[CallOptions]
) -> VideoDeleted:
    """Async :func:`video_delete`."""
    async with AsyncClient() as client:
        return await client.delete(video_id, model, **options)


async def avideo_wait(
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
    async with AsyncClient() as client:
        return await client.wait(
            video_id,
            model,
            timeout=timeout,
            poll_interval=poll_interval,
            on_progress=on_progress,
            raise_on_failure=raise_on_failure,
            **options,
        )
