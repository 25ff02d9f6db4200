"""Running ``reelgate`` as a user does: ``python -m reelgate`` in a subprocess, with a clean
environment (only PATH, a temporary HOME and data directory, and the provider variables a test
names), against an emulator served on 127.0.0.1 by the test process: the integration tests'
``openai_emulator`` fixture (one server per module, reset before each test, jobs of 0.3 s).

Every run is checked for a Python traceback on stderr: a user error must never print one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reelgate import reports
from reelgate.emulator import EmulatedServer
from tests.integration.conftest import openai_emulator, openai_server  # noqa: F401 (fixtures, reused)

SECRET = "sk-test-SECRET123"
MODEL = "openai_compatible/sora-2"
"""Unpriced (no price row for openai_compatible): shows how an unknown price is reported."""
PRICED = "openai/sora-2"
"""$0.10 per second in the packaged price table."""


@dataclass(frozen=True)
class Run:
    """What a user sees of one command: its exit code, stdout and stderr."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def ok(self) -> Run:
        assert self.returncode == 0, f"reelgate {' '.join(self.args)} failed:\n{self.stderr}"
        return self

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(("error:", "hint:"))]


class Cli:
    """``python -m reelgate`` in ``workdir`` with a clean environment; ``env`` holds the variables."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env

    @property
    def data_dir(self) -> Path:
        return Path(self.env["REELGATE_DATA_DIR"])

    def __call__(self, *args: str, timeout: float = 90, env: dict[str, str] | None = None) -> Run:
        result = subprocess.run(
            [sys.executable, "-m", "reelgate", *args],
            cwd=self.workdir,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return Run(args, result.returncode, result.stdout, result.stderr)

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """Start a command in the background, able to receive Ctrl-C (SIGINT) as a terminal would send it.

        A process started from a shell's background job inherits SIGINT as ignored; spawning while
        Python's own handler is installed gives the child the default disposition instead.
        """
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "reelgate", *args],
                cwd=self.workdir,
                env={**self.env, **(env or {})},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        finally:
            signal.signal(signal.SIGINT, previous)

    def ledger(self, query: str) -> list[dict[str, Any]]:
        """Rows of a query over this data directory's ledger (read after the commands exited)."""
        return reports.sql(query, data_dir=self.data_dir)

    def log_events(self) -> list[dict[str, Any]]:
        """Every JSON line of the CLI's log file in the data directory."""
        text = (self.data_dir / "logs" / "reelgate.jsonl").read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines()]


def cli_environment(home: Path, data_dir: Path, api_base: str | None) -> dict[str, str]:
    """A minimal environment: nothing of the developer's (no OTEL_*, no keys) leaks into a run."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "REELGATE_DATA_DIR": str(data_dir)}
    if api_base is not None:
        env |= {
            "OPENAI_COMPATIBLE_API_BASE": api_base,
            "OPENAI_COMPATIBLE_API_KEY": SECRET,
            "OPENAI_BASE_URL": api_base,
            "OPENAI_API_KEY": SECRET,
        }
    return env


@pytest.fixture
def make_cli(tmp_path: Path) -> Callable[[str | None], Cli]:
    """``make_cli(api_base)``: a :class:`Cli` with its own HOME, data directory and working directory."""

    def make(api_base: str | None) -> Cli:
        for name in ("home", "work"):
            (tmp_path / name).mkdir(exist_ok=True)
        return Cli(tmp_path / "work", cli_environment(tmp_path / "home", tmp_path / "data", api_base))

    return make


@pytest.fixture
def cli(make_cli: Callable[[str | None], Cli], openai_emulator: EmulatedServer) -> Cli:  # noqa: F811 (the fixture)
    """A CLI pointed at the (reset) emulator, with the provider keys set to :data:`SECRET`."""
    return make_cli(openai_emulator.api_base)


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the condition"
        time.sleep(0.02)
