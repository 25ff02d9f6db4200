"""``reelgate emulator`` in the foreground until Ctrl-C, and spans leaving the CLI over OTLP only when
``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, flushed before the process exits."""

from __future__ import annotations

import select
import signal
from collections.abc import Callable

import httpx

from reelgate.emulator import EmulatedServer, run_in_thread
from tests.cli.conftest import MODEL, Cli
from tests.telemetry.test_otlp_export import Receiver


def test_the_emulator_command_serves_until_ctrl_c(make_cli: Callable[[str | None], Cli]) -> None:
    cli = make_cli(None)
    process = cli.start("emulator", "--port", "0", "--job-seconds", "0.2")
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    assert ready, "the emulator printed nothing"
    first = process.stdout.readline()
    assert first.startswith("reelgate emulator (openai) listening on http://127.0.0.1:")
    url = first.split()[-1]
    health = httpx.get(f"{url}/_emulator/health", timeout=10)
    assert health.json()["status"] == "ok"

    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "emulator stopped" in stderr
    assert "Traceback" not in stderr


def test_a_busy_port_is_one_error_line(
    make_cli: Callable[[str | None], Cli], openai_emulator: EmulatedServer
) -> None:
    run = make_cli(None)("emulator", "--port", str(openai_emulator.port))

    assert run.returncode == 1
    assert run.error_lines() == [
        f"error: cannot serve on 127.0.0.1:{openai_emulator.port}: Address already in use",
        "hint: choose another --port (0 picks a free one)",
    ]


def test_spans_go_to_otlp_only_when_asked_and_are_flushed_at_exit(cli: Cli) -> None:
    sink = Receiver()
    with run_in_thread(sink.app) as collector:
        cli("generate", "A cat", "--model", MODEL, "--no-wait").ok()
        assert sink.traces == []  # OTEL_EXPORTER_OTLP_ENDPOINT unset: nothing exported

        otlp = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.url}
        cli("generate", "A cat", "--model", MODEL, "--no-wait", env=otlp).ok()
    assert "create_video sora-2" in [span.name for span in sink.spans()]
    resource = sink.traces[0].resource_spans[0].resource
    assert {a.key: a.value.string_value for a in resource.attributes}["service.name"] == "reelgate-cli"
