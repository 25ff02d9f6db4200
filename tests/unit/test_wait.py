"""video_wait: server-directed polling, progress callbacks, failures as data or errors, deadlines."""

from __future__ import annotations

import time

import httpx
import pytest

from reelgate import AsyncClient, Client, Video, VideoFailedError, WaitTimeoutError
from tests.unit._scripted import Scripted, json_reply, video

FAST = {"openai-poll-after-ms": "5"}


def lifecycle(*statuses: tuple[str, int], final: dict[str, object] | None = None) -> Scripted:
    replies = [json_reply(video(status=s, progress=p), headers=FAST) for s, p in statuses]
    replies.append(json_reply(video(**(final or {"status": "completed", "progress": 100})), headers=FAST))
    return Scripted(*replies)


def sync_client(upstream: Scripted) -> Client:
    return Client(model="openai/sora-2", api_key="k", transport=upstream.transport)


def test_wait_polls_until_completed_and_reports_progress() -> None:
    upstream = lifecycle(("queued", 0), ("in_progress", 30), ("in_progress", 70))
    seen: list[tuple[str, int | None]] = []
    result = sync_client(upstream).wait(
        "video_123", on_progress=lambda v: seen.append((v.status, v.progress))
    )
    assert result.status == "completed"
    assert seen == [("queued", 0), ("in_progress", 30), ("in_progress", 70), ("completed", 100)]
    assert len(upstream.requests) == 4


def test_wait_sleeps_what_the_server_asks() -> None:
    upstream = Scripted(
        json_reply(video(status="in_progress"), headers={"openai-poll-after-ms": "200"}),
        json_reply(video(status="completed")),
    )
    started = time.monotonic()
    sync_client(upstream).wait("video_123")
    assert time.monotonic() - started >= 0.2


def test_an_explicit_poll_interval_wins_over_the_server() -> None:
    upstream = Scripted(
        json_reply(video(status="in_progress"), headers={"openai-poll-after-ms": "5000"}),
        json_reply(video(status="completed")),
    )
    started = time.monotonic()
    sync_client(upstream).wait("video_123", poll_interval=0.01)
    assert time.monotonic() - started < 4


def test_a_failed_video_is_returned_as_data_by_default() -> None:
    failure = {"status": "failed", "error": {"code": "moderation_blocked", "message": "blocked"}}
    result = sync_client(lifecycle(("queued", 0), final=failure)).wait("video_123")
    assert result.status == "failed"
    assert result.error is not None
    assert result.error.code == "moderation_blocked"


def test_a_failed_video_raises_when_asked() -> None:
    failure = {
        "status": "failed",
        "error": {"code": "moderation_blocked", "message": "blocked by moderation"},
    }
    with pytest.raises(VideoFailedError) as caught:
        sync_client(lifecycle(final=failure)).wait("video_123", raise_on_failure=True)
    assert caught.value.code == "moderation_blocked"
    assert caught.value.provider_message == "blocked by moderation"
    assert caught.value.video.id == "video_123"


def test_the_deadline_raises_with_the_last_status_seen() -> None:
    upstream = Scripted(json_reply(video(status="in_progress", progress=55), headers=FAST))
    with pytest.raises(WaitTimeoutError, match=r"still in_progress \(55%\) after 0.05 s") as caught:
        sync_client(upstream).wait("video_123", timeout=0.05)
    assert caught.value.video.progress == 55
    assert len(upstream.requests) >= 2


def test_a_callback_error_stops_the_wait() -> None:
    def explode(_: Video) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_client(lifecycle(("queued", 0))).wait("video_123", on_progress=explode)


@pytest.mark.anyio
async def test_async_wait_accepts_sync_and_async_callbacks() -> None:
    upstream = lifecycle(("queued", 0), ("in_progress", 50))
    seen: list[int | None] = []

    async def record(v: Video) -> None:
        seen.append(v.progress)

    async with AsyncClient(model="openai/sora-2", api_key="k", transport=upstream.transport) as client:
        assert (await client.wait("video_123", on_progress=record)).status == "completed"
        upstream.replies = [json_reply(video(status="completed"))]
        await client.wait("video_123", on_progress=lambda v: seen.append(-1))
    assert seen == [0, 50, 100, -1]


def test_transient_errors_while_polling_are_retried() -> None:
    upstream = Scripted(
        json_reply(video(status="in_progress"), headers=FAST),
        httpx.Response(502, json={"error": {"message": "bad gateway"}}),
        json_reply(video(status="completed")),
    )
    assert sync_client(upstream).wait("video_123").status == "completed"
