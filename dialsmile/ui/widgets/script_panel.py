"""The script panel: one widget per paragraph, so a new lead re-lays out only what changed."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from dialsmile.ui.widgets.repaint import show


class ScriptPanel(VerticalScroll):
    """A scrolling script made of paragraph blocks (see ``format.script_blocks``).

    Most of a script reads the same for every lead; only the paragraphs with
    merge fields change. ``show`` updates just those, so the rest keep their
    wrapped lines and the next lead paints quickly.
    """

    DEFAULT_CSS = """
    ScriptPanel > Static {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: list[Text] = []
        self._statics: list[Static] = []

    @property
    def text(self) -> Text:
        """The whole script as one Text, as shown."""
        return Text("\n").join(self._blocks)

    def show(self, blocks: list[Text], focus: int | None = None) -> None:
        """Show ``blocks``; scroll block ``focus`` to the top, if given.

        Blocks in view (or above it) change at once; those below the view
        change right after the next frame, so a new lead paints without
        waiting for text nobody can see yet.
        """
        bottom = self.scroll_y + self.scrollable_content_region.height
        later: list[tuple[Static, Text]] = []
        for static, old, new in zip(self._statics, self._blocks, blocks, strict=False):
            if old == new:
                continue
            if focus is None and static.virtual_region.y >= bottom:
                later.append((static, new))
            else:
                show(static, new)
        added = [Static(block) for block in blocks[len(self._statics) :]]
        if added:
            self.mount_all(added)
        for static in self._statics[len(blocks) :]:
            static.remove()
        self._statics = self._statics[: len(blocks)] + added
        self._blocks = list(blocks)
        if later:
            self.call_after_refresh(self._show_later, later)
        if focus is not None:
            self.call_after_refresh(self._scroll_to_block, focus)

    def _show_later(self, later: list[tuple[Static, Text]]) -> None:
        for static, text in later:
            show(static, text)

    def _scroll_to_block(self, index: int) -> None:
        if index < len(self._statics):
            self.scroll_to_widget(self._statics[index], top=True, animate=False)
