"""Cheap updates: repaint a Static without laying out the whole screen when it can."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

# Tabs and other control characters change a line's width when rendered: such text is measured.
_UNCOUNTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def counted_height(plain: str, width: int) -> int | None:
    """The lines ``plain`` takes ``width`` cells wide when no line can wrap, else None.

    A line is counted only when it has no tab or control character (they
    change its width when rendered) and fits the width.
    """
    lines = plain.split("\n")
    if not _UNCOUNTABLE.search(plain) and all(cell_len(line) <= width for line in lines):
        return len(lines)
    return None


def content_height(widget: Static, size: Size) -> int:
    """The lines ``widget``'s content takes in a content area of ``size``.

    When every line fits the width, nothing wraps and the answer is the
    number of lines; only text that may wrap is measured by Textual, which
    lays it out in full (on every key, the card and the script's changed
    lines would be wrapped twice: once here and once to paint them).
    Markup in a string is not read: it only makes a line look wider, so such
    a line is measured.
    """
    content = widget.content
    if isinstance(content, Text | str):
        counted = counted_height(
            content.plain if isinstance(content, Text) else content, size.width
        )
        if counted is not None:
            return counted
    return widget.get_content_height(size, size, size.width)


def show(widget: Static, content: Text | str, *, keep_height: bool = False) -> None:
    """Put ``content`` in ``widget``, laying out the screen again only if its height changes.

    ``Static.update`` re-lays out every widget on the screen. The session
    screen updates its panels on every key, and most updates keep their
    height, so a repaint is enough. Unchanged content is left alone.
    ``keep_height`` never lets the widget shrink (the card: the notes below
    it stay put from one lead to the next).
    """
    if content == widget.content:
        return
    # Sizes from the last layout; asking for widget.region would arrange the screen.
    outer, gutter = widget.outer_size, widget.styles.gutter
    before = Size(max(0, outer.width - gutter.width), max(0, outer.height - gutter.height))
    widget.update(content, layout=False)
    height = widget.styles.height
    if height is not None and not height.is_auto:
        return
    if not before.width:  # not laid out yet
        widget.refresh(layout=True)
        return
    after = content_height(widget, before)
    if after == before.height or (keep_height and after < before.height):
        return
    if keep_height:
        widget.styles.min_height = after + gutter.height  # lays the screen out again
    else:
        widget.refresh(layout=True)
