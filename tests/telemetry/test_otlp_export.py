"""Spans and metrics leave the process over real OTLP/HTTP: ``configure()`` in a fresh interpreter sends
to a receiver on loopback, which decodes the protobuf payloads with the OpenTelemetry proto classes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reelgate.emulator import EmulatedServer, EmulatorConfig, run_in_thread


class Receiver:
    """An OTLP/HTTP receiver (protobuf) that keeps what it was sent."""

    def __init__(self) -> None:
        self.traces: list[ExportTraceServiceRequest] = []
        self.metrics: list[ExportMetricsServiceRequest] = []
        self.app = Starlette(
            routes=[
                Route("/v1/traces", self.receive_traces, methods=["POST"]),
                Route("/v1/metrics", self.receive_metrics, methods=["POST"]),
            ]
        )

    async def receive_traces(self, request: Request) -> Response:
        self.traces.append(ExportTraceServiceRequest.FromString(await request.body()))
        return Response(b"", media_type="application/x-protobuf")

    async def receive_metrics(self, request: Request) -> Response:
        self.metrics.append(ExportMetricsServiceRequest.FromString(await request.body()))
        return Response(b"", media_type="application/x-protobuf")

    def spans(self) -> list[Any]:
        return [
            span
            for export in self.traces
            for resource in export.resource_spans
            for scope in resource.scope_spans
            for span in scope.spans
        ]

    def metric_names(self) -> set[str]:
        return {
            metric.name
            for export in self.metrics
            for resource in export.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
        }


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, EmulatedServer]]:
    sink = Receiver()
    with run_in_thread(sink.app) as server:
        yield sink, server


def test_spans_and_metrics_arrive_over_otlp_http(receiver: tuple[Receiver, EmulatedServer]) -> None:
    sink, server = receiver
    with run_in_thread("openai", EmulatorConfig(job_seconds=0.2, poll_after_ms=20)) as emulator:
        script = textwrap.dedent(
            f"""
            from reelgate import Client
            from reelgate.telemetry import configure

            handle = configure(service_name="otlp-check", otlp_endpoint={server.url!r}, log_format=None)
            client = Client(
                model="openai/sora-2", api_key="sk-x", api_base={emulator.api_base!r}, ledger=False
            )
            video = client.create("a cat", seconds=4)
            client.wait(video.id)
            handle.shutdown()
            """
        )
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    names = [span.name for span in sink.spans()]
    assert "create_video sora-2" in names
    assert "generate_video sora-2" in names
    assert "get_video sora-2" in names
    assert any(name.startswith("POST") for name in names), "the HTTP child spans were exported too"
    resource = sink.traces[0].resource_spans[0].resource
    service = {a.key: a.value.string_value for a in resource.attributes}["service.name"]
    assert service == "otlp-check"
    create = next(span for span in sink.spans() if span.name == "create_video sora-2")
    attributes = {a.key: a.value for a in create.attributes}
    assert attributes["gen_ai.operation.name"].string_value == "create_video"
    assert attributes["reelgate.cost.amount"].double_value == pytest.approx(0.4)
    assert {
        "gen_ai.client.operation.duration",
        "reelgate.jobs.completed",
        "reelgate.cost.usd",
    } <= sink.metric_names()
