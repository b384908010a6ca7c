"""The script panel: one widget per block, so a new lead repaints only what changed."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from dialsmile.ui.widgets.repaint import show


class ScriptPanel(VerticalScroll):
    """A scrolling script made of blocks (see ``format.script_blocks``).

    Most of a script reads the same for every lead; only the lines with
    merge fields change. ``show`` repaints just those blocks, and only the
    ones in view (or above it): blocks below the view catch up when the
    panel scrolls or grows. Nobody can read them before that, and touching
    widgets out of view makes Textual arrange the whole screen again.
    """

    DEFAULT_CSS = """
    ScriptPanel > Static {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: list[Text] = []  # what the script says now
        self._shown: list[Text] = []  # what each block widget displays
        self._statics: list[Static] = []

    @property
    def text(self) -> Text:
        """The whole script as one Text."""
        return Text("\n").join(self._blocks)

    def show(self, blocks: list[Text], focus: int | None = None, *, home: bool = False) -> None:
        """Show ``blocks``; scroll block ``focus`` to the top if given, else home if ``home``."""
        if home and focus is None:
            self.home()
        self._blocks = list(blocks)
        kept = min(len(blocks), len(self._statics))
        for static in self._statics[kept:]:
            static.remove()
        added = [Static(block) for block in blocks[kept:]]
        if added:
            self.mount_all(added)
        self._statics = self._statics[:kept] + added
        self._shown = self._shown[:kept] + blocks[kept:]
        self._catch_up(everything=focus is not None)
        if focus is not None:
            self.call_after_refresh(self._scroll_to_block, focus)

    def home(self) -> None:
        """Scroll to the top at once (a new lead's script starts there)."""
        if self.scroll_y:
            self.scroll_home(animate=False, immediate=True)

    def _catch_up(self, everything: bool = False) -> None:
        """Repaint the blocks whose text changed, if they are in view or above it."""
        bottom = self.scroll_y + self.outer_size.height
        y = 0
        for index, static in enumerate(self._statics):
            wanted, shown = self._blocks[index], self._shown[index]
            if shown is not wanted and shown != wanted and (everything or y < bottom):
                show(static, wanted)
                self._shown[index] = wanted
            y += static.outer_size.height

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._catch_up()

    def on_resize(self) -> None:
        self._catch_up()

    def _scroll_to_block(self, index: int) -> None:
        if index < len(self._statics):
            self.scroll_to_widget(self._statics[index], top=True, animate=False)
