"""The offline main job, as a newcomer runs it: ``reelgate`` commands in separate processes, no key,
no network, the built-in local provider, one temporary data directory."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from PIL import Image

from tests._media import assert_playable, image_format
from tests.cli.conftest import Cli

PROMPT = "A cat playing with a ball of yarn in a sunny garden"


@pytest.fixture
def local(make_cli: Callable[[str | None], Cli]) -> Cli:
    """A CLI with no provider configured at all: the local provider is the default."""
    return make_cli(None)


def test_generate_renders_the_requested_video_and_reports_it_at_zero(local: Cli) -> None:
    run = local("generate", PROMPT, "--seconds", "8", "--size", "720x1280", "-o", "cat.mp4").ok()
    assert "cat.mp4" in run.stdout
    assert_playable((local.workdir / "cat.mp4").read_bytes(), "720x1280", 8.0)

    [row] = local("report", "--format", "json").ok().json()["rows"]
    assert (row["provider"], row["model"], row["videos"]) == ("local", "preview", 1)
    assert Decimal(str(row["final_amount"])) == 0
    assert (row["final_videos"], row["estimate_videos"], row["unpriced_videos"]) == (1, 0, 0)

    [video] = (
        local("sql", "SELECT video_id, amount, cost_status FROM video_costs", "--format", "json").ok().json()
    )
    assert video["cost_status"] == "final"
    assert Decimal(str(video["amount"])) == 0
    assert video["video_id"] in run.stdout


def test_every_video_command_works_across_processes(local: Cli) -> None:
    created = local("generate", "a lighthouse", "--model", "local/draft", "--no-wait", "--json").ok().json()
    video_id = created["id"]
    assert created["status"] in ("queued", "in_progress")

    done = local("wait", video_id, "--json").ok().json()
    assert (done["status"], done["progress"]) == ("completed", 100)
    assert local("status", video_id, "--json").ok().json()["status"] == "completed"
    assert [video["id"] for video in local("list", "--json").ok().json()["data"]] == [video_id]

    local("download", video_id, "--variant", "thumbnail", "-o", "thumb.webp").ok()
    thumbnail = (local.workdir / "thumb.webp").read_bytes()
    assert image_format(thumbnail) == "webp"
    assert Image.open(io.BytesIO(thumbnail)).size == (640, 360)

    remix = local("remix", video_id, "the lighthouse at night", "-o", "night.mp4", "--json").ok().json()
    assert remix["remixed_from_video_id"] == video_id
    assert_playable((local.workdir / "night.mp4").read_bytes(), "640x360", 4.0)

    local("delete", video_id).ok()
    gone = local("status", video_id)
    assert gone.returncode == 3
    assert "no local video" in gone.stderr
    assert [video["id"] for video in local("list", "--json").ok().json()["data"]] == [remix["id"]]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("generate", "a cat", "--model", "local/ultra"), 2, "the local models are: local/preview"),
        (("generate", "a cat", "--size", "1000x1000"), 2, "allowed values: 1280x720"),
        (("generate", "a cat", "--image", "missing.png"), 2, "missing.png"),
        (("status", "video_00000000000000000000000000000000"), 3, "no local video"),
    ],
)
def test_bad_input_is_one_clear_line_and_records_no_video(
    local: Cli, args: tuple[str, ...], code: int, message: str
) -> None:
    run = local(*args)
    assert run.returncode == code
    assert message in run.stderr
    assert run.error_lines()[0].startswith("error:")
    assert local("sql", "SELECT count(*) AS n FROM video_costs", "--format", "json").ok().json() == [{"n": 0}]


def test_an_unusable_data_directory_is_a_clear_error(local: Cli) -> None:
    blocked = local.workdir / "not-a-directory"
    blocked.write_text("a file where the data directory should be")
    run = local("--data-dir", str(blocked), "generate", "a cat")
    assert run.returncode == 4
    assert str(blocked) in run.stderr
    assert not any(line.startswith("Traceback") for line in run.stderr.splitlines())
