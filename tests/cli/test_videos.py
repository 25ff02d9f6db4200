"""The video commands end to end: each a separate ``reelgate`` process against the emulator, checked
by what a user sees (output, exit code, the files written) and by what the ledger and log recorded."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reelgate.emulator import EmulatedServer
from tests._media import assert_playable, image_format
from tests.cli.conftest import MODEL, PRICED, SECRET, Cli, Run


def field(run: Run, name: str) -> str:
    """The value of a ``name  value`` line of human output."""
    for line in run.stdout.splitlines():
        key, _, value = line.partition("  ")
        if key.strip() == name:
            return value.strip()
    raise AssertionError(f"no {name!r} line in:\n{run.stdout}")


def test_generate_waits_downloads_and_reports_an_unpriced_cost(cli: Cli) -> None:
    run = cli(
        "generate", "A paper boat on a stream", "--model", MODEL, "--seconds", "4", "--size", "1280x720"
    )

    run.ok()
    video_id = field(run, "id")
    assert field(run, "status") == "completed"
    assert field(run, "cost").startswith("unpriced")  # never shown as 0
    saved = cli.workdir / f"{video_id}.mp4"
    assert field(run, "saved").startswith(str(saved))
    assert_playable(saved.read_bytes(), "1280x720", 4)
    assert run.stderr == ""  # no progress bar or log line outside a terminal


def test_generate_json_has_the_final_cost_and_the_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "boat.mp4"
    run = cli("generate", "A boat", "--model", PRICED, "--size", "720x1280", "-o", str(target), "--json").ok()

    video = run.json()
    assert video["status"] == "completed"
    assert video["cost"] == {"amount": 0.4, "currency": "USD", "status": "final"}
    assert video["output_path"] == str(target)
    assert_playable(target.read_bytes(), "720x1280", 4)


def test_no_wait_prints_the_queued_id_and_the_estimate_at_once(
    cli: Cli, openai_emulator: EmulatedServer
) -> None:
    run = cli("generate", "A slow one @emulator:job_seconds=20", "--model", PRICED, "--no-wait").ok()

    video_id = field(run, "id")
    assert field(run, "status").split()[0] in ("queued", "in_progress")
    assert field(run, "cost") == "0.40 USD (estimate)"
    assert field(run, "wait with") == f"reelgate wait {video_id} --model {PRICED}"
    assert [r.route for r in openai_emulator.emulator.requests] == ["create"]
    assert not list(cli.workdir.iterdir())


def test_a_video_across_separate_processes(cli: Cli) -> None:
    created = cli("generate", "A cat in a garden", "--model", MODEL, "--no-wait", "--json").ok().json()
    video_id = created["id"]
    assert created["status"] in ("queued", "in_progress")

    waited = cli("wait", video_id, "--model", MODEL).ok()
    assert field(waited, "status") == "completed"
    assert field(waited, "download with") == f"reelgate download {video_id} --model {MODEL}"

    status = cli("status", video_id, "--model", MODEL, "--json").ok().json()
    assert (status["id"], status["status"], status["progress"]) == (video_id, "completed", 100)

    listed = cli("list", "--model", MODEL, "--json").ok().json()
    assert [video["id"] for video in listed["data"]] == [video_id]
    table = cli("list", "--model", MODEL).ok()
    assert video_id in table.stdout

    thumbnail = cli("download", video_id, "--variant", "thumbnail", "--model", MODEL).ok()
    assert image_format((cli.workdir / f"{video_id}.webp").read_bytes()) == "webp"
    assert field(thumbnail, "variant") == "thumbnail"

    remix = cli("remix", video_id, "Make the cat jump", "--model", MODEL, "-o", "remix.mp4", "--json").ok()
    remixed = remix.json()
    assert remixed["remixed_from_video_id"] == video_id
    assert_playable((cli.workdir / "remix.mp4").read_bytes(), "720x1280", 4)

    assert cli("delete", video_id, "--model", MODEL).ok().stdout.strip() == f"deleted {video_id}"
    gone = cli("status", video_id, "--model", MODEL)
    assert gone.returncode == 3
    assert gone.error_lines()[0].startswith("error: ")
    assert "not found" in gone.stderr


def test_a_failed_video_prints_its_error_and_exits_1(cli: Cli) -> None:
    run = cli("generate", "A cat @emulator:fail=moderation", "--model", MODEL, "--json")

    assert run.returncode == 1
    assert run.json()["status"] == "failed"
    [error] = run.error_lines()
    assert error.startswith("error: video video_")
    assert "ended failed: moderation_blocked" in error
    assert not list(cli.workdir.iterdir())


def test_progress_bars_go_to_stderr_and_json_stays_clean(cli: Cli) -> None:
    run = cli("generate", "A cat", "--model", MODEL, "--json", env={"TTY_COMPATIBLE": "1"}).ok()

    video = run.json()  # stdout is exactly one JSON document
    assert "\x1b" not in run.stdout
    assert video["id"] in run.stderr  # the bars' descriptions name the video


def test_report_and_sql_see_what_the_commands_recorded(cli: Cli) -> None:
    cli("generate", "A boat", "--model", PRICED, "--seconds", "8", "--size", "1280x720").ok()
    cli("generate", "A cat", "--model", MODEL, "--no-wait").ok()
    cli("generate", "A dog", "--model", PRICED, "--no-wait").ok()

    report = cli("report", "--format", "json").ok().json()
    rows = {(row["provider"], row["model"]): row for row in report["rows"]}
    sora = rows["openai", "sora-2"]
    assert (sora["amount"], sora["final_amount"], sora["estimate_amount"]) == (1.2, 0.8, 0.4)
    assert (sora["videos"], sora["final_videos"], sora["estimate_videos"]) == (2, 1, 1)
    assert rows["openai_compatible", "sora-2"]["unpriced_videos"] == 1
    assert report["totals"]["total"] == 1.2
    assert report["totals"]["unpriced"] == 1

    table = cli("report").ok().stdout
    assert [line.split()[:2] for line in table.splitlines() if "sora-2" in line] == [
        ["openai/sora-2", "2"],
        ["openai_compatible/sora-2", "1"],
    ]
    assert "1.20 USD (final 0.80 USD, estimate 0.40 USD)" in table
    csv_lines = cli("report", "--format", "csv").ok().stdout.splitlines()
    assert csv_lines[0].startswith("provider,model,currency,videos,amount,final_amount")
    assert "openai,sora-2,USD,2,1.200000,0.800000,0.400000,1,1,0" in csv_lines

    rows_json = cli(
        "sql", "SELECT cost_status, amount FROM video_costs ORDER BY amount NULLS LAST", "--format", "json"
    ).ok()
    assert rows_json.json() == [
        {"cost_status": "estimate", "amount": 0.4},
        {"cost_status": "final", "amount": 0.8},
        {"cost_status": "unpriced", "amount": None},
    ]
    assert cli.ledger("SELECT sum(amount) AS total FROM video_costs") == [{"total": Decimal("1.200000")}]


def test_logs_are_json_lines_in_the_data_directory_without_the_secret(cli: Cli) -> None:
    runs = [
        cli("generate", "A cat", "--model", MODEL, "--seconds", "4"),
        cli("status", "video_does_not_exist", "--model", MODEL),
    ]

    events = cli.log_events()
    names = {event["event"] for event in events}
    assert {"request", "response", "cost.recorded", "job.status_changed"} <= names
    assert {event["operation"] for event in events if event["event"] == "request"} >= {
        "create_video",
        "get_video",
        "download_video_content",
    }
    assert all(event.get("trace_id") for event in events if event["event"] in ("request", "response"))
    log_text = (cli.data_dir / "logs" / "reelgate.jsonl").read_text()
    assert SECRET not in log_text
    for run in runs:
        assert SECRET not in run.stdout + run.stderr


def test_console_logs_go_to_stderr_and_leave_no_log_file(cli: Cli) -> None:
    run = cli("--log-format", "console", "generate", "A cat", "--model", MODEL, "--no-wait").ok()

    assert "request" in run.stderr
    assert "response" in run.stderr
    assert SECRET not in run.stderr
    assert not (cli.data_dir / "logs").exists()
