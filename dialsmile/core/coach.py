"""The coach's words: messages after each key, the break table and the session summary.

Messages come from ``assets/coach/messages.toml``; a trainer overrides any
list with ``messages.toml`` in the user config folder. Everything here is
plain text, shared by the screens and the terminal.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dialsmile.core.models import Outcome
from dialsmile.core.stats import (
    STREAK_MILESTONES,
    BestHours,
    Momentum,
    Stats,
    best_hours_of_counts,
    day_bounds,
    local_day,
    suggested_break_minutes,
)
from dialsmile.errors import BadInput
from dialsmile.text import duration_text, plural

if TYPE_CHECKING:
    from dialsmile.core.stores import StatsReader

MAX_MESSAGE = 80


def shipped_messages_path() -> Path:
    """The messages file shipped with dialsmile (``assets/coach/`` in the repository)."""
    from dialsmile.config import asset

    return asset("coach", "messages.toml")


def user_messages_path() -> Path:
    """Where a trainer's own messages file goes."""
    from dialsmile.config import config_dir

    return config_dir() / "messages.toml"


def _read(path: Path) -> dict[str, list[str]]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"Cannot read coach messages {path}: {exc}.") from None
    out: dict[str, list[str]] = {}
    for key, value in raw.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadInput(f"In {path}, {key} must be a list of text lines.")
        lines = [" ".join(v.split())[:MAX_MESSAGE] for v in value if v.strip()]
        if lines:
            out[str(key)] = lines
    return out


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class Coach:
    """Short, varied lines for what just happened; never mocking."""

    lines: dict[str, list[str]] = field(default_factory=dict)
    problem: str = ""

    @classmethod
    def load(cls, user_file: Path | None = None) -> Coach:
        """The shipped lines, with a trainer's file (if any) replacing whole lists.

        A broken user file is not fatal: the shipped lines are used and
        ``problem`` says what was wrong.
        """
        coach = cls(_read(shipped_messages_path()))
        path = user_file if user_file is not None else user_messages_path()
        if path.is_file():
            try:
                coach.lines.update(_read(path))
            except BadInput as exc:
                coach.problem = str(exc)
        return coach

    def say(self, event: str, turn: int, values: Mapping[str, Any]) -> str:
        """The ``turn``-th line for ``event`` (lines take turns), filled with ``values``."""
        options = self.lines.get(event)
        if not options:
            return ""
        line = options[turn % len(options)]
        try:
            return line.format_map(_Blank(values))
        except (ValueError, IndexError):
            return line

    def after(self, outcome: Outcome, momentum: Momentum) -> str:
        """What to say right after ``outcome`` was recorded."""
        today = momentum.today
        values = momentum_values(momentum)
        if outcome is not Outcome.SKIP:
            if momentum.goal_reached_now:
                return self.say("goal", today.dials, values)
            if today.dials == 1:
                return self.say("first", 0, values)
            if today.streak in STREAK_MILESTONES:
                return self.say("streak", today.streak, values)
        return self.say(outcome.value, today.count(outcome), values)

    def idle(self, turn: int, momentum: Momentum) -> str:
        """A gentle nudge when the last dial was a while ago."""
        return self.say("idle", turn, momentum_values(momentum))


def momentum_values(momentum: Momentum) -> dict[str, Any]:
    """The placeholders a message may use."""
    today = momentum.today
    return {
        "dials": today.dials,
        "nos": today.no,
        "yes": today.yes,
        "connects": today.connects,
        "streak": today.streak,
        "goal": momentum.goal,
        "left": max(momentum.goal - today.dials, 0),
        "next_yes": momentum.pace.per_yes,
        "to_go": momentum.pace.to_go,
    }


def _outcomes(stats: Stats) -> str:
    return f"{stats.yes}/{stats.no}/{stats.hang_ups}"


def break_text(momentum: Momentum, chunk: int, chunks: int) -> tuple[list[str], int]:
    """The break screen between chunks: lines, and the suggested break in minutes."""
    this = momentum.chunk(chunk)
    last = momentum.chunk(chunk - 1) if chunk > 1 else None
    today = momentum.today
    took = ""
    if this.first_at and this.last_at:
        took = f" in {duration_text((this.last_at - this.first_at).total_seconds())}"
    rows: list[tuple[str, str, str, str]] = [
        ("dials", str(this.dials), str(last.dials) if last else "-", str(today.dials)),
        ("connects", str(this.connects), str(last.connects) if last else "-", str(today.connects)),
        ("yes / no / hang-up", _outcomes(this), _outcomes(last) if last else "-", _outcomes(today)),
        (
            "best streak",
            str(this.best_streak),
            str(last.best_streak) if last else "-",
            str(today.best_streak),
        ),
        ("skips", str(this.skips), str(last.skips) if last else "-", str(today.skips)),
    ]
    lines = [f"Chunk {chunk} of {chunks} done: {this.dials} dials{took}", ""]
    lines.append(f"{'numbers':<20}{'this chunk':>12}{'last chunk':>12}{'today':>9}")
    lines += [f"{a:<20}{b:>12}{c:>12}{d:>9}" for a, b, c, d in rows]
    lines.append("")
    lines.append(f'"No" is how you get to yes: {plural(today.no, "no")} banked today.')
    minutes = suggested_break_minutes(this.dialing_s)
    return lines, minutes


@dataclass(frozen=True)
class Callback:
    """A booked callback for the summary."""

    name: str
    at: datetime


@dataclass(frozen=True)
class SessionSummary:
    """Everything the end-of-session summary shows."""

    session_id: int
    started_at: datetime
    ended_at: datetime
    stats: Stats
    nos_today: int
    callbacks: Sequence[Callback] = ()
    best_hours: BestHours | None = None

    def lines(self, zone: str, *, export_hint: bool = True) -> list[str]:
        """The summary as plain lines (the screen and the terminal show the same)."""
        tz = ZoneInfo(zone)
        s = self.stats
        start = self.started_at.astimezone(tz)
        end = self.ended_at.astimezone(tz)
        span = (
            f"{start:%H:%M}-{end:%H:%M}"
            if start.date() == end.date()
            else (f"{start:%a %H:%M}-{end:%a %H:%M}")
        )
        out = [
            f"Session {self.session_id} · {span} · {duration_text(s.dialing_s)} dialing, "
            f"{duration_text(s.paused_s)} paused"
        ]
        if not s.dials and not s.skips:
            out.append("No dials in this session. The next one starts with a single dial.")
        else:
            share = f" ({s.connect_rate:.0%})" if s.connect_rate is not None else ""
            out.append(
                f"{plural(s.dials, 'dial')} · {plural(s.connects, 'connect')}{share} · "
                f"{s.yes} yes · {s.no} no · "
                f"{plural(s.hang_ups, 'hang-up')} · {plural(s.count(Outcome.CALLBACK), 'callback')}"
            )
            detail = f"Best streak {s.best_streak}"
            if s.median_to_dial_s is not None:
                detail += f" · median {s.median_to_dial_s:.0f} s from lead shown to dial"
            detail += f" · {plural(s.skips, 'skip')}"
            out.append(detail)
            out.append(f"Nos banked: {s.no} this session, {self.nos_today} today. Each one counts.")
        if self.callbacks:
            nxt = " · ".join(
                f"{c.name} {c.at.astimezone(tz):%a %d %b %H:%M}" for c in self.callbacks
            )
            out.append(f"Next callbacks: {nxt}")
        if self.best_hours is not None:
            out.append(self.best_hours.describe())
        if export_hint and s.dials:
            out.append(
                f"Everything is saved. Export it with: "
                f"dialsmile export session {self.session_id} -o session.csv"
            )
        return out


BEST_HOURS_DAYS = 90
BEST_HOURS_DIALS = 20_000
"""Best hours look at the rep's own dials of the last 90 days, the latest 20,000 at most."""


def summarize_session(
    store: StatsReader, session_id: int, now: datetime, zone: str
) -> SessionSummary | None:
    """Read one session's summary (None if there is no such session)."""
    info = store.session(session_id)
    if info is None:
        return None
    attempts = store.session_attempts(session_id)
    stats = Stats.of(attempts, zone, paused_s=info.paused_s)
    end = info.ended_at or (attempts[-1].ended_at if attempts else now)
    start, stop = day_bounds(local_day(now, zone), zone)
    nos_today = Stats.of(store.attempts_between(start, stop), zone).no
    callbacks = [Callback(name, at) for name, at in store.next_callbacks(info.list_id, now)]
    recent = store.dials_per_hour(stop - timedelta(days=BEST_HOURS_DAYS), stop, BEST_HOURS_DIALS)
    return SessionSummary(
        session_id=session_id,
        started_at=info.started_at,
        ended_at=max(end, info.started_at),
        stats=stats,
        nos_today=nos_today,
        callbacks=callbacks,
        best_hours=best_hours_of_counts(recent, zone),
    )
