"""``configure()``: tracing, metrics and logs for applications that want them with one call.

The library itself only emits. This sets up exporters (OTLP over HTTP, console) and structlog for
those who ask. An application that installed its own TracerProvider or MeterProvider keeps it: it is
used, never replaced (exporters are added to it only when asked for explicitly). The standard
``OTEL_*`` variables work too: ``OTEL_SERVICE_NAME``, ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or the
``_TRACES_`` / ``_METRICS_`` variants) turn on OTLP export without arguments, ``OTEL_SDK_DISABLED``.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, TextIO, cast

import structlog
from opentelemetry import metrics, trace

from reelgate._version import __version__
from reelgate.telemetry import _content, _logging

LogFormat = Literal["json", "console"]


@dataclass
class TelemetryHandle:
    """What :func:`configure` set up; ``shutdown()`` flushes and stops the exporters it created."""

    tracer_provider: Any = None
    meter_provider: Any = None
    log_file: IO[str] | None = None
    _closers: list[Any] = field(default_factory=list)
    _owned: list[Any] = field(default_factory=list)

    def force_flush(self) -> None:
        for provider in (self.tracer_provider, self.meter_provider):
            if provider is not None and hasattr(provider, "force_flush"):
                provider.force_flush()

    def shutdown(self) -> None:
        # providers configure() created flush as they shut down: flushing them first as well would
        # export twice (and wait twice for an unreachable collector)
        for provider in (self.tracer_provider, self.meter_provider):
            if provider is not None and hasattr(provider, "force_flush") and provider not in self._owned:
                provider.force_flush()
        for closer in self._closers:
            closer()
        self._closers.clear()


def configure(
    *,
    service_name: str | None = None,
    otlp_endpoint: str | None = None,
    console: bool = False,
    capture_content: bool | None = None,
    log_format: LogFormat | None = "json",
    log_file: str | os.PathLike[str] | IO[str] | None = None,
    log_level: str = "info",
    metric_export_interval: float = 60.0,
    export_timeout: float | None = None,
) -> TelemetryHandle:
    """Set up spans, metrics and structured logs for reelgate (and anything else in the process).

    * ``service_name``: the resource's ``service.name`` (default ``OTEL_SERVICE_NAME`` or ``reelgate``).
    * ``otlp_endpoint``: an OTLP/HTTP collector base URL such as ``http://localhost:4318``; spans go to
      ``/v1/traces`` and metrics to ``/v1/metrics``. Without it, ``OTEL_EXPORTER_OTLP_ENDPOINT`` is used.
    * ``console``: also print spans and metrics to stderr.
    * ``capture_content``: put prompt text into spans (off by default; ``REELGATE_CAPTURE_CONTENT``).
    * ``log_format``: ``json`` lines or a readable ``console`` format; ``None`` leaves structlog alone.
    * ``log_file``: a path or open text file for the logs (default stderr).
    * ``export_timeout``: seconds an OTLP export may take, retries included (default
      ``OTEL_EXPORTER_OTLP_TIMEOUT``, else 10), which bounds how long an unreachable collector can
      delay the process's exit.
    """
    _content.set_capture_content(capture_content)
    handle = TelemetryHandle()
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() != "true":
        handle.tracer_provider = _configure_tracing(
            service_name, otlp_endpoint, console, export_timeout, handle
        )
        handle.meter_provider = _configure_metrics(
            service_name, otlp_endpoint, console, metric_export_interval, export_timeout, handle
        )
    if log_format is not None:
        handle.log_file = _configure_logging(log_format, log_file, log_level, handle)
    atexit.register(handle.shutdown)
    return handle


def _resource(service_name: str | None) -> Any:
    from opentelemetry.sdk.resources import Resource

    attributes = {"service.version": __version__}
    if service_name or not os.environ.get("OTEL_SERVICE_NAME"):
        attributes["service.name"] = service_name or "reelgate"
    return Resource.create(attributes)


def _otlp_url(endpoint: str | None, signal: str) -> str | None:
    if endpoint:
        return f"{endpoint.rstrip('/')}/v1/{signal}"
    specific = f"OTEL_EXPORTER_OTLP_{signal.upper()}_ENDPOINT"
    if os.environ.get(specific):
        return os.environ[specific]
    base = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    return f"{base.rstrip('/')}/v1/{signal}" if base else None


def _configure_tracing(
    service_name: str | None,
    endpoint: str | None,
    console: bool,
    export_timeout: float | None,
    handle: TelemetryHandle,
) -> Any:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor

    existing = trace.get_tracer_provider()
    if isinstance(existing, TracerProvider):
        provider, owned = existing, False
    else:
        provider, owned = TracerProvider(resource=_resource(service_name)), True
    url = _otlp_url(endpoint, "traces") if (owned or endpoint) else None
    if url:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=url, timeout=export_timeout)
        provider.add_span_processor(BatchSpanProcessor(exporter))
    if console:
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=sys.stderr)))
    if owned:
        trace.set_tracer_provider(provider)
        handle._closers.append(provider.shutdown)
        handle._owned.append(provider)
    return provider


def _configure_metrics(
    service_name: str | None,
    endpoint: str | None,
    console: bool,
    interval: float,
    export_timeout: float | None,
    handle: TelemetryHandle,
) -> Any:
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader

    existing = metrics.get_meter_provider()
    if isinstance(existing, MeterProvider):
        return existing  # the application's own provider: used as it is (readers cannot be added later)
    readers = []
    url = _otlp_url(endpoint, "metrics")
    if url:
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        readers.append(
            PeriodicExportingMetricReader(
                OTLPMetricExporter(endpoint=url, timeout=export_timeout), interval * 1000
            )
        )
    if console:
        readers.append(PeriodicExportingMetricReader(ConsoleMetricExporter(out=sys.stderr), interval * 1000))
    provider = MeterProvider(resource=_resource(service_name), metric_readers=readers)
    metrics.set_meter_provider(provider)
    handle._closers.append(provider.shutdown)
    handle._owned.append(provider)
    return provider


def _configure_logging(
    log_format: LogFormat,
    log_file: str | os.PathLike[str] | IO[str] | None,
    log_level: str,
    handle: TelemetryHandle,
) -> IO[str] | None:
    level = logging.getLevelNamesMapping().get(log_level.upper())
    if level is None:
        raise ValueError(f"log_level={log_level!r} is not a logging level (debug, info, warning, error)")
    opened: IO[str] | None = None
    if log_file is None:
        factory: Any = structlog.PrintLoggerFactory(sys.stderr)
    elif isinstance(log_file, str | os.PathLike):
        path = Path(log_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        opened = path.open("a", encoding="utf-8")
        handle._closers.append(opened.close)
        factory = structlog.WriteLoggerFactory(opened)
    else:
        factory = structlog.WriteLoggerFactory(cast(TextIO, log_file))
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _logging.add_trace_ids,
            _logging.redact_event,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=factory,
        cache_logger_on_first_use=False,
    )
    return opened
