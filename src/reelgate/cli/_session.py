"""One run of the command: the global options, and the client and telemetry it sets up on demand.

Commands that call a provider ask for :meth:`Session.client`; only then is telemetry configured
(:func:`reelgate.telemetry.configure`, once per run, service name ``reelgate-cli``) and the client
built. JSON logs are appended to ``<data dir>/logs/reelgate.jsonl`` so the terminal stays clean;
``--log-format console`` writes readable logs to stderr instead. Spans and metrics leave the process
only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or a signal-specific variant) is set; otherwise nothing is
exported and no connection is attempted. :meth:`Session.close` runs when the command ends, however it
ends: it closes the client and flushes the ledger, the spans and the logs.
"""

from __future__ import annotations

import atexit
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeAlias

from reelgate.cli._errors import DATA_DIR_HINT, CliError, ExitCode, describe_os_error
from reelgate.cli._output import err, show_warning

if TYPE_CHECKING:
    import typer

    from reelgate._client import Client
    from reelgate.telemetry._setup import TelemetryHandle

LogFormat: TypeAlias = Literal["json", "console"]
LogLevel: TypeAlias = Literal["debug", "info", "warning", "error"]
LOG_FILE = Path("logs") / "reelgate.jsonl"
EXPORT_TIMEOUT = 5.0
"""Seconds an OTLP export may take at the CLI (unless ``OTEL_EXPORTER_OTLP_TIMEOUT`` says otherwise)."""
SERVICE_NAME = "reelgate-cli"


@dataclass
class Session:
    """The state of one ``reelgate`` run (kept on the typer context as ``ctx.obj``)."""

    log_format: LogFormat = "json"
    log_level: LogLevel = "info"
    data_dir: Path | None = None
    """``--data-dir`` when it was given (absolute), repeated in the commands printed for resuming."""
    router: Path | None = None
    """``--router``: a router configuration file (reelgate's or LiteLLM's YAML), when given."""

    _client: Client | None = None
    _telemetry: TelemetryHandle | None = None

    @classmethod
    def of(cls, ctx: typer.Context) -> Session:
        """The session the global options callback stored on the context."""
        session = ctx.find_object(cls)
        if session is None:
            raise RuntimeError("the reelgate callback did not run: no session on the context")
        return session

    @property
    def progress(self) -> bool:
        """Whether to draw progress bars: on a terminal, and only when logs are not printed there."""
        return self.log_format != "console" and err().is_terminal

    def client(self) -> Client:
        """The run's client, built on first use after telemetry is configured."""
        if self._client is None:
            self._configure_telemetry()
            from reelgate._client import Client

            if self.router is None:
                self._client = Client()
            else:
                from reelgate.router import Router

                self._client = Client(router=Router.from_yaml(self.router))
        return self._client

    def _configure_telemetry(self) -> None:
        from reelgate._paths import resolve_data_dir
        from reelgate.telemetry import configure

        log_file = None
        if self.log_format == "json":
            data_dir = resolve_data_dir()
            log_file = data_dir / LOG_FILE
            try:
                log_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CliError(
                    f"the data directory {str(data_dir)!r} is not usable: {describe_os_error(exc)}",
                    code=ExitCode.CONFIG,
                    hint=DATA_DIR_HINT,
                ) from exc
        self._telemetry = configure(
            service_name=SERVICE_NAME,
            log_format=self.log_format,
            log_file=log_file,
            log_level=self.log_level,
            # a command should not hang for long on exit when the collector is down
            export_timeout=None if os.environ.get("OTEL_EXPORTER_OTLP_TIMEOUT") else EXPORT_TIMEOUT,
        )

    def command(self, *arguments: str, model: str | None) -> str:
        """The shell command running ``reelgate <arguments>`` again with this data directory and model."""
        words = ["reelgate"]
        if self.data_dir is not None:
            words += ["--data-dir", str(self.data_dir)]
        if self.router is not None:
            words += ["--router", str(self.router)]
        words += arguments
        if model:
            words += ["--model", model]
        return shlex.join(words)

    def close(self) -> None:
        """Close the client, then flush the ledger, spans and logs (idempotent)."""
        client, self._client = self._client, None
        telemetry, self._telemetry = self._telemetry, None
        try:
            if client is not None:
                client.close()
            if "reelgate._defaults" in sys.modules:  # a ledger can only exist if this was imported
                from reelgate._defaults import flush_process_ledger

                try:
                    flush_process_ledger()
                except Exception as exc:  # the events stay buffered for the exit hook to retry
                    show_warning(f"the cost ledger could not be written yet: {exc}", RuntimeWarning)
        finally:
            if telemetry is not None:
                atexit.unregister(telemetry.shutdown)
                telemetry.shutdown()


def set_data_dir(path: Path) -> Path:
    """Point this run (and the library) at ``path`` as the data directory; returns it made absolute."""
    from reelgate._paths import DATA_DIR_ENV

    absolute = path.expanduser().absolute()
    os.environ[DATA_DIR_ENV] = str(absolute)
    return absolute
