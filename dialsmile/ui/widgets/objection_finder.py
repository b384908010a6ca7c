"""The quick objection finder: type what the prospect said, jump to the model answer."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from dialsmile.core.scripts import Objection, Script, find_objections
from dialsmile.ui.text import lit


class FinderInput(Input):
    """The text box of the finder; arrows step through matches, Esc closes."""

    BINDINGS = [
        Binding("escape", "close", "Close", show=False),
        Binding("down,tab", "step(1)", "Next match", show=False),
        Binding("up,shift+tab", "step(-1)", "Previous match", show=False),
    ]

    def action_close(self) -> None:
        finder = self.parent
        if isinstance(finder, ObjectionFinder):
            finder.close()

    def action_step(self, delta: int) -> None:
        finder = self.parent
        if isinstance(finder, ObjectionFinder):
            finder.step(delta)


class ObjectionFinder(Horizontal):
    """A one-line search box over the script's objections, hidden until opened."""

    DEFAULT_CSS = """
    ObjectionFinder { height: 1; display: none; background: $boost; }
    ObjectionFinder.open { display: block; }
    ObjectionFinder > #finder-label { width: auto; color: $accent; text-style: bold; padding: 0 1; }
    ObjectionFinder > FinderInput, ObjectionFinder > FinderInput:focus {
        width: 28; height: 1; border: none; padding: 0 1;
    }
    ObjectionFinder > #finder-status { width: 1fr; color: $text-muted; padding: 0 1; }
    """

    @dataclass
    class Selected(Message):
        """The objection to highlight (``None``: nothing matches)."""

        objection: Objection | None

    class Closed(Message):
        """The finder was closed; the highlight stays."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.script: Script | None = None
        self.matches: list[Objection] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Static("Objection /", id="finder-label")
        yield FinderInput(placeholder="what they said…", id="finder-input")
        yield Static(id="finder-status")

    @property
    def is_open(self) -> bool:
        return self.has_class("open")

    def open(self, script: Script | None) -> None:
        """Show the box with an empty query and focus it."""
        self.script = script
        self.add_class("open")
        box = self.query_one(FinderInput)
        box.value = ""
        self._search("")
        box.focus()

    def type(self, text: str) -> None:
        """Type ``text`` into the box (keys that came before it had focus)."""
        self.query_one(FinderInput).insert_text_at_cursor(text)

    def close(self) -> None:
        """Hide the box and give the keys back to the session."""
        self.remove_class("open")
        self.post_message(self.Closed())

    def step(self, delta: int) -> None:
        """Move to the next (or previous) match."""
        if self.matches:
            self.index = (self.index + delta) % len(self.matches)
            self._announce()

    @on(Input.Changed, "#finder-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted, "#finder-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close()

    def _search(self, query: str) -> None:
        self.matches = find_objections(self.script, query) if self.script else []
        self.index = 0
        self._announce()

    def _announce(self) -> None:
        status = self.query_one("#finder-status", Static)
        if self.script is None or not self.script.objections:
            status.update("This script has no objections.")
            self.post_message(self.Selected(None))
            return
        if not self.matches:
            status.update("No objection matches. Esc closes.")
            self.post_message(self.Selected(None))
            return
        found = self.matches[self.index]
        text = Text(f"{self.index + 1}/{len(self.matches)} ")
        text.append_text(lit(f'"{found.prompt}"', "bold"))
        text.append(" ↑↓ more · Esc close", style="dim")
        status.update(text)
        self.post_message(self.Selected(found))
