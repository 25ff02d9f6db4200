"""Readers while writers write: connect(), and reelgate.duckdb opened read-only by two readers at once."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import duckdb

from reelgate import reports
from reelgate.ledger import VIEW_NAMES, Ledger, connect, write_views_file
from tests.ledger._helpers import amount_of, record_range

WRITERS = 2
PER_WRITER = 600


def test_two_readers_of_the_views_file_and_one_of_connect_while_two_processes_write(data_dir: Path) -> None:
    views = write_views_file(data_dir)
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=record_range, args=(str(data_dir), f"w{n}_", 0, PER_WRITER, True, 0.03))
        for n in range(WRITERS)
    ]
    expected = WRITERS * PER_WRITER
    seen: dict[str, list[int]] = {"file-1": [], "file-2": [], "connect": []}
    errors: list[BaseException] = []
    done = threading.Event()

    def read(name: str, open_connection: object) -> None:
        try:
            connection = open_connection()  # type: ignore[operator]
            try:
                while True:
                    finished = done.is_set()
                    row = connection.execute("SELECT count(*) FROM video_costs").fetchone()
                    assert row is not None
                    assert row[0] <= expected
                    seen[name].append(int(row[0]))
                    if finished:
                        return
                    time.sleep(0.01)
            finally:
                connection.close()
        except BaseException as exc:
            errors.append(exc)

    readers = [
        threading.Thread(target=read, args=("file-1", lambda: duckdb.connect(str(views), read_only=True))),
        threading.Thread(target=read, args=("file-2", lambda: duckdb.connect(str(views), read_only=True))),
        threading.Thread(target=read, args=("connect", lambda: connect(data_dir))),
    ]
    for process in writers:
        process.start()
    for thread in readers:
        thread.start()
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    done.set()
    for thread in readers:
        thread.join(30)
    assert errors == []
    for name, counts in seen.items():
        assert counts[-1] == expected, name
        assert counts == sorted(counts), name  # live data, never going backwards without compaction
    assert any(0 < count < expected for counts in seen.values() for count in counts)  # read during the writes


def test_the_views_file_is_replaced_atomically_under_open_readers(ledger: Ledger, data_dir: Path) -> None:
    from tests.ledger._helpers import final

    ledger.record_cost(final("v1", amount_of(1)))
    ledger.flush()
    views = write_views_file(data_dir)
    before = views.stat().st_mtime_ns
    assert write_views_file(data_dir).stat().st_mtime_ns == before  # up to date: left alone
    old = duckdb.connect(str(views), read_only=True)
    write_views_file(data_dir, force=True)
    new = duckdb.connect(str(views), read_only=True)
    try:
        for connection in (old, new):
            assert connection.execute("SELECT count(*) FROM cost_events").fetchall() == [(1,)]
        names = {
            row[0]
            for row in new.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
        assert set(VIEW_NAMES) <= names
        stamp = dict(new.execute("SELECT key, value FROM reelgate_ledger").fetchall())
        assert stamp["ledger_dir"] == (data_dir / "ledger").as_posix()
    finally:
        old.close()
        new.close()
    assert [p.name for p in data_dir.iterdir() if p.name != "ledger"] == [
        "reelgate.duckdb"
    ]  # no temp, no wal


def test_a_writer_creates_the_views_file_on_its_first_tick(data_dir: Path) -> None:
    with Ledger(data_dir, flush_interval=0.02, compact_every=None):
        deadline = time.monotonic() + 10
        while not (data_dir / "reelgate.duckdb").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    assert (data_dir / "reelgate.duckdb").exists()


def test_a_stale_views_file_is_rebuilt(data_dir: Path) -> None:
    views = write_views_file(data_dir)
    connection = duckdb.connect(str(views))
    connection.execute("UPDATE reelgate_ledger SET value = '0' WHERE key = 'views_version'")
    connection.close()
    write_views_file(data_dir)
    connection = duckdb.connect(str(views), read_only=True)
    stamp = dict(connection.execute("SELECT key, value FROM reelgate_ledger").fetchall())
    connection.close()
    assert stamp["views_version"] != "0"


def test_connect_reads_an_empty_ledger_and_reports_work_on_it(data_dir: Path) -> None:
    connection = connect(data_dir)
    try:
        for view in VIEW_NAMES:
            assert connection.execute(f"SELECT count(*) FROM {view}").fetchall() == [(0,)]
    finally:
        connection.close()
    assert reports.spend(data_dir=data_dir) == []
