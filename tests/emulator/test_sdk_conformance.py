"""The official ``openai`` SDK as a client of the emulator, over loopback: every videos operation.

What the official client sends, and what it can parse, decides who is wrong. The SDK marks every
``videos.*`` method deprecated; pytest is configured to ignore that DeprecationWarning.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import av
import openai
import pytest

from reelgate.emulator import EmulatedServer
from tests.emulator._support import KEY, Emulate, FakeClock, png


@pytest.fixture
def sdk(server: EmulatedServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=server.api_base, api_key=KEY, max_retries=0) as client:
        yield client


def assert_mp4(data: bytes, width: int, height: int, seconds: float, fps: int = 12) -> None:
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (width, height)
        assert container.duration is not None
        assert abs(container.duration / 1_000_000 - seconds) <= 1 / fps
        frames = len(list(container.decode(stream)))
        assert abs(frames - seconds * fps) <= 1


def test_create_sends_multipart_and_parses_the_video(sdk: openai.OpenAI, server: EmulatedServer) -> None:
    video = sdk.videos.create(prompt="a cat", model="sora-2", seconds="8", size="1280x720")
    assert isinstance(video, openai.types.Video)
    assert (video.object, video.status, video.progress) == ("video", "queued", 0)
    assert (video.model, video.seconds, video.size, video.prompt) == ("sora-2", "8", "1280x720", "a cat")
    assert video.completed_at is None
    assert video.expires_at is None
    assert video.error is None
    assert video.remixed_from_video_id is None
    sent = server.emulator.requests[-1]
    assert sent.content_type is not None
    assert sent.content_type.startswith("multipart/form-data; boundary=")
    assert sent.body == {"prompt": "a cat", "model": "sora-2", "seconds": "8", "size": "1280x720"}


def test_create_with_a_reference_image_file(sdk: openai.OpenAI, server: EmulatedServer) -> None:
    reference = ("ref.png", png(1280, 720), "image/png")
    video = sdk.videos.create(prompt="from a still", size="1280x720", input_reference=reference)
    assert video.status == "queued"
    sent = server.emulator.requests[-1].body
    assert sent["input_reference"]["filename"] == "ref.png"
    assert sent["input_reference"]["content_type"] == "image/png"
    with pytest.raises(openai.BadRequestError) as caught:
        sdk.videos.create(prompt="wrong size", size="720x1280", input_reference=reference)
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_value"
    assert caught.value.param == "input_reference"
    assert "Inpaint image must match the requested width and height" in caught.value.message
    assert caught.value.request_id is not None
    assert caught.value.request_id.startswith("req_")


def test_create_with_an_image_url_through_extra_body(sdk: openai.OpenAI, server: EmulatedServer) -> None:
    video = sdk.videos.create(
        prompt="x", extra_body={"input_reference": {"image_url": "https://example.com/a.png"}}
    )
    assert video.status == "queued"
    assert server.emulator.requests[-1].body["input_reference[image_url]"] == "https://example.com/a.png"


def test_sdk_sends_seconds_as_a_multipart_string_even_when_given_an_int(
    sdk: openai.OpenAI, server: EmulatedServer
) -> None:
    # Finding: the integer-seconds 400 can only happen over JSON; multipart turns 8 into "8".
    video = sdk.videos.create(prompt="x", seconds=8)  # type: ignore[arg-type]
    assert video.seconds == "8"
    assert server.emulator.requests[-1].body["seconds"] == "8"


def test_sdk_cannot_send_a_reference_object_except_through_extra_body(sdk: openai.OpenAI) -> None:
    # Finding: a dict input_reference fails inside the SDK before anything is sent, which is why the
    # emulator also accepts the bracketed multipart fields that extra_body produces.
    with pytest.raises(RuntimeError, match="input_reference"):
        sdk.videos.create(prompt="x", input_reference={"image_url": "https://example.com/a.png"})


def test_retrieve_follows_the_lifecycle(sdk: openai.OpenAI, clock: FakeClock) -> None:
    video = sdk.videos.create(prompt="x")
    clock.advance(5)
    running = sdk.videos.retrieve(video.id)
    assert running.status == "in_progress"
    assert 1 <= running.progress <= 99
    clock.advance(5)
    done = sdk.videos.retrieve(video.id)
    assert (done.status, done.progress) == ("completed", 100)
    assert done.completed_at is not None
    assert done.expires_at == done.completed_at + 3600
    with pytest.raises(openai.NotFoundError) as caught:
        sdk.videos.retrieve("video_missing")
    assert caught.value.body == {
        "message": "Video with id 'video_missing' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_list_auto_paginates_through_every_page(sdk: openai.OpenAI, clock: FakeClock) -> None:
    created = []
    for index in range(7):
        created.append(sdk.videos.create(prompt=f"video {index}").id)
        clock.advance(0.5)
    assert [video.id for video in sdk.videos.list(limit=2)] == created[::-1]
    assert [video.id for video in sdk.videos.list(limit=3, order="asc")] == created
    page = sdk.videos.list(limit=3, order="asc")
    assert page.has_more is True
    assert page.last_id == created[2]
    assert [video.id for video in page.data] == created[:3]
    assert page.has_next_page()
    assert [video.id for video in page.get_next_page().data] == created[3:6]


def test_download_content_for_each_variant(sdk: openai.OpenAI, clock: FakeClock) -> None:
    video = sdk.videos.create(prompt="x", size="720x1280", seconds="4")
    with pytest.raises(openai.NotFoundError) as caught:
        sdk.videos.download_content(video.id)
    assert "Video is not ready yet" in caught.value.message
    clock.advance(10)
    mp4 = sdk.videos.download_content(video.id)
    assert mp4.response.headers["content-type"] == "video/mp4"
    assert_mp4(mp4.read(), 720, 1280, 4.0)
    assert_mp4(sdk.videos.download_content(video.id, variant="video").content, 720, 1280, 4.0)
    thumbnail = sdk.videos.download_content(video.id, variant="thumbnail")
    assert thumbnail.response.headers["content-type"] == "image/webp"
    assert thumbnail.content[:4] == b"RIFF"
    assert thumbnail.content[8:12] == b"WEBP"
    sheet = sdk.videos.download_content(video.id, variant="spritesheet")
    assert sheet.response.headers["content-type"] == "image/jpeg"
    assert sheet.content[:3] == b"\xff\xd8\xff"


def test_remix_and_delete(sdk: openai.OpenAI, clock: FakeClock, server: EmulatedServer) -> None:
    source = sdk.videos.create(prompt="x", model="sora-2-pro", size="1024x1792", seconds="8")
    clock.advance(10)
    remix = sdk.videos.remix(source.id, prompt="in the snow")
    assert remix.remixed_from_video_id == source.id
    assert (remix.model, remix.size, remix.seconds, remix.status) == (
        "sora-2-pro",
        "1024x1792",
        "8",
        "queued",
    )
    assert server.emulator.requests[-1].content_type == "application/json"
    deleted = sdk.videos.delete(source.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (source.id, "video.deleted", True)
    sent = server.emulator.requests[-1]
    assert (sent.method, sent.content_type, sent.status) == ("DELETE", "application/json", 200)
    assert "content-length" not in sent.headers  # no body at all
    with pytest.raises(openai.NotFoundError):
        sdk.videos.delete(source.id)


def test_create_and_poll_uses_the_poll_after_header(emulate: Emulate) -> None:
    server = emulate(clock=time.time, job_seconds=0.4, poll_after_ms=20)
    with openai.OpenAI(base_url=server.api_base, api_key=KEY, max_retries=0) as client:
        started = time.perf_counter()
        video = client.videos.create_and_poll(prompt="poll me", seconds="4")
        elapsed = time.perf_counter() - started
    assert video.status == "completed"
    assert elapsed < 1.5  # the SDK's default interval without the header is 1 s per poll
    polls = [entry for entry in server.emulator.requests if entry.route == "retrieve"]
    assert len(polls) >= 3
    assert all(entry.headers.get("x-stainless-poll-helper") == "true" for entry in polls)


def test_create_and_poll_returns_a_failed_video(emulate: Emulate) -> None:
    server = emulate(clock=time.time, job_seconds=0.1, poll_after_ms=20)
    with openai.OpenAI(base_url=server.api_base, api_key=KEY, max_retries=0) as client:
        video = client.videos.create_and_poll(prompt="@emulator:fail=moderation")
    assert video.status == "failed"
    assert video.error is not None
    assert video.error.code == "moderation_blocked"


def test_sdk_retries_a_503_directive_using_retry_after_ms(emulate: Emulate) -> None:
    server = emulate()
    with openai.OpenAI(base_url=server.api_base, api_key=KEY, max_retries=2) as client:
        started = time.perf_counter()
        video = client.videos.create(prompt="@emulator:error=503x2 flaky")
        assert time.perf_counter() - started < 1.0
    assert video.status == "queued"
    statuses = [entry.status for entry in server.emulator.requests]
    assert statuses == [503, 503, 200]
    retries = [entry.headers.get("x-stainless-retry-count") for entry in server.emulator.requests]
    assert retries == ["0", "1", "2"]


def test_sdk_maps_error_statuses(emulate: Emulate) -> None:
    server = emulate(api_keys={KEY}, rpm=1)
    with openai.OpenAI(base_url=server.api_base, api_key="sk-wrong-key-123456", max_retries=0) as client:
        with pytest.raises(openai.AuthenticationError) as caught:
            client.videos.list()
        assert caught.value.code == "invalid_api_key"
        assert "sk-wrong-key-123456" not in str(caught.value)
    with openai.OpenAI(base_url=server.api_base, api_key=KEY, max_retries=0) as client:
        client.videos.list()
        with pytest.raises(openai.RateLimitError) as limited:
            client.videos.list()
        assert limited.value.code == "rate_limit_exceeded"
        assert limited.value.response.headers["retry-after-ms"] == "60000"
    server = emulate()
    with openai.OpenAI(base_url=server.api_base, api_key=KEY, max_retries=0) as client:
        with pytest.raises(openai.BadRequestError) as bad:
            client.videos.create(prompt="x", seconds="5")  # type: ignore[arg-type]
        assert (bad.value.code, bad.value.param) == ("invalid_value", "seconds")
        with pytest.raises(openai.BadRequestError) as rejected:
            client.videos.create(prompt="@emulator:reject=policy")
        assert rejected.value.code == "content_policy_violation"
        with pytest.raises(openai.InternalServerError):
            client.videos.create(prompt="@emulator:error=500")


def test_azure_flavour_with_the_openai_and_azure_clients(emulate: Emulate, clock: FakeClock) -> None:
    server = emulate("azure", api_keys={KEY}, deployments={"video-deploy": "sora-2"})
    with openai.OpenAI(base_url=server.api_base + "/openai/v1", api_key=KEY, max_retries=0) as client:
        video = client.videos.create(prompt="x", model="video-deploy", seconds="8")
        assert (video.model, video.seconds) == ("sora-2", "8")
    with openai.AzureOpenAI(
        base_url=server.api_base + "/openai/v1", api_key=KEY, api_version="preview", max_retries=0
    ) as azure:
        clock.advance(10)
        assert azure.videos.retrieve(video.id).status == "completed"
        assert len(azure.videos.download_content(video.id, variant="thumbnail").content) > 0
        with pytest.raises(openai.NotFoundError) as caught:
            azure.videos.create(prompt="x", model="sora-2")
        assert "The API deployment 'sora-2'" in caught.value.message
    sent = server.emulator.requests[-1]
    assert sent.query == {"api-version": "preview"}


@pytest.mark.anyio
async def test_async_client_full_flow(emulate: Emulate) -> None:
    server = emulate(clock=time.time, job_seconds=0.3, poll_after_ms=20)
    async with openai.AsyncOpenAI(base_url=server.api_base, api_key=KEY, max_retries=0) as client:
        video = await client.videos.create_and_poll(prompt="async cat", size="1280x720")
        assert video.status == "completed"
        listed = [item.id async for item in client.videos.list(limit=1)]
        assert listed == [video.id]
        content = await client.videos.download_content(video.id)
        assert_mp4(content.content, 1280, 720, 4.0)
        remix = await client.videos.remix(video.id, prompt="again")
        assert remix.remixed_from_video_id == video.id
        deleted = await client.videos.delete(video.id)
        assert deleted.deleted is True
        ids = [item.id async for item in client.videos.list(order="asc")]
        assert ids == [remix.id]
