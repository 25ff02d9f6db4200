"""The OpenAI /videos wire format: what reelgate sends and how it reads what comes back."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from PIL import Image

from reelgate import Client, ProviderServerError, Video
from tests.unit._scripted import Scripted, json_reply, video


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def client_for(upstream: Scripted, **kwargs: object) -> Client:
    return Client(
        api_key="sk-test-key-123456",
        api_base="https://upstream.test/v1",
        transport=upstream.transport,
        **kwargs,
    )  # type: ignore[arg-type]


def test_create_without_image_sends_json_with_string_seconds() -> None:
    upstream = Scripted(json_reply(video()))
    client_for(upstream).create("a cat", "openai/sora-2", seconds=8, size="720x1280")
    request = upstream.requests[0]
    assert request.method == "POST"
    assert str(request.url) == "https://upstream.test/v1/videos"
    assert request.headers["authorization"] == "Bearer sk-test-key-123456"
    assert request.headers["content-type"] == "application/json"
    assert upstream.body() == {"prompt": "a cat", "model": "sora-2", "seconds": "8", "size": "720x1280"}


def test_create_omits_parameters_the_caller_did_not_give() -> None:
    upstream = Scripted(json_reply(video()))
    client_for(upstream).create("a cat", "openai/sora-2")
    assert upstream.body() == {"prompt": "a cat", "model": "sora-2"}


def test_create_with_image_sends_multipart_with_a_file_part() -> None:
    upstream = Scripted(json_reply(video()))
    image = png(720, 1280)
    client_for(upstream).create("a cat", "openai/sora-2", size="720x1280", input_reference=image)
    request = upstream.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="prompt"\r\n\r\na cat' in body
    assert b'name="input_reference"; filename="reference.png"\r\nContent-Type: image/png' in body
    assert image in body


def test_create_with_image_url_sends_the_json_object_form() -> None:
    upstream = Scripted(json_reply(video()))
    client_for(upstream).create("a cat", "openai/sora-2", input_reference="https://img.test/cat.png")
    assert upstream.body()["input_reference"] == {"image_url": "https://img.test/cat.png"}


def test_extra_body_nested_values_become_bracketed_multipart_fields() -> None:
    upstream = Scripted(json_reply(video()))
    client_for(upstream).create(
        "a cat",
        "openai_compatible/wan-2",
        input_reference=png(64, 64),
        extra_body={"options": {"seed": 7, "loop": True}, "tags": ["a", "b"]},
    )
    body = upstream.requests[0].content
    assert b'name="options[seed]"\r\n\r\n7' in body
    assert b'name="options[loop]"\r\n\r\ntrue' in body
    assert body.count(b'name="tags[]"') == 2


def test_user_is_not_sent_upstream() -> None:
    upstream = Scripted(json_reply(video()))
    client_for(upstream).create("a cat", "openai/sora-2", user="user_123")
    assert "user" not in upstream.body()


def test_status_list_content_delete_requests() -> None:
    upstream = Scripted(
        json_reply(video(status="in_progress", progress=40)),
        json_reply(
            {
                "object": "list",
                "data": [video()],
                "first_id": "video_123",
                "last_id": "video_123",
                "has_more": True,
            }
        ),
        httpx.Response(200, content=b"MP4", headers={"content-type": "video/mp4"}),
        json_reply({"id": "video_123", "object": "video.deleted", "deleted": True}),
    )
    client = client_for(upstream)
    assert client.status("video_123", "openai/sora-2").progress == 40
    page = client.list("openai", after="video_100", limit=5, order="asc")
    assert page.next_after == "video_123"
    assert client.content("video_123", "openai/sora-2", variant="thumbnail") == b"MP4"
    assert client.delete("video_123", "openai/sora-2").deleted is True
    get, listing, content, delete = upstream.requests
    assert (get.method, get.url.path) == ("GET", "/v1/videos/video_123")
    assert dict(listing.url.params) == {"after": "video_100", "limit": "5", "order": "asc"}
    assert content.url.path == "/v1/videos/video_123/content"
    assert content.url.params["variant"] == "thumbnail"
    assert content.headers["accept"] == "application/binary"
    assert (delete.method, delete.url.path, delete.content) == ("DELETE", "/v1/videos/video_123", b"")


def test_remix_posts_the_prompt_to_the_source_video() -> None:
    upstream = Scripted(json_reply(video(id="video_456", remixed_from_video_id="video_123")))
    remixed = client_for(upstream).remix("video_123", "make it jump", "openai/sora-2")
    assert upstream.requests[0].url.path == "/v1/videos/video_123/remix"
    assert upstream.body() == {"prompt": "make it jump"}
    assert remixed.remixed_from_video_id == "video_123"


def test_remix_on_openai_warns_and_drops_parameters_it_does_not_accept() -> None:
    upstream = Scripted(json_reply(video(id="video_456")))
    with pytest.warns(UserWarning, match="remix takes only a prompt: ignoring seconds and input_reference"):
        client_for(upstream).remix(
            "video_123", "higher", "openai/sora-2", seconds="8", input_reference=png(8, 8)
        )
    assert upstream.body() == {"prompt": "higher"}


def test_remix_on_an_openai_compatible_server_passes_seconds_and_image_through() -> None:
    upstream = Scripted(json_reply(video(id="video_456")))
    client_for(upstream).remix(
        "video_123", "higher", "openai_compatible/wan-2", seconds=8, input_reference=png(8, 8)
    )
    body = upstream.requests[0].content
    assert b'name="seconds"\r\n\r\n8' in body
    assert b'name="input_reference"; filename="reference.png"' in body


def test_video_keeps_every_openai_key_and_unknown_ones() -> None:
    upstream = Scripted(json_reply({**video(status="completed"), "quality": "standard"}))
    result = client_for(upstream).status("video_123", "openai/sora-2")
    dumped = result.model_dump()
    for key in (*video(), "usage", "cost"):
        assert key in dumped
    assert dumped["quality"] == "standard"
    assert result.usage is not None
    assert result.usage.duration_seconds == 8.0


@pytest.mark.parametrize(
    ("upstream_status", "expected"),
    [
        ("queued", "queued"),
        ("pending", "queued"),
        ("processing", "in_progress"),
        ("running", "in_progress"),
        ("succeeded", "completed"),
        ("canceled", "cancelled"),
        ("expired", "expired"),
    ],
)
def test_statuses_are_normalized(upstream_status: str, expected: str) -> None:
    upstream = Scripted(json_reply(video(status=upstream_status)))
    assert client_for(upstream).status("video_123", "openai/sora-2").status == expected


def test_an_unknown_status_is_kept_as_running_with_the_original_preserved() -> None:
    upstream = Scripted(json_reply(video(status="rendering_frames")))
    result = client_for(upstream).status("video_123", "openai/sora-2")
    assert result.status == "in_progress"
    assert result.model_dump()["upstream_status"] == "rendering_frames"


def test_integer_seconds_and_fractional_progress_from_loose_servers_are_normalized() -> None:
    upstream = Scripted(json_reply(video(seconds=8, progress=0.42)))
    result = client_for(upstream).status("video_123", "openai_compatible/x")
    assert (result.seconds, result.progress) == ("8", 42)


def test_request_id_and_poll_after_are_read_from_headers() -> None:
    upstream = Scripted(json_reply(video(), headers={"x-request-id": "req_9", "openai-poll-after-ms": "250"}))
    result = client_for(upstream).status("video_123", "openai/sora-2")
    assert result.request_id == "req_9"
    assert result._poll_after == 0.25


@pytest.mark.parametrize(
    "body", [b"<html>gateway</html>", json.dumps([1, 2]).encode(), b'{"status": "queued"}']
)
def test_an_unreadable_success_body_is_a_clear_provider_error(body: bytes) -> None:
    upstream = Scripted(httpx.Response(200, content=body))
    with pytest.raises(ProviderServerError, match="cannot read"):
        client_for(upstream).status("video_123", "openai/sora-2")


def test_per_call_timeout_and_headers_reach_the_request() -> None:
    upstream = Scripted(json_reply(video()))
    client = client_for(upstream, default_headers={"x-team": "a"})
    client.status("video_123", "openai/sora-2", timeout=3.5, extra_headers={"x-trace": "t"})
    request = upstream.requests[0]
    assert request.extensions["timeout"]["read"] == 3.5
    assert (request.headers["x-team"], request.headers["x-trace"]) == ("a", "t")


def test_video_object_round_trips_through_json() -> None:
    parsed = Video.model_validate_json(
        json.dumps(video(status="failed", error={"code": "x", "message": "y"}))
    )
    assert parsed.error is not None
    assert parsed.error.code == "x"
    assert parsed.is_terminal
