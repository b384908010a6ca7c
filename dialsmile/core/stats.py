"""Momentum statistics from the rep's own attempts: pure, no SQL, no screen.

Definitions (also in the session help and ``dialsmile stats --help``):

- a *dial* is any attempt except a skip; a *connect* is a dial where a person
  picked up (yes, no, hang-up, callback, do-not-call);
- days are the rep's local days; an attempt belongs to the day and hour it
  started (its dial, or the lead appearing when the rep did not press space);
- *active time* is the time each lead was on screen, at most
  ``MAX_LEAD_SECONDS`` per lead, minus breaks; dials per hour use it;
- *time to dial* is from the lead appearing to the dial (space) or, without
  space, to the outcome key;
- the *streak* counts dials in a row; a skip ends it.

Undone attempts are deleted rows, so they are simply absent here.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from dialsmile.core.models import Outcome
from dialsmile.text import WEEKDAYS

SKIP = Outcome.SKIP.value
CONNECTS = frozenset(o.value for o in Outcome if o.is_connect)
CALL_OUTCOMES = tuple(o.value for o in Outcome if o.is_call)

PRIOR_DIALS_PER_YES = 50
"""The weak prior of the yes estimate: one yes per 50 dials, weighted as 50 dials."""
MAX_LEAD_SECONDS = 20 * 60
"""A lead left on screen longer than this counts as this much active time."""
MIN_ACTIVE_FOR_RATE_S = 5 * 60
"""Dials per hour is shown only after this much active time (shorter is noise)."""
BEST_HOURS_MIN_DIALS = 100
"""Best hours are shown once there are this many dials in the period."""
BEST_HOURS_MIN_CELL = 10
"""An hour-and-weekday cell is ranked only with at least this many dials."""
CALLER_LIMIT = 100
"""Vendors advise roughly <= 100 calls a day per caller number (Spam Likely labels)."""
CALLER_WARN = 80
"""Dials per caller number today from which the bar warns."""
MOST_REPS_STOP_AT = 4
"""Attempts after which most reps give up on a lead (practitioner lore, weak)."""
STREAK_MILESTONES = (10, 25, 50, 100, 200)
SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Attempt:
    """One stored attempt as the statistics see it (times are aware datetimes)."""

    outcome: str
    started_at: datetime  # the dial, else the lead appearing
    ended_at: datetime
    shown_at: datetime | None = None
    dialed: bool = True  # the rep pressed the dial key (space)
    session_id: int | None = None
    chunk: int | None = None
    caller: str | None = None

    @property
    def is_dial(self) -> bool:
        """Every attempt but a skip is a dial."""
        return self.outcome != SKIP

    @property
    def is_connect(self) -> bool:
        """A person picked up."""
        return self.outcome in CONNECTS

    @property
    def to_dial_s(self) -> float | None:
        """Seconds from the lead appearing to the dial (or the outcome key)."""
        if self.shown_at is None or not self.is_dial:
            return None
        dial = self.started_at if self.dialed else self.ended_at
        return max((dial - self.shown_at).total_seconds(), 0.0)

    @property
    def active_s(self) -> float:
        """Seconds the lead was worked, capped at ``MAX_LEAD_SECONDS``."""
        begin = self.shown_at or self.started_at
        return min(max((self.ended_at - begin).total_seconds(), 0.0), MAX_LEAD_SECONDS)

    @property
    def talk_s(self) -> float:
        """Seconds from dial to outcome (0 without a dial)."""
        if not self.dialed:
            return 0.0
        return max((self.ended_at - self.started_at).total_seconds(), 0.0)


def local_day(moment: datetime, zone: str) -> date:
    """The rep's local calendar day of ``moment``."""
    return moment.astimezone(ZoneInfo(zone)).date()


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The first instant of ``day`` and of the next day in ``zone`` (DST-safe)."""
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    nxt = day + timedelta(days=1)
    return start, datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)


def rate(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass
class Stats:
    """Running numbers of a sequence of attempts; ``add`` keeps them current in O(1).

    Build one with ``Stats.of(attempts, zone)`` or add attempts one by one in
    the order they happened.
    """

    zone: str = "UTC"
    outcomes: Counter[str] = field(default_factory=Counter)
    streak: int = 0
    best_streak: int = 0
    active_s: float = 0.0
    talk_s: float = 0.0
    paused_s: float = 0.0
    to_dial: list[float] = field(default_factory=list)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    callers: Counter[str] = field(default_factory=Counter)
    first_at: datetime | None = None
    last_at: datetime | None = None
    last_dial_at: datetime | None = None
    dials_since_yes: int = 0

    @classmethod
    def of(cls, attempts: Iterable[Attempt], zone: str = "UTC", paused_s: float = 0.0) -> Stats:
        """The numbers of ``attempts`` (oldest first)."""
        stats = cls(zone=zone, paused_s=paused_s)
        for attempt in attempts:
            stats.add(attempt)
        return stats

    def add(self, attempt: Attempt) -> None:
        """Count one more attempt (the newest)."""
        self.outcomes[attempt.outcome] += 1
        self.first_at = self.first_at or attempt.started_at
        self.last_at = attempt.ended_at
        self.active_s += attempt.active_s
        if not attempt.is_dial:
            self.streak = 0
            return
        self.streak += 1
        self.best_streak = max(self.best_streak, self.streak)
        self.talk_s += attempt.talk_s
        self.last_dial_at = attempt.ended_at
        self.by_hour[attempt.started_at.astimezone(ZoneInfo(self.zone)).hour] += 1
        if attempt.caller:
            self.callers[attempt.caller] += 1
        waited = attempt.to_dial_s
        if waited is not None:
            self.to_dial.append(waited)
        self.dials_since_yes = (
            0 if attempt.outcome == Outcome.YES.value else self.dials_since_yes + 1
        )

    def count(self, outcome: Outcome | str) -> int:
        """How many attempts had ``outcome``."""
        return self.outcomes[str(outcome)]

    @property
    def dials(self) -> int:
        return sum(n for o, n in self.outcomes.items() if o != SKIP)

    @property
    def connects(self) -> int:
        return sum(n for o, n in self.outcomes.items() if o in CONNECTS)

    @property
    def skips(self) -> int:
        return self.outcomes[SKIP]

    @property
    def yes(self) -> int:
        return self.outcomes[Outcome.YES.value]

    @property
    def no(self) -> int:
        return self.outcomes[Outcome.NO.value]

    @property
    def hang_ups(self) -> int:
        return self.outcomes[Outcome.HANG_UP.value]

    @property
    def connect_rate(self) -> float | None:
        """Connects per dial (None without dials)."""
        return rate(self.connects, self.dials)

    @property
    def yes_rate(self) -> float | None:
        """Yeses per dial (None without dials)."""
        return rate(self.yes, self.dials)

    @property
    def dialing_s(self) -> float:
        """Active time minus breaks (never less than the time on calls)."""
        return max(self.active_s - self.paused_s, self.talk_s, 0.0)

    @property
    def dials_per_hour(self) -> float | None:
        """Dials per hour of active time; None before ``MIN_ACTIVE_FOR_RATE_S``."""
        if self.dialing_s < MIN_ACTIVE_FOR_RATE_S:
            return None
        return self.dials / (self.dialing_s / 3600)

    @property
    def median_to_dial_s(self) -> float | None:
        """Median seconds from lead shown to dial (None without dials)."""
        return statistics.median(self.to_dial) if self.to_dial else None

    def since_last_dial(self, now: datetime) -> timedelta | None:
        """Time since the last dial ended (None before the first dial)."""
        if self.last_dial_at is None:
            return None
        return max(now - self.last_dial_at, timedelta(0))

    def as_json(self) -> dict[str, Any]:
        """The numbers as one JSON-ready object."""
        return {
            "dials": self.dials,
            "connects": self.connects,
            "outcomes": {o: self.outcomes[o] for o in CALL_OUTCOMES},
            "skips": self.skips,
            "connect_rate": _round(self.connect_rate, 4),
            "yes_rate": _round(self.yes_rate, 4),
            "dials_per_hour": _round(self.dials_per_hour, 1),
            "median_time_to_dial_s": _round(self.median_to_dial_s, 1),
            "best_streak": self.best_streak,
            "dialing_s": round(self.dialing_s),
            "paused_s": round(self.paused_s),
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def dials_to_next_yes(dials: int, yeses: int, prior: int = PRIOR_DIALS_PER_YES) -> int:
    """About how many dials one yes takes at the rep's own rate, with a weak prior.

    The estimate is ``(dials + prior) / (yeses + 1)``: on day one it is the
    prior (one yes per 50 dials); every dial of the rep's own moves it toward
    the rep's real rate. Each dial is its own chance: a yes is never "due".
    """
    return max(1, round((max(dials, 0) + prior) / (max(yeses, 0) + 1)))


@dataclass(frozen=True)
class YesPace:
    """The yes estimate as the rep sees it, so that a no never reads as a step back.

    ``per_yes`` (about how many dials a yes takes) is estimated from the dials
    and yeses up to the rep's last yes, or up to the start of the day when
    that yes was earlier, and then stays put: each no counts ``to_go`` down
    instead of pushing the estimate up. A yes (or a new day) estimates again.
    It is an average, not a promise: past it, each dial is still its own chance.
    """

    per_yes: int
    banked: int  # dials since the last yes
    dials: int  # the dials and yeses the estimate was made from
    yeses: int

    @property
    def to_go(self) -> int:
        """Dials left to the estimate (0 once past it)."""
        return max(self.per_yes - self.banked, 0)


def yes_pace(dials: int, yeses: int, since_yes: int, dials_before_day: int) -> YesPace:
    """The pace for a rep with ``dials`` and ``yeses`` in all, ``since_yes`` dials
    since the last yes and ``dials_before_day`` dials before today (or before
    the session's day): estimated at the later of the last yes and the day's start."""
    base = min(max(dials - since_yes, dials_before_day, 0), max(dials, 0))
    return YesPace(dials_to_next_yes(base, yeses), max(since_yes, 0), base, max(yeses, 0))


def sparkline(values: Sequence[int]) -> str:
    """One block per value, scaled to the largest; ``·`` for zero."""
    top = max(values, default=0)
    if top <= 0:
        return "·" * len(values)
    return "".join(
        "·" if v <= 0 else SPARK[min(len(SPARK) - 1, math.ceil(v / top * len(SPARK)) - 1)]
        for v in values
    )


def hour_window(by_hour: Sequence[int], now_hour: int, width: int = 12) -> tuple[int, list[int]]:
    """The hours to chart: from the first hour with dials up to now, at most ``width``."""
    first = next((h for h, n in enumerate(by_hour) if n), now_hour)
    start = max(min(first, now_hour), now_hour - width + 1, 0)
    return start, list(by_hour[start : now_hour + 1])


@dataclass(frozen=True)
class HourCell:
    """Connect rate in one hour of one weekday (the rep's local time)."""

    weekday: int
    hour: int
    dials: int
    connects: int

    @property
    def connect_rate(self) -> float:
        return self.connects / self.dials if self.dials else 0.0

    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}-{(self.hour + 1) % 24:02d}"


@dataclass(frozen=True)
class BestHours:
    """The rep's own connect rate by hour and weekday, once there is enough data."""

    dials: int
    cells: list[HourCell]
    top: list[HourCell]

    @property
    def enough(self) -> bool:
        return self.dials >= BEST_HOURS_MIN_DIALS and bool(self.top)

    def describe(self, limit: int = 3) -> str:
        """One line: the best cells, or how much more data is needed."""
        if self.dials < BEST_HOURS_MIN_DIALS:
            return (
                f"Best hours: not enough data yet ({self.dials} of "
                f"{BEST_HOURS_MIN_DIALS} dials needed)."
            )
        if not self.top:
            return (
                f"Best hours: no hour has {BEST_HOURS_MIN_CELL} dials yet on one weekday; "
                "keep dialing at different times."
            )
        best = " · ".join(f"{c.label} {c.connect_rate:.0%} of {c.dials}" for c in self.top[:limit])
        return f"Best hours (connects per dial, your time): {best}"

    def as_json(self) -> dict[str, Any]:
        return {
            "dials": self.dials,
            "enough": self.enough,
            "min_dials": BEST_HOURS_MIN_DIALS,
            "min_cell_dials": BEST_HOURS_MIN_CELL,
            "cells": [
                {
                    "weekday": WEEKDAYS[c.weekday],
                    "hour": c.hour,
                    "dials": c.dials,
                    "connects": c.connects,
                    "connect_rate": round(c.connect_rate, 4),
                }
                for c in self.cells
            ],
        }


def best_hours(attempts: Iterable[Attempt], zone: str) -> BestHours:
    """Connect rate by local hour x weekday; cells with few dials are never ranked."""
    return best_hours_of_counts(
        ((a.started_at, 1, int(a.is_connect)) for a in attempts if a.is_dial), zone
    )


def best_hours_of_counts(counts: Iterable[tuple[datetime, int, int]], zone: str) -> BestHours:
    """The same from (moment, dials, connects) counts, e.g. dials per UTC hour from SQL."""
    tz = ZoneInfo(zone)
    dials: Counter[tuple[int, int]] = Counter()
    connects: Counter[tuple[int, int]] = Counter()
    for moment, n_dials, n_connects in counts:
        local = moment.astimezone(tz)
        key = (local.weekday(), local.hour)
        dials[key] += n_dials
        connects[key] += n_connects
    cells = [HourCell(w, h, dials[(w, h)], connects[(w, h)]) for w, h in sorted(dials)]
    ranked = sorted(
        (c for c in cells if c.dials >= BEST_HOURS_MIN_CELL),
        key=lambda c: (-c.connect_rate, -c.dials, c.weekday, c.hour),
    )
    return BestHours(sum(dials.values()), cells, ranked)


@dataclass(frozen=True)
class CallerLoad:
    """Dials today from one of the rep's caller numbers."""

    number: str
    dials: int

    @property
    def level(self) -> str:
        """``ok``, ``near`` (from ``CALLER_WARN``) or ``over`` (from ``CALLER_LIMIT``)."""
        if self.dials >= CALLER_LIMIT:
            return "over"
        return "near" if self.dials >= CALLER_WARN else "ok"


def caller_loads(counts: Mapping[str, int], configured: Sequence[str]) -> list[CallerLoad]:
    """Dials today per configured caller number, in the configured order."""
    return [CallerLoad(number, counts.get(number, 0)) for number in configured]


def pick_caller(counts: Mapping[str, int], configured: Sequence[str]) -> str | None:
    """The configured number with the fewest dials today (first one on a tie)."""
    if not configured:
        return None
    return min(configured, key=lambda n: (counts.get(n, 0), configured.index(n)))


def suggested_break_minutes(dialing_s: float) -> int:
    """About 1 minute of break per 5 minutes of dialing (the Pomodoro 25/5), 3 to 15."""
    return min(15, max(3, round(dialing_s / 60 / 5)))


def by_day(attempts: Iterable[Attempt], zone: str) -> dict[date, list[Attempt]]:
    """Attempts grouped by the rep's local day of their dial, days in order."""
    days: dict[date, list[Attempt]] = {}
    for attempt in attempts:
        days.setdefault(local_day(attempt.started_at, zone), []).append(attempt)
    return dict(sorted(days.items()))


def by_chunk(attempts: Iterable[Attempt]) -> dict[int, list[Attempt]]:
    """A session's attempts grouped by chunk number."""
    chunks: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        chunks.setdefault(attempt.chunk or 1, []).append(attempt)
    return chunks


@dataclass
class History:
    """What the database knew before this session: read once when it starts."""

    dials: int = 0
    yeses: int = 0
    dials_since_yes: int = 0
    today: list[Attempt] = field(default_factory=list)
    paused_today_s: float = 0.0


class Momentum:
    """Today's numbers plus this session's, kept current one outcome at a time.

    ``history`` holds today's attempts of other sessions and the rep's recent
    totals; ``session`` the attempts of this session so far. Adding an outcome
    costs O(1); undo and a new day rebuild from these two small lists.
    """

    def __init__(
        self,
        zone: str,
        now: datetime,
        history: History,
        session: Sequence[Attempt] = (),
        *,
        goal: int = 50,
        callers: Sequence[str] = (),
    ) -> None:
        self.zone = zone
        self.history = history
        self.goal = max(goal, 0)
        self.configured_callers = list(callers)
        self.session_attempts: list[Attempt] = list(session)
        self.day = local_day(now, zone)
        self._rebuild()
        # The yes estimate is made at the start of this day at the latest and kept
        # through the session (past midnight too), so only a yes makes it again.
        self._dials_before_day = max(self.dials - self.today.dials, 0)

    def _rebuild(self) -> None:
        self.session = Stats.of(self.session_attempts, self.zone)
        self.today = Stats(zone=self.zone, paused_s=self.history.paused_today_s)
        self.since_yes = self.history.dials_since_yes
        for attempt in sorted(
            [a for a in self.history.today if local_day(a.started_at, self.zone) == self.day]
            + [a for a in self.session_attempts if local_day(a.started_at, self.zone) == self.day],
            key=lambda a: a.started_at,
        ):
            self.today.add(attempt)
        for attempt in self.session_attempts:
            self._count_since_yes(attempt)

    def _count_since_yes(self, attempt: Attempt) -> None:
        if attempt.outcome == Outcome.YES.value:
            self.since_yes = 0
        elif attempt.is_dial:
            self.since_yes += 1

    def add(self, attempt: Attempt) -> None:
        """Count the outcome just recorded."""
        self.session_attempts.append(attempt)
        self.session.add(attempt)
        if local_day(attempt.started_at, self.zone) == self.day:
            self.today.add(attempt)
        self._count_since_yes(attempt)

    def undo(self) -> None:
        """Forget the session's last outcome (it was deleted from the database)."""
        if self.session_attempts:
            self.session_attempts.pop()
            self._rebuild()

    def roll_over(self, now: datetime) -> bool:
        """Start a new day after local midnight; True when the day changed."""
        day = local_day(now, self.zone)
        if day == self.day:
            return False
        self.day = day
        self.history.today = []
        self.history.paused_today_s = 0.0
        self._rebuild()
        return True

    def add_pause(self, seconds: float) -> None:
        """Count a break toward today's and the session's paused time."""
        self.today.paused_s += seconds
        self.session.paused_s += seconds

    @property
    def dials(self) -> int:
        """All dials the yes estimate has seen: recent history plus this session."""
        return self.history.dials + self.session.dials

    @property
    def yeses(self) -> int:
        return self.history.yeses + self.session.yes

    @property
    def pace(self) -> YesPace:
        """The yes estimate and the dials banked toward it (see ``YesPace``)."""
        return yes_pace(self.dials, self.yeses, self.since_yes, self._dials_before_day)

    @property
    def goal_reached_now(self) -> bool:
        """True right after the dial that reached today's goal."""
        return self.goal > 0 and self.today.dials == self.goal

    def callers(self) -> list[CallerLoad]:
        """Dials today per configured caller number."""
        return caller_loads(self.today.callers, self.configured_callers)

    def caller(self) -> str | None:
        """The caller number to dial from next: the least used today."""
        return pick_caller(self.today.callers, self.configured_callers)

    def chunk(self, number: int) -> Stats:
        """The numbers of one chunk of this session."""
        return Stats.of((a for a in self.session_attempts if (a.chunk or 1) == number), self.zone)


class SessionTimes(Protocol):
    """What the period's numbers need of a session: which, when, and its breaks."""

    @property
    def id(self) -> int: ...

    @property
    def started_at(self) -> datetime: ...

    @property
    def paused_s(self) -> float: ...


S = TypeVar("S", bound=SessionTimes)


@dataclass(frozen=True)
class Period(Generic[S]):
    """A rep's numbers over whole local days, ``first`` to ``last``: per day (every
    day, called or not), per session with calls, all together, and the best hours."""

    first: date
    last: date
    per_day: list[tuple[date, Stats]]
    per_session: list[tuple[S, Stats]]
    total: Stats
    hours: BestHours

    def callers_today(self, configured: Sequence[str]) -> list[CallerLoad]:
        """The rep's caller numbers by dials on the period's last day."""
        return caller_loads(self.per_day[-1][1].callers, configured)


def period_days(now: datetime, days: int, zone: str) -> tuple[date, date, datetime, datetime]:
    """The last ``days`` local days, today included: (first, today, start, end)."""
    today = local_day(now, zone)
    first = today - timedelta(days=days - 1)
    return first, today, day_bounds(first, zone)[0], day_bounds(today, zone)[1]


def period(
    attempts: Sequence[Attempt], sessions: Sequence[S], first: date, last: date, zone: str
) -> Period[S]:
    """The numbers of ``attempts`` from ``first`` to ``last``; a break counts on the
    day its session started."""
    grouped = by_day(attempts, zone)
    paused_by_day: dict[date, float] = {}
    for info in sessions:
        key = local_day(info.started_at, zone)
        paused_by_day[key] = paused_by_day.get(key, 0.0) + info.paused_s
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    per_day = [(d, Stats.of(grouped.get(d, []), zone, paused_by_day.get(d, 0.0))) for d in days]
    per_session = []
    for info in sessions:
        own = [a for a in attempts if a.session_id == info.id]
        if own:
            per_session.append((info, Stats.of(own, zone, info.paused_s)))
    total = Stats.of(attempts, zone, sum(i.paused_s for i in sessions))
    return Period(first, last, per_day, per_session, total, best_hours(attempts, zone))
