"""The floor board: each rep's day on a list, the team's totals and the list's progress.

One ``Board`` is built from what the floor store reads, and printed as text,
as JSON, or drawn live by the board screen; all three say the same thing.
Reps are sorted by name, never ranked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialsmile.compliance.engine import CallTarget, check
from dialsmile.core.places import state_code_of
from dialsmile.text import column, one_line, plural


@dataclass(frozen=True)
class RepDay:
    """One rep's day on a list so far."""

    rep: str
    dials: int
    connects: int
    yes: int
    last_call_at: datetime | None
    session_open: bool  # a session of theirs started today and not ended
    holding: tuple[int, str] | None  # (lead id, name) of the lead they hold
    chunk_done: bool = False  # their open session's last call ended a chunk: the break screen


@dataclass(frozen=True)
class ListProgress:
    leads: int
    open: int
    worked: int  # leads with at least one call
    callbacks_due: int
    callbacks_later: int


@dataclass(frozen=True)
class DueGroup:
    """Open leads due now that share a calling window (see compliance.window_group):
    one number of theirs, their zones, state and country columns, and how many they are."""

    phone: str
    timezones: tuple[str, ...]
    state: str | None
    leads: int
    country: str = ""


@dataclass(frozen=True)
class RepState:
    """calling, on a break, idle or done; ``since`` their last call (break, idle)."""

    word: str
    since: datetime | None = None


def rep_state(day: RepDay, now: datetime, idle_minutes: int) -> RepState:
    """calling while holding a lead or within ``idle_minutes`` of a call; on a break after
    a chunk's last call (the session's break screen); idle while their session is open;
    done once it ended."""
    if day.holding is not None:
        return RepState("calling")
    if day.session_open and day.chunk_done:
        return RepState("on a break", day.last_call_at)
    last = day.last_call_at
    if last is not None and (now - last).total_seconds() < idle_minutes * 60:
        return RepState("calling")
    if not day.session_open:
        return RepState("done")
    return RepState("idle", last)


def outside_window(groups: Iterable[DueGroup], kind: str, now: datetime) -> int:
    """How many of the due leads wait for their calling window: one check per group."""
    return sum(
        group.leads
        for group in groups
        if not check(
            CallTarget(
                group.phone,
                group.timezones,
                state_code_of(group.state),
                kind,
                country=group.country or None,
            ),
            now,
            (),
        ).allowed
    )


@dataclass(frozen=True)
class Board:
    list_name: str
    at: datetime
    zone: str  # the time zone the board's times are read in
    days: list[RepDay]
    states: list[RepState]
    progress: ListProgress
    waiting_for_window: int

    @classmethod
    def build(
        cls,
        list_name: str,
        at: datetime,
        zone: str,
        days: list[RepDay],
        progress: ListProgress,
        waiting_for_window: int,
        idle_minutes: int,
    ) -> Board:
        states = [rep_state(day, at, idle_minutes) for day in days]
        return cls(list_name, at, zone, days, states, progress, waiting_for_window)

    def local(self, moment: datetime, form: str = "%H:%M") -> str:
        """``moment`` on the board's clock (its zone)."""
        return moment.astimezone(ZoneInfo(self.zone)).strftime(form)

    def state_text(self, state: RepState) -> str:
        """``idle since 10:42`` in the board's zone."""
        return f"{state.word} since {self.local(state.since)}" if state.since else state.word

    def as_json(self) -> dict[str, Any]:
        reps = [
            {
                "rep": day.rep,
                "state": state.word,
                "since": _iso(state.since),
                "dials_today": day.dials,
                "connects_today": day.connects,
                "yes_today": day.yes,
                "current_lead": (
                    {"lead_id": day.holding[0], "name": day.holding[1]} if day.holding else None
                ),
            }
            for day, state in zip(self.days, self.states, strict=True)
        ]
        p = self.progress
        totals = {
            "reps": len(reps),
            "calling": sum(s.word == "calling" for s in self.states),
            "on_break": sum(s.word == "on a break" for s in self.states),
            "dials_today": sum(d.dials for d in self.days),
            "connects_today": sum(d.connects for d in self.days),
            "yes_today": sum(d.yes for d in self.days),
            "leads": p.leads,
            "open": p.open,
            "worked": p.worked,
            "callbacks_due": p.callbacks_due,
            "callbacks_later": p.callbacks_later,
            "waiting_for_window": self.waiting_for_window,
        }
        return {"list": self.list_name, "at": _iso(self.at), "reps": reps, "totals": totals}

    def lines(self) -> list[str]:
        """The board as text: a title, one line per rep, the team, the list."""
        totals = self.as_json()["totals"]
        out = [
            f"{self.list_name} · {self.local(self.at, '%a %d %b %H:%M')}",
            f"{'rep':<16} {'state':<24} {'dials':>6} {'conn':>6} {'yes':>4}  holding",
        ]
        for day, state in zip(self.days, self.states, strict=True):
            holding = f"{day.holding[0]} {one_line(day.holding[1], 24)}" if day.holding else ""
            out.append(
                f"{column(day.rep, 16)} {self.state_text(state):<24} {day.dials:>6} "
                f"{day.connects:>6} {day.yes:>4}  {holding}".rstrip()
            )
        if not self.days:
            out.append("Nobody has called this list today.")
        team = f"{totals['calling']} calling"
        if totals["on_break"]:
            team += f", {totals['on_break']} on a break"
        out.append(
            f"{'team':<16} {team:<24} {totals['dials_today']:>6} "
            f"{totals['connects_today']:>6} {totals['yes_today']:>4}"
        )
        p = self.progress
        out.append(
            f"List: {p.worked:,} of {p.leads:,} leads called, {p.open:,} open; "
            f"{plural(p.callbacks_due, 'callback')} due, {p.callbacks_later:,} later; "
            f"{plural(self.waiting_for_window, 'lead')} waiting for their calling window."
        )
        return out


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
