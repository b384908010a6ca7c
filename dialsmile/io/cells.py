"""The spreadsheet guard on CSV cells: neutralised when written, restored when read.

A spreadsheet runs a cell starting with ``= + - @``, a tab or a carriage
return as a formula. dialsmile's exports put an apostrophe in front of such
a cell, and also in front of a cell whose leading apostrophes are followed by
one of them, so the rule can be undone exactly: the import takes off one
apostrophe wherever apostrophes are followed by one of those characters.
Export, import and export again therefore give the same cells, however many
times it runs. Plain numbers and phone numbers ("+1 512-555-0134", "-3.5")
are never guarded.

NUL cannot be carried by a CSV file that dialsmile (or most tools) reads
back, and the other invisible control characters (U+0001-U+001F except tab,
line breaks and ESC) make a file look binary; the exports leave them out. The
database never holds NUL in text either (imports and notes leave it out), so
SQLite, whose ``printf`` stops at a NUL, can write export lines itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FORMULA_START = "=+-@\t\r"
"""A cell starting with one of these is run as a formula by spreadsheets."""

_GUARDED = re.compile(f"'*[{re.escape(FORMULA_START)}]")
_RESTORABLE = re.compile(f"'+[{re.escape(FORMULA_START)}]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d\s().-]*)$")
LEFT_OUT = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r\x1b")
"""Characters an exported cell leaves out."""
_UNCARRIED = re.compile(f"[{re.escape(LEFT_OUT)}]")
GUARD_FIRST = frozenset(FORMULA_START + "'")
"""A cell whose first character is not one of these is never guarded."""


def safe_cell(value: object) -> str:
    """Text for a CSV cell that a spreadsheet will never run as a formula.

    Plain phone numbers and numbers stay as they are; characters a CSV file
    cannot carry are left out.
    """
    if value is None:
        return ""
    text = _UNCARRIED.sub("", str(value))
    if _GUARDED.match(text) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def as_imported(text: str) -> str:
    """``text`` as an import of an exported cell keeps it: without the characters
    the export leaves out, and without surrounding spaces and blank lines."""
    return _UNCARRIED.sub("", text).strip()


def needs_care(text: str) -> bool:
    """True when ``safe_cell`` may change ``text`` (a quick test for the common case)."""
    return text[:1] in GUARD_FIRST or _UNCARRIED.search(text) is not None


def restored_cells(cells: Sequence[str]) -> list[str]:
    """The cells as they were before an export guarded them (see the module's rule),
    without NUL, which no export carries and the database never holds."""
    return [_restored(cell) if cell[:1] == "'" or "\x00" in cell else cell for cell in cells]


def _restored(cell: str) -> str:
    cell = cell.replace("\x00", "")
    return cell[1:] if _RESTORABLE.match(cell) else cell
