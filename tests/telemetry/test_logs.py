"""Log events: one request and one response per upstream exchange, plus status, cost and error events,
each carrying trace ids and call context; bodies redacted, binaries summarized, long text truncated."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
import structlog
from PIL import Image
from structlog.testing import capture_logs

from reelgate import APIStatusError, Client, NotFoundError
from reelgate.telemetry import names
from tests.conftest import Telemetry
from tests.unit._scripted import Scripted, error_reply, json_reply, video

KEY = "sk-proj-LOGSECRET0123456789"


def client_for(upstream: Scripted) -> Client:
    return Client(
        model="openai/sora-2",
        api_key=KEY,
        api_base="https://up.test/v1",
        transport=upstream.transport,
        ledger=False,
    )


def events(logs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [entry for entry in logs if entry["event"] == name]


def test_nothing_is_logged_when_structlog_is_not_configured(capsys: pytest.CaptureFixture[str]) -> None:
    structlog.reset_defaults()
    assert not structlog.is_configured()
    client_for(Scripted(json_reply(video()))).status("video_123")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_one_request_and_one_response_event_per_exchange(telemetry: Telemetry) -> None:
    upstream = Scripted(
        error_reply(503, headers={"retry-after-ms": "1"}),
        json_reply(video(), headers={"x-request-id": "req_7"}),
    )
    with capture_logs() as logs:
        client_for(upstream).status("video_123")
    requests, responses = events(logs, names.EVENT_REQUEST), events(logs, names.EVENT_RESPONSE)
    assert len(requests) == len(responses) == 2
    span = telemetry.span("get_video sora-2")
    for entry in requests + responses:
        assert entry["trace_id"] == f"{span.context.trace_id:032x}"
        assert entry["span_id"] == f"{span.context.span_id:016x}"
        assert (entry["operation"], entry["provider"], entry["model"], entry["video_id"]) == (
            "get_video",
            "openai",
            "sora-2",
            "video_123",
        )
    assert requests[0]["method"] == "GET"
    assert requests[0]["url"] == "https://up.test/v1/videos/video_123"
    assert requests[0]["headers"]["authorization"] == "***"
    assert [r["status"] for r in responses] == [503, 200]
    assert responses[1]["headers"]["x-request-id"] == "req_7"
    assert responses[1]["body"]["id"] == "video_123"
    assert responses[1]["duration_ms"] >= 0


def test_uploads_are_summarized_not_dumped() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (720, 1280)).save(buffer, format="PNG")
    image = buffer.getvalue()
    with capture_logs() as logs:
        client_for(Scripted(json_reply(video()))).create("a cat", input_reference=image)
    [request] = events(logs, names.EVENT_REQUEST)
    assert request["body"]["prompt"] == "a cat"
    assert request["body"]["input_reference"]["content"] == {
        "bytes": len(image),
        "sha256": hashlib.sha256(image).hexdigest(),
        "content_type": None,
    }
    assert request["body"]["input_reference"]["content_type"] == "image/png"


def test_long_text_is_truncated_with_a_marker() -> None:
    prompt = "y" * 10_000
    with capture_logs() as logs:
        client_for(Scripted(json_reply(video()))).create(prompt)
    [request] = events(logs, names.EVENT_REQUEST)
    assert request["body"]["prompt"].startswith("y" * 100)
    assert request["body"]["prompt"].endswith("[truncated 5904 chars]")


def test_status_change_and_cost_events() -> None:
    upstream = Scripted(
        json_reply(video(id="video_ev", status="queued")),
        json_reply(video(id="video_ev", status="in_progress", progress=10)),
        json_reply(video(id="video_ev", status="completed", progress=100)),
    )
    client = client_for(upstream)
    with capture_logs() as logs:
        client.create("a cat", seconds=8)
        client.status("video_ev")
        client.status("video_ev")
        client.status("video_ev")
    changes = [(e["from_status"], e["to_status"]) for e in events(logs, names.EVENT_STATUS_CHANGED)]
    assert changes == [("queued", "in_progress"), ("in_progress", "completed")]
    costs = [(e["cost_kind"], e["amount"]) for e in events(logs, names.EVENT_COST_RECORDED)]
    assert costs == [("estimate", "0.800000"), ("final", "0.800000")]


def test_errors_are_logged_with_their_type() -> None:
    with capture_logs() as logs, pytest.raises(NotFoundError):
        client_for(Scripted(error_reply(404, "Video with id 'video_x' not found."))).status("video_x")
    [error] = events(logs, names.EVENT_ERROR)
    assert error["error_type"] == "404"
    assert "not found" in error["error_message"]
    assert error["video_id"] == "video_x"


@pytest.mark.parametrize(
    ("operation", "reply", "retryable"),
    [
        ("status", error_reply(500), True),  # reads retry 5xx: trying later may help
        ("status", error_reply(400), False),
        ("create", error_reply(500), False),  # a create that may have started a job is never retried
        ("create", error_reply(429), True),
    ],
)
def test_error_events_say_whether_the_retry_policy_would_retry(
    operation: str, reply: object, retryable: bool
) -> None:
    client = Client(
        model="openai/sora-2",
        api_key=KEY,
        api_base="https://up.test/v1",
        transport=Scripted(reply).transport,
        ledger=False,
        max_retries=0,
    )  # type: ignore[arg-type]
    with capture_logs() as logs, pytest.raises(APIStatusError):
        client.status("video_x") if operation == "status" else client.create("a cat")
    [error] = events(logs, names.EVENT_ERROR)
    assert error["retryable"] is retryable
