"""reelgate.reports: spend by each grouping, totals, and the read-only SQL door."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from reelgate import reports
from reelgate.ledger import Ledger, ReadOnlyQueryError
from tests.ledger._helpers import call, estimate, final

DAY1 = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
DAY2 = datetime(2026, 11, 2, 0, 30, tzinfo=UTC)


@pytest.fixture
def filled(ledger: Ledger, data_dir: Path) -> Path:
    """Three videos on two UTC days, two providers, two users, tags; one unpriced; three calls."""
    ledger.record_cost(
        estimate("v1", Decimal("1.0"), ts=DAY1, user="alice", tags={"team": "red", "env": "prod"})
    )
    ledger.record_cost(final("v1", Decimal("0.8"), ts=DAY2))
    ledger.record_cost(estimate("v2", Decimal("2.0"), ts=DAY2, user="bob", tags={"team": "blue"}))
    ledger.record_cost(
        estimate("v3", None, ts=DAY2, provider="runway", model="gen-4", user="alice", tags={"team": "red"})
    )
    for index in range(3):
        ledger.record_call(call(f"v{index}", ts=DAY1 if index == 0 else DAY2))
    ledger.flush()
    return data_dir


def test_spend_by_model(filled: Path) -> None:
    rows = reports.spend(by="model", data_dir=filled)
    assert rows == [
        {
            "provider": "openai",
            "model": "sora-2",
            "currency": "USD",
            "videos": 2,
            "amount": Decimal("2.8"),
            "final_amount": Decimal("0.8"),
            "estimate_amount": Decimal("2.0"),
            "final_videos": 1,
            "estimate_videos": 1,
            "unpriced_videos": 0,
        },
        {
            "provider": "runway",
            "model": "gen-4",
            "currency": "USD",
            "videos": 1,
            "amount": Decimal(0),
            "final_amount": Decimal(0),
            "estimate_amount": Decimal(0),
            "final_videos": 0,
            "estimate_videos": 0,
            "unpriced_videos": 1,
        },
    ]


def test_spend_by_provider_user_and_day(filled: Path) -> None:
    by_provider = {row["provider"]: row["amount"] for row in reports.spend(by="provider", data_dir=filled)}
    assert by_provider == {"openai": Decimal("2.8"), "runway": Decimal(0)}
    by_user = {
        row["user"]: (row["videos"], row["amount"]) for row in reports.spend(by="user", data_dir=filled)
    }
    assert by_user == {"alice": (2, Decimal("0.8")), "bob": (1, Decimal("2.0"))}
    by_day = [(row["day"], row["videos"], row["amount"]) for row in reports.spend(by="day", data_dir=filled)]
    assert by_day == [(date(2026, 11, 1), 1, Decimal("0.8")), (date(2026, 11, 2), 2, Decimal("2.0"))]


def test_spend_by_tag(filled: Path) -> None:
    by_tag = {(row["tag"], row["value"]): row["videos"] for row in reports.spend(by="tag", data_dir=filled)}
    assert by_tag == {("team", "red"): 2, ("team", "blue"): 1, ("env", "prod"): 1}
    by_env = {row["value"]: row["videos"] for row in reports.spend(by="tag:env", data_dir=filled)}
    assert by_env == {"prod": 1, None: 2}


def test_since_keeps_videos_first_seen_from_then(filled: Path) -> None:
    assert [
        row["videos"] for row in reports.spend(by="provider", since=date(2026, 11, 2), data_dir=filled)
    ] == [1, 1]
    totals = reports.totals(since=DAY2 - timedelta(minutes=31), data_dir=filled)
    assert (totals["videos"], totals["calls"]) == (2, 2)
    naive = reports.totals(since=datetime(2026, 11, 2), data_dir=filled)
    assert naive["videos"] == 2


def test_totals(filled: Path) -> None:
    assert reports.totals(data_dir=filled) == {
        "total": Decimal("2.8"),
        "final": Decimal("0.8"),
        "estimate": Decimal("2.0"),
        "currency": "USD",
        "videos": 3,
        "final_videos": 1,
        "estimate_videos": 1,
        "unpriced": 1,
        "calls": 3,
        "by_currency": [
            {
                "currency": "USD",
                "videos": 3,
                "amount": Decimal("2.8"),
                "final_amount": Decimal("0.8"),
                "estimate_amount": Decimal("2.0"),
                "final_videos": 1,
                "estimate_videos": 1,
                "unpriced_videos": 1,
            }
        ],
    }


def test_totals_of_an_empty_ledger(data_dir: Path) -> None:
    totals = reports.totals(data_dir=data_dir)
    assert (totals["total"], totals["videos"], totals["calls"], totals["by_currency"]) == (0, 0, 0, [])


def test_totals_never_add_currencies(ledger: Ledger, data_dir: Path) -> None:
    ledger.record_cost(final("v1", Decimal(1)))
    ledger.record_cost(final("v2", Decimal(2), currency="EUR"))
    ledger.flush()
    totals = reports.totals(data_dir=data_dir)
    assert (totals["total"], totals["currency"], totals["videos"]) == (None, None, 2)
    assert {entry["currency"]: entry["amount"] for entry in totals["by_currency"]} == {"EUR": 2, "USD": 1}
    assert {row["currency"] for row in reports.spend(data_dir=data_dir)} == {"EUR", "USD"}


def test_an_unknown_grouping_is_refused(data_dir: Path) -> None:
    with pytest.raises(ValueError, match="model, provider, day, user, tag"):
        reports.spend(by="colour", data_dir=data_dir)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM video_costs",
        "  with v as (select * from cost_events) select count(*) from v",
        "FROM calls",
        "DESCRIBE video_costs",
        "SHOW TABLES",
        "SUMMARIZE calls",
        "EXPLAIN SELECT 1",
        "EXPLAIN ANALYZE SELECT count(*) FROM calls",
        "VALUES (1)",
        "SELECT 1;",
    ],
)
def test_sql_runs_read_only_statements(filled: Path, query: str) -> None:
    assert isinstance(reports.sql(query, data_dir=filled), list)


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("INSERT INTO calls VALUES (1)", "INSERT"),
        ("DELETE FROM calls", "DELETE"),
        ("UPDATE cost_events SET amount = 0", "UPDATE"),
        ("CREATE TABLE t AS SELECT 1", "CREATE"),
        ("DROP VIEW calls", "DROP"),
        ("ALTER VIEW calls RENAME TO c", "ALTER"),
        ("ATTACH 'x.duckdb'", "ATTACH"),
        ("DETACH x", "DETACH"),
        ("COPY (SELECT 1) TO 'x.csv'", "COPY"),
        ("EXPORT DATABASE 'x'", "EXPORT"),
        ("INSTALL httpfs", "LOAD"),
        ("LOAD httpfs", "LOAD"),
        ("SET threads = 1", "SET"),
        ("PRAGMA version", "PRAGMA"),
        ("CALL pragma_version()", "CALL"),
        ("CHECKPOINT", "CALL"),
        ("EXPLAIN ANALYZE INSERT INTO t SELECT 1", "INSERT"),
        ("EXPLAIN COPY calls TO 'x.csv'", "COPY"),
    ],
)
def test_sql_refuses_anything_that_is_not_a_query(filled: Path, query: str, kind: str) -> None:
    with pytest.raises(ReadOnlyQueryError, match=f"read-only queries only.*refused a {kind} statement"):
        reports.sql(query, data_dir=filled)


def test_sql_refuses_several_statements_and_garbage(filled: Path) -> None:
    with pytest.raises(ReadOnlyQueryError, match="exactly one statement"):
        reports.sql("SELECT 1; DROP VIEW calls", data_dir=filled)
    with pytest.raises(ReadOnlyQueryError, match="could not parse"):
        reports.sql("SELEC 1", data_dir=filled)
    with pytest.raises(ValueError, match="exactly one"):  # ReadOnlyQueryError is a ValueError
        reports.sql("", data_dir=filled)


def test_sql_can_read_nothing_but_the_ledger(filled: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    with pytest.raises(Exception, match="Permission Error"):
        reports.sql(f"SELECT * FROM read_csv('{outside}')", data_dir=filled)
    rows = reports.sql(f"SELECT count(*) AS n FROM '{filled}/ledger/costs/*.parquet'", data_dir=filled)
    assert rows == [{"n": 4}]


def test_sql_binds_parameters(filled: Path) -> None:
    rows = reports.sql(
        'SELECT video_id FROM video_costs WHERE "user" = ? ORDER BY 1', params=["alice"], data_dir=filled
    )
    assert rows == [{"video_id": "v1"}, {"video_id": "v3"}]
