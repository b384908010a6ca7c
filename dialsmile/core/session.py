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

import sqlite_utils

from dialsmile.compliance.engine import CallTarget, PastCall, Verdict, check
from dialsmile.config import Clock, Settings
from dialsmile.core.guard import HISTORY_DAYS, Light, blocking, dnc_label, light, stale_copy_warning
from dialsmile.core.models import Outcome
from dialsmile.core.outcomes import Cadence, lead_changes
from dialsmile.core.phone import PhoneNormalizer
from dialsmile.core.places import state_code
from dialsmile.core.scripts import Script
from dialsmile.storage.calls import AttemptRecord, CallStore, LeadView
from dialsmile.storage.dnc import DncEntry, DncStore, Override
from dialsmile.storage.leads import LeadList

PAGE = 50  # callbacks due looked at per pick
SCAN_LIMIT = 2_000  # leads looked at per pick before saying nothing is callable
RESUME_WINDOW = timedelta(hours=16)
CHUNKS_COUNTED = 1_000  # open leads are counted up to this many chunks, whatever the list size
_OPEN = ("new", "retry", "callback")


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
        self.dnc = DncStore(db)
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
        # Leads found blocked while picking, and until when (None: for this
        # chunk), so the next picks pass over them without asking again.
        self._held: dict[int, datetime | None] = {}
        cap = CHUNKS_COUNTED * self.chunk_size
        self._open_at_start = self.calls.open_count(lead_list.id, cap=cap)
        self.chunks_capped = self._open_at_start >= cap
        self.current: Offer | None = None
        self.shown_at: datetime | None = None
        self.dialed_at: datetime | None = None
        self.caller: str | None = None  # the rep's number to dial from (recorded)

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
    def chunks_text(self) -> str:
        """The chunk total for the screen: "8", or "1000+" for a list too long to count."""
        return f"{self.chunks}+" if self.chunks_capped else str(self.chunks)

    @property
    def chunk_done(self) -> bool:
        """True right after the last lead of a chunk was handled."""
        return self.handled > 0 and self.handled % self.chunk_size == 0

    # The queue

    def _target(self, lead: LeadView) -> CallTarget:
        found = state_code(lead.state) if lead.state else None
        return CallTarget(
            e164=lead.phone,
            timezones=tuple(lead.timezones),
            state=found[1] if found else None,
            kind=self.list.kind,
        )

    def _past_calls(self, lead: LeadView, at: datetime) -> list[PastCall]:
        """Every call to the lead in the last 400 days (caps, Washington's year after a no)."""
        if not lead.attempts:
            return []
        since = at - timedelta(days=HISTORY_DAYS)
        return [PastCall(when, outcome) for when, outcome in self.calls.calls_since(lead.id, since)]

    @property
    def min_gap(self) -> timedelta | None:
        """The user's minimum gap between calls to one number (None when 0)."""
        minutes = self.settings.min_gap_minutes
        return timedelta(minutes=minutes) if minutes > 0 else None

    def verdict(self, lead: LeadView, at: datetime | None = None) -> Verdict:
        """The calling-time guard for one lead, with its calls of the last 400 days counted."""
        at = at or self.clock.now()
        return check(self._target(lead), at, self._past_calls(lead, at), min_gap=self.min_gap)

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
        verdict = check(target, now, history, min_gap=self.min_gap)
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

    def _callable(self, lead: LeadView, now: datetime) -> Verdict | None:
        # Past calls can only block more (caps, refusals, gaps): ask the cheap
        # question first, so leads outside their hours cost no database reads.
        quick = check(self._target(lead), now, (), min_gap=self.min_gap)
        if not quick.allowed:
            self._held[lead.id] = quick.next_allowed_at
            return None
        if self.dnc_block(lead.phone) is not None:
            self._held[lead.id] = None
            return None
        if not lead.attempts:
            lead.history = []
            return quick
        lead.history = self.calls.history(lead.id)
        verdict = self.verdict(lead, now)
        if not verdict.allowed:
            self._held[lead.id] = verdict.next_allowed_at
            return None
        return verdict

    def _still_held(self, now: datetime) -> set[int]:
        """Leads found blocked by an earlier pick that are still blocked at ``now``."""
        self._held = {
            lead: until for lead, until in self._held.items() if until is None or until > now
        }
        return set(self._held)

    def advance(self) -> Offer | None:
        """Pick the next lead to show (None when nothing is callable now)."""
        now = self.clock.now()
        self.current = self._find(now)
        self.shown_at = now if self.current else None
        self.dialed_at = None
        return self.current

    def _find(self, now: datetime) -> Offer | None:
        held = self._still_held(now)
        # A booked callback that comes due is an appointment: it may come back
        # within the chunk; anything else is offered once per chunk.
        passed = held | self._chunk_leads
        list_id = self.list.id
        sources: list[tuple[str, Iterable[LeadView]]] = [
            ("callback due", self.calls.due_callbacks(list_id, now, PAGE, held)),
            ("new", self.calls.fresh_leads(list_id, SCAN_LIMIT, passed)),
            ("retry", self.calls.due_retries(list_id, now, SCAN_LIMIT, passed)),
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
            *self.calls.fresh_leads(self.list.id, limit * 3),
            *self.calls.due_retries(self.list.id, now, limit),
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

    def _why(self, lead: LeadView, now: datetime) -> Waiting | None:
        if self.current and self.current.lead.id == lead.id:
            return None
        hit = self.dnc_block(lead.phone)
        if hit is not None:
            return Waiting(lead, dnc_label(hit), None)
        if lead.status == "dnc":
            return Waiting(lead, "marked do-not-call", None)
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
            caller=self.caller,
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
        self._held.clear()

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
