"""The script panel: one widget drawing the script line by line, so a new lead redraws
only the lines that read differently."""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from dialsmile.ui.widgets.repaint import counted_height

# A block as drawn: its words and their styles (blocks are compared and cached by these).
BlockKey = tuple[str, tuple[object, ...], object]
CACHE_LIMIT = 2048  # blocks drawn at one width; a script has a few dozen


def block_key(block: Text) -> BlockKey:
    return (block.plain, tuple(block.spans), block.style)


def draw_block(widget: Widget, block: Text, width: int) -> list[Strip]:
    """``block`` drawn ``width`` cells wide, as a Static drawing it in ``widget``'s place
    would draw it (the one place a script block is wrapped and styled)."""
    return Visual.to_strips(widget, visualize(widget, block), width, None, widget.visual_style)


class ScriptLines(Widget):
    """The script's lines, drawn with Textual's Line API.

    Each block (see ``format.script_blocks``) is wrapped once per text and
    width and kept; Textual asks for the lines in view only, so blocks below
    the view are drawn when the panel scrolls to them. A new lead's blocks that
    read the same keep their lines; only the lines of changed blocks are marked
    for repainting, and the screen is laid out again only when the script's
    height changes. Text selection is off: a block's lines know their place in
    the block, not in the script.
    """

    ALLOW_SELECT: ClassVar[bool] = False
    DEFAULT_CSS = """
    ScriptLines {
        height: auto;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Text] = []
        self._keys: list[BlockKey] = []
        self._width = 0  # the width the block heights and starts below were measured at
        self._heights: list[int] = []
        self._starts: list[int] = [0]  # the first line of each block, then the total
        self._heights_at: dict[tuple[BlockKey, int], int] = {}
        self._strips_at: dict[tuple[BlockKey, int], list[Strip]] = {}

    def set_blocks(self, blocks: list[Text]) -> None:
        """Show ``blocks``, marking for repaint only the lines of blocks that changed."""
        keys = [block_key(block) for block in blocks]
        old_keys, old_starts = self._keys, self._starts
        self.blocks, self._keys = list(blocks), keys
        if not self._width:  # not laid out yet: the first layout measures
            self.refresh(layout=True)
            return
        total = old_starts[-1]
        self._measure(self._width)
        if self._starts[-1] != total:
            self.refresh(layout=True)  # taller or shorter: the scroll bar and panel change
        elif self._starts != old_starts:
            self.refresh()  # the same height, laid out differently: repaint it all
        else:
            width = self.size.width
            for index, key in enumerate(keys):
                if index >= len(old_keys) or old_keys[index] != key:
                    start = self._starts[index]
                    self.refresh(Region(0, start, width, self._starts[index + 1] - start))

    def start_of(self, index: int) -> int:
        """The first line of block ``index`` (at the width last laid out)."""
        return self._starts[min(index, len(self._starts) - 1)]

    def _measure(self, width: int) -> None:
        self._width = width
        pairs = zip(self._keys, self.blocks, strict=True)
        heights = [self._height(key, block, width) for key, block in pairs]
        starts = [0]
        for height in heights:
            starts.append(starts[-1] + height)
        self._heights, self._starts = heights, starts

    def _height(self, key: BlockKey, block: Text, width: int) -> int:
        height = self._heights_at.get((key, width))
        if height is None:
            height = counted_height(block.plain, width)
            if height is None:  # lines that may wrap: draw them to count them
                height = len(self._strips(key, block, width))
            if len(self._heights_at) >= CACHE_LIMIT:
                self._heights_at.clear()
            self._heights_at[key, width] = height
        return height

    def _strips(self, key: BlockKey, block: Text, width: int) -> list[Strip]:
        strips = self._strips_at.get((key, width))
        if strips is None:
            strips = draw_block(self, block, width)
            if len(self._strips_at) >= CACHE_LIMIT:
                self._strips_at.clear()
            self._strips_at[key, width] = strips
        return strips

    def notify_style_update(self) -> None:
        self._strips_at.clear()  # drawn with the old colours (a theme change)
        super().notify_style_update()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width != self._width or len(self._starts) != len(self.blocks) + 1:
            self._measure(width)
        return self._starts[-1]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width != self._width:
            self._measure(width)
        index = bisect_right(self._starts, y) - 1
        if not 0 <= index < len(self.blocks):
            return Strip.blank(width)
        strips = self._strips(self._keys[index], self.blocks[index], width)
        line = y - self._starts[index]
        return strips[line] if line < len(strips) else Strip.blank(width)


class ScriptPanel(VerticalScroll):
    """A scrolling script made of blocks (see ``format.script_blocks``), drawn by one
    ``ScriptLines`` widget: most of a script reads the same for every lead, and
    only the lines with merge fields change."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = ScriptLines()

    def compose(self) -> ComposeResult:
        yield self.lines

    @property
    def text(self) -> Text:
        """The whole script as one Text."""
        return Text("\n").join(self.lines.blocks)

    def show(self, blocks: list[Text], focus: int | None = None, *, home: bool = False) -> None:
        """Show ``blocks``; scroll block ``focus`` to the top if given, else home if ``home``."""
        if home and focus is None:
            self.home()
        self.lines.set_blocks(blocks)
        if focus is not None:
            self.call_after_refresh(self._scroll_to_block, focus)

    def home(self) -> None:
        """Scroll to the top at once (a new lead's script starts there)."""
        if self.scroll_y:
            self.scroll_home(animate=False, immediate=True)

    def _scroll_to_block(self, index: int) -> None:
        if index < len(self.lines.blocks):
            self.scroll_to(y=self.lines.start_of(index), animate=False)
