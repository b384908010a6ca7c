"""Read the callback time a rep types: "tomorrow 3pm", "next tue 10:30", "in 2h".

The text is read word by word against a small grammar instead of handing it to
``dateutil.parser``: that parser copies minutes from its ``default`` and, in
fuzzy mode, silently drops "tomorrow", "next" and "in 2 hours". Words the
grammar does not know are named back to the rep rather than ignored.

Times are read in the zone given (the prospect's zone by default) with
``zoneinfo``: a time in the spring DST gap moves forward by the gap, an
ambiguous autumn time takes its first occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TypeVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from dialsmile.text import MONTH_NAMES, MONTHS, WEEKDAY_NAMES, WEEKDAYS, moment_text

__all__ = ["UnreadableTime", "parse_when"]

EXAMPLES = '"tomorrow 3pm", "next tue 10:30", "in 2h" or "2026-12-01 09:00"'
DEFAULT_TIME = time(9, 0)
HORIZON = relativedelta(years=2)

_V = TypeVar("_V")


class UnreadableTime(ValueError):
    """Text that cannot be read as a callback time; ``str(exc)`` is one sentence for the rep.

    Example: 'Could not read "blorp": try "tomorrow 3pm", "next tue 10:30", "in 2h" or
    "2026-12-01 09:00".'
    """


# Day and month names as a rep types them: the names and their usual shortenings.
_WEEKDAYS = {
    **{name.lower(): n for n, name in enumerate(WEEKDAY_NAMES)},
    **{name.lower(): n for n, name in enumerate(WEEKDAYS)},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}  # fmt: skip
_MONTHS = {
    **{name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)},
    **{name.lower(): n for n, name in enumerate(MONTHS, start=1)},
    "sept": 9,
}

_DAY_WORDS: dict[tuple[str, ...], int] = {
    ("today",): 0,
    ("tomorrow",): 1,
    ("tmrw",): 1,
    ("tmr",): 1,
    ("tomorow",): 1,
    ("tommorow",): 1,
    ("tommorrow",): 1,
    ("day", "after", "tomorrow"): 2,
    ("yesterday",): -1,
}

_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minutes"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
    **dict.fromkeys(("month", "months"), "months"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "years"),
}

_FILLERS = frozenset({"at", "on", "by", "the"})


_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})"
    r"(?:[:.](?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?)?"
    r"(?P<meridiem>am|pm|a|p)?"
    r"(?P<offset>z|[+-]\d{2}(?::?\d{2})?)?"
)
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?")
_DAY_OF_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\d{4}")
_AMOUNT = re.compile(r"(\d{1,6})([a-z]*)")
_HOURS_AND_MINUTES = re.compile(r"(\d{1,6})h(\d{1,2})(?:m|min|mins)?")


@dataclass(frozen=True)
class _Period:
    """A part of the day ("morning", "noon", "eod") and the am/pm it implies, if any."""

    words: str
    at: time
    meridiem: str | None


_EOD = (time(17, 0), None)
_DAYPARTS = frozenset({"morning", "afternoon", "evening"})
_PERIODS: dict[tuple[str, ...], tuple[time, str | None]] = {
    ("morning",): (time(9, 0), "am"),
    ("afternoon",): (time(14, 0), "pm"),
    ("evening",): (time(18, 0), "pm"),
    ("noon",): (time(12, 0), None),
    ("12", "noon"): (time(12, 0), None),
    ("midday",): (time(12, 0), None),
    ("eod",): _EOD,
    ("cob",): _EOD,
    ("end", "of", "day"): _EOD,
    ("end", "of", "the", "day"): _EOD,
    ("close", "of", "business"): _EOD,
}


@dataclass(frozen=True)
class _Clock:
    """A clock time as typed; ``bare`` means only an hour ("3"), so am/pm is unknown."""

    words: str
    hour: int
    minute: int
    meridiem: str | None
    bare: bool
    offset: timedelta | None


@dataclass(frozen=True)
class _Day:
    """A calendar day: either a fixed date or a month and day whose year is still open."""

    words: str
    on: date | None = None
    month: int = 0
    dom: int = 0


@dataclass(frozen=True)
class _Shift:
    """An "in ..." phrase: calendar units move the wall clock, hours and minutes elapse."""

    words: str
    calendar: relativedelta
    elapsed: timedelta


def _words(text: str) -> list[str]:
    lowered = text.strip().lower()
    lowered = re.sub(r"(?<![a-z])([ap])\.m\.?", r"\1m", lowered)
    lowered = lowered.rstrip(".!")
    lowered = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", lowered)
    lowered = re.sub(r"(\d)\s+([ap]m)\b", r"\1\2", lowered)
    lowered = lowered.replace("@", " at ").replace(",", " ")
    return lowered.split()


class _Reader:
    """Reads the words of one phrase into a day, a time of day and/or an "in ..." shift."""

    def __init__(self, text: str, today: date) -> None:
        self.text = text
        self.today = today
        self.words = _words(text)
        self.i = 0
        self.day: _Day | None = None
        self.shift: _Shift | None = None
        self.clock: _Clock | None = None
        self.period: _Period | None = None

    def fail(self, words: str, reason: str) -> UnreadableTime:
        where = f'"{words}"' if words == self.text else f'"{words}" in "{self.text}"'
        return UnreadableTime(f"Could not read {where}: {reason}.")

    def read(self) -> None:
        if not self.words:
            raise UnreadableTime(f"Nothing to read: try {EXAMPLES}.")
        rules: tuple[Callable[[], bool], ...] = (
            self._filler,
            self._relative,
            self._day_word,
            self._weekday,
            self._named_date,
            self._numeric_date,
            self._period_word,
            self._clock_word,
        )
        unread: list[list[str]] = []
        last_unread = -2
        while self.i < len(self.words):
            if not any(rule() for rule in rules):
                if last_unread == self.i - 1:
                    unread[-1].append(self.words[self.i])
                else:
                    unread.append([self.words[self.i]])
                last_unread = self.i
                self.i += 1
        if not (self.day or self.shift or self.clock or self.period):
            raise UnreadableTime(f'Could not read "{self.text}": try {EXAMPLES}.')
        if unread:
            runs = " and ".join(f'"{" ".join(run)}"' for run in unread)
            raise UnreadableTime(f'Could not read {runs} in "{self.text}": try {EXAMPLES}.')
        if self.shift and self.shift.elapsed and (self.clock or self.period):
            other = self.clock or self.period
            assert other is not None
            raise self.fail(
                self.text, f'it names two times ("{self.shift.words}" and "{other.words}")'
            )

    def time_of_day(self) -> tuple[time, timedelta | None] | None:
        """The time read, with its explicit UTC offset if one was typed."""
        clock, period = self.clock, self.period
        if clock is None:
            return (period.at, None) if period else None
        meridiem = clock.meridiem
        if clock.bare and period and clock.hour <= 12:
            meridiem = period.meridiem
        if clock.bare and meridiem is None and 1 <= clock.hour <= 12:
            example = f'"{clock.hour}am" or "{clock.hour}pm"'
            raise self.fail(clock.words, f"add am or pm, e.g. {example}")
        hour = clock.hour
        if meridiem:
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        return time(hour, clock.minute), clock.offset

    # -- helpers -----------------------------------------------------------------

    def _peek(self, ahead: int = 0) -> str:
        at = self.i + ahead
        return self.words[at] if at < len(self.words) else ""

    def _take(self, count: int) -> str:
        taken = " ".join(self.words[self.i : self.i + count])
        self.i += count
        return taken

    def _phrase(self, table: dict[tuple[str, ...], _V]) -> tuple[str, _V] | None:
        for key in sorted(table, key=len, reverse=True):
            if tuple(self.words[self.i : self.i + len(key)]) == key:
                return self._take(len(key)), table[key]
        return None

    def _one_day(self, words: str) -> None:
        earlier = self.day or self.shift
        if earlier:
            raise self.fail(self.text, f'it names two days ("{earlier.words}" and "{words}")')

    def _set_day(self, day: _Day) -> None:
        self._one_day(day.words)
        self.day = day

    def _set_period(self, words: str, at: time, meridiem: str | None) -> None:
        period = _Period(words, at, meridiem)
        if self.period or (self.clock and meridiem is None):
            earlier = self.period or self.clock
            assert earlier is not None
            raise self.fail(self.text, f'it names two times ("{earlier.words}" and "{words}")')
        self.period = period

    def _set_clock(self, clock: _Clock) -> None:
        earlier = self.clock or (self.period if self.period and not self.period.meridiem else None)
        if earlier:
            raise self.fail(
                self.text, f'it names two times ("{earlier.words}" and "{clock.words}")'
            )
        self.clock = clock

    def _date(self, words: str, year: int, month: int, dom: int) -> date:
        try:
            return date(year, month, dom)
        except ValueError:
            raise self.fail(words, "there is no such date") from None

    # -- rules: each consumes words at the current position and returns True -------

    def _filler(self) -> bool:
        if self._peek() in _FILLERS:
            self.i += 1
            return True
        return False

    def _relative(self) -> bool:
        if self._peek() != "in":
            return False
        if self._peek(1) == "the" and self._peek(2) in _DAYPARTS:
            at, meridiem = _PERIODS[(self._peek(2),)]
            self._set_period(self._take(3), at, meridiem)
            return True
        start = self.i
        self.i += 1
        amounts: dict[str, int] = {}
        last_unit = ""
        while True:
            pairs = self._amount(last_unit)
            if not pairs and amounts and self._peek() == "and":
                self.i += 1
                pairs = self._amount(last_unit)
                if not pairs:
                    self.i -= 1
            if not pairs:
                break
            for unit, count in pairs:
                amounts[unit] = amounts.get(unit, 0) + count
                last_unit = unit
        if not amounts:
            self.i = start
            return False
        shift = _Shift(
            " ".join(self.words[start : self.i]),
            relativedelta(
                years=amounts.get("years", 0),
                months=amounts.get("months", 0),
                weeks=amounts.get("weeks", 0),
                days=amounts.get("days", 0),
            ),
            timedelta(hours=amounts.get("hours", 0), minutes=amounts.get("minutes", 0)),
        )
        self._one_day(shift.words)
        self.shift = shift
        return True

    def _amount(self, last_unit: str) -> list[tuple[str, int]]:
        word, after = self._peek(), self._peek(1)
        if word in ("a", "an", "one") and after in _UNITS:
            self.i += 2
            return [(_UNITS[after], 1)]
        if word == "half" and after in ("an", "a") and self._peek(2) == "hour":
            self.i += 3
            return [("minutes", 30)]
        if word == "half" and after == "hour":
            self.i += 2
            return [("minutes", 30)]
        if last_unit == "hours" and word == "a" and after == "half":
            self.i += 2
            return [("minutes", 30)]
        if match := _HOURS_AND_MINUTES.fullmatch(word):
            self.i += 1
            return [("hours", int(match[1])), ("minutes", int(match[2]))]
        if not (match := _AMOUNT.fullmatch(word)):
            return []
        count, suffix = int(match[1]), match[2]
        if suffix in _UNITS and suffix:
            self.i += 1
            return [(_UNITS[suffix], count)]
        if not suffix and after in _UNITS:
            self.i += 2
            return [(_UNITS[after], count)]
        if not suffix and last_unit == "hours":
            # "in 1 hour 30" and "in 1h 30": a bare number after hours is minutes.
            self.i += 1
            return [("minutes", count)]
        return []

    def _day_word(self) -> bool:
        if self._peek() == "tonight":
            self._set_day(_Day(self._take(1), on=self.today))
            self._set_period("tonight", *_PERIODS[("evening",)])
            return True
        found = self._phrase(_DAY_WORDS)
        if found is None:
            return False
        words, offset = found
        self._set_day(_Day(words, on=self.today + timedelta(days=offset)))
        return True

    def _weekday(self) -> bool:
        prefix = self._peek() if self._peek() in ("next", "this", "coming") else ""
        name = self._peek(1 if prefix else 0)
        if prefix == "next" and name == "week":
            days = 7 - self.today.weekday()
            self._set_day(_Day(self._take(2), on=self.today + timedelta(days=days)))
            return True
        if prefix == "this" and name in _DAYPARTS:
            words = self._take(2)
            self._set_day(_Day(words, on=self.today))
            self._set_period(words, *_PERIODS[(name,)])
            return True
        if name not in _WEEKDAYS:
            return False
        ahead = (_WEEKDAYS[name] - self.today.weekday()) % 7
        if ahead == 0 and prefix != "this":
            # "tue" on a Tuesday means next week: a callback for today is typed as a time.
            ahead = 7
        words = self._take(2 if prefix else 1)
        self._set_day(_Day(words, on=self.today + timedelta(days=ahead)))
        return True

    def _named_date(self) -> bool:
        """ "dec 1", "december 1st 2026", "1 dec", "1st of december"."""
        word = self._peek()
        if word in _MONTHS:
            day_match = _DAY_OF_MONTH.fullmatch(self._peek(1))
            if not day_match:
                return False
            month, dom, length = _MONTHS[word], int(day_match[1]), 2
        elif day_match := _DAY_OF_MONTH.fullmatch(word):
            skip = 2 if self._peek(1) == "of" else 1
            if self._peek(skip) not in _MONTHS:
                return False
            month, dom, length = _MONTHS[self._peek(skip)], int(day_match[1]), skip + 1
        else:
            return False
        year = self._peek(length)
        if _YEAR.fullmatch(year):
            words = self._take(length + 1)
            self._set_day(_Day(words, on=self._date(words, int(year), month, dom)))
        else:
            words = self._take(length)
            self._date(words, 2000, month, dom)  # a leap year: only checks the day exists
            self._set_day(_Day(words, month=month, dom=dom))
        return True

    def _numeric_date(self) -> bool:
        """ "2026-12-01", "2026/12/01", "12/01" and "12/01/2026" (US order: month first)."""
        word = self._peek()
        if match := _ISO_DATE.fullmatch(word):
            year, month, dom = int(match[1]), int(match[2]), int(match[3])
            self._set_day(_Day(self._take(1), on=self._date(word, year, month, dom)))
            return True
        if not (match := _US_DATE.fullmatch(word)):
            return False
        month, dom = int(match[1]), int(match[2])
        words = self._take(1)
        if match[3] is None:
            self._date(words, 2000, month, dom)
            self._set_day(_Day(words, month=month, dom=dom))
        else:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
            self._set_day(_Day(words, on=self._date(words, year, month, dom)))
        return True

    def _period_word(self) -> bool:
        found = self._phrase(_PERIODS)
        if found is None:
            return False
        words, (at, meridiem) = found
        self._set_period(words, at, meridiem)
        return True

    def _clock_word(self) -> bool:
        word = self._peek()
        match = _CLOCK.fullmatch(word)
        if not match or (match["offset"] and match["minute"] is None):
            return False
        self.i += 1
        hour = int(match["hour"])
        minute = int(match["minute"] or 0)
        meridiem = {"a": "am", "p": "pm"}.get(match["meridiem"], match["meridiem"])
        hours_ok = 1 <= hour <= 12 if meridiem else hour <= 23
        if not hours_ok or minute > 59:
            raise self.fail(word, "there is no such time of day")
        offset = None
        if match["offset"]:
            offset = self._offset(word, match["offset"])
        bare = match["minute"] is None and meridiem is None
        self._set_clock(_Clock(word, hour, minute, meridiem, bare, offset))
        return True

    def _offset(self, word: str, typed: str) -> timedelta:
        if typed == "z":
            return timedelta(0)
        digits = typed[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            raise self.fail(word, "there is no such UTC offset")
        size = timedelta(hours=hours, minutes=minutes)
        return -size if typed[0] == "-" else size


def _localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in ``zone``: gap times move forward, repeated times take the first."""
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def _place(day: date, at: tuple[time, timedelta | None], zone: ZoneInfo) -> datetime:
    clock, offset = at
    if offset is not None:
        return datetime.combine(day, clock, timezone(offset)).astimezone(zone)
    return _localize(datetime.combine(day, clock), zone)


def _utc(moment: datetime) -> datetime:
    # Aware datetimes sharing a tzinfo compare by wall clock, ignoring fold; UTC does not.
    return moment.astimezone(UTC)


def _too_far(typed: str) -> UnreadableTime:
    return UnreadableTime(f'Could not use "{typed}": that is more than 2 years ahead.')


def _resolve(reader: _Reader, now: datetime, zone: ZoneInfo) -> datetime:
    local_now = now.astimezone(zone)
    at = reader.time_of_day()
    if reader.shift:
        shift = reader.shift
        try:
            moment = local_now
            if shift.calendar:
                wall = local_now.replace(tzinfo=None, second=0, microsecond=0) + shift.calendar
                moment = _localize(wall, zone)
            moment = (moment.astimezone(UTC) + shift.elapsed).astimezone(zone)
        except (OverflowError, ValueError):
            raise _too_far(reader.text) from None
        if at is not None:
            moment = _place(moment.date(), at, zone)
        return moment.replace(second=0, microsecond=0)
    day = reader.day
    if day is None:
        assert at is not None
        moment = _place(local_now.date(), at, zone)
        if _utc(moment) <= _utc(now):
            moment = _place(local_now.date() + timedelta(days=1), at, zone)
        return moment
    at = at or (DEFAULT_TIME, None)
    if day.on is not None:
        return _place(day.on, at, zone)
    # A date without a year is its next occurrence from today on (today itself is not
    # pushed a year out, so "11/25 9am" typed late on Nov 25 reads as "in the past").
    # Feb 29 may be up to four years out.
    for year in range(local_now.year, local_now.year + 5):
        try:
            on = date(year, day.month, day.dom)
        except ValueError:
            continue
        if on >= local_now.date():
            return _place(on, at, zone)
    raise _too_far(reader.text)


def parse_when(text: str, now: datetime, zone: str) -> datetime:
    """Read a callback time typed as free text, relative to ``now``.

    ``zone`` is an IANA name (the prospect's zone by default): the text is read as a wall
    clock there, and the result is an aware datetime in that zone with seconds zero.
    ``now`` is any aware datetime. Raises ``UnreadableTime`` for text it cannot read
    (naming the words it did not understand), for times not after ``now``, and for times
    more than 2 years ahead; ``zoneinfo.ZoneInfoNotFoundError`` for an unknown zone.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    tz = ZoneInfo(zone)
    typed = " ".join(text.split())
    reader = _Reader(typed, now.astimezone(tz).date())
    reader.read()
    try:
        moment = _resolve(reader, now, tz)
        limit = now + HORIZON
    except OverflowError:
        raise _too_far(typed) from None
    if _utc(moment) <= _utc(now):
        raise UnreadableTime(
            f'Could not use "{typed}": {moment_text(moment, zone, now=now)} is in the past.'
        )
    if _utc(moment) > _utc(limit):
        raise UnreadableTime(
            f'Could not use "{typed}": {moment_text(moment, zone, now=now)} is more than 2 years ahead.'
        )
    return moment
