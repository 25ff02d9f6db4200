"""Shared fixtures. Importing this module installs the loopback-only network guard, points the data
directory (ledger, span links) at a temporary directory, and installs in-memory OpenTelemetry
providers for the whole session (a process can install its global providers only once)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import structlog
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import Counter, Histogram, MeterProvider, UpDownCounter
from opentelemetry.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests import _loopback_guard

_loopback_guard.install()

SESSION_DATA_DIR = tempfile.mkdtemp(prefix="reelgate-tests-")
os.environ["REELGATE_DATA_DIR"] = SESSION_DATA_DIR

SPAN_EXPORTER = InMemorySpanExporter()
_tracer_provider = TracerProvider()
_tracer_provider.add_span_processor(SimpleSpanProcessor(SPAN_EXPORTER))
trace.set_tracer_provider(_tracer_provider)
METRIC_READER = InMemoryMetricReader(
    preferred_temporality=dict.fromkeys((Counter, Histogram, UpDownCounter), AggregationTemporality.DELTA)
)
metrics.set_meter_provider(MeterProvider(metric_readers=[METRIC_READER]))

PROVIDER_ENVIRONMENT = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_API_BASE",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "AZURE_OPENAI_API_KEY",
    "AZURE_API_KEY",
    "AZURE_OPENAI_API_BASE",
    "AZURE_API_BASE",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_VERSION",
    "AZURE_API_VERSION",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_AD_TOKEN",
    "OPENAI_COMPATIBLE_API_BASE",
    "OPENAI_COMPATIBLE_API_KEY",
    "REELGATE_MODEL",
    "REELGATE_ID_KEY",
    "REELGATE_ROUTER_CONFIG",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's provider credentials, and backoff without retry-after is quick."""
    for name in PROVIDER_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("reelgate._retry.INITIAL_DELAY", 0.001)


@pytest.fixture(autouse=True)
def unconfigured_structlog() -> Iterator[None]:
    """Every test starts and ends with structlog unconfigured, as in an application that never set it up."""
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Telemetry:
    """What the in-memory exporters received since the fixture started."""

    collected: dict[str, list[Any]] = field(default_factory=dict)

    def spans(self) -> list[ReadableSpan]:
        return list(SPAN_EXPORTER.get_finished_spans())

    def span(self, name: str) -> ReadableSpan:
        found = [span for span in self.spans() if span.name == name]
        assert len(found) == 1, f"expected one span {name!r}, got {[s.name for s in self.spans()]}"
        return found[0]

    def points(self, metric_name: str) -> list[Any]:
        """Every data point of one metric recorded since the fixture started."""
        data = METRIC_READER.get_metrics_data()
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    self.collected.setdefault(metric.name, []).extend(metric.data.data_points)
        return self.collected.get(metric_name, [])


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    SPAN_EXPORTER.clear()
    METRIC_READER.get_metrics_data()  # drop what earlier tests recorded
    yield Telemetry()
    SPAN_EXPORTER.clear()
