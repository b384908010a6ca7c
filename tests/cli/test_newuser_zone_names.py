"""Zones are named by the city people call them today: India's numbers ring in
"Kolkata time", not tzdata's old "Calcutta"; Nepal's in Kathmandu, Myanmar's in Yangon.
The names come from CLDR (babel), for every zone phonenumbers gives a number."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime

import pytest
from babel.dates import get_timezone_location
from phonenumbers.tzdata import TIMEZONE_DATA

from dialsmile.compliance.zones import zone_name
from tests.conftest import RunCli

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _folded(text: str) -> str:
    """Case, accents and punctuation left out: "Bogotá" and "Bogota" name the same city."""
    ascii_text = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore")
    return re.sub(r"[^a-z]", "", ascii_text.decode())


NORTH_AMERICAN = re.compile(
    r"(Eastern|Central|Mountain|Pacific|Atlantic|Alaska|Hawaii-Aleutian|Newfoundland) time"
)


def _city_zones() -> list[str]:
    """Every zone phonenumbers gives a number that is named after its city (North
    American zones are named by their generic name, "Central time")."""
    zones = {zone for found in TIMEZONE_DATA.values() for zone in found}
    return sorted(z for z in zones if not NORTH_AMERICAN.match(zone_name(z, WINTER)))


def test_every_city_zone_is_named_as_cldr_names_its_city() -> None:
    zones = _city_zones()
    assert len(zones) > 200
    wrong = {
        zone: zone_name(zone, WINTER)
        for zone in zones
        if _folded(zone_name(zone, WINTER).rsplit(" time (", 1)[0])
        != _folded(get_timezone_location(zone, locale="en", return_city=True))
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("+91 22 2778 8000", "Kolkata time (IST)"),
        ("+977 1-4211000", "Kathmandu time (UTC+5:45)"),
        ("+95 1 234 567", "Yangon time (UTC+6:30)"),
        ("+299 32 10 00", "Nuuk time (UTC-2)"),
        ("+84 24 3825 3536", "Ho Chi Minh City time (UTC+7)"),
    ],
)
def test_check_names_the_city_people_use(run_cli: RunCli, number: str, name: str) -> None:
    result = run_cli("check", number, "--at", "2026-01-15T12:00:00Z", "--json")
    assert result.exit_code in (0, 1), result.stderr
    assert list(json.loads(result.stdout)["zone_names"].values()) == [name]
