"""Help and startup: every command documents itself with examples, and ``reelgate --help`` imports
none of the heavy modules (they load inside the commands that need them)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from reelgate import __version__
from reelgate.cli._app import app
from reelgate.cli._errors import ExitCode

COMMANDS = [
    "generate",
    "status",
    "wait",
    "download",
    "remix",
    "list",
    "delete",
    "report",
    "sql",
    "prices",
    "estimate",
    "emulator",
]
runner = CliRunner()


def test_the_command_list() -> None:
    group = typer.main.get_command(app)
    assert sorted(group.commands) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])

    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"reelgate {command} " in result.stdout


def test_the_main_help_lists_commands_global_options_and_exit_codes() -> None:
    result = runner.invoke(app, ["--help"])

    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for needed in ("--data-dir", "--log-format", "--log-level", "--version", "Examples:", "Exit codes:"):
        assert needed in text
    assert all(command in text for command in COMMANDS)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])

    assert (result.exit_code, result.stdout) == (0, f"reelgate {__version__}\n")


def test_exit_codes_are_the_documented_ones() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "FAILED": 1,
        "USAGE": 2,
        "NOT_FOUND": 3,
        "CONFIG": 4,
        "INTERRUPTED": 130,
    }


def test_help_loads_no_heavy_module() -> None:
    heavy = ["httpx", "duckdb", "av", "uvicorn", "structlog", "opentelemetry.sdk"]
    heavy += ["reelgate.emulator", "reelgate.pricing", "reelgate.ledger", "reelgate.providers"]
    script = (
        "import sys, runpy\n"
        "sys.argv = ['reelgate', '--help']\n"
        "try:\n"
        "    runpy.run_module('reelgate', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        f"print([name for name in {heavy!r} if name in sys.modules], file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
    assert "generate" in result.stdout
