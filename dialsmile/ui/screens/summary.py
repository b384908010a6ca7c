"""The end-of-session summary: what the rep did, the next callbacks, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from dialsmile.core.coach import SessionSummary
from dialsmile.errors import DialsmileError


class SummaryScreen(ModalScreen[str]):
    """The session summary; dismisses with ``quit`` or ``back``."""

    BINDINGS = [
        Binding("x", "export", "Export CSV", id="export"),
        Binding("q", "choose('quit')", "Quit", id="quit_summary"),
        Binding("escape", "choose('back')", "Back to calling", id="back"),
    ]

    def __init__(
        self,
        summary: SessionSummary,
        zone: str,
        export: Callable[[Path], int] | None,
        folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.summary = summary
        self.zone = zone
        self.export = export
        self.folder = folder or Path.cwd()

    def compose(self) -> ComposeResult:
        lines = self.summary.lines(self.zone, export_hint=False)
        text = Text(lines[0] + "\n", style="bold")
        for line in lines[1:]:
            text.append(line + "\n")
        keys = "[x] export session CSV · " if self.export else ""
        with Vertical(id="dialog", classes="wide"):
            yield Static(text, id="summary")
            yield Static("", id="exported")
            yield Static(Text(f"{keys}[q] quit · [esc] back to calling"), classes="hint")

    @property
    def export_path(self) -> Path:
        """Where [x] writes: a file named after the session in the current folder."""
        return self.folder / f"dialsmile-session-{self.summary.session_id}.csv"

    def action_export(self) -> None:
        out = self.query_one("#exported", Static)
        if self.export is None:
            out.update(Text("The demo keeps nothing to export.", style="dim"))
            return
        try:
            count = self.export(self.export_path)
        except DialsmileError as exc:
            out.update(Text(str(exc), style="bold red"))
            return
        out.update(Text(f"Wrote {count} calls to {self.export_path}", style="bold green"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
