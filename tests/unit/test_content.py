"""Downloads: streamed in chunks, errors mapped before any byte is written, no partial files left."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from reelgate import APIConnectionError, AsyncClient, Client, NotFoundError
from tests.unit._scripted import Scripted, error_reply

CHUNKS = [b"a" * 1000, b"b" * 1000, b"c" * 500]


class ChunkStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered chunk by chunk, optionally breaking after some chunks."""

    def __init__(self, chunks: list[bytes], break_after: int | None = None) -> None:
        self.chunks = chunks
        self.break_after = break_after
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for index, chunk in enumerate(self.chunks):
            if index == self.break_after:
                raise httpx.ReadError("connection reset mid-download")
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def mp4_reply(stream: ChunkStream) -> httpx.Response:
    return httpx.Response(200, stream=stream, headers={"content-type": "video/mp4", "content-length": "2500"})


def client_for(upstream: Scripted) -> Client:
    return Client(model="openai/sora-2", api_key="k", transport=upstream.transport)


def test_stream_yields_the_body_in_chunks_and_closes() -> None:
    body = ChunkStream(CHUNKS)
    upstream = Scripted(lambda request: mp4_reply(body))
    with client_for(upstream).stream_content("video_1", chunk_size=1000) as stream:
        assert (stream.content_type, stream.content_length) == ("video/mp4", 2500)
        received = list(stream)
    assert b"".join(received) == b"".join(CHUNKS)
    assert max(len(chunk) for chunk in received) <= 1000
    assert body.closed


def test_a_not_ready_video_raises_before_iteration() -> None:
    upstream = Scripted(
        error_reply(404, "Video is not ready yet, use GET /v1/videos/{video_id} to check status.")
    )
    stream = client_for(upstream).stream_content("video_1")
    with pytest.raises(NotFoundError, match="not ready"):
        stream.open()
    with pytest.raises(RuntimeError, match="already consumed or closed"):
        list(stream)


def test_download_writes_the_file_and_names_it_inside_a_directory(tmp_path: Path) -> None:
    upstream = Scripted(lambda request: mp4_reply(ChunkStream(CHUNKS)))
    client = client_for(upstream)
    target = client.download("video_1", tmp_path / "out.mp4")
    assert target.read_bytes() == b"".join(CHUNKS)
    thumbnail = client.download("video_1", tmp_path, variant="thumbnail")
    assert thumbnail == tmp_path / "video_1.webp"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.mp4", "video_1.webp"]


def test_a_failed_download_leaves_no_file_behind(tmp_path: Path) -> None:
    upstream = Scripted(lambda request: mp4_reply(ChunkStream(CHUNKS, break_after=2)))
    with pytest.raises(APIConnectionError, match="connection reset mid-download") as caught:
        client_for(upstream).download("video_1", tmp_path / "out.mp4")
    assert caught.value.reached_upstream
    assert list(tmp_path.iterdir()) == []


def test_an_error_status_writes_nothing(tmp_path: Path) -> None:
    upstream = Scripted(error_reply(404, "Video with id 'video_1' not found."))
    with pytest.raises(NotFoundError):
        client_for(upstream).download("video_1", tmp_path / "out.mp4")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_replaced_only_when_the_download_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "out.mp4"
    target.write_bytes(b"previous")
    upstream = Scripted(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        client_for(upstream).download("video_1", target)
    assert target.read_bytes() == b"previous"


@pytest.mark.anyio
async def test_async_stream_and_download(tmp_path: Path) -> None:
    body = ChunkStream(CHUNKS)
    upstream = Scripted(lambda request: mp4_reply(body))
    async with AsyncClient(model="openai/sora-2", api_key="k", transport=upstream.transport) as client:
        async with client.stream_content("video_1") as stream:
            assert stream.content_type == "video/mp4"
            received = [chunk async for chunk in stream]
        assert b"".join(received) == b"".join(CHUNKS)
        target = await client.download("video_1", tmp_path / "a.mp4")
        assert target.read_bytes() == b"".join(CHUNKS)
        assert await client.content("video_1") == b"".join(CHUNKS)
    assert body.closed


@pytest.mark.anyio
async def test_async_failed_download_leaves_no_file(tmp_path: Path) -> None:
    upstream = Scripted(lambda request: mp4_reply(ChunkStream(CHUNKS, break_after=1)))
    async with AsyncClient(model="openai/sora-2", api_key="k", transport=upstream.transport) as client:
        with pytest.raises(APIConnectionError, match="mid-download"):
            await client.download("video_1", tmp_path / "a.mp4")
    assert list(tmp_path.iterdir()) == []
