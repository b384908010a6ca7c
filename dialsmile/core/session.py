"""A calling session: the chunked queue, the next lead, outcomes and undo.

This is the session's logic without any screen: the Textual app, the tests
and any other front end drive it through ``CallSession``.
"""

from __future__ import annotations

import math
import shlex
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

import sqlite_utils

from dialsmile.compliance.engine import CallTarget, PastCall, Verdict, check
from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.outcomes import Cadence, lead_changes
from dialsmile.core.phone import PhoneNormalizer
from dialsmile.core.places import state_code
from dialsmile.core.scripts import Script
from dialsmile.storage.calls import AttemptRecord, CallStore, LeadView
from dialsmile.storage.leads import LeadList

PAGE = 50  # callbacks due looked at per pick
SCAN_LIMIT = 2_000  # leads looked at per pick before saying nothing is callable
RESUME_WINDOW = timedelta(hours=16)


@dataclass(frozen=True)
class Offer:
    """The lead on screen, why it was picked, and the guard's verdict."""

    lead: LeadView
    reason: str  # "callback due", "new", "retry"
    verdict: Verdict


@dataclass(frozen=True)
class Waiting:
    """A lead that cannot be called now, why, and when it next can be."""

    lead: LeadView
    why: str
    next_at: datetime | None


Guard = Callable[[LeadView, datetime], Verdict]


class CallSession:
    """One rep working one list in chunks."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        lead_list: LeadList,
        settings: Settings,
        clock: Clock,
        *,
        chunk_size: int | None = None,
        script: Script | None = None,
        resume: bool = True,
    ) -> None:
        self.calls = CallStore(db)
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
        self._chunk_leads = {lead for lead, _, chunk in handled if chunk == current_chunk}
        self._open_at_start = self.calls.open_count(lead_list.id)
        self.current: Offer | None = None
        self.shown_at: datetime | None = None
        self.dialed_at: datetime | None = None

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
        done_before = self.handled - len(self._chunk_leads)
        total = math.ceil((self._open_at_start + done_before) / self.chunk_size)
        return max(total, self.chunk)

    @property
    def chunk_done(self) -> bool:
        """True right after the last lead of a chunk was handled."""
        return self.handled > 0 and self.handled % self.chunk_size == 0

    # The queue

    def verdict(self, lead: LeadView, at: datetime | None = None) -> Verdict:
        """The calling-time guard for one lead, with its recent calls counted."""
        at = at or self.clock.now()
        found = state_code(lead.state) if lead.state else None
        target = CallTarget(
            e164=lead.phone,
            timezones=tuple(lead.timezones),
            state=found[1] if found else None,
            kind=self.list.kind,
        )
        history = [PastCall(when, outcome) for when, outcome, _ in lead.history]
        return check(target, at, history)

    def _callable(self, lead: LeadView, now: datetime) -> Verdict | None:
        # A booked callback that comes due is an appointment: it may come back
        # within the chunk; anything else is offered once per chunk.
        if lead.id in self._chunk_leads and lead.status != "callback":
            return None
        if self.calls.dnc_source(lead.phone):
            return None
        lead.history = self.calls.history(lead.id) if lead.attempts else []
        verdict = self.verdict(lead, now)
        return verdict if verdict.allowed else None

    def advance(self) -> Offer | None:
        """Pick the next lead to show (None when nothing is callable now)."""
        now = self.clock.now()
        self.current = self._find(now)
        self.shown_at = now if self.current else None
        self.dialed_at = None
        return self.current

    def _find(self, now: datetime) -> Offer | None:
        sources: list[tuple[str, Iterable[LeadView]]] = [
            ("callback due", self.calls.due_callbacks(self.list.id, now, PAGE)),
            ("new", islice(self.calls.fresh_leads(self.list.id), SCAN_LIMIT)),
            ("retry", islice(self.calls.due_retries(self.list.id, now), SCAN_LIMIT)),
        ]
        for reason, leads in sources:
            for lead in leads:
                verdict = self._callable(lead, now)
                if verdict:
                    return Offer(lead, reason, verdict)
        return None

    def waiting(self, limit: int = 40) -> list[Waiting]:
        """Leads not offered now with the reason and the next moment each can be called."""
        now = self.clock.now()
        out: list[Waiting] = []
        seen: set[int] = set()
        candidates: list[LeadView] = [
            *self.calls.due_callbacks(self.list.id, now, limit),
            *islice(self.calls.fresh_leads(self.list.id), limit * 3),
            *islice(self.calls.due_retries(self.list.id, now), limit),
            *self.calls.waiting_later(self.list.id, now, limit),
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

    def _why(self, lead: LeadView, now: datetime) -> Waiting | None:
        if self.current and self.current.lead.id == lead.id:
            return None
        source = self.calls.dnc_source(lead.phone)
        if source:
            return Waiting(lead, f"on the {source} do-not-call list", None)
        if lead.status == "callback" and lead.callback_at and lead.callback_at > now:
            return Waiting(lead, "callback booked", lead.callback_at)
        if lead.status == "retry" and lead.next_call_at and lead.next_call_at > now:
            return Waiting(
                lead, f"retry cool-down after {lead.last_outcome or 'a call'}", lead.next_call_at
            )
        lead.history = self.calls.history(lead.id)
        verdict = self.verdict(lead, now)
        if not verdict.allowed:
            return Waiting(lead, "; ".join(verdict.reasons), verdict.next_allowed_at)
        if lead.id in self._chunk_leads:
            return Waiting(lead, "already offered in this chunk", None)
        return None

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

    def record(
        self, outcome: Outcome, *, note: str = "", callback_at: datetime | None = None
    ) -> None:
        """Save the outcome for the current lead (committed), then move on."""
        if self.current is None:
            return
        lead = self.current.lead
        now = self.clock.now()
        started = self.dialed_at or now
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
            duration_s=(now - self.dialed_at).total_seconds() if self.dialed_at else None,
            note=note,
            callback_at=callback_at,
            script=self.script.name if self.script else None,
            script_version=self.script.version if self.script else None,
            chunk=self.chunk,
        )
        dnc_reason = (
            f"asked not to be called (session {self.session_id})"
            if outcome is Outcome.DO_NOT_CALL
            else ""
        )
        self.calls.record(attempt, changes, dnc_reason)
        self.handled += 1
        self._chunk_leads.add(lead.id)
        self.current = None

    def start_next_chunk(self) -> None:
        """Forget which leads this chunk offered; call after the break screen."""
        self._chunk_leads.clear()

    def undo(self) -> LeadView | None:
        """Revert the session's last outcome and show that lead again."""
        lead_id = self.calls.undo_last(self.session_id)
        if lead_id is None:
            return None
        self.handled = max(0, self.handled - 1)
        self._chunk_leads.discard(lead_id)
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

    def end(self, paused_s: float = 0.0) -> None:
        self.calls.end_session(self.session_id, self.clock.now(), paused_s)
