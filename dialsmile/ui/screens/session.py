"""The session screen: the next prospect, the script, one key per outcome."""

from __future__ import annotations

import gc
import importlib
from datetime import datetime
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession, Keyed, Offer
from dialsmile.core.stats import Attempt
from dialsmile.errors import DialsmileError, ServerGone
from dialsmile.text import plural, when_text
from dialsmile.ui.format import lead_card, notes_text
from dialsmile.ui.keys import bindings
from dialsmile.ui.screens.layout import session_header, session_layout
from dialsmile.ui.screens.momentum import MomentumCommands, MomentumPanel
from dialsmile.ui.screens.reconnect import BACK, Reconnect, needs_server
from dialsmile.ui.screens.script_tools import ScriptTools
from dialsmile.ui.text import lit
from dialsmile.ui.widgets.objection_finder import ObjectionFinder
from dialsmile.ui.widgets.repaint import show
from dialsmile.ui.widgets.stats_bar import StatsBar


def _warm(freeze: bool) -> None:
    """Load, while the rep reads the first lead, what a later lead may need.

    The holiday calendars and the screens keys open (callback, note, help...)
    are left off the path to the first lead; a key should not pay for loading
    them. With ``freeze``, everything loaded so far (Textual, the rules, phone
    metadata: about 100k objects) is then kept out of the garbage collector's
    way for the rest of the session: a full collection walked it all, about
    65 ms, at the moment of some unlucky key. A headless app (the tests')
    ends in seconds and is not frozen. The collector, paused while the
    session started (``commands.session.run_session``), runs again from here.
    """
    from dialsmile.compliance.rules import supported_countries

    supported_countries()
    for module in ("modals", "override", "summary"):
        importlib.import_module(f"dialsmile.ui.screens.{module}")
    importlib.import_module("dialsmile.io.export")  # the intro email's file
    if freeze:
        gc.freeze()
    gc.enable()


class SessionScreen(ScriptTools):
    """One lead at a time; every key saves at once."""

    BINDINGS = bindings()
    COMMANDS = {MomentumCommands}

    def __init__(self, session: CallSession, rep_zone: str, banner: str = "") -> None:
        super().__init__()
        self.session = session
        self.rep_zone = rep_zone
        self.banner = banner
        self.momentum = MomentumPanel(self, session, rep_zone)
        self.call_note = ""
        self.paused_s = 0.0
        self.message = ""
        self.link = Reconnect(self, session, self._back, self._render_header)
        self.ahead_tried: Offer | None = None  # the lead on screen when last read ahead
        self.ahead_for: Offer | None = None  # ... when that found the next lead

    def compose(self) -> ComposeResult:
        yield from session_layout(ObjectionFinder(id="finder"), StatsBar(id="stats"))

    def on_mount(self) -> None:
        if self.session.current is None:
            self.session.advance()
        self.refresh_all()
        self.set_interval(1, self._tick)
        self.set_interval(1, self._keep_ahead)
        self.set_interval(30, self._recheck)
        warm = partial(_warm, not self.app.is_headless)
        self.call_after_refresh(self.run_worker, warm, thread=True, group="warm")
        self.call_after_refresh(self._read_ahead)

    # Rendering

    def _now(self) -> datetime:
        return self.session.clock.now()

    def _tick(self) -> None:
        try:
            self._render_header()
            self._render_stats()
        except ServerGone:
            self.link.lost()

    def _recheck(self) -> None:
        session = self.session
        if session.current is not None and not self.link.waiting:
            try:
                said = session.keep_hold()
            except ServerGone:
                self.link.lost()
                return
            if said:
                self._back(None, said)
            return
        if session.current is None and not session.chunk_done and not self.link.waiting:
            reading = session.more_to_read
            try:
                session.advance()
            except ServerGone:
                self.link.lost()
                return
            if session.current is not None or reading:
                self.refresh_all()

    def refresh_all(self) -> None:
        self._render_header()
        self._render_lead()
        self._render_stats()

    def _render_header(self) -> None:
        s = self.session
        text = session_header(
            s.list.name,
            f"Chunk {s.chunk}/{s.chunks_text} · lead {s.position}/{s.chunk_length}",
            self.banner,
            self._now(),
            self.rep_zone,
            self.link.status or ("NATIONAL DNC COPY OUT OF DATE" if s.dnc_warning() else ""),
        )
        show(self.query_one("#header", Static), text)

    def _render_lead(self) -> None:
        offer = self.session.current
        card = self.query_one("#card", Static)
        notes = self.query_one("#notes", Static)
        if offer is None:
            if self.session.more_to_read:
                # A long run of leads outside their hours: read on between frames.
                self.set_timer(0.01, self._recheck)
            show(card, self._nothing_callable())
            show(notes, "")
            self.render_script(None)
            return
        lead = offer.lead
        status = self.session.light(offer)
        allowed = status is not None and status.colour != "red"
        caution = status.text if status is not None and status.colour == "amber" else ""
        reasons = [status.text] if status is not None else list(offer.verdict.reasons)
        text = lead_card(lead, self._now(), allowed, reasons, caution)
        if offer.reason == "callback due" and lead.callback_at:
            text.append(
                f"Callback booked for {when_text(lead.callback_at, self._now(), self.rep_zone)}\n",
                style="bold magenta",
            )
        if self.call_note:
            text.append("Call note: ", style="dim")
            text.append_text(lit(self.call_note))
            text.append("\n")
        text.append_text(self.intro_line(lead))
        if self.message:
            text.append(self.message + "\n", style="italic yellow")
        warning = self.session.dnc_warning()
        if warning:
            text.append(f"⚠ {warning[0].upper()}{warning[1:]}\n", style="bold red")
        show(card, text, keep_height=True)
        show(notes, notes_text(lead))
        notes_scroll = self.query_one("#notes-scroll", VerticalScroll)
        if notes_scroll.scroll_y:  # a new lead's notes start at their top
            notes_scroll.scroll_home(animate=False, immediate=True)
        self.render_script(lead)

    def _nothing_callable(self) -> Text:
        if self.session.more_to_read:
            return Text(
                "Looking further down the list for a lead you can call now…\n", style="bold"
            )
        waiting = self.session.waiting(limit=40)
        out = Text("Nothing to call right now.\n", style="bold")
        timed = [w for w in waiting if w.next_at is not None]
        if timed:
            first = timed[0]
            out.append("Next: ")
            out.append_text(lit(first.lead.display_name))
            out.append(f" at {when_text(first.next_at, self._now(), self.rep_zone)}")
        else:
            out.append("No open lead can be called later either.")
        out.append(f" · {plural(len(waiting), 'lead')} waiting · [w] why\n")
        out.append(
            "Meanwhile: read the script, practise your opening, or take a break [p].\n", style="dim"
        )
        if self.message:
            out.append(self.message + "\n", style="italic yellow")
        return out

    def _render_stats(self) -> None:
        if not self.link.waiting:  # the bar reads the server; it keeps its last figures
            self.momentum.render()

    # Reading ahead

    def _read_ahead(self) -> None:
        """Once a lead is painted, read the lead that comes after it (``CallSession.read_ahead``)
        while the rep is on it, and fill its script: the outcome key then only checks and
        claims it, and paints it."""
        current = self.ahead_tried = self.session.current
        self.ahead_for = None
        if current is None or self.link.waiting:
            return
        try:
            offer = self.session.read_ahead()
        except ServerGone:
            return  # the key reads the queues, and finds the server away
        if offer is not None:
            self.ahead_for = current
            self.prepare_script(offer.lead)

    def _keep_ahead(self) -> None:
        """Each second: read ahead for a lead put on screen other than by a key (undo,
        override, a new chunk), and again when time made the lead read ahead stale (a
        callback came due, a window opened) while the rep is still on the same lead."""
        current = self.session.current
        if current is None:
            return
        stale = current is self.ahead_for and not self.session.ahead_holds()
        if current is not self.ahead_tried or stale:
            self._read_ahead()

    # Actions

    def action_outcome(self, value: str) -> None:
        self._record(Outcome(value))

    def _record(self, outcome: Outcome, callback_at: datetime | None = None) -> None:
        if self.session.current is None:
            self.message = "No lead on screen."
            self._render_lead()
            return
        if self.link.held is not None:
            self.message = "Not taken: your last key waits for the server to come back."
            self.notify(self.message, severity="warning")
            return
        key = self.session.keyed(outcome, note=self.call_note, callback_at=callback_at)
        if key is None:  # the lead went with the server's answer a moment ago
            return
        if self.link.waiting:
            self._hold(key)
            return
        try:
            attempt = self.session.save(key)
        except ServerGone:
            self._hold(key)
            return
        except DialsmileError as exc:
            self.message = f"Not saved: {exc}"
            self.notify(str(exc), severity="error")
            self._render_lead()
            return
        self.message = ""
        self._moved_on(attempt)

    def _moved_on(self, attempt: Attempt | None) -> None:
        """After a key was saved (or the lead let go): the next lead, or the break."""
        if attempt is not None:
            self.momentum.add(attempt)
            self.call_note = ""
        if self.session.chunk_done:
            self._render_header()
            self._render_stats()
            self._show_break()
            return
        try:
            if self.session.current is None:
                self.session.advance()
            self._render_header()
            self._render_lead()
        except ServerGone:
            self.link.lost()
            return
        # The next lead first; the momentum bar follows in the next frame, then the lead
        # after it is read ahead.
        self.call_after_refresh(self._render_stats)
        self.call_after_refresh(self._read_ahead)

    def _hold(self, key: Keyed) -> None:
        """A key the server is away for: held, and saved once it is back."""
        self.message = f"Not saved yet: {key.record.outcome} is held until the server is back."
        self.notify(self.message, severity="warning")
        self.link.lost(key)

    def _back(self, attempt: Attempt | None, said: str) -> None:
        """What became of the held key (the server is back) or of the lead on screen
        (its hold ran out) is said on the next lead."""
        self.message = said
        self.notify(said, severity="warning" if attempt is None and said != BACK else "information")
        self._moved_on(attempt)

    @needs_server
    def action_callback(self) -> None:
        offer = self.session.current
        if offer is None:
            return
        zones = offer.lead.timezones
        prospect_zone = zones[0] if zones else self.rep_zone

        def check(moment: datetime) -> tuple[bool, str]:
            verdict = self.session.verdict(offer.lead, moment)
            return verdict.allowed, "; ".join(verdict.reasons)

        def booked(moment: datetime | None) -> None:
            if moment is not None:
                self._record(Outcome.CALLBACK, callback_at=moment)

        from dialsmile.ui.screens.modals import CallbackScreen

        self.callback_box = CallbackScreen(
            offer.lead.display_name, prospect_zone, self.rep_zone, self._now(), check
        )
        self.app.push_screen(self.callback_box, booked)

    @needs_server
    def action_undo(self) -> None:
        lead = self.session.undo()
        if lead is None:
            self.message = "Nothing to undo in this session."
        else:
            self.momentum.undo()
            self.message = "Undone: the last outcome was taken back."
        self.refresh_all()

    @needs_server
    def action_note(self) -> None:
        offer = self.session.current
        if offer is None:
            return

        def saved(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            self.call_note, notes = result
            if notes != offer.lead.notes:
                self.session.save_notes(notes)
            self._render_lead()

        from dialsmile.ui.screens.modals import NoteScreen

        self.app.push_screen(
            NoteScreen(offer.lead.display_name, offer.lead.notes, self.call_note),
            self.link.guarded(saved),
        )

    @needs_server
    def action_dial(self) -> None:
        if self.session.current is None:
            return
        error = self.session.dial()
        self.message = error or ""
        if error:
            self.notify(error, severity="error")
        self._render_lead()
        self._render_stats()

    @needs_server
    def action_pause(self) -> None:
        def resumed(seconds: float | None) -> None:
            if seconds:
                self.paused_s += seconds
                self.session.pause(seconds)
                self.momentum.paused(seconds)

        from dialsmile.ui.screens.modals import PauseScreen

        self.app.push_screen(PauseScreen(self._now), self.link.guarded(resumed))

    @needs_server
    def action_why(self) -> None:
        from dialsmile.ui.screens.modals import WhyScreen

        self.app.push_screen(WhyScreen(self.session.waiting(), self._now(), self.rep_zone))

    @needs_server
    def action_override(self) -> None:
        s = self.session
        if not s.settings.allow_overrides:
            self.message = "Overrides are off (allow_overrides = true in settings turns them on)."
            self._render_lead()
            return
        lead = s.override_candidate()
        if lead is None:
            self.message = "Nothing blocked to override: the lead on screen can be called."
            if s.current is None:
                self.message = "No blocked lead to override (do-not-call is never overridable)."
            self._render_lead()
            return
        hit = s.dnc_block(lead.phone)
        if hit is not None:
            self.message = s.override(lead, "") or ""
            self._render_lead()
            return
        blocked = "; ".join(s.verdict(lead).reasons)

        def chosen(reason: str | None) -> None:
            if reason is None:
                return
            error = s.override(lead, reason)
            self.message = error or f"Override logged ({s.settings.rep_name}): {reason}"
            self.refresh_all()

        from dialsmile.ui.screens.override import OverrideScreen

        self.app.push_screen(
            OverrideScreen(lead.display_name, blocked, s.settings.rep_name), chosen
        )

    def action_help(self) -> None:
        from dialsmile.ui.screens.modals import HelpScreen

        self.app.push_screen(HelpScreen(self.session.cadence))

    def action_quit(self) -> None:
        if self.link.may_quit():
            self.app.exit()

    def _show_break(self) -> None:
        def next_chunk() -> None:
            self.session.start_next_chunk()
            self.session.advance()
            self.refresh_all()

        self.momentum.show_break(next_chunk, self.app.exit)

    @needs_server
    def action_end_session(self) -> None:
        """Show the session summary (export, quit, or back to calling)."""
        self.momentum.end_session()
