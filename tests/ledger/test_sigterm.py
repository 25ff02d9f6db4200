"""SIGTERM during load loses nothing a process acknowledged, and the process still ends as it would have."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelgate import reports

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")


def start_child(data_dir: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ledger._sigterm_child", str(data_dir), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def acknowledged_after_sigterm(child: subprocess.Popen[str], before: int) -> tuple[set[str], list[str]]:
    """Read ``before`` acknowledgements, send SIGTERM, then read the rest until the child ends."""
    assert child.stdout is not None
    acked: set[str] = set()
    deadline = time.monotonic() + 30
    while len(acked) < before and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acked.add(line.strip())
    child.send_signal(signal.SIGTERM)
    rest, _ = child.communicate(timeout=30)
    others = []
    for line in rest.splitlines(keepends=True):
        if line.endswith("\n") and line.strip().isdigit():
            acked.add(line.strip())
        elif line.strip():
            others.append(line.strip())
    return acked, others


def stored_videos(data_dir: Path) -> set[str]:
    rows = reports.sql("SELECT video_id FROM cost_events", data_dir=data_dir)
    return {row["video_id"] for row in rows}


def test_sigterm_flushes_every_acknowledged_event_then_terminates(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    child = start_child(data_dir, "default")
    acked, _ = acknowledged_after_sigterm(child, before=3000)
    assert child.returncode == -signal.SIGTERM, child.stderr.read() if child.stderr else ""
    assert len(acked) >= 3000
    missing = {f"video_{index}" for index in acked} - stored_videos(data_dir)
    assert not missing, f"{len(missing)} acknowledged events lost"


def test_sigterm_runs_the_previous_handler_after_flushing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    child = start_child(data_dir, "chain")
    acked, others = acknowledged_after_sigterm(child, before=2000)
    assert others == ["chained"]
    assert child.returncode == 3
    assert {f"video_{index}" for index in acked} <= stored_videos(data_dir)


def test_an_ignored_sigterm_still_flushes_and_the_process_lives_on(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    child = start_child(data_dir, "ignore")
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        assert stored_videos(data_dir) == set()  # a flush interval of an hour: nothing written yet
        child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        while len(stored_videos(data_dir)) < 500 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(stored_videos(data_dir)) == 500
        assert child.poll() is None
    finally:
        child.kill()
        child.communicate(timeout=30)
