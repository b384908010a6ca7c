"""Cheap updates: repaint a Static without laying out the whole screen when it can."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static


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
    after = widget.get_content_height(before, before, before.width)
    if after == before.height or (keep_height and after < before.height):
        return
    if keep_height:
        widget.styles.min_height = after + gutter.height  # lays the screen out again
    else:
        widget.refresh(layout=True)
