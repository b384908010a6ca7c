"""North American area codes from phonenumbers, and calling-hours law written out by hand.

The area codes, their states and their zones come from phonenumbers (its
metadata and geocoder data), not from dialsmile's tables; the hours come
from calling-rules.md as a person reads it, not from rules.toml. Tests
compare dialsmile against both.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as pn_timezone

from dialsmile.core.places import CA_PROVINCES, US_STATES

# The geocoder's English spellings that are not the plain state or province name.
_SPELLINGS = {"Washington State": "WA", "Washington D.C.": "DC", "British Colombia": "BC"}


def valid_number(npa: str) -> str | None:
    """A valid E.164 number in area code ``npa``, or None when phonenumbers knows none."""
    for nxx in range(200, 1000, 7):
        number = phonenumbers.parse(f"+1{npa}{nxx}1234")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


@functools.cache
def assigned_area_codes() -> dict[str, tuple[str, bool]]:
    """Every NANP area code phonenumbers assigns to US or CA: code -> (region, geographic)."""
    out: dict[str, tuple[str, bool]] = {}
    for npa in map(str, range(200, 1000)):
        e164 = valid_number(npa)
        if e164 is None:
            continue
        number = phonenumbers.parse(e164)
        region = phonenumbers.region_code_for_number(number)
        if region in ("US", "CA"):
            out[npa] = (region, phonenumbers.is_number_geographical(number))
    return out


def _places(description: str, country: str) -> list[str]:
    """``"US-UT"`` codes named by one geocoder description ("Utah", "Provo, UT", "NS/PE")."""
    names = {v: k for k, v in (US_STATES if country == "US" else CA_PROVINCES).items()}
    out = []
    for part in description.split("/"):
        part = part.strip()
        tail = part.rsplit(", ", 1)[-1]
        code = _SPELLINGS.get(part) or names.get(part) or (tail if tail in names.values() else None)
        if code:
            out.append(f"{country}-{code}")
    return out


@functools.cache
def library_regions() -> dict[str, tuple[str, ...]]:
    """Geographic area code -> its states or provinces, from phonenumbers' geocoder data.

    The geocoder's description of the area code itself ("Utah",
    "Nova Scotia/Prince Edward Island"); where it has none, the state most of
    the area code's exchanges are in ("Fort Lee, NJ").
    """
    from phonenumbers.geodata import GEOCODE_DATA

    out: dict[str, tuple[str, ...]] = {}
    for npa, (country, geographic) in assigned_area_codes().items():
        if not geographic:
            continue
        whole = GEOCODE_DATA.get(f"1{npa}", {}).get("en")
        if whole:
            places = _places(whole, country)
        else:
            counts = Counter(
                place
                for prefix, names in GEOCODE_DATA.items()
                if prefix.startswith(f"1{npa}")
                for place in _places(names.get("en", ""), country)
            )
            places = [counts.most_common(1)[0][0]] if counts else []
        if places:
            out[npa] = tuple(sorted(places))
    return out


def library_zones(npa: str) -> tuple[str, ...]:
    """The zones phonenumbers gives a number of area code ``npa``."""
    e164 = valid_number(npa)
    assert e164 is not None
    return tuple(pn_timezone.time_zones_for_number(phonenumbers.parse(e164)))


@dataclass(frozen=True)
class Law:
    """One state's calling hours as calling-rules.md states them, with the federal floor.

    Windows are local ``("HH:MM", "HH:MM")`` after the federal (or Canadian)
    window is applied; None means no calls that day.
    """

    name: str
    npa: str
    """An area code of the state served by one time zone, the one below."""
    zone: str
    weekday: tuple[str, str]
    saturday: tuple[str, str] | None
    sunday: tuple[str, str] | None
    holiday_closed: bool = False


# calling-rules.md §1, in force in December 2026 (Pennsylvania: Act 47 of 2026).
# Only states whose own hours or closed days differ from the federal floor.
LAWS = {
    "US-FL": Law("Florida", "305", "America/New_York", ("08:00", "20:00"), ("08:00", "20:00"), ("08:00", "20:00")),
    "US-OK": Law("Oklahoma", "405", "America/Chicago", ("08:00", "20:00"), ("08:00", "20:00"), ("08:00", "20:00")),
    "US-MD": Law("Maryland", "410", "America/New_York", ("08:00", "20:00"), ("08:00", "20:00"), ("08:00", "20:00")),
    "US-WA": Law("Washington", "206", "America/Los_Angeles", ("08:00", "20:00"), ("08:00", "20:00"), ("08:00", "20:00")),
    "US-LA": Law("Louisiana", "504", "America/Chicago", ("08:00", "20:00"), ("08:00", "20:00"), None, True),
    "US-MS": Law("Mississippi", "601", "America/Chicago", ("08:00", "20:00"), ("08:00", "20:00"), None),
    "US-AL": Law("Alabama", "205", "America/Chicago", ("08:00", "20:00"), ("08:00", "20:00"), None, True),
    "US-UT": Law("Utah", "801", "America/Denver", ("08:00", "21:00"), ("08:00", "21:00"), None, True),
    "US-TX": Law("Texas", "512", "America/Chicago", ("09:00", "21:00"), ("09:00", "21:00"), ("12:00", "21:00")),
    "US-KY": Law("Kentucky", "502", "America/New_York", ("10:00", "21:00"), ("10:00", "21:00"), ("10:00", "21:00")),
    "US-RI": Law("Rhode Island", "401", "America/New_York", ("09:00", "18:00"), ("10:00", "17:00"), None, True),
    "US-MA": Law("Massachusetts", "617", "America/New_York", ("08:00", "20:00"), ("08:00", "20:00"), ("08:00", "20:00")),
    "US-CT": Law("Connecticut", "203", "America/New_York", ("09:00", "20:00"), ("09:00", "20:00"), ("09:00", "20:00")),
    "US-PA": Law("Pennsylvania", "215", "America/New_York", ("09:00", "19:00"), ("09:00", "19:00"), None, True),
    "CA-BC": Law("British Columbia", "604", "America/Vancouver", ("09:00", "21:30"), ("10:00", "18:00"), ("10:00", "18:00"), True),
}  # fmt: skip

# States with their own statute whose hours equal the federal floor (calling-rules.md §1).
FEDERAL_HOURS_STATUTES = ("US-NJ", "US-ND", "US-DC")

WEDNESDAY = date(2026, 12, 2)
SATURDAY = date(2026, 12, 5)
SUNDAY = date(2026, 12, 6)
CHRISTMAS = date(2026, 12, 25)  # a Friday: a legal holiday in every state above


def local(day: date, clock: str, zone: str) -> datetime:
    """``clock`` ("08:59") on ``day`` as wall-clock time in ``zone``."""
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))


def minus_minute(clock: str) -> str:
    """``"08:59"`` for ``"09:00"``."""
    hour, minute = map(int, clock.split(":"))
    total = hour * 60 + minute - 1
    return f"{total // 60:02d}:{total % 60:02d}"


def boundaries(code: str, law: Law) -> list[tuple[str, datetime, bool]]:
    """(case id, moment, allowed) at each edge of the state's windows and on its closed days."""
    cases: list[tuple[str, datetime, bool]] = []
    days = [("weekday", WEDNESDAY, law.weekday), ("saturday", SATURDAY, law.saturday)]
    days.append(("sunday", SUNDAY, law.sunday))
    for label, day, window in days:
        if window is None:
            cases.append((f"{code}-{label}-closed", local(day, "12:00", law.zone), False))
            continue
        start, end = window
        cases += [
            (f"{code}-{label}-{minus_minute(start)}", local(day, minus_minute(start), law.zone), False),
            (f"{code}-{label}-{start}", local(day, start, law.zone), True),
            (f"{code}-{label}-{minus_minute(end)}", local(day, minus_minute(end), law.zone), True),
            (f"{code}-{label}-{end}", local(day, end, law.zone), False),
        ]  # fmt: skip
    if law.holiday_closed:
        cases.append((f"{code}-christmas", local(CHRISTMAS, "12:00", law.zone), False))
    return cases


def source_label(code: str, npa: str) -> str:
    """How a reason names where the state came from: ``"(US-UT, from area code 801)"``."""
    return f"{code}, from area code {npa}"
