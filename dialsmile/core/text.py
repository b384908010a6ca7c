"""Lead text made safe to show: no control sequences ever reach the terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NO_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with escape sequences and bidi overrides shown as visible codes."""
    pattern = _CONTROL if keep_newlines else _CONTROL_NO_NEWLINE

    def show(match: re.Match[str]) -> str:
        ch = match.group(0)
        if ch in "\t\r\n":
            return " "
        return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"

    return pattern.sub(show, text)


def one_line(text: str, width: int) -> str:
    """Printable, on one line, cut to ``width`` characters with an ellipsis."""
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"
