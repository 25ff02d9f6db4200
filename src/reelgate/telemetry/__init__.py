"""Telemetry: the names reelgate emits, and ``configure()`` for applications that want exporters.

The library emits spans and metrics through the OpenTelemetry API and log events through structlog;
it never installs anything itself. ``reelgate.telemetry.configure(...)`` is the one-call setup.
"""

from reelgate.telemetry import names
from reelgate.telemetry._setup import TelemetryHandle, configure

__all__ = ["TelemetryHandle", "configure", "names"]
