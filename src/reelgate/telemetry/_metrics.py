"""The metric instruments, created once from the global meter provider.

The OpenTelemetry API hands out proxy meters until an application (or :func:`configure`) installs a
real provider, so instruments made here start recording whenever that happens. Attributes are
low-cardinality only: operation, provider, model, status, error type, variant. Never ids or prompts.
"""

from __future__ import annotations

from functools import cache

from opentelemetry import metrics

from reelgate._version import __version__
from reelgate.telemetry import names


class Instruments:
    """Every instrument reelgate records."""

    def __init__(self, meter: metrics.Meter) -> None:
        self.operation_duration = meter.create_histogram(
            names.OPERATION_DURATION,
            unit="s",
            description="Duration of video API operations",
            explicit_bucket_boundaries_advisory=list(names.OPERATION_DURATION_BUCKETS),
        )
        self.cost = meter.create_counter(
            names.COST_USD, unit="{USD}", description="Final cost of videos, counted once per video"
        )
        self.generated_seconds = meter.create_counter(
            names.VIDEO_GENERATED_SECONDS, unit="s", description="Seconds of video generated (completed jobs)"
        )
        self.jobs_completed = meter.create_counter(
            names.JOBS_COMPLETED, unit="{job}", description="Video jobs by final status"
        )
        self.unpriced = meter.create_counter(
            names.COST_UNPRICED, unit="{call}", description="Calls whose cost is unknown (no price matched)"
        )
        self.content_size = meter.create_histogram(
            names.CONTENT_SIZE,
            unit="By",
            description="Size of downloaded video assets",
            explicit_bucket_boundaries_advisory=list(names.CONTENT_SIZE_BUCKETS),
        )
        self.polls_per_job = meter.create_histogram(
            names.POLLS_PER_JOB,
            unit="{request}",
            description="Status polls made by one wait",
            explicit_bucket_boundaries_advisory=list(names.POLL_COUNT_BUCKETS),
        )


@cache
def instruments() -> Instruments:
    """The process-wide instruments (bound to whatever meter provider is, or will be, installed)."""
    return Instruments(metrics.get_meter(names.INSTRUMENTATION_NAME, __version__))
