"""A State cell that only says nothing is known ("N/A", "-", "TBD") is blank: no warning on
the lead's card or in check; a real but unknown value ("Texsa") still warns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dialsmile.storage.tx import transaction
from tests.conftest import RunCli, import_json, opened, rows

# What users type when they have nothing: written out here, not read from dialsmile.
PLACEHOLDERS = [
    "N/A", "n/a", "NA", "N.A.", "-", "--", "?", "unknown", "Unknown", "TBD", "tba",
    "none", "None", "NULL", "nil", "not available", "Not applicable", "k. A.", "unbekannt",
    "inconnu", "desconocido",
]  # fmt: skip
AT = "2026-11-25T18:00:00Z"
_UNKNOWN = "not a known subdivision"


def _import(run_cli: RunCli, tmp_path: Path, states: list[str]) -> list[str]:
    phones = [f"+1512555{1000 + i:04d}" for i in range(len(states))]
    path = tmp_path / "leads.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Name", "Phone", "State", "Country", "City"])
        for i, (state, phone) in enumerate(zip(states, phones, strict=True)):
            writer.writerow([f"Lead {i}", phone, state, state, state])
    import_json(run_cli, path)
    return phones


def _warnings(run_cli: RunCli, phone: str) -> list[str]:
    result = run_cli("check", phone, "--at", AT, "--json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    warnings: list[str] = json.loads(result.stdout)["warnings"]
    return warnings


@pytest.mark.parametrize("cell", PLACEHOLDERS)
def test_a_placeholder_state_is_blank_and_silent(
    run_cli: RunCli, db: str, tmp_path: Path, cell: str
) -> None:
    (phone,) = _import(run_cli, tmp_path, [cell])
    assert rows(db, "SELECT state, country, city FROM leads") == [("", "US", "")]
    assert not [w for w in _warnings(run_cli, phone) if _UNKNOWN in w]


def test_a_placeholder_country_is_not_an_unread_country(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Name,Phone,Country\nA,+15125550100,N/A\nB,+15125550101,-\n", "utf-8")
    assert import_json(run_cli, path)["unread_countries"]["rows"] == 0


def test_a_misspelt_state_still_warns(run_cli: RunCli, tmp_path: Path) -> None:
    (phone,) = _import(run_cli, tmp_path, ["Texsa"])
    assert [w for w in _warnings(run_cli, phone) if _UNKNOWN in w] == [
        "state 'Texsa' is not a known subdivision of US; ignored"
    ]


@pytest.mark.parametrize("cell", ["N/A", "-", "TBD", "unknown", "none"])
def test_a_placeholder_stored_by_an_older_import_is_silent(
    run_cli: RunCli, db: str, tmp_path: Path, cell: str
) -> None:
    (phone,) = _import(run_cli, tmp_path, [""])
    with opened(db) as conn, transaction(conn):
        conn.execute("UPDATE leads SET state = ? WHERE phone = ?", [cell, phone])
    assert not [w for w in _warnings(run_cli, phone) if _UNKNOWN in w]
