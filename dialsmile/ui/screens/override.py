"""The override dialog: call a blocked lead anyway, with a reason that is logged."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from dialsmile.ui.text import lit


class OverrideScreen(ModalScreen[str | None]):
    """Say why a blocked lead is called anyway; returns the reason, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, name: str, blocked_because: str, who: str) -> None:
        super().__init__()
        self.lead_name = name
        self.blocked_because = blocked_because
        self.who = who

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = Text("Override: call ", style="bold")
            title.append_text(lit(self.lead_name, "bold"))
            title.append(" anyway?", style="bold")
            yield Label(title)
            blocked = Text("Blocked because: ", style="bold red")
            blocked.append_text(lit(self.blocked_because))
            yield Static(blocked)
            yield Label("Why is this call allowed? (logged with your name and the time)")
            yield Input(placeholder="e.g. they asked me to call at this hour", id="reason")
            yield Static("", id="problem")
            yield Static(
                f"Logged as {self.who} · Enter to override · Esc to cancel", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#problem", Static).update(
                Text("Type a reason, or Esc to cancel.", style="red")
            )
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
