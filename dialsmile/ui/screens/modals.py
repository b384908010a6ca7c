"""Dialogs over the session: callback time, notes, help, why, break, pause."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from dialsmile.compliance.zones import zone_name
from dialsmile.core.outcomes import Cadence
from dialsmile.core.phone import format_for_reading
from dialsmile.core.session import Waiting
from dialsmile.core.when import UnreadableTime, parse_when
from dialsmile.text import column, moment_text, when_text
from dialsmile.ui.keys import help_keys
from dialsmile.ui.text import lit


class CallbackScreen(ModalScreen[datetime | None]):
    """Ask when to call back; show how the text was read in both zones."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+t", "toggle_zone", "Whose time"),
    ]

    def __init__(
        self,
        name: str,
        prospect_zone: str,
        rep_zone: str,
        now: datetime,
        check: Callable[[datetime], tuple[bool, str]],
    ) -> None:
        super().__init__()
        self.lead_name = name
        self.prospect_zone = prospect_zone
        self.rep_zone = rep_zone
        self.now = now
        self.check = check
        self.use_prospect_zone = True
        self.moment: datetime | None = None
        self.allowed = False  # the moment read is inside the prospect's calling hours
        self.confirmed: datetime | None = None  # a time outside calling hours, Enter pressed once
        self.ready = False  # mounted: keys reach the box itself
        self._ahead: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(f"Callback for {self.lead_name}", style="bold"), id="title")
            # The date example is a week ahead, so it never shows a day already past.
            example = f"{self.now + timedelta(days=7):%Y-%m-%d} 09:00"
            yield Input(placeholder=f"tomorrow 3pm · next tue 10:30 · in 2h · {example}", id="when")
            yield Static("", id="readback")
            yield Static(
                "Enter to book · Esc to cancel · Ctrl+T switches whose time you type",
                classes="hint",
            )

    def on_mount(self) -> None:
        self._show("")
        self.call_after_refresh(self._replay)

    def _replay(self) -> None:
        self.ready = True
        for key, character in self._ahead:
            self.type_ahead(key, character)
        self._ahead.clear()

    def type_ahead(self, key: str, character: str | None) -> None:
        """A key typed right after "c", before this screen could take it (kept until mounted)."""
        if not self.ready:
            self._ahead.append((key, character))
            return
        box = self.query_one("#when", Input)
        if key == "enter":
            self._submit(box.value)
        elif key == "escape":
            self.action_cancel()
        elif key == "backspace":
            box.action_delete_left()
        elif character and character.isprintable():
            box.insert_text_at_cursor(character)

    @property
    def zone(self) -> str:
        return self.prospect_zone if self.use_prospect_zone else self.rep_zone

    def _show(self, text: str, warning: str = "") -> None:
        readback = self.query_one("#readback", Static)
        whose = "their" if self.use_prospect_zone else "your"
        if not text.strip():
            self.moment = None
            shown = zone_name(self.zone, self.now)
            readback.update(Text(f"Type a time ({whose} time: {shown}).", style="dim"))
            return
        try:
            moment = parse_when(text, self.now, self.zone)
        except UnreadableTime as exc:
            self.moment = None
            readback.update(Text(str(exc), style="red"))
            return
        self.moment = moment
        allowed, why = self.check(moment)
        self.allowed = allowed
        out = Text("Read as: ")
        out.append(moment_text(moment, self.prospect_zone), style="bold")
        out.append(f" {zone_name(self.prospect_zone, moment)}, {self.lead_name}'s time\n")
        out.append(f"         = {moment_text(moment, self.rep_zone)} your time · ")
        out.append(
            "inside calling hours ✓" if allowed else f"outside calling hours ✗ ({why})",
            style="green" if allowed else "yellow",
        )
        if warning:
            out.append(f"\n{warning}", style="bold yellow")
        readback.update(out)

    @on(Input.Changed, "#when")
    def _changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#when")
    def _submitted(self, event: Input.Submitted) -> None:
        self._submit(event.value)

    def _submit(self, value: str) -> None:
        """Book the time read; one outside calling hours needs Enter twice."""
        self._show(value)
        moment = self.moment
        if moment is None:
            if not value.strip():
                self.query_one("#readback", Static).update(
                    Text("Type when to call back, or Esc to cancel.", style="red")
                )
            return
        if self.allowed or self.confirmed == moment:
            self.dismiss(moment)
            return
        self.confirmed = moment
        self._show(
            value,
            "They cannot be called then: the lead comes up at the first moment the calling "
            "rules allow after it. Enter again to book it anyway, or type another time.",
        )

    def action_toggle_zone(self) -> None:
        self.use_prospect_zone = not self.use_prospect_zone
        self._show(self.query_one("#when", Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[tuple[str, str] | None]):
    """Edit the lead's research notes and add a note for this call."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, name: str, notes: str, call_note: str) -> None:
        super().__init__()
        self.lead_name = name
        self.notes = notes
        self.call_note = call_note

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            yield Label(Text(f"Notes for {self.lead_name}", style="bold"))
            yield Label("Call note (saved with this call's outcome):")
            yield Input(self.call_note, id="call-note")
            yield Label("Research notes (kept on the lead):")
            yield TextArea(self.notes, id="notes", soft_wrap=True)
            yield Static("Ctrl+S to save · Esc to cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#call-note", Input).focus()

    @on(Input.Submitted, "#call-note")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(
            (self.query_one("#call-note", Input).value, self.query_one("#notes", TextArea).text)
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


HELP = """\
Keys (one key per outcome; each is saved the moment you press it)

{keys}

Attempts: buyers often need many attempts (Vorsight/TOPO: about 18 dials per
connect on switchboard numbers, 12.7 on direct numbers). Keep going.
Practitioners say most reps stop after about 4 attempts (a weak, unsourced
figure); the card says so from the 5th attempt on.

Momentum bar (your own numbers; nobody else sees them, no rankings):
  Today      dials (every outcome but a skip), connects (a person picked up:
             yes, no, hang-up, callback, do-not-call), dials per hour of
             active time (after 5 minutes), streak (dials in a row; a skip
             ends it)
  Goal       today's dials against daily_goal (settings, default 50)
  Chunk      leads handled in this chunk; then the hours of today, dials
             per hour as a sparkline
  last dial  turns amber after idle_minutes (default 5) with a nudge
  ~1 yes in N · ~M to go
             N is (your dials + 50) / (your yeses + 1) over your last
             5,000 dials (a weak prior of 1 yes per 50 dials that your own
             rate soon replaces), made at your last yes or the start of the
             day and then kept, so each dial counts M down and fills the
             meter. An average, not a promise: each dial is its own chance
             and a yes is never "due".
  from ...0100  with caller_numbers set: the number to dial from next (the
             least used today) and its dials today. Vendors advise about
             100 calls a day per number at most, or it may be labelled
             "Spam Likely" (Arbeit, Dialpad support pages).
Best hours (connects per dial by hour and weekday) are in the summary and in
`dialsmile stats` once you have 100 dials. Messages: messages.toml in your
config folder (start from assets/coach/messages.toml in the repository).

Calling hours: a lead is offered only when it is inside the allowed hours in
every time zone its number may be in. This is an aid, not legal advice.
"""


class HelpScreen(ModalScreen[None]):
    """All keys and what each outcome means, with the rep's own retry cadence."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, cadence: Cadence) -> None:
        super().__init__()
        self.cadence = cadence

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="wide"):
            yield Static(Text(HELP.format(keys=help_keys(self.cadence.retry_text))))
            yield Static("Esc to close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


WHY_TABLE_WIDTH = 100
"""Terminal width from which the why panel lays its leads out as a table."""


class WhyScreen(ModalScreen[None]):
    """Leads that are waiting, why, and when each becomes callable."""

    BINDINGS = [Binding("escape,q,w", "close", "Close")]

    def __init__(self, waiting: list[Waiting], now: datetime, rep_zone: str) -> None:
        super().__init__()
        self.waiting = waiting
        self.now = now
        self.rep_zone = rep_zone

    def compose(self) -> ComposeResult:
        local = self.now.astimezone(ZoneInfo(self.rep_zone))
        out = Text()
        out.append(f"Waiting leads ({len(self.waiting)})", style="bold")
        out.append(f"      now {local:%H:%M} your time\n\n")
        # A terminal too narrow for the four columns (they take 64 cells before the
        # reason) gets each lead on two lines: who and the number, then when and why.
        narrow = self.app.size.width < WHY_TABLE_WIDTH
        if not self.waiting:
            out.append("Nothing is waiting: every open lead can be called now.", style="dim")
        elif not narrow:
            out.append(f"{'Lead':<23}{'Number':<18}{'Callable from':<23}Why\n", style="dim")
        for item in self.waiting:
            when = when_text(item.next_at, self.now, self.rep_zone) if item.next_at else item.later
            if narrow:
                out.append_text(lit(item.lead.display_name, "bold"))
                out.append(f"  {format_for_reading(item.lead.phone)}\n  ")
                out.append(when, style="bold")
                out.append(": ")
            else:
                out.append_text(lit(column(item.lead.display_name, 22) + " "))
                out.append(format_for_reading(item.lead.phone).ljust(18))
                out.append(when.ljust(23), style="bold")
            out.append_text(lit(item.why))
            out.append("\n")
        with VerticalScroll(id="dialog", classes="wide"):
            yield Static(out)
            yield Static("Esc to close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)


class PauseScreen(ModalScreen[float]):
    """A break: the session clock stops; any key resumes.

    ``now`` is the session's clock, so a break lasts what that clock says.
    """

    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.now = now
        self.started = now()

    def _seconds(self) -> float:
        return (self.now() - self.started).total_seconds()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("On a break", style="bold"))
            yield Static("Stand up, breathe, drink some water. The clock is paused.")
            yield Static("", id="elapsed")
            yield Static("Press any key to resume.", classes="hint")

    def on_mount(self) -> None:
        self.set_interval(1, self._tick)

    def _tick(self) -> None:
        seconds = int(self._seconds())
        self.query_one("#elapsed", Static).update(f"Paused {seconds // 60}:{seconds % 60:02d}")

    def on_key(self, event: Key) -> None:
        event.stop()
        self.dismiss(self._seconds())


class BreakScreen(ModalScreen[str]):
    """Between chunks: the chunk's numbers and a suggested break."""

    BINDINGS = [
        Binding("enter", "choose('next')", "Next chunk"),
        Binding("E", "choose('end')", "End session"),
        Binding("q", "choose('quit')", "Quit"),
    ]

    def __init__(self, summary: Text) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            yield Static(self.summary)
            yield Static(Text("[enter] next chunk · [E] end session · [q] quit"), classes="hint")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
