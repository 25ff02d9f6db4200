"""A job's life over loopback HTTP: queued, in progress, completed; content, delete and remix."""

from __future__ import annotations

import io
import re

import av
import httpx
import pytest

from reelgate.emulator import EmulatedServer
from tests.emulator._support import KEY, START, Emulate, FakeClock, create, error_of

VIDEO_KEYS = {
    "id",
    "object",
    "model",
    "status",
    "progress",
    "created_at",
    "completed_at",
    "expires_at",
    "prompt",
    "size",
    "seconds",
    "remixed_from_video_id",
    "error",
}


def test_create_answers_a_queued_video_with_every_key(api: httpx.Client) -> None:
    response = api.post("/videos", json={"prompt": "a cat", "seconds": "8", "size": "1280x720"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["openai-poll-after-ms"] == "10"
    video = response.json()
    assert set(video) == VIDEO_KEYS
    assert re.fullmatch(r"video_[0-9a-f]{32}", video["id"])
    assert video == {
        "id": video["id"],
        "object": "video",
        "model": "sora-2",
        "status": "queued",
        "progress": 0,
        "created_at": int(START),
        "completed_at": None,
        "expires_at": None,
        "prompt": "a cat",
        "size": "1280x720",
        "seconds": "8",
        "remixed_from_video_id": None,
        "error": None,
    }


def test_defaults_are_sora_2_four_seconds_portrait(api: httpx.Client) -> None:
    video = create(api)
    assert (video["model"], video["seconds"], video["size"]) == ("sora-2", "4", "720x1280")


def test_status_moves_queued_then_in_progress_with_rising_progress_then_completed(
    api: httpx.Client, clock: FakeClock
) -> None:
    video_id = create(api)["id"]  # 10 s job
    seen: list[tuple[str, int]] = []
    for _ in range(11):
        response = api.get(f"/videos/{video_id}")
        assert response.headers["openai-poll-after-ms"] == "10"
        video = response.json()
        assert set(video) == VIDEO_KEYS
        seen.append((video["status"], video["progress"]))
        if video["status"] != "completed":
            assert video["completed_at"] is None
            assert video["expires_at"] is None
        clock.advance(1.0)
    statuses = [status for status, _ in seen]
    assert statuses[:2] == ["queued", "queued"]
    assert statuses[2:10] == ["in_progress"] * 8
    assert statuses[10] == "completed"
    progress = [value for status, value in seen if status == "in_progress"]
    assert progress == sorted(progress)
    assert len(set(progress)) == len(progress)
    assert all(1 <= value <= 99 for value in progress)
    assert seen[0][1] == 0
    assert seen[10][1] == 100


def test_completed_video_has_completed_at_and_expires_an_hour_later(
    api: httpx.Client, clock: FakeClock
) -> None:
    video_id = create(api)["id"]
    clock.advance(10.0)
    video = api.get(f"/videos/{video_id}").json()
    assert video["status"] == "completed"
    assert video["completed_at"] == int(START) + 10
    assert video["expires_at"] == video["completed_at"] + 3600
    assert video["error"] is None


def test_unknown_video_is_a_404_envelope(api: httpx.Client) -> None:
    response = api.get("/videos/video_does_not_exist")
    assert response.status_code == 404
    assert error_of(response) == {
        "message": "Video with id 'video_does_not_exist' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_content_before_completion_is_404_never_409(api: httpx.Client, clock: FakeClock) -> None:
    video_id = create(api)["id"]
    for variant in ("video", "thumbnail", "spritesheet"):
        response = api.get(f"/videos/{video_id}/content", params={"variant": variant})
        assert response.status_code == 404
        assert error_of(response) == {
            "message": "Video is not ready yet, use GET /v1/videos/{video_id} to check status.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    clock.advance(5.0)
    assert api.get(f"/videos/{video_id}/content").status_code == 404


def test_content_variants_once_completed(api: httpx.Client, clock: FakeClock) -> None:
    video_id = create(api, size="1280x720", seconds="4")["id"]
    clock.advance(10.0)
    response = api.get(f"/videos/{video_id}/content")
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    with av.open(io.BytesIO(response.content), mode="r") as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (1280, 720)
        assert container.duration is not None
        assert abs(container.duration / 1_000_000 - 4.0) <= 1 / 12
    thumbnail = api.get(f"/videos/{video_id}/content", params={"variant": "thumbnail"})
    assert thumbnail.headers["content-type"] == "image/webp"
    assert thumbnail.content[8:12] == b"WEBP"
    sheet = api.get(f"/videos/{video_id}/content", params={"variant": "spritesheet"})
    assert sheet.headers["content-type"] == "image/jpeg"
    assert sheet.content[:3] == b"\xff\xd8\xff"


def test_content_with_a_bad_variant_is_400(api: httpx.Client, clock: FakeClock) -> None:
    video_id = create(api)["id"]
    clock.advance(10.0)
    response = api.get(f"/videos/{video_id}/content", params={"variant": "gif"})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["param"], error["code"]) == ("variant", "invalid_value")
    assert "'video', 'thumbnail', and 'spritesheet'" in error["message"]


def test_content_of_an_expired_video_is_404(api: httpx.Client, clock: FakeClock) -> None:
    video_id = create(api)["id"]
    clock.advance(10.0 + 3600)
    assert api.get(f"/videos/{video_id}/content").status_code == 404


def test_delete_accepts_a_json_content_type_with_an_empty_body(api: httpx.Client) -> None:
    video_id = create(api)["id"]
    response = api.request("DELETE", f"/videos/{video_id}", headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"id": video_id, "object": "video.deleted", "deleted": True}
    assert api.get(f"/videos/{video_id}").status_code == 404
    again = api.request("DELETE", f"/videos/{video_id}", headers={"content-type": "application/json"})
    assert again.status_code == 404
    assert error_of(again)["message"] == f"Video with id '{video_id}' not found."


def test_remix_creates_a_new_job_like_its_completed_source(api: httpx.Client, clock: FakeClock) -> None:
    source = create(api, model="sora-2-pro", size="1792x1024", seconds="12")
    too_early = api.post(f"/videos/{source['id']}/remix", json={"prompt": "now in the rain"})
    assert too_early.status_code == 400
    assert "completed" in error_of(too_early)["message"]
    clock.advance(10.0)
    response = api.post(f"/videos/{source['id']}/remix", json={"prompt": "now in the rain"})
    assert response.status_code == 200
    assert response.headers["openai-poll-after-ms"] == "10"
    remix = response.json()
    assert set(remix) == VIDEO_KEYS
    assert remix["id"] != source["id"]
    assert remix["remixed_from_video_id"] == source["id"]
    assert (remix["model"], remix["size"], remix["seconds"]) == ("sora-2-pro", "1792x1024", "12")
    assert (remix["status"], remix["prompt"]) == ("queued", "now in the rain")


def test_remix_takes_multipart_too_and_needs_a_prompt(api: httpx.Client, clock: FakeClock) -> None:
    source = create(api)
    clock.advance(10.0)
    response = api.post(f"/videos/{source['id']}/remix", files={"prompt": (None, "again")})
    assert response.status_code == 200
    assert response.json()["prompt"] == "again"
    missing = api.post(f"/videos/{source['id']}/remix", json={})
    assert missing.status_code == 400
    assert error_of(missing)["code"] == "missing_required_parameter"
    unknown = api.post("/videos/video_nope/remix", json={"prompt": "x"})
    assert unknown.status_code == 404


def test_every_api_response_carries_the_openai_headers(api: httpx.Client) -> None:
    responses = [api.post("/videos", json={"prompt": "x"}), api.get("/videos"), api.get("/videos/video_nope")]
    for response in responses:
        assert re.fullmatch(r"req_[0-9a-f]{32}", response.headers["x-request-id"])
        assert response.headers["openai-version"] == "2020-10-01"
        assert int(response.headers["openai-processing-ms"]) >= 0
        assert "apim-request-id" not in response.headers
    ids = {response.headers["x-request-id"] for response in responses}
    assert len(ids) == 3


def test_unknown_route_is_a_404_envelope(server: EmulatedServer) -> None:
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {KEY}"}) as client:
        for method, path in [("GET", "/v1/nothing"), ("POST", "/v1/videos/edits"), ("PUT", "/v1/videos")]:
            response = client.request(method, path)
            assert response.status_code == 404
            assert error_of(response)["message"] == f"Invalid URL ({method} {path})"
            assert response.headers["x-request-id"].startswith("req_")


@pytest.mark.parametrize("seconds", [0.0, 0.5])
def test_job_seconds_zero_or_short_completes_on_schedule(
    emulate: Emulate, clock: FakeClock, seconds: float
) -> None:
    server = emulate(job_seconds=seconds)
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as client:
        video_id = create(client)["id"]
        clock.advance(seconds)
        assert client.get(f"/videos/{video_id}").json()["status"] == "completed"
