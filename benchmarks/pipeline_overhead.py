"""What the instrumented pipeline adds to one call, against the bare provider flow in the same run.

Usage: ``python benchmarks/pipeline_overhead.py [--calls N]``. Every variant makes the same status
call through an in-process ``httpx.MockTransport`` (no network, no server), so the differences are
reelgate's own work:

* ``bare``: the provider flow alone, run by the sync driver (parse, retry policy, error mapping);
* ``pipeline, logs off``: the full pipeline with spans (SDK TracerProvider, batch processor),
  metrics and the ledger on, structlog not configured;
* ``pipeline, logs on``: the same with logging set up by ``reelgate.telemetry.configure()`` (its
  processor chain, redaction included), writing JSON lines to /dev/null.

It prints the median and p99 per call and the median added over ``bare``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import TextIO

import httpx
import structlog
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

BODY = (
    b'{"id":"video_123","object":"video","model":"sora-2","status":"in_progress","progress":40,'
    b'"created_at":1760000000,"completed_at":null,"expires_at":null,"prompt":"a cat","size":"720x1280",'
    b'"seconds":"8","remixed_from_video_id":null,"error":null}'
)


class DroppingExporter(SpanExporter):
    def export(self, spans: object) -> SpanExportResult:  # noqa: ARG002 - spans are dropped on purpose
        return SpanExportResult.SUCCESS


def handler(request: httpx.Request) -> httpx.Response:  # noqa: ARG001 - every request gets the same answer
    return httpx.Response(
        200, content=BODY, headers={"content-type": "application/json", "x-request-id": "r"}
    )


def timed(call: Callable[[], object], calls: int, samples: list[float]) -> None:
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1e3)


def logging_switch(sink: TextIO) -> Callable[[bool], None]:
    """Turn structlog on (with exactly the configuration ``configure()`` installs) or off."""
    from reelgate.telemetry import configure

    configure(log_file=sink, log_format="json")
    shipped = structlog.get_config()

    def switch(on: bool) -> None:
        if on:
            structlog.configure(**shipped)
        else:
            structlog.reset_defaults()

    return switch


def summary(label: str, samples: list[float], baseline: float | None) -> float:
    median = statistics.median(samples)
    p99 = statistics.quantiles(samples, n=100)[98]
    added = f"   +{median - baseline:.3f} ms over bare" if baseline is not None else ""
    print(f"{label:<22} median {median:.3f} ms   p99 {p99:.3f} ms{added}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    calls = parser.parse_args().calls

    data_dir = tempfile.mkdtemp(prefix="reelgate-bench-")
    os.environ["REELGATE_DATA_DIR"] = data_dir
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(DroppingExporter(), max_queue_size=100_000))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))

    from reelgate import Client
    from reelgate._drivers import run_sync
    from reelgate.ledger import Ledger
    from reelgate.providers import CallConfig, Settings, resolve_model

    transport = httpx.MockTransport(handler)
    bare_provider, _ = resolve_model("openai/sora-2")
    config = CallConfig(
        endpoint=bare_provider.endpoint(Settings(api_key="sk-bench", api_base="https://up.test/v1")),
        max_retries=2,
    )
    bare_http = httpx.Client(transport=transport)
    ledger = Ledger(data_dir=data_dir)
    client = Client(
        model="openai/sora-2",
        api_key="sk-bench",
        api_base="https://up.test/v1",
        transport=transport,
        ledger=ledger,
    )

    def bare() -> object:
        return run_sync(bare_provider.retrieve(config, "video_123"), bare_http)

    def full() -> object:
        return client.status("video_123")

    print(f"{calls} status calls per variant, in interleaved rounds, python {sys.version.split()[0]}")
    variants: dict[str, tuple[Callable[[], object], bool]] = {
        "bare provider flow": (bare, False),
        "pipeline, logs off": (full, False),
        "pipeline, logs on": (full, True),
    }
    samples: dict[str, list[float]] = {label: [] for label in variants}
    rounds = 10
    with open(os.devnull, "w") as sink:
        switch_logging = logging_switch(sink)
        for round_number in range(rounds + 1):
            for label, (call, logs) in variants.items():
                switch_logging(logs)
                if round_number == 0:
                    timed(call, 200, [])  # warm-up
                else:
                    timed(call, calls // rounds, samples[label])
        structlog.reset_defaults()
    baseline = summary("bare provider flow", samples["bare provider flow"], None)
    summary("pipeline, logs off", samples["pipeline, logs off"], baseline)
    summary("pipeline, logs on", samples["pipeline, logs on"], baseline)
    ledger.close()
    provider.shutdown()


if __name__ == "__main__":
    main()
