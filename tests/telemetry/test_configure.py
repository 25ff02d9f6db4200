"""``configure()``: uses an application's own providers, writes JSON or console logs with trace ids."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import structlog
from opentelemetry import metrics, trace

from reelgate import Client
from reelgate.telemetry import configure
from tests.unit._scripted import Scripted, json_reply, video


def make_client(video_id: str = "video_123") -> Client:
    upstream = Scripted(json_reply(video(id=video_id)))
    return Client(
        model="openai/sora-2",
        api_key="k",
        api_base="https://up.test/v1",
        transport=upstream.transport,
        ledger=False,
    )


def test_an_applications_own_providers_are_used_not_replaced(tmp_path: Path) -> None:
    tracer_provider, meter_provider = trace.get_tracer_provider(), metrics.get_meter_provider()
    handle = configure(service_name="app", log_file=tmp_path / "log.jsonl")
    try:
        assert handle.tracer_provider is tracer_provider
        assert handle.meter_provider is meter_provider
        assert trace.get_tracer_provider() is tracer_provider
    finally:
        handle.shutdown()


def test_json_lines_carry_trace_ids_and_call_context(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "reelgate.jsonl"
    handle = configure(log_file=path)
    try:
        make_client("video_conf").status("video_conf")
    finally:
        handle.shutdown()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["event"] for line in lines] == ["request", "response", "job.status_changed"]
    for line in lines:
        assert len(line["trace_id"]) == 32
        assert len(line["span_id"]) == 16
        assert line["level"] == "info"
        assert line["timestamp"].endswith("Z")
        assert line["video_id"] == "video_conf"


def test_console_format_and_level_filter() -> None:
    stream = io.StringIO()
    handle = configure(log_file=stream, log_format="console", log_level="warning")
    try:
        make_client().status("video_123")
        assert stream.getvalue() == "", "info events are below the warning level"
    finally:
        handle.shutdown()
    with pytest.raises(ValueError, match="not a logging level"):
        configure(log_level="chatty")


def test_the_safety_net_redacts_events_that_do_not_come_from_the_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "app.jsonl"
    handle = configure(log_file=path)
    try:
        structlog.get_logger("app").info(
            "calling", api_key="plain-secret", note="sent Bearer abcdefghijklmnop"
        )
    finally:
        handle.shutdown()
    [line] = [json.loads(text) for text in path.read_text().splitlines()]
    assert (line["api_key"], line["note"]) == ("***", "sent Bearer ***")
