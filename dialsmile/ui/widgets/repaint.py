"""Cheap updates: repaint a Static without laying out the whole screen when it can."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def show(widget: Static, content: Text | str) -> None:
    """Put ``content`` in ``widget``, laying out the screen again only if its height changes.

    ``Static.update`` re-lays out every widget on the screen. The session
    screen updates its panels on every key, and most updates keep their
    height (one lead's card is as tall as the last), so a repaint is enough.
    Unchanged content is left alone.
    """
    if content == widget.content:
        return
    before = widget.content_size
    widget.update(content, layout=False)
    height = widget.styles.height
    if height is not None and not height.is_auto:
        return
    if not before.width or widget.get_content_height(before, before, before.width) != before.height:
        widget.refresh(layout=True)
