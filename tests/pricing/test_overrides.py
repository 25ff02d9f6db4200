"""User prices (files, environment, constructor entries) merged over the packaged table."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from reelgate.pricing import PriceEntry, PriceTable, default_price_table, estimate_cost

NOW = date(2026, 11, 25)
SORA = {
    "provider": "openai",
    "model": "sora-2",
    "tier": "720p",
    "unit_price": "0.08",
    "source": "our contract",
}


def sora_price(table: PriceTable, at: date = NOW) -> Decimal | None:
    return estimate_cost("openai/sora-2", 1, "720x1280", at=at, table=table).unit_price


def test_constructor_entries_beat_packaged() -> None:
    assert sora_price(PriceTable.load(entries=[SORA])) == Decimal("0.08")
    assert sora_price(PriceTable.load(entries=[PriceEntry.model_validate(SORA)])) == Decimal("0.08")


def test_an_override_must_be_as_specific_to_win() -> None:
    # a tier-less override loses to the packaged 720p row, but prices the sizes the packaged table lacks
    table = PriceTable.load(entries=[{**SORA, "tier": None}])
    assert sora_price(table) == Decimal("0.10")
    assert estimate_cost("openai/sora-2", 1, "1792x1024", at=NOW, table=table).unit_price == Decimal("0.08")


def test_toml_override_file(tmp_path: Path) -> None:
    file = tmp_path / "prices.toml"
    file.write_text(
        '[[prices]]\nprovider = "openai"\nmodel = "sora-2"\ntier = "720p"\nunit_price = 0.07\n'
        'source = "negotiated"\n'
        '[[prices]]\nprovider = "azure"\nmodel = "my-sora-deployment"\ntier = "720p"\nunit_price = "0.09"\n',
        "utf-8",
    )
    table = PriceTable.load(files=[file])
    assert sora_price(table) == Decimal("0.07")  # a TOML float is read exactly, as Decimal
    deployment = estimate_cost("azure/my-sora-deployment", 10, "1280x720", at=NOW, table=table)
    assert deployment.amount == Decimal("0.900000")
    assert deployment.entry is not None
    assert str(file) in deployment.entry.source  # an entry without a source says where it came from


def test_json_override_file_as_list_or_object(tmp_path: Path) -> None:
    as_list = tmp_path / "list.json"
    as_list.write_text(json.dumps([{**SORA, "unit_price": "0.06"}]), "utf-8")
    as_object = tmp_path / "object.json"
    as_object.write_text(
        '{"prices": [{"provider": "openai", "model": "sora-2", "tier": "720p", "unit_price": 0.05}]}'
    )
    assert sora_price(PriceTable.load(files=[as_list])) == Decimal("0.06")
    assert sora_price(PriceTable.load(files=[as_object])) == Decimal("0.05")
    # later sources win: entries over files, a later file over an earlier one
    assert sora_price(PriceTable.load(files=[as_list, as_object])) == Decimal("0.05")
    assert sora_price(PriceTable.load(files=[as_object, as_list])) == Decimal("0.06")
    assert sora_price(PriceTable.load(files=[as_object], entries=[SORA])) == Decimal("0.08")


def test_environment_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged_version = default_price_table().version
    assert sora_price(default_price_table()) == Decimal("0.10")
    file = tmp_path / "p.json"
    file.write_text(json.dumps([{**SORA, "unit_price": "0.06"}]), "utf-8")
    monkeypatch.setenv("REELGATE_PRICES_FILE", str(file))
    assert sora_price(default_price_table()) == Decimal("0.06")
    file_version = default_price_table().version
    monkeypatch.setenv("REELGATE_PRICES", json.dumps([SORA]))
    assert sora_price(default_price_table()) == Decimal("0.08")  # inline JSON beats the file
    assert len({packaged_version, file_version, default_price_table().version}) == 3
    monkeypatch.delenv("REELGATE_PRICES_FILE")
    monkeypatch.delenv("REELGATE_PRICES")
    assert default_price_table().version == packaged_version


def test_default_table_is_cached_until_the_override_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_price_table() is default_price_table()
    file = tmp_path / "p.json"
    file.write_text(json.dumps([{**SORA, "unit_price": "0.06"}]), "utf-8")
    monkeypatch.setenv("REELGATE_PRICES_FILE", str(file))
    first = default_price_table()
    assert default_price_table() is first
    file.write_text(json.dumps([{**SORA, "unit_price": "0.055"}]), "utf-8")
    assert sora_price(default_price_table()) == Decimal("0.055")


def test_estimate_cost_uses_the_default_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGATE_PRICES", json.dumps([SORA]))
    estimate = estimate_cost("sora-2", 10, "720x1280", at=NOW)
    assert estimate.amount == Decimal("0.800000")
    assert estimate.pricing_version == default_price_table().version


def test_a_later_override_applies_only_from_its_date() -> None:
    table = PriceTable.load(entries=[{**SORA, "effective_from": "2027-01-01"}])
    assert sora_price(table, at=date(2026, 12, 31)) == Decimal("0.10")
    assert sora_price(table, at=date(2027, 1, 1)) == Decimal("0.08")


def test_newest_effective_from_wins_within_a_layer() -> None:
    table = PriceTable.load(
        entries=[
            {**SORA, "unit_price": "0.09", "effective_from": "2026-01-01"},
            {**SORA, "unit_price": "0.07", "effective_from": "2026-06-01"},
        ]
    )
    assert sora_price(table, at=date(2026, 5, 31)) == Decimal("0.09")
    assert sora_price(table, at=date(2026, 6, 1)) == Decimal("0.07")


def test_an_exact_name_beats_an_alias_and_a_glob() -> None:
    table = PriceTable.load(
        include_packaged=False,
        entries=[
            {"provider": "x", "model": "m-*", "unit_price": "3", "source": "glob"},
            {"provider": "x", "model": "other", "aliases": ["m-1"], "unit_price": "2", "source": "alias"},
            {"provider": "x", "model": "m-1", "unit_price": "1", "source": "exact"},
        ],
    )
    assert table.lookup("x", "m-1", at=NOW) == table.entries[2]
    assert table.lookup("x", "other", at=NOW) == table.entries[1]
    assert table.lookup("x", "m-2", at=NOW) == table.entries[0]
    assert table.lookup("x", "n-1", at=NOW) is None


def test_a_user_glob_prices_what_the_packaged_rows_do_not() -> None:
    table = PriceTable.load(entries=[{"provider": "openai", "model": "sora-*", "unit_price": "1"}])
    assert sora_price(table) == Decimal("0.10")  # the exact packaged row still wins
    assert estimate_cost("openai/sora-3", 1, at=NOW, table=table).unit_price == Decimal(1)


def test_audio_preference() -> None:
    rows: list[dict[str, object]] = [
        {"provider": "x", "model": "m", "unit_price": "1", "source": "any"},
        {"provider": "x", "model": "m", "audio": True, "unit_price": "2", "source": "on"},
        {"provider": "x", "model": "m", "audio": False, "unit_price": "3", "source": "off"},
    ]
    table = PriceTable.load(include_packaged=False, entries=rows)
    assert [table.lookup("x", "m", audio=a, at=NOW) for a in (True, False, None)] == [
        table.entries[1],
        table.entries[2],
        table.entries[1],
    ]
    unset_only = PriceTable.load(include_packaged=False, entries=rows[:1])
    assert unset_only.lookup("x", "m", audio=False, at=NOW) == unset_only.entries[0]
    on_only = PriceTable.load(include_packaged=False, entries=rows[1:2])
    assert on_only.lookup("x", "m", audio=False, at=NOW) is None


def test_version_changes_with_any_override() -> None:
    base = PriceTable.load()
    assert base.version == PriceTable.load().version
    assert base.version.startswith("2026-11-25+")
    with_entry = PriceTable.load(entries=[SORA])
    assert with_entry.version != base.version
    assert PriceTable.load(entries=[{**SORA, "unit_price": "0.081"}]).version != with_entry.version
    assert PriceTable.load(entries=[{**SORA, "notes": "n"}]).version != with_entry.version
    assert PriceTable.load(entries=[{**SORA, "unit_price": "0.080"}]).version == with_entry.version
    assert PriceTable.load(include_packaged=False, entries=[SORA]).version.startswith("custom+")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[[prices]]\nprovider = "openai"\nmodel = "sora-2"\nunit_price = "-1"\n', "unit_price"),
        ('[[prices]]\nprovider = "openai"\nmodel = "sora-2"\nunit_price = "cheap"\n', "unit_price"),
        ('[[prices]]\nprovider = "openai"\nmodel = "sora-2"\n', "unit_price: Field required"),
        ('[[prices]]\nprovider = "openai"\nmodel = "sora-2"\nunit_price = "1"\ntier = "huge"\n', "tier"),
        ('[[prices]]\nprovider = "openai"\nmodel = "sora-2"\nunit_price = "1"\nprise = 2\n', "prise"),
        ('[[prices]]\nprovider = "openai"\nmodel = "sora-2"\nunit_price = "1"\nunit = "token"\n', "unit"),
        (
            '[[prices]]\nprovider = "openai"\nmodel = "sora-2"\nunit_price = "1"\n'
            "effective_from = 2026-05-01\neffective_to = 2026-04-01\n",
            "effective_to",
        ),
        ('[[price]]\nprovider = "openai"\n', "'price'"),
        ("[[prices]\n", "not valid TOML"),
    ],
)
def test_a_bad_override_file_names_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    file = tmp_path / "bad.toml"
    file.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=r"bad\.toml") as caught:
        PriceTable.load(files=[file])
    assert problem in str(caught.value)


def test_a_bad_override_file_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "bad.json"
    file.write_text('[{"provider": "openai", "model": "sora-2", "unit_price": "x"}]', "utf-8")
    monkeypatch.setenv("REELGATE_PRICES_FILE", str(file))
    with pytest.raises(
        ValueError, match=r"REELGATE_PRICES_FILE=.*bad\.json: entry 0 \(openai/sora-2\): unit_price"
    ):
        default_price_table()
    monkeypatch.setenv("REELGATE_PRICES_FILE", str(tmp_path / "missing.toml"))
    with pytest.raises(ValueError, match=r"missing\.toml: no such file"):
        default_price_table()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("not json", "not valid JSON"),
        ('[{"model": "m", "unit_price": "1"}]', "provider: Field required"),
        ("3", "list"),
    ],
)
def test_a_bad_inline_override_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, problem: str
) -> None:
    monkeypatch.setenv("REELGATE_PRICES", value)
    with pytest.raises(ValueError, match="REELGATE_PRICES") as caught:
        estimate_cost("sora-2", 4, "720x1280")
    assert problem in str(caught.value)


def test_bad_file_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"prices\.yaml: a price file must end in \.toml or \.json"):
        PriceTable.load(files=[tmp_path / "prices.yaml"])


def test_bad_constructor_entry() -> None:
    with pytest.raises(ValueError, match=r"entries=.*entry 1 \(x/m\): currency"):
        PriceTable.load(
            entries=[SORA, {"provider": "x", "model": "m", "unit_price": "1", "currency": "dollars"}]
        )
