"""A single place column (Sales Navigator's "Location", Close's "primary_address_summary",
"City, State") gives a lead its country and state when the file has no columns for them.

Expected values come from pycountry's ISO 3166 lists and CLDR's country names
(babel), not from dialsmile's own tables.
"""

from __future__ import annotations

import csv
from pathlib import Path

import phonenumbers
import pycountry
import pytest
from babel import Locale

from tests.conftest import RunCli, import_json, rows


def _subdivisions(country: str) -> list[pycountry.db.Data]:
    return sorted(pycountry.subdivisions.get(country_code=country), key=lambda s: s.code)


US = [s for s in _subdivisions("US") if s.type in ("State", "District")]
CANADA = _subdivisions("CA")


def _write(path: Path, header: list[str], lines: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(lines)
    return path


def _number(i: int) -> str:
    """A distinct US number per row: a lead whose Location is not read keeps country US."""
    return f"+1 512 555 {1000 + i:04d}"


def _leads(db: str) -> dict[str, tuple[str, str]]:
    return {name: (state, country) for name, state, country in rows(db, _SQL)}


_SQL = "SELECT name, state, country FROM leads"


@pytest.mark.parametrize("subdivision", [*US, *CANADA], ids=lambda s: s.code)
def test_every_state_and_province_in_a_sales_navigator_location(
    run_cli: RunCli, db: str, tmp_path: Path, subdivision: pycountry.db.Data
) -> None:
    country = subdivision.country_code
    spelled = "United States" if country == "US" else "Canada"
    path = _write(
        tmp_path / "sales-nav.csv",
        ["fullName", "location", "companyLocation", "phone"],
        [
            ["Pat Lee", f"Springfield, {subdivision.name}, {spelled}", "Oslo, Norway", _number(1)],
            ["Sam Roe", f"{subdivision.name}, {spelled}", "", _number(2)],
            ["Kim Poe", f"Springfield, {subdivision.code.split('-')[1]}", "", _number(3)],
        ],
    )
    import_json(run_cli, path)
    code = subdivision.code.split("-")[1]
    assert _leads(db) == {
        "Pat Lee": (code, country),
        "Sam Roe": (code, country),
        "Kim Poe": (code, country),
    }


def _countries() -> list[tuple[str, str]]:
    english = Locale("en").territories
    return sorted(
        (region, english[region])
        for region in phonenumbers.SUPPORTED_REGIONS
        if region in english and region != "GB" and "," not in english[region]
    )


def _uk_mobile(i: int) -> str:
    return f"+44 7700 1{i:05d}"


def test_every_country_by_its_english_and_french_name(
    run_cli: RunCli, db: str, tmp_path: Path
) -> None:
    """CLDR's English name of every country with phone numbers, and its French name.

    The numbers are British mobiles (a lead whose Location is not read keeps GB),
    so "Georgia" and "Puerto Rico" are the countries, not the US state and territory.
    """
    french = Locale("fr").territories
    lines, expected = [], {}
    for i, (region, name) in enumerate(_countries()):
        lines.append([f"E{region}", f"Somewhere, {name}", _uk_mobile(2 * i)])
        expected[f"E{region}"] = region
        if "," not in french[region]:
            lines.append([f"F{region}", f"Quelque part, {french[region]}", _uk_mobile(2 * i + 1)])
            expected[f"F{region}"] = region
    import_json(run_cli, _write(tmp_path / "world.csv", ["Name", "Location", "Phone"], lines))
    found = {name: country for name, (_, country) in _leads(db).items()}
    wrong = {n: (found.get(n), want) for n, want in expected.items() if found.get(n) != want}
    assert not wrong
    assert len(expected) > 400


@pytest.mark.parametrize("country", ["IN", "BR", "MX", "ZA", "NG", "AU", "JP", "DE"])
def test_other_countries_states_as_iso_names_them(
    run_cli: RunCli, db: str, tmp_path: Path, country: str
) -> None:
    """Every ISO 3166-2 subdivision of the country, with and without its accents."""
    name = Locale("en").territories[country]
    subdivisions = [s for s in _subdivisions(country) if "," not in s.name]
    lines = [
        [f"Lead {i}", f"Town, {s.name}, {name}", _number(i)] for i, s in enumerate(subdivisions)
    ]
    import_json(run_cli, _write(tmp_path / "states.csv", ["Name", "Location", "Phone"], lines))
    found = _leads(db)
    for i, s in enumerate(subdivisions):
        assert found[f"Lead {i}"] == (s.name, country), s.code


def test_the_examples_users_paste(run_cli: RunCli, db: str, tmp_path: Path) -> None:
    lines = [
        ["Austin", "Austin, Texas, United States", _number(1)],
        ["London", "Greater London, England, United Kingdom", _number(2)],
        ["Sao Paulo", "São Paulo, Brazil", _number(3)],
        ["Bengaluru", "Bengaluru, Karnataka, India", _number(4)],
        ["Toronto", "Toronto, Ontario, Canada", _number(5)],
        ["Zip", "Los Angeles, CA 90001", _number(6)],
        ["Full", "1 Main St, Austin, TX 78701, USA", _number(7)],
        ["Berlin", "Berlin, Deutschland", _number(8)],
        ["Tokyo", "東京都, 日本", _number(9)],
        ["Dubai", "Dubai, United Arab Emirates", _number(10)],
    ]
    import_json(run_cli, _write(tmp_path / "mixed.csv", ["Name", "Location", "Phone"], lines))
    assert _leads(db) == {
        "Austin": ("TX", "US"),
        "London": ("England", "GB"),
        "Sao Paulo": ("São Paulo", "BR"),
        "Bengaluru": ("Karnataka", "IN"),
        "Toronto": ("ON", "CA"),
        "Zip": ("CA", "US"),
        "Full": ("TX", "US"),
        "Berlin": ("Berlin", "DE"),
        "Tokyo": ("東京都", "JP"),  # ISO's "Tokyo" as Google's address data writes it
        "Dubai": ("Dubai", "AE"),  # ISO writes the emirate "Dubayy"
    }


def test_unknown_parts_are_ignored_never_guessed(run_cli: RunCli, db: str, tmp_path: Path) -> None:
    lines = [
        ["Narnia", "Cair Paravel, Narnia", _number(1)],
        ["Blank", "N/A", _number(2)],
        ["Town", "Springfield", _number(3)],
        ["Remote", "Remote - Worldwide", _number(4)],
        ["Georgia", "Atlanta, Georgia", _number(5)],
    ]
    report = import_json(
        run_cli, _write(tmp_path / "odd.csv", ["Name", "Location", "Phone"], lines)
    )
    assert report["imported"] == 5
    found = _leads(db)
    # In a file of US numbers, Georgia is the state; nothing else is read.
    assert found.pop("Georgia") == ("GA", "US")
    assert set(found.values()) == {("", "US")}


def test_a_country_column_wins_and_a_company_location_is_not_the_persons(
    run_cli: RunCli, db: str, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "apollo.csv",
        ["Name", "Country", "State", "Location", "Company Location", "Phone"],
        [
            ["Own", "Canada", "", "Toronto, Ontario, Canada", "", _number(1)],
            ["Other", "Canada", "", "Austin, Texas, United States", "", _number(2)],
            ["Stated", "", "Ohio", "Austin, Texas, United States", "", _number(3)],
            ["Company", "", "", "", "Bengaluru, Karnataka, India", _number(4)],
        ],
    )
    import_json(run_cli, path)
    assert _leads(db) == {
        "Own": ("ON", "CA"),
        "Other": ("", "CA"),  # the Location names another country: its state is not hers
        "Stated": ("OH", "US"),
        "Company": ("", "US"),
    }


@pytest.mark.parametrize(
    "header",
    [
        "Location",
        "Contact Location",
        "primary_address_summary",
        "Address 1 - Formatted",
        "Person - Full/combined address of Postal address",
        "City, State",
        "Mailing Address",
    ],
)
def test_place_headers_of_the_crm_exports(
    run_cli: RunCli, db: str, tmp_path: Path, header: str
) -> None:
    path = _write(
        tmp_path / "export.csv",
        ["Name", header, "Phone"],
        [["Ann", "Winnipeg, Manitoba, Canada", "+1 204 555 0100"]],
    )
    import_json(run_cli, path)
    assert _leads(db) == {"Ann": ("MB", "CA")}


def test_location_chooses_the_country_of_national_numbers(
    run_cli: RunCli, db: str, tmp_path: Path
) -> None:
    """A row's Location country reads its national number, as a Country cell would."""
    path = _write(
        tmp_path / "uk.csv",
        ["Name", "Location", "Phone"],
        [["Ann", "Manchester, England, United Kingdom", "07700 100200"]],
    )
    import_json(run_cli, path, "--region", "US")
    assert rows(db, "SELECT phone, country FROM leads") == [("+447700100200", "GB")]


def test_a_location_only_export_of_national_numbers_reads_each_in_its_country(
    run_cli: RunCli, db: str, tmp_path: Path
) -> None:
    """Without a Country column, the file's countries come from its Locations: no
    'Cannot tell which country' refusal, and each number is read in its own."""
    path = _write(
        tmp_path / "nav.csv",
        ["fullName", "location", "phone"],
        [
            ["Thandiwe", "Johannesburg, Gauteng, South Africa", "082 555 1234"],
            ["Chinedu", "Lagos, Nigeria", "0803 123 4567"],
            ["Mohammed", "Dubai, United Arab Emirates", "050 123 4567"],
            ["Wei", "Singapore", "8123 4567"],
            ["José", "Guadalajara, Jalisco, México", "33 1234 5678"],
            ["Taro", "東京都, 日本", "090-1234-5678"],
            ["Jo", "Leeds, England, United Kingdom", "07797 123456"],
            ["Ann", "Toronto, Ontario, Canada", "1-800-555-0142"],
        ],
    )
    assert import_json(run_cli, path)["imported"] == 8
    assert rows(db, "SELECT phone, country FROM leads ORDER BY id") == [
        ("+27825551234", "ZA"),
        ("+2348031234567", "NG"),
        ("+971501234567", "AE"),
        ("+6581234567", "SG"),
        ("+523312345678", "MX"),
        ("+819012345678", "JP"),
        ("+447797123456", "GB"),
        ("+18005550142", "CA"),
    ]
