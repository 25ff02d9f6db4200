"""Span trees, attributes, links and metrics of every operation, read from in-memory exporters."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from opentelemetry.trace import SpanKind, StatusCode

from reelgate import AuthenticationError, Client
from reelgate._defaults import LINKS_FILE
from reelgate.telemetry import names
from reelgate.telemetry._content import set_capture_content
from reelgate.telemetry._links import SpanLinkStore
from tests.conftest import Telemetry
from tests.unit._scripted import Scripted, error_reply, json_reply, video

BASE = "https://videos.example.test:8443/v1"
FAST = {"openai-poll-after-ms": "1"}


def client_for(upstream: Scripted, **kwargs: object) -> Client:
    return Client(
        model="openai/sora-2",
        api_key="sk-test-1234567890",
        api_base=BASE,
        transport=upstream.transport,
        ledger=False,
        **kwargs,
    )  # type: ignore[arg-type]


def test_create_span_carries_request_response_and_cost(telemetry: Telemetry) -> None:
    upstream = Scripted(json_reply(video(id="video_c1", seconds="8", size="720x1280")))
    created = client_for(upstream).create("a cat", seconds=8, size="720x1280")
    span = telemetry.span("create_video sora-2")
    assert span.kind is SpanKind.CLIENT
    attributes = dict(span.attributes or {})
    assert attributes[names.GEN_AI_OPERATION_NAME] == "create_video"
    assert attributes[names.GEN_AI_PROVIDER_NAME] == "openai"
    assert attributes[names.GEN_AI_REQUEST_MODEL] == "sora-2"
    assert attributes[names.GEN_AI_RESPONSE_MODEL] == "sora-2"
    assert attributes[names.GEN_AI_RESPONSE_ID] == "video_c1"
    assert (attributes[names.SERVER_ADDRESS], attributes[names.SERVER_PORT]) == ("videos.example.test", 8443)
    assert (
        attributes[names.VIDEO_STATUS],
        attributes[names.VIDEO_SECONDS],
        attributes[names.VIDEO_SIZE],
    ) == (
        "queued",
        "8",
        "720x1280",
    )
    assert attributes[names.COST_STATUS] == "estimate"
    assert attributes[names.COST_AMOUNT] == pytest.approx(0.8)
    assert attributes[names.COST_CURRENCY] == "USD"
    assert attributes[names.PRICING_VERSION]
    assert created.cost is not None
    assert (created.cost.amount, created.cost.status) == (Decimal("0.8"), "estimate")


def test_http_child_span_nests_under_the_operation_span(telemetry: Telemetry) -> None:
    upstream = Scripted(json_reply(video()))
    client_for(upstream).status("video_123")
    operation = telemetry.span("get_video sora-2")
    http_spans = [s for s in telemetry.spans() if s.name.startswith("GET")]
    assert len(http_spans) == 1
    assert http_spans[0].parent is not None
    assert http_spans[0].parent.span_id == operation.context.span_id
    assert http_spans[0].context.trace_id == operation.context.trace_id


def test_later_calls_link_to_the_create_span_even_from_another_process(
    telemetry: Telemetry, tmp_path: Path
) -> None:
    upstream = Scripted(json_reply(video(id="video_l1")))
    client = client_for(upstream)
    client.create("a cat")
    create = telemetry.span("create_video sora-2")
    client.status("video_l1")
    status = telemetry.span("get_video sora-2")
    assert [link.context.span_id for link in status.links] == [create.context.span_id]
    assert dict(status.links[0].attributes or {}) == {names.LINK_REASON: "job_origin"}
    # another process: a fresh store on the same file finds it
    fresh = SpanLinkStore(Path(os.environ["REELGATE_DATA_DIR"]) / LINKS_FILE).lookup("video_l1")
    assert fresh is not None
    assert fresh.span_id == create.context.span_id


def test_remix_links_to_its_source(telemetry: Telemetry) -> None:
    upstream = Scripted(
        json_reply(video(id="video_src")),
        json_reply(video(id="video_rmx", remixed_from_video_id="video_src")),
    )
    client = client_for(upstream)
    client.create("a cat")
    client.remix("video_src", "jump higher")
    source = telemetry.span("create_video sora-2")
    remix = telemetry.span("remix_video sora-2")
    reasons = {dict(link.attributes or {})[names.LINK_REASON]: link.context.span_id for link in remix.links}
    assert reasons == {"remix_of": source.context.span_id}
    assert dict(remix.attributes or {})[names.VIDEO_REMIX_OF] == "video_src"


def test_wait_is_a_generate_video_parent_of_every_poll(telemetry: Telemetry) -> None:
    upstream = Scripted(
        json_reply(video(status="queued"), headers=FAST),
        json_reply(video(status="in_progress", progress=50), headers=FAST),
        json_reply(video(status="completed", progress=100)),
    )
    client_for(upstream).wait("video_123")
    parent = telemetry.span("generate_video sora-2")
    assert parent.kind is SpanKind.INTERNAL
    polls = [s for s in telemetry.spans() if s.name == "get_video sora-2"]
    assert len(polls) == 3
    assert all(p.parent is not None and p.parent.span_id == parent.context.span_id for p in polls)
    assert dict(parent.attributes or {})[names.POLL_COUNT] == 3
    assert [dict(p.attributes or {})[names.VIDEO_STATUS] for p in polls] == [
        "queued",
        "in_progress",
        "completed",
    ]
    assert polls[-1].attributes[names.COST_STATUS] == "final"  # type: ignore[index]
    assert telemetry.points(names.POLLS_PER_JOB)[0].sum == 3


def test_download_span_covers_the_whole_stream(telemetry: Telemetry) -> None:
    body = b"x" * 3_000_000
    upstream = Scripted(httpx.Response(200, content=body, headers={"content-type": "video/mp4"}))
    with client_for(upstream).stream_content("video_123", chunk_size=1_000_000) as stream:
        chunks = iter(stream)
        next(chunks)
        assert not [s for s in telemetry.spans() if s.name.startswith("download_video_content")]
        for _ in chunks:
            pass
    span = telemetry.span("download_video_content sora-2")
    attributes = dict(span.attributes or {})
    assert attributes[names.CONTENT_BYTES] == 3_000_000
    assert attributes[names.CONTENT_TYPE] == "video/mp4"
    assert attributes[names.CONTENT_VARIANT] == "video"
    [point] = telemetry.points(names.CONTENT_SIZE)
    assert point.sum == 3_000_000


def test_failures_set_error_status_and_type(telemetry: Telemetry) -> None:
    upstream = Scripted(error_reply(401, "Incorrect API key provided", code="invalid_api_key"))
    with pytest.raises(AuthenticationError):
        client_for(upstream).status("video_123")
    span = telemetry.span("get_video sora-2")
    assert span.status.status_code is StatusCode.ERROR
    assert dict(span.attributes or {})[names.ERROR_TYPE] == "invalid_api_key"
    [point] = telemetry.points(names.OPERATION_DURATION)
    assert dict(point.attributes)[names.ERROR_TYPE] == "invalid_api_key"


def test_prompt_reaches_spans_only_when_capture_is_on(telemetry: Telemetry) -> None:
    upstream = Scripted(json_reply(video()))
    client_for(upstream).create("a secret plot twist")
    assert names.GEN_AI_INPUT_MESSAGES not in (telemetry.span("create_video sora-2").attributes or {})
    set_capture_content(True)
    try:
        client_for(upstream).create("a secret plot twist")
    finally:
        set_capture_content(None)
    captured = [s for s in telemetry.spans() if s.name == "create_video sora-2"][-1]
    messages = json.loads(str(dict(captured.attributes or {})[names.GEN_AI_INPUT_MESSAGES]))
    assert messages == [{"role": "user", "parts": [{"type": "text", "content": "a secret plot twist"}]}]


def test_final_cost_metrics_are_counted_once_however_many_polls(telemetry: Telemetry) -> None:
    done = json_reply(video(id="video_once", status="completed", progress=100, seconds="8", size="720x1280"))
    client = client_for(Scripted(done))
    for _ in range(4):
        assert client.status("video_once").cost.status == "final"  # type: ignore[union-attr]
    cost = telemetry.points(names.COST_USD)
    assert sum(p.value for p in cost) == pytest.approx(0.8)
    jobs = telemetry.points(names.JOBS_COMPLETED)
    assert sum(p.value for p in jobs) == 1
    assert dict(jobs[0].attributes)[names.VIDEO_STATUS] == "completed"
    assert sum(p.value for p in telemetry.points(names.VIDEO_GENERATED_SECONDS)) == 8


def test_failed_video_final_cost_is_zero(telemetry: Telemetry) -> None:
    failed = video(id="video_fail", status="failed", error={"code": "moderation_blocked", "message": "no"})
    result = client_for(Scripted(json_reply(failed))).status("video_fail")
    assert result.cost is not None
    assert (result.cost.amount, result.cost.status) == (Decimal(0), "final")
    assert telemetry.points(names.COST_USD) == []


def test_unknown_model_is_unpriced_never_zero(telemetry: Telemetry) -> None:
    upstream = Scripted(json_reply(video(model="mystery-1")))
    client = Client(api_base=BASE, transport=upstream.transport, ledger=False)
    created = client.create("a cat", "openai_compatible/mystery-1")
    assert created.cost is not None
    assert (created.cost.amount, created.cost.status) == (None, "unpriced")
    assert dict(telemetry.span("create_video mystery-1").attributes or {})[names.COST_STATUS] == "unpriced"
    assert sum(p.value for p in telemetry.points(names.COST_UNPRICED)) == 1


def test_no_ids_or_prompts_in_span_names_or_metric_labels(telemetry: Telemetry) -> None:
    upstream = Scripted(
        json_reply(video(id="video_secretid", status="completed", prompt="PROMPT-MARKER")),
    )
    client = client_for(upstream)
    client.create("PROMPT-MARKER")
    client.status("video_secretid")
    client.wait("video_secretid")
    for span in telemetry.spans():
        assert "video_secretid" not in span.name
        assert "PROMPT-MARKER" not in span.name
    for metric in (names.OPERATION_DURATION, names.JOBS_COMPLETED, names.COST_USD, names.POLLS_PER_JOB):
        for point in telemetry.points(metric):
            rendered = json.dumps(dict(point.attributes))
            assert "video_secretid" not in rendered
            assert "PROMPT-MARKER" not in rendered
