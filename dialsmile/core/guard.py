"""The guard around the calling-window engine: do-not-call lists, copy age and the status light.

Pure functions: the callers look the number up in storage and pass what they
found. Not legal advice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from dialsmile.compliance.engine import CallTarget, PastCall, Verdict, check
from dialsmile.core.models import DncEntry
from dialsmile.text import short_date

MAX_COPY_AGE_DAYS = 31
"""A national do-not-call copy older than this must be refreshed (16 CFR 310.4(b)(3)(iv))."""
HISTORY_DAYS = 400
"""How far back calls are counted for caps and refusal cool-downs (Washington: one year)."""
CLOSING_SOON = timedelta(minutes=30)
"""Amber when the window closes within this long."""

GREEN, AMBER, RED = "green", "amber", "red"


def counted_calls(
    calls_since: Callable[[datetime], Iterable[tuple[datetime, str]]], at: datetime
) -> list[PastCall]:
    """The calls to one number that count at ``at`` (caps, Washington's year after a no):
    those of the ``HISTORY_DAYS`` before, read as (when, outcome) through ``calls_since``."""
    return [
        PastCall(when, outcome) for when, outcome in calls_since(at - timedelta(days=HISTORY_DAYS))
    ]


def min_gap_from(minutes: int) -> timedelta | None:
    """The user's minimum gap between calls to one number (None when 0)."""
    return timedelta(minutes=minutes) if minutes > 0 else None


def hours_verdict(
    target: CallTarget, at: datetime, history: Sequence[PastCall], gap_minutes: int
) -> Verdict:
    """The calling-time verdict at ``at``: the calling rules, the ``counted_calls``
    and the user's minimum gap (in minutes, 0 for none).

    The session's guard and `dialsmile check` both ask this; do-not-call lists
    are applied on top (``blocking``, ``guarded``).
    """
    return check(target, at, history, min_gap=min_gap_from(gap_minutes))


def applies(entry: DncEntry, kind: str) -> bool:
    """Whether a list entry blocks a call on a list of ``kind``.

    Your internal list covers every call; national and state registries cover
    consumer numbers (business-to-business calls are mostly exempt).
    """
    return entry.source == "internal" or kind == "consumer"


def blocking(entries: Sequence[DncEntry], kind: str) -> DncEntry | None:
    """The first entry that blocks the call, or None."""
    return next((e for e in entries if applies(e, kind)), None)


def dnc_label(entry: DncEntry) -> str:
    """``on national DNC (copy of 20 Nov)`` / ``on internal DNC (added 25 Nov)``."""
    if entry.as_of is not None:
        return f"on {entry.source} DNC (copy of {short_date(entry.as_of)})"
    return f"on {entry.source} DNC (added {short_date(entry.added_at.date())})"


def dnc_sentence(entry: DncEntry) -> str:
    """One reason sentence for ``check``: which list, since when, and why if known."""
    text = f"the number is on the {entry.source} do-not-call list"
    if entry.as_of is not None:
        text += f" (copy of {entry.as_of.isoformat()})"
    else:
        text += f" (added {entry.added_at.date().isoformat()})"
    if entry.reason:
        text += f": {entry.reason}"
    return text + "; it can never be called"


def stale_copy_warning(as_of: date | None, today: date) -> str | None:
    """A loud warning when the national copy is older than 31 days; None when fresh or absent."""
    if as_of is None:
        return None
    age = (today - as_of).days
    if age <= MAX_COPY_AGE_DAYS:
        return None
    return (
        f"the national do-not-call copy is {age} days old (as of {as_of.isoformat()}), "
        f"older than the {MAX_COPY_AGE_DAYS} days allowed: refresh it with "
        "dialsmile dnc import FILE --source national --as-of DATE"
    )


def guarded(
    verdict: Verdict,
    entries: Sequence[DncEntry],
    kind: str,
    extra_warnings: Sequence[str] = (),
) -> Verdict:
    """The engine's verdict with do-not-call entries applied: on a list means never."""
    warnings = (*extra_warnings, *verdict.warnings)
    hit = blocking(entries, kind)
    if hit is None:
        return replace(verdict, warnings=warnings)
    reasons = (dnc_sentence(hit), *verdict.reasons)
    return replace(verdict, allowed=False, reasons=reasons, next_allowed_at=None, warnings=warnings)


@dataclass(frozen=True)
class Light:
    """The lead card's status: green (call), amber (call now, soon closed) or red (blocked)."""

    colour: str
    text: str


def light(
    target: CallTarget,
    at: datetime,
    verdict: Verdict,
    history: Sequence[PastCall] = (),
    *,
    min_gap: timedelta | None = None,
) -> Light:
    """Green, amber or red for a verdict at ``at``.

    Amber when the call is allowed now but its window closes within 30 minutes,
    or one more call reaches a cap.
    """
    if not verdict.allowed:
        return Light(RED, "; ".join(verdict.reasons))
    later = check(target, at + CLOSING_SOON, history, min_gap=min_gap)
    if not later.allowed:
        low, high = 1, int(CLOSING_SOON.total_seconds() // 60)
        while low < high:
            middle = (low + high) // 2
            if check(target, at + timedelta(minutes=middle), history, min_gap=min_gap).allowed:
                low = middle + 1
            else:
                high = middle
        return Light(AMBER, f"window closes in {low} min")
    after = check(target, at, [*history, PastCall(at, "no-answer")])
    if not after.allowed:
        return Light(AMBER, "last call before the cap: " + "; ".join(after.reasons))
    return Light(GREEN, "open")
