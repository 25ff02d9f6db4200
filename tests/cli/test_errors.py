"""User errors end to end: one ``error:`` line (and a ``hint:``), the documented exit code, no
traceback (every run is checked for one), and nothing in the ledger for a create that was refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reelgate.emulator import EmulatedServer
from tests.cli.conftest import MODEL, PRICED, SECRET, Cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "nope/sora-2"], "error: model 'nope/sora-2' does not name a provider"),
        (["--model", PRICED, "--size", "big"], "error: size='big' is not WIDTHxHEIGHT"),
        (["--model", PRICED, "--size", "1024x1024"], "is not supported by openai/sora-2"),
        (["--model", PRICED, "--seconds", "7"], "error: seconds"),
        (["--model", PRICED, "--image", "missing.png"], "error: --image missing.png: no such file"),
        (["--model", PRICED, "-o", "no/such/dir/cat.mp4"], "error: cannot write no/such/dir/cat.mp4"),
        (["--model", PRICED, "--tag", "team"], "error: --tag 'team' is not KEY=VALUE"),
    ],
    ids=[
        "unknown-model",
        "bad-size",
        "unsupported-size",
        "bad-seconds",
        "missing-image",
        "no-dir",
        "bad-tag",
    ],
)
def test_bad_input_exits_2_and_records_nothing(
    cli: Cli, openai_emulator: EmulatedServer, args: list[str], message: str
) -> None:
    run = cli("generate", "A cat", *args)

    assert run.returncode == 2
    assert run.stdout == ""
    error, hint = run.error_lines()
    assert error.startswith("error: ")
    assert message in error
    assert hint.startswith("hint: ")
    assert openai_emulator.emulator.requests == []  # nothing reached the provider
    assert cli.ledger("SELECT count(*) AS n FROM calls") == [{"n": 0}]
    assert cli.ledger("SELECT count(*) AS n FROM cost_events") == [{"n": 0}]


def test_a_usage_error_is_typers_exit_2(cli: Cli) -> None:
    run = cli("generate", "A cat", "--seconds", "zero")

    assert run.returncode == 2
    assert "--seconds" in run.stderr


def test_an_unknown_video_id_exits_3(cli: Cli) -> None:
    run = cli("status", "video_unknown", "--model", MODEL)

    assert run.returncode == 3
    error, hint = run.error_lines()
    assert error == (
        "error: openai_compatible returned 404: Video with id 'video_unknown' not found.; check the id, "
        "the model name or deployment, and that the video belongs to this provider"
    )
    assert hint.startswith("hint: 'reelgate list' shows the provider's videos")


def test_an_invalid_video_id_is_bad_input(cli: Cli) -> None:
    run = cli("download", "../etc/passwd", "--model", MODEL)

    assert run.returncode == 2
    assert run.error_lines()[0] == "error: video_id='../etc/passwd' is not a valid video id"


def test_a_rejected_key_exits_4_without_showing_it(cli: Cli, openai_emulator: EmulatedServer) -> None:
    openai_emulator.emulator.config.api_keys = {"sk-the-only-valid-key"}
    run = cli("list", "--model", MODEL)

    assert run.returncode == 4
    assert "returned 401" in run.error_lines()[0]
    assert run.error_lines()[1].startswith("hint: check the provider's key")
    assert SECRET not in run.stderr


def test_a_missing_key_exits_4(cli: Cli) -> None:
    run = cli("list", "--model", PRICED, env={"OPENAI_API_KEY": ""})

    assert run.returncode == 4
    assert run.error_lines() == ["error: openai: no API key; set OPENAI_API_KEY or pass api_key="]


def test_an_unreachable_server_exits_1(make_cli: Callable[[str | None], Cli]) -> None:
    cli = make_cli("http://127.0.0.1:9/v1")  # the discard port: nothing listens there
    run = cli("status", "video_1", "--model", MODEL)

    assert run.returncode == 1
    error, hint = run.error_lines()
    assert error.startswith("error: openai_compatible: ")
    assert hint.startswith("hint: check that the server is up")


@pytest.mark.parametrize("command", [["list", "--model", MODEL], ["report"], ["sql", "SELECT 1 AS one"]])
def test_an_unusable_data_directory_exits_4(cli: Cli, tmp_path: Path, command: list[str]) -> None:
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    run = cli("--data-dir", str(not_a_directory), *command)

    assert run.returncode == 4
    error, hint = run.error_lines()
    assert str(not_a_directory) in error
    assert "not usable" in error
    assert hint == "hint: pass --data-dir PATH (or set REELGATE_DATA_DIR) to a directory you can write"


def test_a_content_policy_refusal_is_bad_input(cli: Cli) -> None:
    run = cli("generate", "A cat @emulator:reject=policy", "--model", MODEL)

    assert run.returncode == 2
    assert "content_policy_violation" in run.error_lines()[0]
