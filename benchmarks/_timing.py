"""Timing helpers shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved(runs: int, works: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median seconds per call of each work, taking turns run by run, so that any drift over the run
    (caches warming, an emulator holding more jobs) weighs on every variant alike."""
    samples: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(runs):
        for name, work in works.items():
            started = time.perf_counter()
            work()
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def median_seconds(runs: int, work: Callable[[], object]) -> float:
    """Median seconds of ``runs`` calls of ``work``."""
    return interleaved(runs, {"work": work})["work"]
