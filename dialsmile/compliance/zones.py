"""Time zones named as people read them: "Central time (CST)", never "America/Chicago".

One helper for every place that shows a zone to a person (``check``, the why
panel, the lead card, the callback box). North American zones get their
generic name from the abbreviation tzdata gives at that moment (CST, CDT,
MST, ...); fixed-offset zones such as Mississippi's statutory "Central
Standard Time" (``Etc/GMT+6``) are named from their offset; any other zone
is named after its city, with tzdata's abbreviation or the UTC offset.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["generic_zone_name", "local_time", "zone_name"]

_NORTH_AMERICA = {
    "E": "Eastern",
    "C": "Central",
    "M": "Mountain",
    "P": "Pacific",
    "A": "Atlantic",
    "N": "Newfoundland",
    "AK": "Alaska",
    "H": "Hawaii-Aleutian",
}
"""Generic names of the North American zones by the letters of their abbreviation."""

_STANDARD_OFFSETS = {
    -210: "N",
    -240: "A",
    -300: "E",
    -360: "C",
    -420: "M",
    -480: "P",
    -540: "AK",
    -600: "H",
}
"""Standard-time offsets (minutes) of the North American zones, for fixed-offset zones."""

_ABBREVIATION = re.compile(r"(AK|[ECMPANH])([SD])T")

# Cities whose tz name is an old spelling or a shorthand (phonenumbers gives India as
# Asia/Calcutta), by the name CLDR gives them in English; the test pins this to babel
# for every zone phonenumbers uses (babel itself is too slow to load for the card).
_CITY_NAMES = {
    "Africa/Asmera": "Asmara", "America/Godthab": "Nuuk", "America/Miquelon": "Saint-Pierre",
    "America/Noronha":
    "Fernando de Noronha", "America/Scoresbysund": "Ittoqqortoormiit",
    "Asia/Calcutta": "Kolkata", "Asia/Choibalsan": "Ulaanbaatar",
    "Asia/Ho_Chi_Minh": "Ho Chi Minh City", "Asia/Hovd": "Khovd",
    "Asia/Katmandu": "Kathmandu", "Asia/Rangoon": "Yangon", "Atlantic/Canary": "Canaries",
    "Atlantic/Faeroe": "Faroes", "Australia/Lord_Howe": "Lord Howe Island",
    "Europe/Tirane": "Tirana", "Indian/Chagos": "Chagos Archipelago",
    "Indian/Christmas": "Christmas Island", "Indian/Cocos": "Cocos Islands",
    "Indian/Comoro": "Comoros", "Pacific/Chatham": "Chatham Islands",
    "Pacific/Enderbury": "Canton Island", "Pacific/Galapagos": "Galápagos Islands",
    "Pacific/Marquesas": "Marquesas Islands", "Pacific/Norfolk": "Norfolk Island",
    "Pacific/Ponape": "Pohnpei", "Pacific/Truk": "Chuuk", "Pacific/Wallis": "Wallis & Futuna",
}  # fmt: skip


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_name(zone: str, at: datetime) -> str:
    """``"Central time (CST)"`` for ``zone`` at the moment ``at``.

    ``"Central Standard Time (CST)"`` for the fixed zone ``Etc/GMT+6``;
    ``"Oslo time (CET)"`` or ``"Bogota time (UTC-5)"`` elsewhere.
    """
    local = at.astimezone(ZoneInfo(zone))
    abbreviation = local.tzname() or ""
    if zone.startswith("Etc/"):
        minutes = int((local.utcoffset() or timedelta(0)).total_seconds() // 60)
        letters = _STANDARD_OFFSETS.get(minutes)
        if letters is None:
            return _offset(local.utcoffset())
        return f"{_NORTH_AMERICA[letters]} Standard Time ({letters}ST)"
    found = _ABBREVIATION.fullmatch(abbreviation)
    if found and zone.startswith(("America/", "Pacific/Honolulu", "US/", "Canada/")):
        return f"{_NORTH_AMERICA[found.group(1)]} time ({abbreviation})"
    city = _CITY_NAMES.get(zone) or zone.rsplit("/", 1)[-1].replace("_", " ")
    shown = abbreviation if abbreviation.isalpha() else _offset(local.utcoffset())
    return f"{city} time ({shown})"


def local_time(zone: str, at: datetime) -> str:
    """``"07:30 Central time (CST)"``: the wall-clock time in ``zone`` at ``at``, and its name."""
    return f"{at.astimezone(ZoneInfo(zone)):%H:%M} {zone_name(zone, at)}"


_WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)


def generic_zone_name(zone: str) -> str:
    """``"Central time"``: the zone's name without a moment's abbreviation."""
    return zone_name(zone, _WINTER).partition(" (")[0]
