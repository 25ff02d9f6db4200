"""Ctrl-C while waiting stops the waiting only: exit 130, the exact command to resume, the job still
running upstream, and the interrupted wait's span still exported before the process exits."""

from __future__ import annotations

import signal
import subprocess

import pytest

from reelgate.emulator import EmulatedServer, run_in_thread
from tests.cli.conftest import MODEL, Cli, wait_until
from tests.telemetry.test_otlp_export import Receiver

SLOW = "A slow cat @emulator:job_seconds=30"


def interrupt_once_polling(
    process: subprocess.Popen[str], openai_emulator: EmulatedServer
) -> tuple[str, str]:
    """Send SIGINT once the process has polled the job, and collect what it printed."""
    wait_until(lambda: any(r.route == "retrieve" for r in openai_emulator.emulator.requests))
    process.send_signal(signal.SIGINT)
    return process.communicate(timeout=30)


def test_ctrl_c_during_wait_leaves_the_job_running(cli: Cli, openai_emulator: EmulatedServer) -> None:
    video_id = cli("generate", SLOW, "--model", MODEL, "--no-wait", "--json").ok().json()["id"]

    sink = Receiver()
    with run_in_thread(sink.app) as collector:
        process = cli.start(
            "wait", video_id, "--model", MODEL, env={"OTEL_EXPORTER_OTLP_ENDPOINT": collector.url}
        )
        stdout, stderr = interrupt_once_polling(process, openai_emulator)

    assert process.returncode == 130
    assert stdout == ""
    assert "Traceback" not in stderr
    assert stderr.splitlines() == [
        f"interrupted: stopped waiting; video {video_id} keeps running",
        f"hint: resume with: reelgate wait {video_id} --model {MODEL}",
    ]
    status = cli("status", video_id, "--model", MODEL, "--json").ok().json()
    assert status["status"] in ("queued", "in_progress")
    assert "generate_video sora-2" in [span.name for span in sink.spans()]


@pytest.mark.parametrize("with_data_dir", [False, True], ids=["default-data-dir", "data-dir-option"])
def test_ctrl_c_during_generate_names_the_resume_command(
    cli: Cli, openai_emulator: EmulatedServer, with_data_dir: bool
) -> None:
    prefix = ["--data-dir", str(cli.data_dir)] if with_data_dir else []
    process = cli.start(*prefix, "generate", SLOW, "--model", MODEL)
    _, stderr = interrupt_once_polling(process, openai_emulator)

    assert process.returncode == 130
    [job] = openai_emulator.emulator.jobs.values()
    expected = " ".join(["reelgate", *prefix, "wait", job.id, "--model", MODEL])
    assert f"hint: resume with: {expected}" in stderr.splitlines()
    assert job.status in ("queued", "in_progress")
    assert not list(cli.workdir.iterdir())  # nothing downloaded, no partial file
    estimate = cli.ledger("SELECT cost_status FROM video_costs")
    assert estimate == [{"cost_status": "unpriced"}]  # the create was recorded before the interrupt
