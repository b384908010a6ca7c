"""A calling session: the chunked queue, the next lead, outcomes and undo.

This is the session's logic without any screen: the Textual app, the tests
and any other front end drive it through ``CallSession``.
"""

from __future__ import annotations

import math
import shlex
import subprocess
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from dialsmile.compliance.engine import CallTarget, PastCall, Verdict, check, window_group
from dialsmile.config import Clock, Settings
from dialsmile.core.coach import SessionSummary, summarize_session
from dialsmile.core.guard import (
    Light,
    blocking,
    counted_calls,
    dnc_label,
    hours_verdict,
    light,
    min_gap_from,
    stale_copy_warning,
)
from dialsmile.core.models import DncEntry, LeadList, LeadView, Outcome, Override
from dialsmile.core.outcomes import Cadence, lead_changes
from dialsmile.core.phone import PhoneNormalizer
from dialsmile.core.places import state_code_of as _state
from dialsmile.core.scripts import Script
from dialsmile.core.stats import Attempt, History
from dialsmile.core.stores import AttemptRecord, QueueEntry, QueueKey, QueueName, Stores
from dialsmile.errors import BadInput, HeldElsewhere, OnDoNotCall

SCAN_LIMIT = 2_000  # leads checked per queue and pick before moving on
CLAIM_WINDOW = 16  # most leads one claim covers, in queue order, when others get there first
ROW_LIMIT = 200_000  # queue entries read per queue and pick (most pass on a closed window)
QUEUE_ORDER: tuple[QueueName, ...] = ("callback due", "new", "retry")
RESUME_WINDOW = timedelta(hours=16)
CHUNKS_COUNTED = 1_000  # open leads are counted up to this many chunks, whatever the list size
_OPEN = ("new", "retry", "callback")


@dataclass(frozen=True)
class Keyed:
    """An outcome the rep keyed, ready to write: the attempt, the lead's new state, a
    do-not-call to add, and the lead's (attempts, status) the rep saw."""

    record: AttemptRecord
    changes: dict[str, Any]
    dnc_reason: str
    seen: tuple[int, str]


@dataclass(frozen=True)
class Offer:
    """The lead on screen, why it was picked, and the guard's verdict."""

    lead: LeadView
    reason: str  # "callback due", "new", "retry"
    verdict: Verdict


@dataclass
class Passed:
    """How far a queue was read past leads that cannot be offered now, and for how long.

    ``after`` is the sort key of the last lead passed over: every lead up to
    it was offered in this chunk or found blocked. ``until`` is the first
    moment one of them may be callable again (None: not in this chunk).
    """

    after: QueueKey | None = None
    until: datetime | None = None
    first: int | None = None  # the lead that may be callable at ``until``

    def extend(self, key: QueueKey, until: datetime | None, lead_id: int | None = None) -> None:
        self.after = key
        if until is not None and (self.until is None or until < self.until):
            self.until, self.first = until, lead_id


class Scanned(NamedTuple):
    """A queue entry and its quick verdict on hours alone; None: passed over, until when."""

    entry: QueueEntry
    quick: Verdict | None
    until: datetime | None


@dataclass
class Reading:
    """Where the session's reading of its queues stands: what each pick starts from.

    ``passed``: how far each queue was read past leads that cannot be offered
    now; ``closed``: calling windows found closed (see
    ``compliance.window_group``), until they open; ``skipped``: the leads
    skipped in this chunk, held back while anything else can be offered;
    ``more``: the last pick stopped at a limit before the queue's end.
    """

    passed: dict[QueueName, Passed] = field(default_factory=dict)
    closed: dict[tuple[object, ...], datetime] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)
    more: bool = False

    def copy(self) -> Reading:
        passed = {name: replace(p) for name, p in self.passed.items()}
        return Reading(passed, dict(self.closed), set(self.skipped), self.more)

    def until(self) -> datetime | None:
        """The first moment a lead read past may be callable again (or a window opens)."""
        moments = [p.until for p in self.passed.values() if p.until is not None]
        return min([*moments, *self.closed.values()], default=None)


@dataclass(frozen=True)
class Ahead:
    """The lead a pick would offer once ``after`` is handled, read while the rep was on it.

    ``start`` is the reading it started from, ``reading`` where it left it;
    ``at`` when it was read; the answer holds until ``until`` (None: no moment
    changes it).
    """

    after: Offer
    offer: Offer
    start: Reading
    reading: Reading
    at: datetime
    until: datetime | None

    def holds_at(self, now: datetime) -> bool:
        """True at ``now`` as far as time goes: not before the read, not yet at ``until``."""
        return self.at <= now and (self.until is None or now < self.until)


Claimer = Callable[
    [LeadView, deque[Scanned], Iterator[Scanned], datetime], tuple[int | None, set[int]]
]
"""Claims the lead a pick reached (see ``CallSession._claim_window``): the one won, and
those lost to other reps on the way."""


def _unclaimed(
    lead: LeadView, ahead: deque[Scanned], scan: Iterator[Scanned], now: datetime
) -> tuple[int | None, set[int]]:
    """A read ahead's claim: the lead reached is taken as won; nothing is written."""
    return lead.id, set()


@dataclass(frozen=True)
class Waiting:
    """A lead that cannot be called now, why, and when it next can be.

    ``later`` says when in words where there is no moment (``next_at`` None).
    """

    lead: LeadView
    why: str
    next_at: datetime | None
    later: str = "never"


Guard = Callable[[LeadView, datetime], Verdict]


def _still_queued(lead: LeadView, name: QueueName, now: datetime) -> bool:
    """True when ``lead``, read afresh, still belongs in queue ``name`` (see ``Calls.queue``)."""
    if name == "new":
        return lead.status == "new"
    due = lead.callback_at if name == "callback due" else lead.next_call_at
    return lead.status == name.split()[0] and due is not None and due <= now


class CallSession:
    """One rep working one list in chunks, reading and writing through ``stores``."""

    def __init__(
        self,
        stores: Stores,
        lead_list: LeadList,
        settings: Settings,
        clock: Clock,
        *,
        chunk_size: int | None = None,
        script: Script | None = None,
        resume: bool = True,
    ) -> None:
        self.stores = stores
        self.calls = stores.calls
        self.dnc = stores.dnc
        self.list = lead_list
        self.settings = settings
        self.clock = clock
        self.script = script
        self.cadence = Cadence.from_settings(settings.cadence)
        self.chunk_size = max(1, chunk_size or settings.chunk_size)
        self._phones = PhoneNormalizer()
        now = clock.now()
        existing = self.calls.open_session(lead_list.id, now - RESUME_WINDOW) if resume else None
        if existing is not None:
            self.session_id = existing.id
            self.chunk_size = chunk_size or existing.chunk_size
            handled = self.calls.session_outcomes(existing.id)
            self.resumed = True
        else:
            self.session_id = self.calls.start_session(
                lead_list.id,
                now,
                self.chunk_size,
                script.name if script else None,
                script.version if script else None,
            )
            handled = []
            self.resumed = False
        self.handled = len(handled)
        current_chunk = self.handled // self.chunk_size + 1
        this_chunk = {lead: outcome for lead, outcome, chunk in handled if chunk == current_chunk}
        # Where each queue's reading resumes, so each pick reads on from the leads it
        # passed over instead of asking about them again; the chunk's skipped leads.
        skipped = {lead for lead, outcome in this_chunk.items() if outcome == "skip"}
        self._reading = Reading(skipped=skipped)
        self._ahead: Ahead | None = None  # the next lead, read ahead (see read_ahead)
        self._left: tuple[Offer, Keyed] | None = None  # the lead last handled, and its key
        cap = CHUNKS_COUNTED * self.chunk_size
        open_now = self.calls.open_count(lead_list.id, cap=cap)
        self.chunks_capped = open_now >= cap
        # The leads this session plans to work: those already handled and those open.
        self._planned = self.handled + open_now
        self.current: Offer | None = None
        self.shown_at: datetime | None = None
        self.dialed_at: datetime | None = None
        self.caller: str | None = None  # the rep's number to dial from (recorded)
        self.rep = stores.rep
        self.claimed_until: datetime | None = None  # the lead on screen is this rep's until
        self._window = 1  # leads the next claim covers (see _claim_window)

    # Where we are

    @property
    def chunk(self) -> int:
        return self.handled // self.chunk_size + 1

    @property
    def position(self) -> int:
        """1-based place of the current lead in its chunk."""
        return self.handled % self.chunk_size + 1

    @property
    def chunks(self) -> int:
        return max(math.ceil(self._planned / self.chunk_size), self.chunk)

    @property
    def chunk_length(self) -> int:
        """Leads in the current chunk: the chunk size, fewer in a short last chunk.

        A lead that comes back within the chunk (a retry that came due) adds one.
        """
        left = self._planned - (self.chunk - 1) * self.chunk_size
        return max(min(self.chunk_size, left), self.position)

    @property
    def chunks_text(self) -> str:
        """The chunk total for the screen: "8", or "1000+" for a list too long to count."""
        return f"{self.chunks}+" if self.chunks_capped else str(self.chunks)

    @property
    def chunk_done(self) -> bool:
        """True right after the last lead of a chunk was handled."""
        return self.handled > 0 and self.handled % self.chunk_size == 0

    @property
    def more_to_read(self) -> bool:
        """The last pick stopped at a limit before the queue's end: there is more to read."""
        return self._reading.more

    # The queue

    def _target(self, lead: LeadView) -> CallTarget:
        return CallTarget(
            lead.phone,
            tuple(lead.timezones),
            _state(lead.state),
            self.list.kind,
            country=lead.country or None,
        )

    def _past_calls(self, lead: LeadView, at: datetime) -> list[PastCall]:
        """The calls to the lead that count at ``at`` (none to read if it was never called)."""
        if not lead.attempts:
            return []
        return counted_calls(partial(self.calls.calls_since, lead.id), at)

    @property
    def min_gap(self) -> timedelta | None:
        """The user's minimum gap between calls to one number (None when 0)."""
        return min_gap_from(self.settings.min_gap_minutes)

    def verdict(self, lead: LeadView, at: datetime | None = None) -> Verdict:
        """The calling-time guard for one lead, with its calls of the last 400 days counted."""
        at = at or self.clock.now()
        history = self._past_calls(lead, at)
        return hours_verdict(self._target(lead), at, history, self.settings.min_gap_minutes)

    def dnc_block(self, phone: str) -> DncEntry | None:
        """The do-not-call entry that blocks ``phone`` on this list, or None.

        The internal list blocks every call; national and state lists block
        calls on consumer lists only.
        """
        return blocking(self.dnc.lookup(phone), self.list.kind)

    def light(self, offer: Offer | None = None) -> Light | None:
        """Green, amber or red for the lead on screen (None when there is none)."""
        offer = offer or self.current
        if offer is None:
            return None
        hit = self.dnc_block(offer.lead.phone)
        if hit is not None:
            return Light("red", dnc_label(hit) + " · never")
        now = self.clock.now()
        target = self._target(offer.lead)
        history = self._past_calls(offer.lead, now)
        verdict = hours_verdict(target, now, history, self.settings.min_gap_minutes)
        return light(target, now, verdict, history, min_gap=self.min_gap)

    def dnc_warning(self) -> str | None:
        """A loud warning when the national do-not-call copy is older than 31 days."""
        if self.list.kind != "consumer":
            return None
        copy = self.dnc.latest_copy("national")
        return stale_copy_warning(copy.as_of if copy else None, self.clock.now().date())

    def override_candidate(self) -> LeadView | None:
        """The lead an override would put on screen: the blocked one shown, else the next waiting."""
        now = self.clock.now()
        if self.current is not None:
            lead = self.current.lead
            if self.dnc_block(lead.phone) is None and self.verdict(lead, now).allowed:
                return None
            return lead
        for item in self.waiting():
            lead = item.lead
            if (
                lead.status in _OPEN
                and self.dnc_block(lead.phone) is None
                and not self.verdict(lead, now).allowed
            ):
                return lead
        return None

    def override(self, lead: LeadView, reason: str) -> str | None:
        """Put a blocked lead on screen anyway, logging who, when, why and what was blocked.

        Returns a sentence saying why not when the override is refused: overrides
        are off, no reason, the number is on a do-not-call list (never
        overridable), or nothing blocks the lead.
        """
        if not self.settings.allow_overrides:
            return "Overrides are off; set allow_overrides = true in your settings to allow them."
        hit = self.dnc_block(lead.phone)
        if hit is not None:
            return f"{lead.display_name} is {dnc_label(hit)}: do-not-call can never be overridden."
        reason = " ".join(reason.split())
        if not reason:
            return "An override needs a reason."
        now = self.clock.now()
        verdict = self.verdict(lead, now)
        if verdict.allowed:
            return f"{lead.display_name} can be called now; there is nothing to override."
        self.dnc.add_override(
            Override(
                lead_id=lead.id,
                session_id=self.session_id,
                phone=lead.phone,
                at=now,
                who=self.settings.rep_name,
                reason=reason,
                blocked_because="; ".join(verdict.reasons),
            )
        )
        lead.history = self.calls.history(lead.id)
        self.current = Offer(lead, "override", verdict)
        self.shown_at = now
        self.dialed_at = None
        return None

    def _offerable(
        self, lead: LeadView, quick: Verdict, now: datetime
    ) -> tuple[Verdict | None, datetime | None]:
        """The verdict if ``lead``, inside its hours, can be offered now; else None and until when."""
        if self.dnc_block(lead.phone) is not None:
            return None, None
        if not lead.attempts:
            lead.history = []
            return quick, None
        lead.history = self.calls.history(lead.id)
        verdict = self.verdict(lead, now)
        return (verdict, None) if verdict.allowed else (None, verdict.next_allowed_at)

    def advance(self) -> Offer | None:
        """Pick the next lead to show (None when nothing is callable now): the one read
        ahead when it still holds (see ``_ahead_offer``), else from the queues."""
        now = self.clock.now()
        offer = self._ahead_offer(now)
        self.current = offer or self._find(now, self._reading, self._claim_window)
        self.shown_at = now if self.current else None
        self.dialed_at = None
        return self.current

    def read_ahead(self) -> Offer | None:
        """Read, while the rep is on the lead on screen, the lead the next pick will offer
        once it is handled, so the key that handles it need not read the queues.

        It is the same pick as ``advance``'s, on a copy of the session's reading
        with the lead on screen left out, and nothing is claimed, written or
        counted. None when there is nothing to read ahead for: no lead on
        screen, the next key ends the chunk (a break comes, not a lead), other
        reps took the last leads this rep reached for (the next claim covers
        several), or nothing would be callable.
        """
        self._ahead = None
        current = self.current
        if current is None or self._window > 1 or (self.handled + 1) % self.chunk_size == 0:
            return None
        now = self.clock.now()
        reading = self._reading.copy()
        offer = self._find(now, reading, _unclaimed, absent=current.lead.id)
        if offer is None:
            return None
        moments = [reading.until(), self.calls.next_change(self.list.id, now)]
        until = min((m for m in moments if m is not None), default=None)
        self._ahead = Ahead(current, offer, self._reading.copy(), reading, now, until)
        return offer

    def ahead_holds(self) -> bool:
        """True while the lead read ahead is still the answer, as far as time goes."""
        ahead = self._ahead
        return (
            ahead is not None and ahead.after is self.current and ahead.holds_at(self.clock.now())
        )

    def _ahead_offer(self, now: datetime) -> Offer | None:
        """The lead read ahead, checked and claimed now, when no change since it was read
        can have changed the pick's answer; else None, and the queues are read again.

        The answer holds when all of these do:

        - the lead it was read for is the one last handled, and its outcome takes
          it out of every queue now (a skip keeps a lead in its queue; a callback
          booked for now, or a next number due at once, brings it back first);
        - the session's reading is as the read ahead left it (no undo, override,
          other pick or forgotten skips since);
        - the clock is not yet at ``Ahead.until``: the first moment after the
          read at which a lead read past may be callable again (a window opens, a
          gap or a cap ends), a callback comes due, or another rep's hold runs
          out (a retry coming due sorts after the leads already due);
        - the lead is stored as it was read (nobody called it, moved it or edited
          it meanwhile).

        Then, as a pick does, it is checked in full again now (do-not-call lists,
        including a number put there by the outcome just saved; past calls; its
        hours) and claimed: when another rep took it, the queues are read again.
        What other reps do meanwhile to other leads shows from the next pick on.
        """
        ahead, self._ahead = self._ahead, None
        left = self._left
        if ahead is None or left is None or left[0] is not ahead.after:
            return None
        key = left[1]
        state = {
            k: v for k, v in key.changes.items() if k in ("status", "next_call_at", "callback_at")
        }
        handled = replace(ahead.after.lead, **state)
        if any(_still_queued(handled, name, now) for name in QUEUE_ORDER):
            return None
        if not ahead.holds_at(now) or self._reading != ahead.start or self._window > 1:
            return None
        seen = ahead.offer.lead
        lead = self.calls.lead(seen.id)
        if lead is None or replace(lead, history=seen.history) != seen:
            return None
        name: QueueName = ahead.offer.reason  # type: ignore[assignment]
        verdict, _ = self._offerable(lead, self._quick(self._target(lead), now), now)
        if verdict is None or not verdict.allowed or not _still_queued(lead, name, now):
            return None
        won, _ = self._claim_window(lead, deque(), iter(()), now)
        if won != lead.id:
            return None
        self._reading = ahead.reading
        return Offer(lead, name, verdict)

    def read_on(self) -> Offer | None:
        """Pick the next lead as ``advance`` does, reading on past each pick's limits
        to the queues' end: for a caller with no screen to keep painting between picks."""
        offer = self.advance()
        while offer is None and self.more_to_read:
            offer = self.advance()
        return offer

    def _find(
        self, now: datetime, reading: Reading, claim: Claimer, absent: int | None = None
    ) -> Offer | None:
        """The pick: the first lead of the queues, in order, that can be offered now,
        claimed with ``claim``, reading on from ``reading`` (updated as it reads).
        ``absent``: a lead to read as if it were in no queue (see ``read_ahead``)."""
        reading.more = False
        closed = reading.closed
        reading.closed = {group: until for group, until in closed.items() if until > now}
        for name in QUEUE_ORDER:
            passed = reading.passed.get(name)
            if passed is None or (passed.until is not None and now >= passed.until):
                passed = reading.passed[name] = Passed()
            offer = self._read(name, passed, now, reading, claim, absent)
            if offer is not None:
                return offer
        if reading.skipped and not reading.more:
            # Only leads skipped in this chunk are left: offer them again.
            reading.skipped.clear()
            reading.passed.clear()
            return self._find(now, reading, claim, absent)
        return None

    def _quick(self, target: CallTarget, now: datetime) -> Verdict:
        """A lead's verdict on its hours alone (past calls can only block more)."""
        return check(target, now, (), min_gap=self.min_gap)

    def _scan(
        self, name: QueueName, passed: Passed, now: datetime, reading: Reading, absent: int | None
    ) -> Iterator[Scanned]:
        """The entries of queue ``name`` after ``passed``, each with its quick verdict.

        Past calls can only block more (caps, refusals, gaps), so each lead's
        hours are asked first, from the queue entry alone; leads whose area
        code, zones and state share a window found closed are passed without
        asking again, until it opens. At most SCAN_LIMIT leads are checked and
        ROW_LIMIT entries read; a scan that stops at either sets ``reading.more``.
        """
        closed = reading.closed
        checked = read = 0
        queue = self.calls.queue(self.list.id, name, now, passed.after)
        for entry in islice((e for e in queue if e.lead_id != absent), ROW_LIMIT):
            read += 1
            # A lead called in this chunk comes back when it is due again (a
            # callback, busy, the next number after a bad one); a skipped one waits.
            if entry.lead_id in reading.skipped:
                yield Scanned(entry, None, None)
                continue
            target = CallTarget(
                entry.phone,
                entry.timezones,
                _state(entry.state),
                self.list.kind,
                country=entry.country or None,
            )
            group = window_group(target)
            if group in closed:
                yield Scanned(entry, None, closed[group])
                continue
            if checked >= SCAN_LIMIT:
                reading.more = True
                return
            checked += 1
            quick = self._quick(target, now)
            if not quick.allowed:
                if group is not None and quick.next_allowed_at is not None:
                    closed[group] = quick.next_allowed_at
                yield Scanned(entry, None, quick.next_allowed_at)
                continue
            yield Scanned(entry, quick, None)
        if read == ROW_LIMIT:  # stopped at the row limit, not at the queue's end: read on
            reading.more = True

    def _read(
        self,
        name: QueueName,
        passed: Passed,
        now: datetime,
        reading: Reading,
        claim: Claimer,
        absent: int | None,
    ) -> Offer | None:
        """The first lead of queue ``name`` after ``passed`` that can be offered now.

        Each lead is read afresh and checked in full (do-not-call, past calls)
        before it is claimed. The claim may cover the next leads the quick check
        lets through too, as the queue read them (see ``_claim_window``): when
        another rep took or logged the lead meanwhile, the first of the others
        still free is this rep's in the same step, and is checked in full next.
        """
        scan = self._scan(name, passed, now, reading, absent)
        ahead: deque[Scanned] = deque()  # read past the lead in hand, for the claim's window
        lost: set[int] = set()  # another rep took or logged them since the queue was read
        won: int | None = None  # claimed from the window, to check in full when reached
        while (item := ahead.popleft() if ahead else next(scan, None)) is not None:
            entry, quick, until = item
            if quick is None:
                passed.extend(entry.key, until, entry.lead_id)
                continue
            if entry.lead_id in lost:
                continue
            lead = self.calls.lead(entry.lead_id)
            verdict, until = self._offerable(lead, quick, now) if lead else (None, None)
            if lead and verdict and _still_queued(lead, name, now):
                if won is None:
                    won, lost = claim(lead, ahead, scan, now)
                if won == lead.id:
                    return Offer(lead, name, verdict)
                continue  # another rep took or logged it since the queue was read
            if won == entry.lead_id:  # claimed from the window but not callable: let it go
                self.stores.claims.release(self.rep, won)
                won = self.claimed_until = None
            if not (lead and verdict):
                passed.extend(entry.key, until, entry.lead_id)
        return None

    def _claim_window(
        self, lead: LeadView, ahead: deque[Scanned], scan: Iterator[Scanned], now: datetime
    ) -> tuple[int | None, set[int]]:
        """Claim ``lead``, or the first lead after it in the queue still as read and free;
        the one won (None: none) and those lost to other reps on the way.

        The window grows (doubling, up to CLAIM_WINDOW) each time another rep took
        the lead in hand first, and shrinks when not: a rep alone checks no lead
        ahead, sixteen racing for one queue front each get a lead in one claim.
        """
        size = self._window
        while sum(s.quick is not None for s in ahead) < size - 1 and (more := next(scan, None)):
            ahead.append(more)
        rest = [s.entry for s in ahead if s.quick is not None][: size - 1]
        window = [(lead.id, lead.attempts, lead.status)]
        window += [(entry.lead_id, entry.attempts, entry.status) for entry in rest]
        claimed = self.stores.claims.claim_first(window, self.rep, now, self.settings.claim_minutes)
        self.claimed_until = claimed[1] if claimed else None
        won = claimed[0] if claimed else None
        self._window = max(1, size // 2) if won == lead.id else min(CLAIM_WINDOW, size * 2)
        ids = [lead_id for lead_id, _, _ in window]
        return won, set(ids[: ids.index(won)] if won is not None else ids)

    def resume_held(self) -> Offer | None:
        """Put the open lead of this list the rep still holds back on screen (its claim
        renewed); None when they hold none, or its number went on do-not-call since."""
        now = self.clock.now()
        for held in self.stores.claims.held_by(self.rep, now):
            lead = self.calls.lead(held.lead_id)
            mine = lead and lead.list_id == self.list.id and lead.status in _OPEN
            if lead and mine and self.dnc_block(lead.phone) is None and self._claim(lead, now):
                lead.history = self.calls.history(lead.id)
                self.current = Offer(lead, "held", self.verdict(lead, now))
                self.shown_at = held.claimed_at
                self.dialed_at = None
                return self.current
        return None

    def take(self, lead: LeadView, outcome: Outcome | None = None) -> Offer:
        """Put ``lead`` on screen to log its call (``outcome``, when known): it must be
        open and not held by another rep (``HeldElsewhere``); it is then this rep's.

        A call to a number on do-not-call is refused first (``refuse_on_dnc``),
        before anything is written; do-not-call itself may be logged on a lead
        already marked so, as the rep heard it from the prospect too.
        """
        now = self.clock.now()
        if outcome is not None:
            self.refuse_on_dnc(lead, outcome)
        repeated_dnc = outcome is Outcome.DO_NOT_CALL and lead.status == "dnc"
        if lead.status not in _OPEN and not repeated_dnc:
            raise BadInput(
                f"Lead {lead.id} is {lead.status} (last call: {lead.last_outcome or 'none'}); "
                "there is no call to log on it."
            )
        mine = self.stores.claims.holder(lead.id, now)
        if not self._claim(lead, now):
            holder = self.stores.claims.holder(lead.id, now)
            who = (
                f"{holder.rep} until {holder.claimed_until:%H:%M} UTC" if holder else "another rep"
            )
            raise HeldElsewhere(f"Lead {lead.id} is held by {who}; only they can log its call.")
        lead.history = self.calls.history(lead.id)
        self.current = Offer(lead, "held", self.verdict(lead, now))
        self.shown_at = mine.claimed_at if mine and mine.rep == self.rep else now
        self.dialed_at = None
        return self.current

    def reclaim(self, why: str = "While the server was away") -> str:
        """Hold the lead on screen again (its claim may have run out meanwhile): "" when
        it is still this rep's; else it is let go, and one sentence, starting with
        ``why``, says who took it."""
        if self.current is None:
            return ""
        lead = self.current.lead
        now = self.clock.now()
        if self._claim(lead, now):
            return ""
        holder = self.stores.claims.holder(lead.id, now)
        self.current = None
        who = holder.rep if holder is not None and holder.rep != self.rep else "another rep"
        return f"{why} {who} took {lead.display_name}; on to the next lead."

    def keep_hold(self) -> str:
        """Renew the claim on the lead on screen once half of it has run, so a rep on a
        long call keeps their lead: a claim runs out only when its session is gone.
        "" while the lead is still this rep's, else ``reclaim``'s sentence."""
        if self.current is None or self.claimed_until is None:
            return ""
        half = timedelta(minutes=self.settings.claim_minutes / 2)
        if self.clock.now() < self.claimed_until - half:
            return ""
        return self.reclaim("While your hold on this lead had run out")

    def let_go(self) -> None:
        """Let go of the rep's claims (they quit): their leads return to the floor now,
        not when the claims run out."""
        self.stores.claims.release(self.rep)

    def refuse_on_dnc(self, lead: LeadView, outcome: Outcome) -> None:
        """Refuse (``OnDoNotCall``) to log a call to ``lead`` once its number is on a
        do-not-call list that blocks this list (``dnc_block``), however recently it
        went there. Do-not-call itself and a skip (no call) are not refused."""
        if outcome in (Outcome.DO_NOT_CALL, Outcome.SKIP):
            return
        hit = self.dnc_block(lead.phone)
        if hit is not None:
            raise OnDoNotCall(
                f"Lead {lead.id} ({lead.display_name}) is {dnc_label(hit)}, so no call "
                "can be logged on it; log do-not-call instead."
            )

    def _claim(self, lead: LeadView, now: datetime) -> bool:
        """Hold ``lead`` for this rep (see ``Claims``); False when another rep has it."""
        until = self.stores.claims.claim(
            lead.id, (lead.attempts, lead.status), self.rep, now, self.settings.claim_minutes
        )
        self.claimed_until = until
        return until is not None

    def waiting(self, limit: int = 40) -> list[Waiting]:
        """Leads not offered now with the reason and the next moment each can be called."""
        now = self.clock.now()
        out: list[Waiting] = []
        seen: set[int] = set()
        candidates: list[LeadView] = [
            *self.calls.queued(self.list.id, "callback due", now, limit),
            *self.calls.queued(self.list.id, "new", now, limit * 3),
            *self.calls.queued(self.list.id, "retry", now, limit),
            *self.calls.waiting_later(self.list.id, now, limit),
            *self.calls.dnc_leads(self.list.id, limit),
        ]
        for lead in candidates:
            if lead.id in seen or len(out) >= limit:
                continue
            seen.add(lead.id)
            item = self._why(lead, now)
            if item is not None:
                out.append(item)
        out.sort(key=lambda w: (w.next_at is None, w.next_at or now))
        return out

    def soonest(self) -> Waiting | None:
        """The lead that can be called first of those not callable now, and when.

        Besides ``waiting``'s leads (the front of each queue, the callbacks and
        retries not due yet), the queues' leads this session's picks read past
        count: after ``read_on`` found nothing, that is every lead of the list.
        """
        now = self.clock.now()
        found = [w for w in self.waiting() if w.next_at is not None]
        for passed in self._reading.passed.values():
            lead = self.calls.lead(passed.first) if passed.first is not None else None
            item = self._why(lead, now) if lead is not None else None
            if item is not None and item.next_at is not None:
                found.append(item)
        return min(found, key=lambda w: w.next_at or now, default=None)

    def _why(self, lead: LeadView, now: datetime) -> Waiting | None:
        if self.current and self.current.lead.id == lead.id:
            return None
        hit = self.dnc_block(lead.phone)
        if hit is not None:
            return Waiting(lead, dnc_label(hit), None)
        if lead.status == "dnc":
            return Waiting(lead, "marked do-not-call", None)
        if lead.status == "callback" and lead.callback_at and lead.callback_at > now:
            return self._waiting_until(lead, "callback booked", lead.callback_at)
        if lead.status == "retry" and lead.next_call_at and lead.next_call_at > now:
            why = f"retry cool-down after {lead.last_outcome or 'a call'}"
            return self._waiting_until(lead, why, lead.next_call_at)
        lead.history = self.calls.history(lead.id)
        verdict = self.verdict(lead, now)
        if not verdict.allowed:
            return Waiting(lead, "; ".join(verdict.reasons), verdict.next_allowed_at)
        if lead.id in self._reading.skipped:
            return Waiting(lead, "skipped in this chunk", None, "when nothing else is")
        return None

    def _waiting_until(self, lead: LeadView, why: str, due: datetime) -> Waiting:
        """A lead due at ``due``: then, or when the calling rules next allow after it."""
        verdict = self.verdict(lead, due)
        if verdict.allowed:
            return Waiting(lead, why, due)
        return Waiting(lead, f"{why}, then {'; '.join(verdict.reasons)}", verdict.next_allowed_at)

    # Actions

    def dial(self) -> str | None:
        """Start the call timer and run the dial command; returns an error sentence if it failed."""
        if self.current is None:
            return None
        self.dialed_at = self.clock.now()
        command = self.settings.dial_command.strip()
        if not command:
            return None
        lead = self.current.lead
        # No shell: lead data is passed as arguments and can never become a command.
        args = [
            part.format(e164=lead.phone, extension=lead.extension, digits=lead.phone.lstrip("+"))
            for part in shlex.split(command)
        ]
        try:
            subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except (OSError, ValueError) as exc:
            return f"Could not run the dial command {args[0]!r}: {exc}."
        return None

    def call_start(self, now: datetime) -> tuple[datetime, bool]:
        """When the current call started, and whether the rep dialed it: the dial
        key if pressed, else when the lead was shown (never after ``now``)."""
        if self.dialed_at is not None:
            return self.dialed_at, True
        return min(self.shown_at or now, now), False

    def record(
        self, outcome: Outcome, *, note: str = "", callback_at: datetime | None = None
    ) -> Attempt | None:
        """Save the outcome for the current lead (committed), then move on.

        Returns the attempt as the statistics now see it (None: no lead on screen).
        """
        key = self.keyed(outcome, note=note, callback_at=callback_at)
        return None if key is None else self.save(key)

    def keyed(
        self, outcome: Outcome, *, note: str = "", callback_at: datetime | None = None
    ) -> Keyed | None:
        """The outcome keyed now for the current lead, not yet saved (None: no lead on
        screen): its times are the key's, whenever ``save`` writes it."""
        if self.current is None:
            return None
        lead = self.current.lead
        now = self.clock.now()
        started, dialed = self.call_start(now)
        alt_zones: Sequence[str] = ()
        if outcome is Outcome.BAD_NUMBER and lead.alt_phones:
            parsed = self._phones.parse(lead.alt_phones[0]["e164"], lead.region or "US")
            alt_zones = parsed.timezones if parsed else ()
        changes = lead_changes(
            outcome=outcome,
            attempts=lead.attempts,
            alt_phones=lead.alt_phones,
            now=now,
            cadence=self.cadence,
            callback_at=callback_at,
            alt_zones=alt_zones,
        )
        attempt = AttemptRecord(
            lead_id=lead.id,
            session_id=self.session_id,
            phone=lead.phone,
            extension=lead.extension,
            outcome=outcome.value,
            shown_at=self.shown_at,
            started_at=started,
            ended_at=now,
            duration_s=(now - started).total_seconds(),
            dialed=dialed,
            note=note,
            callback_at=callback_at,
            script=self.script.name if self.script else None,
            script_version=self.script.version if self.script else None,
            chunk=self.chunk,
            caller=self.caller,
        )
        dnc_reason = (
            f"asked not to be called (session {self.session_id})"
            if outcome is Outcome.DO_NOT_CALL
            else ""
        )
        return Keyed(attempt, changes, dnc_reason, (lead.attempts, lead.status))

    def save(self, key: Keyed) -> Attempt:
        """Write a keyed outcome (committed) and move on from its lead.

        A call to a number put on do-not-call since the lead was shown is refused
        first, with nothing written (``refuse_on_dnc``): asked here, as the write
        is, so a key pressed while the server is away is held, not refused.
        """
        if self.current is not None and self.current.lead.id == key.record.lead_id:
            self.refuse_on_dnc(self.current.lead, Outcome(key.record.outcome))
        self.calls.record(key.record, key.changes, key.dnc_reason)
        return self._saved(key)

    def _saved(self, key: Keyed) -> Attempt:
        self.handled += 1
        lead_id = key.record.lead_id
        if key.record.outcome == Outcome.SKIP.value:
            self._reading.skipped.add(lead_id)
        else:
            self._reading.skipped.discard(lead_id)
        current = self.current
        self._left = (current, key) if current is not None and current.lead.id == lead_id else None
        self.current = None
        return key.record.attempt

    def save_late(self, key: Keyed) -> tuple[Attempt | None, str]:
        """Save an outcome keyed while the server was out of reach, now it is back:
        (the attempt, or None when it was not saved; one sentence saying which).

        The lead is read again first. A claim may have run out meanwhile: when
        another rep took the lead or logged a call on it, the key is not saved on
        top of theirs. When the server kept the key's write before the connection
        went (its answer was lost), it is not written twice.
        """
        lead_id, outcome = key.record.lead_id, key.record.outcome
        lead = self.calls.lead(lead_id)
        if lead is not None and (lead.attempts, lead.status) != key.seen:
            done = self.calls.session_outcomes(self.session_id)
            if len(done) > self.handled and done[-1][:2] == (lead_id, outcome):
                return self._saved(key), f"Saved: {outcome} (the server had kept it)."
        held = self.stores.claims.holder(lead_id, self.clock.now())
        taken = held is not None and held.rep != self.rep
        if lead is None or (lead.attempts, lead.status) != key.seen or taken:
            self.current = None
            who = held.rep if held is not None and taken else "another rep"
            return None, (
                f"Not saved: {who} took this lead while the server was away, "
                f"so your {outcome} was not saved over theirs."
            )
        return self.save(key), f"Saved: {outcome}, now the server is back."

    def start_next_chunk(self) -> None:
        """Forget which leads this chunk skipped; call after the break screen."""
        self._reading.skipped.clear()
        self._reading.passed.clear()

    def undo(self) -> LeadView | None:
        """Revert the session's last outcome and show that lead again."""
        lead_id = self.calls.undo_last(self.session_id)
        if lead_id is None:
            return None
        self.handled = max(0, self.handled - 1)
        self._reading.skipped.discard(lead_id)
        self._reading.passed.clear()
        lead = self.calls.lead(lead_id)
        if lead is None:
            return None
        lead.history = self.calls.history(lead.id)
        now = self.clock.now()
        self.current = Offer(lead, "undone", self.verdict(lead, now))
        self.shown_at = now
        self.dialed_at = None
        return lead

    def save_notes(self, notes: str) -> None:
        if self.current is None:
            return
        self.calls.update_notes(self.current.lead.id, notes)
        self.current.lead.notes = notes

    def pause(self, seconds: float) -> None:
        self.calls.add_paused(self.session_id, seconds)

    def history(self, zone: str) -> History:
        """What the coach needs from before this session (read once, when it starts)."""
        return self.stores.stats.history(self.session_id, self.clock.now(), zone)

    def attempts(self) -> list[Attempt]:
        """This session's attempts so far, oldest first."""
        return self.stores.stats.session_attempts(self.session_id)

    def intro_email_sent_at(self, lead_id: int) -> datetime | None:
        """When the lead's intro email was sent, if ever."""
        return self.stores.intro_emails.sent_at(lead_id)

    def mark_intro_email_sent(self, lead_id: int) -> None:
        """Record that the lead's intro email went out now (committed at once)."""
        self.stores.intro_emails.mark_sent(lead_id, self.clock.now())

    def summary(self, zone: str) -> SessionSummary | None:
        """This session's summary as of now, in the rep's ``zone``."""
        return summarize_session(self.stores.stats, self.session_id, self.clock.now(), zone)

    @property
    def export(self) -> Callable[[Path], int] | None:
        """Writes this session's calls as CSV to a path and returns how many
        (None when the stores keep nothing to export)."""
        export = self.stores.export
        return None if export is None else partial(export, self.session_id)

    def end(self) -> None:
        """End the session, so the next one starts afresh instead of resuming it.

        Breaks are already counted, one by one, by ``pause``; the rep's leads are let go."""
        self.calls.end_session(self.session_id, self.clock.now())
        self.let_go()
