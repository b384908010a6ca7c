"""What the session and the coach need from storage, as interfaces.

The session and the coach never hold a database: they are handed a
``Stores`` bundle whose parts satisfy these Protocols (structural typing, no
base class to inherit). ``dialsmile.storage.open_stores`` builds one for
SQLite; another backend is a sibling package whose ``open_stores`` returns the
same bundle and passes the same store tests (the ``stores`` fixture).

The values the stores exchange live here too (or in ``core.models``), so no
caller needs a backend's module to name them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple, Protocol

from dialsmile.core.models import DncCopy, DncEntry, LeadList, LeadView, Override, SessionRow
from dialsmile.core.stats import Attempt, History

QueueName = Literal["callback due", "new", "retry"]
"""The session's queues, in the order it reads them (see ``Calls.queue``)."""
QueueKey = tuple[Any, Any]
"""A lead's place in its queue: reading resumes after a key."""


class QueueEntry(NamedTuple):
    """One lead in a queue: its sort key and what the calling-hours guard needs."""

    key: QueueKey
    lead_id: int
    phone: str
    timezones: tuple[str, ...]
    state: str | None
    attempts: int  # with the status: the lead as read, for the claim to check it is still so
    status: str
    country: str = ""  # the lead's country: whose rules a toll-free or mobile number follows


@dataclass(frozen=True)
class AttemptRecord:
    """What one outcome key writes."""

    lead_id: int
    session_id: int
    phone: str
    extension: str
    outcome: str
    shown_at: datetime | None
    started_at: datetime  # the dial key, else when the lead was shown
    ended_at: datetime
    duration_s: float
    dialed: bool  # the rep pressed the dial key
    note: str = ""
    callback_at: datetime | None = None
    script: str | None = None
    script_version: str | None = None
    chunk: int | None = None
    caller: str | None = None  # the rep's own number dialed from, if configured

    @property
    def attempt(self) -> Attempt:
        """The attempt as the statistics see it once it is stored."""
        return Attempt(
            outcome=self.outcome,
            started_at=self.started_at,
            ended_at=self.ended_at,
            shown_at=self.shown_at,
            dialed=self.dialed,
            session_id=self.session_id,
            chunk=self.chunk,
            caller=self.caller,
        )


class Calls(Protocol):
    """Sessions, attempts, the lead queue: what a calling session reads and writes.

    Every write is committed before it returns; a write that fails raises
    ``StorageError`` and leaves nothing half-written.
    """

    # Sessions

    def start_session(
        self, list_id: int, now: datetime, chunk_size: int, script: str | None, version: str | None
    ) -> int:
        """A new session of the list; returns its id."""
        ...

    def open_session(self, list_id: int, since: datetime) -> SessionRow | None:
        """The newest session of the list started after ``since`` and not ended (to resume)."""
        ...

    def end_session(self, session_id: int, now: datetime) -> None:
        """Mark the session ended (its breaks are already counted by ``add_paused``)."""
        ...

    def add_paused(self, session_id: int, seconds: float) -> None:
        """Add a break to the session's paused time."""
        ...

    def session_outcomes(self, session_id: int) -> list[tuple[int, str, int | None]]:
        """(lead id, outcome, chunk) of each attempt of the session, oldest first."""
        ...

    # Leads and the queue

    def lead(self, lead_id: int) -> LeadView | None:
        """One lead, or None."""
        ...

    def history(self, lead_id: int, limit: int = 6) -> list[tuple[datetime, str, str]]:
        """The lead's last calls (skips are not calls), newest first: (when, outcome, note)."""
        ...

    def calls_since(self, lead_id: int, since: datetime) -> list[tuple[datetime, str]]:
        """Every call to the lead started at or after ``since``: (ended_at, outcome), oldest first."""
        ...

    def phone_calls_since(self, phone: str, since: datetime) -> list[tuple[datetime, str]]:
        """Every call to the number (any lead) started at or after ``since``, oldest first."""
        ...

    def queue(
        self, list_id: int, name: QueueName, now: datetime, after: QueueKey | None = None
    ) -> Iterator[QueueEntry]:
        """The leads of one queue in its order, after the sort key ``after``, read lazily.

        ``"callback due"``: callbacks that have come due, oldest first.
        ``"new"``: never-finished leads, fewest attempts first, then in list order.
        ``"retry"``: retries whose cool-down has passed, longest waiting first.
        """
        ...

    def queued(self, list_id: int, name: QueueName, now: datetime, limit: int) -> list[LeadView]:
        """The first ``limit`` leads of a queue (see ``queue``)."""
        ...

    def waiting_later(self, list_id: int, now: datetime, limit: int) -> list[LeadView]:
        """Callbacks and retries not yet due, soonest first."""
        ...

    def dnc_leads(self, list_id: int, limit: int) -> list[LeadView]:
        """Leads of the list marked do-not-call, in list order."""
        ...

    def next_change(self, list_id: int, now: datetime) -> datetime | None:
        """The first moment after ``now`` at which a lead may join the front of the queues
        by time alone: a callback of the list comes due (another rep's, once its grace
        is over), or another rep's hold on a lead runs out. None: no such moment."""
        ...

    def open_count(self, list_id: int, cap: int | None = None) -> int:
        """Leads of the list still open (new, retry, callback), counting at most ``cap``."""
        ...

    # Outcomes

    def record(self, attempt: AttemptRecord, changes: dict[str, Any], dnc_reason: str = "") -> int:
        """Write one attempt and the lead's new state (``changes``) together; returns its id.

        A ``dnc_reason`` also puts the number on the internal do-not-call list.
        """
        ...

    def undo_last(self, session_id: int) -> int | None:
        """Revert the session's newest attempt; returns its lead id (None if nothing to undo)."""
        ...

    def update_notes(self, lead_id: int, notes: str) -> None:
        """Replace the lead's notes."""
        ...


class DncLists(Protocol):
    """The do-not-call lists as the session consults them, and its override log."""

    def lookup(self, phone: str) -> list[DncEntry]:
        """Every list entry for ``phone`` (E.164), oldest first."""
        ...

    def latest_copy(self, source: str) -> DncCopy | None:
        """The newest imported file of a list, or None."""
        ...

    def add_override(self, override: Override) -> int:
        """Log one decision to call a blocked lead anyway; returns its id."""
        ...


class StatsReader(Protocol):
    """The rep's history as the coach and the session summary read it."""

    def session(self, session_id: int) -> SessionRow | None:
        """One session, or None."""
        ...

    def session_attempts(self, session_id: int) -> list[Attempt]:
        """The attempts of one session, oldest first."""
        ...

    def attempts_between(
        self, start: datetime, end: datetime, exclude_session: int | None = None
    ) -> list[Attempt]:
        """Attempts whose dial started in [start, end), oldest first."""
        ...

    def dials_per_hour(
        self, start: datetime, end: datetime, latest: int
    ) -> list[tuple[datetime, int, int]]:
        """(UTC hour, dials, connects) of the ``latest`` dials in [start, end)."""
        ...

    def history(self, session_id: int | None, now: datetime, zone: str) -> History:
        """What the coach needs from before this session (None: from all sessions)."""
        ...

    def next_callbacks(
        self, list_id: int | None, now: datetime, limit: int = 3
    ) -> list[tuple[str, datetime]]:
        """The soonest booked callbacks still to come (of one list, or all): (name, when)."""
        ...


class IntroEmailLog(Protocol):
    """When each lead's intro email went out."""

    def sent_at(self, lead_id: int) -> datetime | None:
        """When the lead's intro email was sent, if ever."""
        ...

    def mark_sent(self, lead_id: int, at: datetime) -> None:
        """Record that the lead's intro email went out at ``at``."""
        ...


class LeadLists(Protocol):
    """The lead lists a session can open."""

    def get_list(self, name: str) -> LeadList:
        """The list called ``name``; ``NotFound`` naming the lists there are otherwise."""
        ...


Candidate = tuple[int, int, str]
"""A lead a rep would take: its id, and its attempts and status as the rep read them."""


class Claims(Protocol):
    """Which rep holds which lead: a lead shown to one rep is offered to no other.

    One lead is never held by two reps, however many claim it at once.
    """

    def claim(
        self, lead_id: int, seen: tuple[int, str], rep: str, now: datetime, minutes: int
    ) -> datetime | None:
        """Hold the lead for ``rep`` for ``minutes`` (letting go of their other leads);
        until when, or None when another rep holds it or logged a call on it since the
        rep read it (``seen``: its attempts and status then)."""
        ...

    def claim_first(
        self, candidates: Sequence[Candidate], rep: str, now: datetime, minutes: int
    ) -> tuple[int, datetime] | None:
        """Hold the first of ``candidates`` (in the rep's order) still as the rep read it
        and not another rep's, in one step (letting go of the rep's other leads); its id
        and until when, or None when every one is gone."""
        ...

    def release(self, rep: str, lead_id: int | None = None) -> int:
        """Let go of the rep's claim on one lead (or all); how many were let go."""
        ...

    def holder(self, lead_id: int, now: datetime) -> ClaimRow | None:
        """The running claim on the lead, if any."""
        ...

    def held_by(self, rep: str, now: datetime) -> list[ClaimRow]:
        """The rep's running claims."""
        ...


class FloorChanges(Protocol):
    """Hears the floor change: another connection committed an outcome, a claim or a
    release. The live board reads itself again when it does."""

    def start(self) -> None:
        """Begin listening; call it before the board's first read."""
        ...

    def wait(self, seconds: float) -> bool:
        """True as soon as the floor changed (or what changed may have been missed),
        False when ``seconds`` went by quietly."""
        ...

    def close(self) -> None:
        """Stop listening and let the connection go."""
        ...


@dataclass(frozen=True)
class ClaimRow:
    """A rep's hold on a lead, from when until when."""

    lead_id: int
    rep: str
    claimed_at: datetime
    claimed_until: datetime


SessionExport = Callable[[int, Path], int]
"""Writes one session's calls as CSV to a path (``-``: stdout); returns how many."""


@dataclass(frozen=True)
class Stores:
    """Everything a calling session reads and writes, from one backend.

    ``export`` writes a session's calls to a file; None where nothing is
    kept to export. ``rep`` is who works through them; ``claims`` hold the
    leads shown to them.
    """

    calls: Calls
    dnc: DncLists
    stats: StatsReader
    intro_emails: IntroEmailLog
    lists: LeadLists
    claims: Claims
    export: SessionExport | None = None
    rep: str = ""
