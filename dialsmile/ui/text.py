"""Lead data on screen: always literal text, never markup or raw control sequences."""

from __future__ import annotations

from rich.text import Text

from dialsmile.text import printable


def lit(text: str, style: str = "") -> Text:
    """Lead data as literal text: ``[bold]`` stays ``[bold]``; controls are made visible."""
    return Text(printable(text, keep_newlines=True), style=style)
