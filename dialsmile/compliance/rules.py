"""The calling-window rules and the area-code data, loaded from the package's TOML files.

``rules.toml`` holds one row per jurisdiction (with its citation, the month it
was checked and a confidence code); ``area_codes.toml`` holds the split-zone
area codes and the area code -> state/province map. Both are parsed once and
kept, parsed, in the user's cache dir for the next start; holiday calendars are
loaded when first asked and cached per (country, subdivision, year).
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NUMBER_COUNTRY = "*"


class RuleDataError(ValueError):
    """A rules or area-code file does not have the expected shape."""


@dataclass(frozen=True, slots=True)
class Window:
    """Calling hours on one day: from ``start`` (inclusive) to ``end`` (exclusive), in seconds."""

    start: int
    end: int

    def label(self) -> str:
        """``"08:00-21:00"``."""
        return f"{clock(self.start)}-{clock(self.end)}"


@dataclass(frozen=True, slots=True)
class Cap:
    """At most ``max_calls`` calls to a number within any rolling ``period_hours``."""

    max_calls: int
    period_hours: int

    @property
    def period(self) -> timedelta:
        """The rolling period as a timedelta."""
        return timedelta(hours=self.period_hours)

    def period_label(self) -> str:
        """``"24 h"``, or ``"30 days"`` for whole days beyond one."""
        if self.period_hours > 24 and self.period_hours % 24 == 0:
            return f"{self.period_hours // 24} days"
        return f"{self.period_hours} h"


@dataclass(frozen=True, slots=True)
class ExtraDay:
    """A closed day added to a rule's holiday calendar.

    ``rule`` is ``"MM-DD"`` (every year), ``"YYYY-MM-DD"`` (once), or one of
    ``good-friday``, ``easter-sunday``, ``election-day`` (Tuesday after the first
    Monday of November), ``election-day-even-years`` and ``utah-juneteenth``
    (19 June moved to the Monday before when it falls Tuesday-Friday, to the
    Monday after when it falls on a weekend).
    """

    rule: str
    name: str

    def on(self, year: int) -> date | None:
        """The date this day falls on in ``year``, or None when it does not occur."""
        rule = self.rule
        if rule == "good-friday":
            return easter(year) - timedelta(days=2)
        if rule == "easter-sunday":
            return easter(year)
        if rule == "election-day":
            return election_day(year)
        if rule == "election-day-even-years":
            return election_day(year) if year % 2 == 0 else None
        if rule == "utah-juneteenth":
            day = date(year, 6, 19)
            weekday = day.weekday()
            if weekday == 0:
                return day
            if weekday <= 4:
                return day - timedelta(days=weekday)
            return day + timedelta(days=7 - weekday)
        parts = rule.split("-")
        if len(parts) == 2:
            return date(year, int(parts[0]), int(parts[1]))
        when = date.fromisoformat(rule)
        return when if when.year == year else None


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of ``rules.toml``: a jurisdiction's calling window as in force over a date range."""

    key: str
    jurisdiction: str
    name: str
    hours: tuple[Window | None, ...]
    holidays_closed: bool
    holiday_calendar: tuple[str, str | None] | None
    extra_closed_days: tuple[ExtraDay, ...]
    cap: Cap | None
    refusal_cooldown_days: int
    applies_to: str
    citation: str
    url: str
    as_of: str
    confidence: str
    scope: str
    effective_from: date | None = None
    effective_to: date | None = None
    fixed_zone: str | None = None
    warning: str | None = None

    def in_effect(self, day: date) -> bool:
        """True when the row is in force on ``day`` (``effective_to`` is exclusive)."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day < self.effective_to

    def window(self, day: date) -> Window | None:
        """The weekday's hours, or None when that weekday is closed."""
        return self.hours[day.weekday()]

    def closed_day(self, day: date) -> str | None:
        """The name of the holiday that closes ``day`` under this rule, if any."""
        if not self.holidays_closed:
            return None
        return closed_days(self.holiday_calendar, self.extra_closed_days, day.year).get(day)

    @property
    def low_confidence(self) -> bool:
        """True when the row is unconfirmed (confidence code starting with U)."""
        return self.confidence.upper().startswith("U")

    def for_country(self, region: str) -> Rule:
        """This row with a ``"*"`` holiday calendar bound to ``region`` (or dropped if unknown)."""
        if self.holiday_calendar is None or self.holiday_calendar[0] != NUMBER_COUNTRY:
            return self
        known = region in supported_countries()
        return replace(
            self,
            key=f"{self.key}:{region}",
            holidays_closed=self.holidays_closed and known,
            holiday_calendar=(region, None) if known else None,
        )


@dataclass(frozen=True, slots=True)
class RuleBook:
    """All rows, grouped by jurisdiction."""

    by_jurisdiction: Mapping[str, tuple[Rule, ...]]

    @property
    def default(self) -> tuple[Rule, ...]:
        """The conservative rows for places without their own."""
        return self.by_jurisdiction["default"]

    def rows(self, jurisdiction: str) -> tuple[Rule, ...]:
        """Every dated row of one jurisdiction (empty when it has none)."""
        return self.by_jurisdiction.get(jurisdiction, ())


@dataclass(frozen=True, slots=True)
class SplitCode:
    """An area code whose callers sit in several time zones."""

    npa: str
    zones: tuple[str, ...]
    where: str
    source: str


@dataclass(frozen=True, slots=True)
class AreaCodes:
    """The split-zone supplement, area code -> states map and accepted state names."""

    split: Mapping[str, SplitCode]
    regions: Mapping[str, tuple[str, ...]]
    """Area code -> the states or provinces it serves (``("US-FL",)``; 902: NS and PE)."""
    subdivision_names: Mapping[str, str]


def clock(seconds: int) -> str:
    """Seconds since midnight as ``HH:MM``."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def easter(year: int) -> date:
    """Western (Gregorian) Easter Sunday."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def election_day(year: int) -> date:
    """The Tuesday after the first Monday of November."""
    first = date(year, 11, 1)
    first_monday = first + timedelta(days=(7 - first.weekday()) % 7)
    return first_monday + timedelta(days=1)


@functools.cache
def supported_countries() -> frozenset[str]:
    """Country codes the ``holidays`` package has calendars for."""
    import holidays  # here: the package costs a session's start about 50 ms

    return frozenset(holidays.list_supported_countries())


@functools.lru_cache(maxsize=4096)
def holiday_table(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """Public holidays (observed days included) of one calendar and year.

    ``holidays`` loads on the first call: a lead whose rules close on no
    holiday, or a day already known to be outside its hours, never needs it.
    """
    import holidays

    calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return {day: str(name) for day, name in calendar.items()}


@functools.lru_cache(maxsize=4096)
def closed_days(
    calendar: tuple[str, str | None] | None, extra: tuple[ExtraDay, ...], year: int
) -> Mapping[date, str]:
    """Holidays of ``calendar`` plus ``extra`` days in ``year``: date -> name."""
    out: dict[date, str] = dict(holiday_table(*calendar, year)) if calendar else {}
    for item in extra:
        day = item.on(year)
        if day is not None:
            out.setdefault(day, item.name)
    return out


def _text(table: Mapping[str, Any], field: str, where: str, default: str | None = None) -> str:
    value = table.get(field, default)
    if not isinstance(value, str):
        raise RuleDataError(f"{where}: '{field}' must be a string")
    return value


def _seconds(text: str, where: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    try:
        value = int(hours) * 3600 + int(minutes) * 60
    except ValueError:
        raise RuleDataError(f"{where}: bad time {text!r}") from None
    if not 0 <= value <= 86400:
        raise RuleDataError(f"{where}: time out of range {text!r}")
    return value


def _window(text: str, where: str) -> Window | None:
    if text.strip().lower() == "closed":
        return None
    start, sep, end = text.partition("-")
    if not sep:
        raise RuleDataError(f"{where}: hours must be 'HH:MM-HH:MM' or 'closed', not {text!r}")
    window = Window(_seconds(start, where), _seconds(end, where))
    if window.start >= window.end:
        raise RuleDataError(f"{where}: empty window {text!r}")
    return window


def _calendar(text: str | None) -> tuple[str, str | None] | None:
    if not text:
        return None
    country, _, subdivision = text.partition("/")
    return country, subdivision or None


def _date(value: object, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    raise RuleDataError(f"{where}: dates must be TOML dates (YYYY-MM-DD)")


def _cap(value: object, where: str) -> Cap | None:
    if value is None or value == "none":
        return None
    if isinstance(value, dict):
        return Cap(int(value["max_calls"]), int(value["period_hours"]))
    raise RuleDataError(f"{where}: cap must be 'none' or {{ max_calls, period_hours }}")


def parse_rule(key: str, table: Mapping[str, Any]) -> Rule:
    """Build one :class:`Rule` from its TOML table (``key`` is the table name)."""
    where = f"rules.{key}"
    hours_table = table.get("hours")
    if not isinstance(hours_table, dict) or set(hours_table) != set(WEEKDAYS):
        raise RuleDataError(f"{where}: 'hours' needs mon..sun")
    applies_to = _text(table, "applies_to", where)
    if applies_to not in ("consumer", "all"):
        raise RuleDataError(f"{where}: applies_to must be 'consumer' or 'all'")
    source = table.get("source")
    if not isinstance(source, dict):
        raise RuleDataError(f"{where}: 'source' must be {{ citation, url }}")
    extra = tuple(
        ExtraDay(_text(item, "rule", where), _text(item, "name", where))
        for item in table.get("extra_closed_days", ())
    )
    fixed_zone = table.get("fixed_zone")
    warning = table.get("warning")
    return Rule(
        key=key,
        jurisdiction=_text(table, "jurisdiction", where),
        name=_text(table, "name", where),
        hours=tuple(_window(str(hours_table[day]), where) for day in WEEKDAYS),
        holidays_closed=bool(table.get("holidays_closed", False)),
        holiday_calendar=_calendar(table.get("holiday_calendar")),
        extra_closed_days=extra,
        cap=_cap(table.get("cap"), where),
        refusal_cooldown_days=int(table.get("refusal_cooldown_days", 0)),
        applies_to=applies_to,
        citation=_text(source, "citation", where),
        url=_text(source, "url", where),
        as_of=_text(table, "as_of", where),
        confidence=_text(table, "confidence", where),
        scope=_text(table, "scope", where, ""),
        effective_from=_date(table.get("effective_from"), where),
        effective_to=_date(table.get("effective_to"), where),
        fixed_zone=str(fixed_zone) if fixed_zone else None,
        warning=str(warning) if warning else None,
    )


def parse_rule_book(data: Mapping[str, Any]) -> RuleBook:
    """Build the :class:`RuleBook` from a parsed ``rules.toml``."""
    grouped: dict[str, list[Rule]] = {}
    for key, table in data.get("rules", {}).items():
        rule = parse_rule(key, table)
        grouped.setdefault(rule.jurisdiction, []).append(rule)
    if "default" not in grouped:
        raise RuleDataError("rules.toml needs a 'default' row")
    return RuleBook(
        by_jurisdiction={
            code: tuple(sorted(rows, key=lambda r: r.effective_from or date.min))
            for code, rows in grouped.items()
        },
    )


def parse_area_codes(data: Mapping[str, Any]) -> AreaCodes:
    """Build :class:`AreaCodes` from a parsed ``area_codes.toml``."""
    split = {
        str(npa): SplitCode(str(npa), tuple(item["zones"]), item.get("where", ""), item["source"])
        for npa, item in data.get("split", {}).items()
    }
    return AreaCodes(
        split=split,
        regions={
            str(k): (str(v),) if isinstance(v, str) else tuple(str(p) for p in v)
            for k, v in data.get("regions", {}).items()
        },
        subdivision_names={
            str(k).upper(): str(v) for k, v in data.get("subdivision_names", {}).items()
        },
    )


RULE_FILES = (Path(__file__).with_name("rules.toml"), Path(__file__).with_name("area_codes.toml"))
"""The packaged rule files: calling windows by jurisdiction, and area codes."""


def _read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _cache_key(files: tuple[Path, ...]) -> str:
    """What a cached parse was made from: each file's and this module's size and time,
    and the Python version (a pickle holds this module's classes)."""
    stats = [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in (*files, Path(__file__))]
    return repr((stats, sys.version))


@functools.cache
def _compiled() -> tuple[RuleBook, AreaCodes]:
    """Both rule files, parsed: from the cache while neither file (nor this module)
    changed, else parsed again and the cache rewritten.

    Parsing the TOML costs every session's start about 10 ms before the first
    lead; unpickling the cached copy about 1 ms. The cache is the user's own
    file in their cache dir (``rules.pickle``); a missing, stale or damaged one
    is simply made again, and one that cannot be written is left out.
    """
    from dialsmile.config import cache_dir

    files = RULE_FILES
    key = _cache_key(files)
    cache = cache_dir() / "rules.pickle"
    try:
        with cache.open("rb") as f:
            stored_key, compiled = pickle.load(f)
        if stored_key == key:
            return cast("tuple[RuleBook, AreaCodes]", compiled)
    except Exception:  # no cache yet, or one written by another version: parse afresh
        pass
    compiled = (parse_rule_book(_read(files[0])), parse_area_codes(_read(files[1])))
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        part = cache.with_name(f"{cache.name}.{os.getpid()}")
        part.write_bytes(pickle.dumps((key, compiled), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(part, cache)  # whole or not at all, with other processes reading
    return compiled


def load_rules() -> RuleBook:
    """The packaged ``rules.toml``, parsed once."""
    return _compiled()[0]


def load_area_codes() -> AreaCodes:
    """The packaged ``area_codes.toml``, parsed once."""
    return _compiled()[1]
