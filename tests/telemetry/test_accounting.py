"""What the pipeline writes to the ledger: one calls row per upstream exchange, an estimate at create,
exactly one final cost per video, 0 for failures, NULL (never 0) when unpriced."""

from __future__ import annotations

import multiprocessing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reelgate import Client, reports
from reelgate.emulator import EmulatedServer, EmulatorConfig, run_in_thread
from reelgate.ledger import Ledger
from tests.unit._scripted import Scripted, error_reply, json_reply, video


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(data_dir=tmp_path)


def client_for(upstream: Scripted, ledger: Ledger, **kwargs: Any) -> Client:
    return Client(
        model="openai/sora-2",
        api_key="sk-t",
        api_base="https://up.test/v1",
        transport=upstream.transport,
        ledger=ledger,
        **kwargs,
    )


def rows(ledger: Ledger, query: str) -> list[dict[str, Any]]:
    ledger.flush()
    return reports.sql(query, data_dir=ledger.data_dir)


def test_create_then_many_polls_give_one_estimate_and_one_final(ledger: Ledger) -> None:
    upstream = Scripted(
        json_reply(video(id="video_a", seconds="8", size="720x1280")),
        json_reply(video(id="video_a", status="in_progress", progress=40)),
        json_reply(video(id="video_a", status="completed", progress=100, seconds="8", size="720x1280")),
    )
    client = client_for(upstream, ledger)
    client.create("a cat", seconds=8, size="720x1280", user="alice", tags={"team": "ads"})
    for _ in range(6):
        client.status("video_a", user="alice")
    costs = rows(ledger, "SELECT kind, amount, status, job_status, user FROM cost_events ORDER BY kind")
    assert costs == [
        {
            "kind": "estimate",
            "amount": Decimal("0.8"),
            "status": "priced",
            "job_status": "queued",
            "user": "alice",
        },
        {
            "kind": "final",
            "amount": Decimal("0.8"),
            "status": "priced",
            "job_status": "completed",
            "user": "alice",
        },
    ]
    [summary] = rows(ledger, "SELECT amount, cost_status FROM video_costs")
    assert summary == {"amount": Decimal("0.8"), "cost_status": "final"}
    calls = rows(ledger, "SELECT operation, http_status, video_id, user FROM calls ORDER BY ts")
    assert len(calls) == 7
    assert calls[0] == {
        "operation": "create_video",
        "http_status": 200,
        "video_id": "video_a",
        "user": "alice",
    }
    assert {c["operation"] for c in calls[1:]} == {"get_video"}
    [by_tag] = reports.spend(by="tag", data_dir=ledger.data_dir)
    assert by_tag["amount"] == Decimal("0.8")


def test_failed_video_costs_zero_and_unknown_model_is_unpriced(ledger: Ledger) -> None:
    failed = video(id="video_f", status="failed", error={"code": "moderation_blocked", "message": "no"})
    client_for(Scripted(json_reply(video(id="video_f")), json_reply(failed)), ledger).create("a cat")
    client_for(Scripted(json_reply(failed)), ledger).status("video_f")
    mystery = Scripted(json_reply(video(id="video_m", model="mystery")))
    Client(api_base="https://up.test/v1", transport=mystery.transport, ledger=ledger).create(
        "a cat", "openai_compatible/mystery"
    )
    costs = {r["video_id"]: r for r in rows(ledger, "SELECT * FROM video_costs")}
    assert (costs["video_f"]["amount"], costs["video_f"]["cost_status"]) == (Decimal(0), "final")
    assert (costs["video_m"]["amount"], costs["video_m"]["cost_status"]) == (None, "unpriced")


def test_retried_and_failed_exchanges_are_each_a_calls_row(ledger: Ledger) -> None:
    upstream = Scripted(error_reply(503, headers={"retry-after-ms": "1"}), json_reply(video(id="video_r")))
    client_for(upstream, ledger).status("video_r")
    calls = rows(ledger, "SELECT http_status, error_type FROM calls ORDER BY ts")
    assert calls == [{"http_status": 503, "error_type": "503"}, {"http_status": 200, "error_type": None}]


def _poll_to_completion(api_base: str, data_dir: str, video_id: str) -> None:
    with (
        Ledger(data_dir=data_dir) as own_ledger,
        Client(model="openai/sora-2", api_key="sk-t", api_base=api_base, ledger=own_ledger) as client,
    ):
        client.wait(video_id)


def test_two_processes_seeing_the_same_completion_count_it_once(tmp_path: Path) -> None:
    with run_in_thread("openai", EmulatorConfig(job_seconds=0.3, poll_after_ms=20)) as server:
        emulator: EmulatedServer = server
        with (
            Ledger(data_dir=tmp_path) as ledger,
            Client(
                model="openai/sora-2", api_key="sk-t", api_base=emulator.api_base, ledger=ledger
            ) as client,
        ):
            video_id = client.create("a cat", seconds=4).id
        context = multiprocessing.get_context("spawn")
        workers = [
            context.Process(target=_poll_to_completion, args=(emulator.api_base, str(tmp_path), video_id))
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
    stored = reports.sql(
        "SELECT count(*) AS n FROM (SELECT kind FROM _costs_base UNION ALL SELECT kind FROM _costs_delta) "
        "WHERE kind = 'final'",
        data_dir=tmp_path,
    )
    assert stored == [{"n": 2}], "each process wrote its own copy of the final event"
    finals = reports.sql("SELECT amount FROM cost_events WHERE kind = 'final'", data_dir=tmp_path)
    assert finals == [{"amount": Decimal("0.4")}]
    assert reports.totals(data_dir=tmp_path)["final"] == Decimal("0.4")
