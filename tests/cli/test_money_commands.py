"""``prices``, ``estimate``, ``sql`` and ``report`` in-process (typer's runner): figures that match the
price table, read-only SQL, machine formats, and nothing written where nothing should be."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reelgate.cli._app import app
from reelgate.pricing import default_price_table, estimate_cost

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data directory for each test (the runner shares this process's environment)."""
    path = tmp_path / "data"
    monkeypatch.setenv("REELGATE_DATA_DIR", str(path))
    for name in ("REELGATE_PRICES", "REELGATE_PRICES_FILE"):
        monkeypatch.delenv(name, raising=False)
    return path


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_prices_json_is_the_price_table() -> None:
    rows = json.loads(invoke("prices", "--format", "json").stdout)

    entries = default_price_table().entries
    assert len(rows) == len(entries)
    keys = ("provider", "model", "tier", "audio", "effective_from")
    by_key = {tuple(row[key] for key in keys): row for row in rows}
    for entry in entries:
        row = by_key[entry.provider, entry.model, entry.tier, entry.audio, entry.effective_from.isoformat()]
        assert Decimal(str(row["unit_price"])) == entry.unit_price
        assert (row["currency"], row["source"]) == (entry.currency, entry.source)


def test_prices_for_one_model_in_a_table() -> None:
    result = invoke("prices", "--model", "openai/sora-2-pro")

    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if "sora-2-pro" in line]
    assert [line.split()[2:5] for line in lines] == [
        ["720p", "any", "0.30"],
        ["1024p", "any", "0.50"],
        ["1080p", "any", "0.70"],
    ]


def test_prices_csv_and_glob_rows() -> None:
    lines = invoke("prices", "--model", "local/preview", "--format", "csv").stdout.splitlines()

    assert lines[0].startswith("provider,model,aliases,tier,audio,unit,unit_price,currency")
    assert lines[1].startswith("local,*,[],,,second,0,USD")


def test_prices_for_an_unknown_model_is_not_found() -> None:
    result = invoke("prices", "--model", "nope")

    assert result.exit_code == 3
    assert result.stderr.splitlines()[0] == "error: no price for 'nope'"


def test_a_broken_price_override_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGATE_PRICES", "[{not json")
    result = invoke("prices")

    assert result.exit_code == 4
    assert result.stderr.startswith("error: the price table cannot be loaded: ")


@pytest.mark.parametrize(
    ("model", "seconds", "size"),
    [
        ("openai/sora-2-pro", 8, "1792x1024"),
        ("openai/sora-2", 12, "720x1280"),
        ("azure/sora-2", 4, "1280x720"),
    ],
)
def test_estimate_matches_the_pricing_table(model: str, seconds: int, size: str, data_dir: Path) -> None:
    expected = estimate_cost(model, seconds, size)
    assert expected.amount is not None

    human = invoke("estimate", model, "--seconds", str(seconds), "--size", size)
    as_json = json.loads(
        invoke("estimate", model, "--seconds", str(seconds), "--size", size, "--json").stdout
    )

    assert f"estimate    {expected.amount.quantize(Decimal('0.01'))} USD" in human.stdout
    assert Decimal(str(as_json["amount"])) == expected.amount
    assert as_json["status"] == "priced"
    assert not data_dir.exists()  # no ledger, no log: nothing was written


def test_estimate_without_size_prices_the_models_default_size() -> None:
    result = invoke("estimate", "openai/sora-2", "--seconds", "4")

    assert "720x1280 (the default; billed as 720p)" in result.stdout
    assert "estimate    0.40 USD" in result.stdout


def test_estimate_of_an_unknown_model_is_unpriced_never_zero() -> None:
    result = invoke("estimate", "openai_compatible/my-model", "--seconds", "8", "--size", "1280x720")

    assert result.exit_code == 0
    assert "estimate  unpriced: no price" in result.stdout
    assert json.loads(invoke("estimate", "x/y", "--seconds", "8", "--json").stdout)["amount"] is None


def test_estimate_refuses_a_size_that_is_not_one() -> None:
    result = invoke("estimate", "openai/sora-2", "--seconds", "8", "--size", "huge")

    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: --size 'huge' is not WIDTHxHEIGHT or a resolution"


@pytest.mark.parametrize(
    "query", ["DELETE FROM calls", "DROP VIEW calls", "SELECT 1; SELECT 2", "COPY calls TO 'x.csv'"]
)
def test_sql_refuses_anything_but_one_read_only_statement(query: str) -> None:
    result = invoke("sql", query)

    assert result.exit_code == 2
    error, hint = result.stderr.splitlines()
    assert error.startswith("error: sql() runs")
    assert hint.startswith("hint: query one of the views: calls, cost_events, video_costs")


def test_a_broken_query_is_bad_input() -> None:
    result = invoke("sql", "SELECT no_such_column FROM calls")

    assert result.exit_code == 2
    assert result.stderr.startswith(
        'error: the query failed: Binder Error: Referenced column "no_such_column"'
    )


def test_sql_formats() -> None:
    query = "SELECT 1 AS n, 0.5::DECIMAL(18,6) AS amount, DATE '2026-11-25' AS day, NULL AS nothing"

    assert json.loads(invoke("sql", query, "--format", "json").stdout) == [
        {"n": 1, "amount": 0.5, "day": "2026-11-25", "nothing": None}
    ]
    assert invoke("sql", query, "--format", "csv").stdout == "n,amount,day,nothing\n1,0.500000,2026-11-25,\n"
    table = invoke("sql", query).stdout
    assert "0.500000" in table
    assert "2026-11-25" in table


def test_table_text_is_never_read_as_markup() -> None:
    result = invoke("sql", "SELECT '[/bold] [red]x' AS \"[odd]\"")

    assert result.exit_code == 0
    assert "[odd]" in result.stdout
    assert "[/bold] [red]x" in result.stdout


def test_report_on_an_empty_ledger() -> None:
    table = invoke("report")
    assert table.exit_code == 0
    assert "no spend recorded yet" in table.stdout
    assert "calls   0" in table.stdout

    report = json.loads(invoke("report", "--by", "day", "--since", "2026-01-01", "--format", "json").stdout)
    assert (report["by"], report["since"], report["rows"]) == ("day", "2026-01-01", [])
    assert report["totals"]["total"] == 0
    assert invoke("report", "--format", "csv").stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "colour"], "error: spend(by=...) takes one of model, provider, day, user, tag"),
        (["--since", "last week"], "error: --since 'last week' is not a date (YYYY-MM-DD)"),
    ],
)
def test_report_refuses_bad_options(args: list[str], message: str) -> None:
    result = invoke("report", *args)

    assert result.exit_code == 2
    assert result.stderr.startswith(message)
