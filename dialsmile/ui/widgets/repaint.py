"""Cheap updates: repaint a Static without laying out the whole screen when it can."""

from __future__ import annotations

import re

from rich._wrap import divide_line
from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

# Tabs and other control characters change a line's width when rendered: such text is measured.
_UNCOUNTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def counted_height(plain: str, width: int) -> int | None:
    """The lines ``plain`` takes ``width`` cells wide, wrapped as Textual wraps a
    Static's text (at spaces, a word longer than a line folded), without laying
    anything out; None when it has a tab or control character (they change a
    line's width when rendered) or there is no width.

    Only lines wider than ``width`` are divided, with the function Textual
    divides them with (``tests/ui/test_repaint.py`` pins the count to Textual's
    own measure).
    """
    if width <= 0 or _UNCOUNTABLE.search(plain):
        return None
    height = 0
    for line in plain.split("\n"):
        height += 1 if cell_len(line) <= width else len(divide_line(line, width, fold=True)) + 1
    return height


def content_height(widget: Static, size: Size) -> int:
    """The lines ``widget``'s content takes in a content area of ``size``.

    Text is counted (``counted_height``); Textual's own measure lays the
    content out in full, and on every key the card would be wrapped twice:
    once here and once to paint it. Markup in a string is not read: it only
    makes a line look wider, so such a string is measured by Textual.
    """
    content = widget.content
    if isinstance(content, Text) or (isinstance(content, str) and "[" not in content):
        plain = content.plain if isinstance(content, Text) else content
        counted = counted_height(plain, size.width)
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
