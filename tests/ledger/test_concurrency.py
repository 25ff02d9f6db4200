"""Many writers at once: threads of one process, several processes, duplicates across processes."""

from __future__ import annotations

import multiprocessing
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from reelgate import reports
from reelgate.ledger import Ledger
from tests.ledger._helpers import amount_of, call, final, record_range, record_same_finals

PROCESS_TIMEOUT = 60


def expected_sum(indexes: range) -> Decimal:
    return sum((amount_of(index) for index in indexes), Decimal(0))


def run_processes(target: object, argument_lists: list[tuple[object, ...]], method: str = "spawn") -> None:
    context = multiprocessing.get_context(method)
    processes = [context.Process(target=target, args=args) for args in argument_lists]  # type: ignore[attr-defined]
    for process in processes:
        process.start()
    for process in processes:
        process.join(PROCESS_TIMEOUT)
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()
        assert process.exitcode == 0


def test_a_thousand_records_from_eight_threads(data_dir: Path) -> None:
    ledger = Ledger(data_dir, flush_interval=0.01, max_buffer=64, compact_every=None)
    start = threading.Barrier(8)

    def work(thread: int) -> None:
        start.wait(timeout=10)
        for index in range(thread * 125, (thread + 1) * 125):
            ledger.record_cost(final(f"video_{index}", amount_of(index)))
            ledger.record_call(call(f"video_{index}"))

    threads = [threading.Thread(target=work, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    ledger.close()
    totals = reports.totals(data_dir=data_dir)
    assert (totals["videos"], totals["calls"], totals["total"]) == (1000, 1000, expected_sum(range(1000)))
    counts = reports.sql(
        "SELECT (SELECT count(*) FROM cost_events) AS costs, (SELECT count(*) FROM _costs_delta) AS rows",
        data_dir=data_dir,
    )
    assert counts == [{"costs": 1000, "rows": 1000}]


def test_a_thousand_records_from_four_processes(data_dir: Path) -> None:
    Ledger(data_dir, compact_every=None).close()  # the layout exists before the children race to it
    run_processes(record_range, [(str(data_dir), "video_", n * 250, (n + 1) * 250) for n in range(4)])
    totals = reports.totals(data_dir=data_dir)
    assert (totals["videos"], totals["calls"], totals["total"]) == (1000, 1000, expected_sum(range(1000)))
    instances = reports.sql("SELECT count(DISTINCT instance_id) AS n FROM cost_events", data_dir=data_dir)
    assert instances == [{"n": 4}]


def test_processes_that_only_rely_on_exit_hooks_lose_nothing(data_dir: Path) -> None:
    """A spawned child leaves through atexit; the ledger was never closed by hand."""
    run_processes(record_range, [(str(data_dir), "video_", n * 100, (n + 1) * 100, False) for n in range(2)])
    assert reports.totals(data_dir=data_dir)["videos"] == 200


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork of a multi-threaded process (3.12+)
def test_forked_children_flush_through_multiprocessing_finalizers(data_dir: Path, ledger: Ledger) -> None:
    """A forked multiprocessing child ends with os._exit (no atexit): the finalizer flushes it."""
    ledger.record_cost(final("parent_only", Decimal(1)))  # buffered in the parent, not doubled by children
    run_processes(
        record_range, [(str(data_dir), "video_", n * 100, (n + 1) * 100, False) for n in range(2)], "fork"
    )
    ledger.flush()
    totals = reports.totals(data_dir=data_dir)
    assert (totals["videos"], totals["total"]) == (201, expected_sum(range(200)) + 1)


def test_the_same_final_from_many_processes_counts_once(data_dir: Path) -> None:
    Ledger(data_dir, compact_every=None).close()
    run_processes(record_same_finals, [(str(data_dir), 100) for _ in range(3)])
    stored = reports.sql("SELECT count(*) AS n FROM _costs_delta", data_dir=data_dir)
    assert stored == [{"n": 900}]  # 3 processes x 100 videos x 3 polls, every copy kept on disk
    totals = reports.totals(data_dir=data_dir)
    assert (totals["videos"], totals["total"]) == (100, expected_sum(range(100)))
    assert reports.sql("SELECT count(*) AS n FROM cost_events", data_dir=data_dir) == [{"n": 100}]
