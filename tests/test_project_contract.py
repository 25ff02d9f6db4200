"""The project's own contract: the README's two commands, CI running exactly the test command, and
lint and type checks staying clean (so CI enforces them, not just good intentions)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._media import assert_playable

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def readme_command(marker: str) -> str:
    """The shell command in the fenced block right after ``<!-- marker -->`` in the README."""
    match = re.search(rf"<!-- {marker} -->\s*```(?:sh|bash|console)?\n(.+?)\n```", README, re.S)
    assert match, f"README has no command block marked <!-- {marker} -->"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = readme_command("test-command")
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert command in ci_lines
    assert "pytest" in command


@pytest.mark.slow
def test_the_readme_main_job_runs_verbatim_in_a_fresh_copy(tmp_path: Path) -> None:
    """The first README command, as a newcomer runs it: a clean copy of the project, a new virtual
    environment, no credentials, then a rendered cat.mp4 and a cost report showing it at 0."""
    command = readme_command("main-job")
    checkout = tmp_path / "reelgate"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".venv*", ".git", "*.mp4", "__pycache__"))
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OPENAI", "AZURE", "REELGATE", "VIRTUAL_ENV", "OTEL"))
    }
    environment["REELGATE_DATA_DIR"] = str(tmp_path / "data")  # instead of the user's data directory
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=900,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert_playable((checkout / "cat.mp4").read_bytes(), "1280x720", 4.0)
    assert "local/preview" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_emulator_demo_runs(tmp_path: Path) -> None:
    output = tmp_path / "cat.mp4"
    result = subprocess.run(
        [sys.executable, "examples/emulator_demo.py", "-o", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AZURE"))},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "spend by model" in result.stdout
    assert "openai/sora-2" in result.stdout.split("spend by model")[1]
    assert_playable(output.read_bytes(), "1280x720", 4.0)


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; it is part of the test extra: pip install -e '.[test]'")
    return path


def test_ruff_is_clean() -> None:
    for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        result = subprocess.run([_tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
