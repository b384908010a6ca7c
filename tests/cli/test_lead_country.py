"""The lead's country decides where a number tied to no place rings, and whose rules apply.

A toll-free 1-800 number rings anywhere in North America: a lead whose file
says Canada is judged in Canada's zones by Canada's rules, one whose file says
the United States in the US zones alone. A UK mobile in a range phonenumbers
files under Jersey, Guernsey or the Isle of Man follows the island's rules and
holidays unless the lead's address is in the UK. Expected zones come from
tzdata's own zone.tab, holidays from the holidays package.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import phonenumbers
import pytest
import tzdata

from dialsmile.storage.tx import transaction
from tests.conftest import RunCli, import_json, opened

TOLL_FREE = ["800", "888", "877", "866", "855", "844", "833"]
ISLANDS = ["GG", "IM", "JE"]


def _zone_tab() -> dict[str, set[str]]:
    path = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo", "zone.tab")
    table: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as rows:
        for row in rows:
            if not row.startswith("#") and row.strip():
                fields = row.split("\t")
                table.setdefault(fields[0], set()).add(fields[2].strip())
    return table


def _offsets(zone: str) -> tuple[timedelta | None, ...]:
    """A zone's clock through 2026, a sample a week apart."""
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    return tuple(
        (start + timedelta(days=7 * week)).astimezone(ZoneInfo(zone)).utcoffset()
        for week in range(53)
    )


def _clocks(country: str) -> set[tuple[timedelta | None, ...]]:
    return {_offsets(zone) for zone in _zone_tab()[country]}


def _write(path: Path, lines: list[list[str]], header: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header or ["Name", "Phone", "Country"])
        writer.writerows(lines)
    return path


def _check(run_cli: RunCli, phone: str, at: str) -> dict[str, Any]:
    result = run_cli("check", phone, "--at", at, "--json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


AT = "2026-11-25T18:00:00Z"  # a Wednesday: 13:00 in New York, 08:00 in Honolulu


@pytest.mark.parametrize("code", TOLL_FREE)
def test_a_canadian_leads_toll_free_number_rings_in_canada(
    run_cli: RunCli, tmp_path: Path, code: str
) -> None:
    phone = f"+1{code}5550199"
    import_json(run_cli, _write(tmp_path / "ca.csv", [["Cy", phone, "Canada"]]))
    verdict = _check(run_cli, phone, AT)
    assert verdict["jurisdictions"] == ["CA"]
    canada, us = _clocks("CA"), _clocks("US")
    zones = list(verdict["local_times"])
    assert zones and all(_offsets(z) in canada for z in zones), zones
    assert not any(z in _zone_tab()["US"] for z in zones), zones
    assert "Pacific/Honolulu" not in zones and _offsets("Pacific/Honolulu") in us


@pytest.mark.parametrize("code", TOLL_FREE)
def test_a_us_leads_toll_free_number_rings_in_the_us_only(
    run_cli: RunCli, tmp_path: Path, code: str
) -> None:
    phone = f"+1{code}5550198"
    import_json(run_cli, _write(tmp_path / "us.csv", [["Di", phone, "United States"]]))
    verdict = _check(run_cli, phone, AT)
    assert verdict["jurisdictions"] == ["US"]
    zones = list(verdict["local_times"])
    us = _clocks("US")
    assert zones and all(_offsets(z) in us for z in zones), zones
    for canadian_only in ("America/Halifax", "America/St_Johns"):
        assert _offsets(canadian_only) not in us  # the check below can fail
        assert canadian_only not in zones


def test_without_a_country_a_toll_free_number_keeps_every_zone(
    run_cli: RunCli, tmp_path: Path
) -> None:
    phone = "+18005550197"
    import_json(run_cli, _write(tmp_path / "none.csv", [["Ed", phone, ""]]))
    zones = set(_check(run_cli, phone, AT)["local_times"])
    assert {"America/Halifax", "America/St_Johns", "Pacific/Honolulu"} <= zones


def test_a_geographic_number_rings_where_its_area_code_is(run_cli: RunCli, tmp_path: Path) -> None:
    """A Toronto number with a US address is still called in Toronto, by Canada's rules."""
    phone = "+14165550196"
    import_json(run_cli, _write(tmp_path / "geo.csv", [["Fi", phone, "United States"]]))
    verdict = _check(run_cli, phone, AT)
    assert verdict["jurisdictions"][0] == "CA"
    assert list(verdict["local_times"]) == ["America/Toronto"]


def _island_mobiles() -> list[tuple[str, str]]:
    """(island, E.164) for every +44 7xxx range phonenumbers files under an island."""
    found: dict[tuple[str, int], str] = {}
    for prefix in range(70000, 80000):
        number = phonenumbers.parse(f"+44{prefix}12345")
        region = phonenumbers.region_code_for_number(number)
        if region in ISLANDS and phonenumbers.is_valid_number(number):
            found.setdefault((region, prefix // 10), f"+44{prefix}12345")
    return sorted((region, e164) for (region, _), e164 in found.items())


def _island_only_holiday(island: str) -> date:
    """A weekday holiday of the island's that is no holiday in the UK."""
    own = holidays.country_holidays(island, years=[2026, 2027])
    uk = holidays.country_holidays("GB", years=[2026, 2027])
    return min(day for day in own if day not in uk and day.weekday() < 6 and day.year == 2026)


MOBILES = _island_mobiles()


def test_the_island_ranges_were_found() -> None:
    assert {island for island, _ in MOBILES} == set(ISLANDS)
    assert len(MOBILES) >= 10


@pytest.mark.parametrize(("island", "phone"), MOBILES, ids=[p for _, p in MOBILES])
def test_an_island_range_mobile_with_a_uk_address_follows_uk_rules(
    run_cli: RunCli, tmp_path: Path, island: str, phone: str
) -> None:
    holiday = _island_only_holiday(island)
    at = f"{holiday.isoformat()}T12:00:00Z"
    lines = [["UK", phone, "United Kingdom"]]
    import_json(run_cli, _write(tmp_path / "uk.csv", lines))
    verdict = _check(run_cli, phone, at)
    assert verdict["jurisdictions"] == ["GB"]
    assert list(verdict["local_times"]) == ["Europe/London"]
    assert verdict["allowed"], verdict["reasons"]


@pytest.mark.parametrize(("island", "phone"), MOBILES, ids=[p for _, p in MOBILES])
def test_an_island_range_mobile_without_an_address_is_the_islands(
    run_cli: RunCli, tmp_path: Path, island: str, phone: str
) -> None:
    holiday = _island_only_holiday(island)
    import_json(run_cli, _write(tmp_path / "island.csv", [["Isla", phone, ""]]))
    verdict = _check(run_cli, phone, f"{holiday.isoformat()}T12:00:00Z")
    assert verdict["jurisdictions"] == [island]
    assert not verdict["allowed"]
    name = holidays.country_holidays(island, years=holiday.year)[holiday]
    assert any(name in reason for reason in verdict["reasons"])


def test_a_sales_navigator_location_in_the_uk_counts_as_a_uk_address(
    run_cli: RunCli, tmp_path: Path
) -> None:
    phone = "+447797123456"  # a Jersey range
    path = _write(
        tmp_path / "nav.csv",
        [["Ann", phone, "Leeds, England, United Kingdom"]],
        ["fullName", "phone", "location"],
    )
    import_json(run_cli, path)
    verdict = _check(run_cli, phone, "2026-05-09T12:00:00Z")  # Liberation Day in Jersey
    assert verdict["jurisdictions"] == ["GB"] and verdict["allowed"]


def test_a_uk_range_mobile_of_a_jersey_resident_is_judged_in_jersey(
    run_cli: RunCli, tmp_path: Path
) -> None:
    phone = "+447700100200"
    import_json(run_cli, _write(tmp_path / "je.csv", [["Jo", phone, "Jersey"]]))
    verdict = _check(run_cli, phone, "2026-05-09T12:00:00Z")
    assert verdict["jurisdictions"] == ["JE"]
    assert list(verdict["local_times"]) == ["Europe/Jersey"]
    assert not verdict["allowed"]


def test_a_jersey_landline_stays_in_jersey_whatever_the_address(
    run_cli: RunCli, tmp_path: Path
) -> None:
    phone = "+441534123456"
    import_json(run_cli, _write(tmp_path / "land.csv", [["Lan", phone, "United Kingdom"]]))
    verdict = _check(run_cli, phone, "2026-05-09T12:00:00Z")
    assert verdict["jurisdictions"] == ["JE"] and not verdict["allowed"]


def test_a_lead_stored_before_keeps_its_zones_but_gets_the_countrys_rules(
    run_cli: RunCli, db: str, tmp_path: Path
) -> None:
    """A lead imported with every zone (before the country narrowed them) still
    follows its country's rules; check and the session judge it alike."""
    phone = "+18005550195"
    import_json(run_cli, _write(tmp_path / "old.csv", [["Old", phone, ""]]))
    with opened(db) as conn, transaction(conn):
        conn.execute("UPDATE leads SET country = 'CA' WHERE phone = ?", [phone])
    assert _check(run_cli, phone, AT)["jurisdictions"] == ["CA"]
