"""A lead's own State narrows where a toll-free or mobile number rings (``check``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import phonenumbers
import pycountry
import pytest
import tzdata  # type: ignore[import-untyped]

from dialsmile.compliance.engine import candidate_zones
from dialsmile.compliance.rules import load_area_codes
from tests.conftest import RunCli

TOLL_FREE = "+1 800 555 0100"
AU_MOBILE = "+61 412 345 678"
MORNING = "2026-03-04T16:00:00Z"  # 10:00 in Texas, 03:00 in Guam


def zones_of(run_cli: RunCli, *args: str) -> tuple[set[str], dict[str, object]]:
    result = run_cli("check", *args, "--at", MORNING, "--json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    times = data["local_times"]
    assert isinstance(times, dict)
    # Mississippi's law keeps its own fixed clock (Etc/GMT+6): a rule's zone, not a place's.
    return {z for z in times if not z.startswith("Etc/")}, data


def test_a_texas_lead_on_a_toll_free_number_is_checked_in_texas(run_cli: RunCli) -> None:
    everywhere, alone = zones_of(run_cli, TOLL_FREE)
    assert {"Pacific/Guam", "Pacific/Pago_Pago"} <= everywhere and alone["allowed"] is False
    zones, texas = zones_of(run_cli, TOLL_FREE, "--state", "TX")
    assert zones == {"America/Chicago", "America/Denver"}  # El Paso keeps Mountain time
    assert texas["allowed"] is True
    assert any("Central time and Mountain time" in w for w in texas["warnings"])  # type: ignore[union-attr]


def test_an_address_that_contradicts_the_number_keeps_both(run_cli: RunCli) -> None:
    zones, data = zones_of(run_cli, "+1 212 555 0100", "--state", "CA")
    assert zones == {"America/New_York", "America/Los_Angeles"}
    assert any("disagree" in w for w in data["warnings"])  # type: ignore[union-attr]
    same, agreeing = zones_of(run_cli, "+1 212 555 0100", "--state", "NY")
    assert same == {"America/New_York"}
    assert not any("disagree" in w for w in agreeing["warnings"])  # type: ignore[union-attr]


def _state_zones() -> dict[str, set[str]]:
    """Each state or province -> the zones its own area codes' numbers ring in."""
    zones: dict[str, set[str]] = {}
    for npa, places in load_area_codes().regions.items():
        for place in places:
            zones.setdefault(place, set()).update(candidate_zones(f"+1{npa}5550100"))
    return zones


@pytest.mark.parametrize(("place", "expected"), sorted(_state_zones().items()))
def test_every_state_and_province_narrows_a_toll_free_number(
    run_cli: RunCli, place: str, expected: set[str]
) -> None:
    zones, _ = zones_of(run_cli, TOLL_FREE, "--state", place.partition("-")[2])
    assert zones == expected


def _tab() -> list[list[str]]:
    path = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo", "zone1970.tab")
    with open(path, encoding="utf-8") as rows:
        return [r.rstrip("\n").split("\t") for r in rows if not r.startswith("#")]


@pytest.mark.parametrize(
    "state", sorted(s.code for s in pycountry.subdivisions.get(country_code="AU"))
)
def test_every_australian_state_narrows_a_mobile_number(run_cli: RunCli, state: str) -> None:
    name = pycountry.subdivisions.get(code=state).name
    expected = {r[2] for r in _tab() if "AU" in r[0].split(",") and r[3].startswith(name)}
    zones, _ = zones_of(run_cli, AU_MOBILE, "--state", state.partition("-")[2])
    assert zones == (expected or zones_of(run_cli, AU_MOBILE)[0])


def test_an_australian_landline_keeps_its_own_zone_in_the_state(run_cli: RunCli) -> None:
    assert phonenumbers.is_number_geographical(phonenumbers.parse("+61 8 9123 4567"))
    assert zones_of(run_cli, "+61 8 9123 4567")[0] == {"Australia/Adelaide", "Australia/Perth"}
    assert zones_of(run_cli, "+61 8 9123 4567", "--state", "WA")[0] == {"Australia/Perth"}
    assert zones_of(run_cli, AU_MOBILE, "--state", "Western Australia")[0] == {
        "Australia/Perth",
        "Australia/Eucla",
    }


def test_the_imported_state_column_narrows_the_check(run_cli: RunCli, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Name,Phone,State,Country\n"
        "Dana Whitfield,1-800-555-0100,Texas,\n"
        "Mia Hart,0412 345 678,NSW,Australia\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(leads))
    assert result.exit_code == 0, result.output + result.stderr
    assert zones_of(run_cli, TOLL_FREE)[0] == {"America/Chicago", "America/Denver"}
    assert zones_of(run_cli, AU_MOBILE)[0] == {"Australia/Sydney", "Australia/Broken_Hill"}
