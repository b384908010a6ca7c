"""The session screen's layout, and the frame painted with it while a session opens.

This module imports nothing heavier than Textual and Rich, so the CLI can paint the
session layout before the compliance rules, phone metadata and stores load.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from dialsmile.ui.keys import legend
from dialsmile.ui.text import lit
from dialsmile.ui.widgets.script_panel import ScriptPanel


def session_layout(
    finder: Widget | None, stats: Widget, header: Text | None = None, card: Text | None = None
) -> ComposeResult:
    """Header, lead card and notes beside the script, the legend, the stats bar, the footer."""
    yield Static(header or "", id="header")
    with Horizontal(id="main"):
        with Vertical(id="lead-pane"):
            yield Static(card or "", id="card")
            with VerticalScroll(id="notes-scroll"):
                yield Static(id="notes")
        yield ScriptPanel(id="script-pane")
    if finder is not None:
        yield finder
    yield Legend(Text(Legend.shown), id="legend")
    yield stats
    yield Footer()


class Legend(Static):
    """The key legend, flowed onto more lines where the terminal is too narrow for two."""

    shown = legend()

    def on_resize(self) -> None:
        text = legend(width=self.content_size.width)
        if text != self.shown:
            self.shown = text
            self.update(Text(text))


def session_header(
    list_name: str, status: str, banner: str, now: datetime, rep_zone: str, warning: str = ""
) -> Text:
    """The session header: the app's name (or a red ``warning``), the list, ``status``,
    the banner and the rep's local weekday and time."""
    if warning:
        text = Text(f" ⚠ {warning} ", style="bold white on red")
        text.append(" List: ")
    else:
        text = Text(" dialsmile · List: ")
    text.append_text(lit(list_name))
    text.append(f" · {status}")
    if banner:
        text.append(f" · {banner}", style="yellow")
    text.append(f"   {now.astimezone(ZoneInfo(rep_zone)):%a %H:%M} local")
    return text


class OpeningScreen(Screen[None]):
    """The session layout, painted at once while the session opens behind it.

    Outcome keys do nothing here: no lead is on screen yet.
    """

    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def __init__(self, list_name: str, now: datetime, rep_zone: str, banner: str = "") -> None:
        super().__init__()
        self.list_name = list_name
        self.now = now
        self.rep_zone = rep_zone
        self.banner = banner

    def compose(self) -> ComposeResult:
        header = session_header(self.list_name, "opening…", self.banner, self.now, self.rep_zone)
        card = Text("Finding the next lead you can call now…", style="bold")
        yield from session_layout(None, Static(id="stats"), header, card)
