"""Writing CSV files that open cleanly in a spreadsheet and re-import."""

from __future__ import annotations

import csv
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol, TextIO

from dialsmile.errors import BadInput
from dialsmile.io.cells import FORMULA_START, LEFT_OUT, as_imported, needs_care, safe_cell

# A quoted cell starting with apostrophes and a formula character (inside a quoted
# cell every quote is doubled, so `,"` and then another character only starts a cell).
_FORMULA_CELL = re.compile(f",\"'*[{re.escape(FORMULA_START)}]".encode()).search
# Such a cell holds one of these: a quote before its apostrophe or formula character
# (times, phone numbers and line ends hold those characters, never after a quote),
# or a formula character that plain text seldom holds. Looking for a few bytes runs
# at memory speed, some ten times faster than the pattern, which then only runs on
# lines that hold one.
_SELDOM = "=\t"
_FORMULA_HINTS = tuple(
    c.encode() if c in _SELDOM else f'"{c}'.encode() for c in FORMULA_START + "'"
)
_LEFT_OUT_BYTES = tuple(c.encode() for c in LEFT_OUT)


def _risky(lines: bytes) -> bool:
    """True when ``safe_cell`` would change a cell of these CSV lines written by SQLite."""
    if any(hint in lines for hint in _FORMULA_HINTS) and _FORMULA_CELL(lines) is not None:
        return True
    return any(byte in lines for byte in _LEFT_OUT_BYTES)


def write_csv(
    path: Path | str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> int:
    """Write rows to ``path`` (``-`` for stdout) created 0600; return the row count.

    Cells that a spreadsheet would run as formulas are neutralised. The file
    is written to a temporary name and renamed, so it is never half-written.
    ``bom`` starts it with a UTF-8 byte order mark (for spreadsheets that
    otherwise guess the encoding).
    """

    def write(out: TextIO) -> int:
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow([safe_cell(h) for h in header])
        counter = itertools.count()
        # zip advances the counter once per row; the csv module's C loop writes the rows.
        rows_counted = zip(_neutralised(rows), counter, strict=False)
        writer.writerows(map(itemgetter(0), rows_counted))
        return next(counter)

    return _write_atomically(path, write)


def write_lines(
    path: Path | str,
    header: Sequence[str],
    blocks: Iterable[tuple[bytes, int]],
    *,
    bom: bool = False,
) -> int:
    """Like ``write_csv`` for rows already written as safe CSV lines (UTF-8,
    CRLF-terminated), given as blocks of whole lines, each with its line count."""

    def write(out: TextIO) -> int:
        if bom:
            out.write("\ufeff")
        csv.writer(out, lineterminator="\r\n").writerow([safe_cell(h) for h in header])
        out.flush()
        count = 0
        for block, lines in blocks:
            out.buffer.write(block)
            count += lines
        out.buffer.flush()
        return count

    return _write_atomically(path, write)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (and its folder), readable by the user only, as
    every file dialsmile writes (it holds lead data); never half-written.
    Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_privately(path, lambda out: out.write(text))


def _write_atomically(path: Path | str, write: Callable[[TextIO], int]) -> int:
    """``write`` to ``path`` (``-``: stdout) through ``_replace_privately``; a file
    that cannot be written is one sentence."""
    if str(path) == "-":
        return write(sys.stdout)
    target = Path(path)
    if target.is_dir():
        raise BadInput(f"{target} is a directory; give a file name.")
    try:
        return _replace_privately(target, write)
    except OSError as exc:
        raise BadInput(f"Cannot write {target}: {exc.strerror}.") from None


def _replace_privately(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write a temporary file created 0600 beside ``target``, then rename it to
    ``target``: the file is never seen half-written, nor by another user."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = write(out)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _neutralised(rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    for row in rows:
        # Only text can be a formula; most cells take the fast path.
        yield [safe_cell(v) if isinstance(v, str) and needs_care(v) else v for v in row]


class Quoting(Enum):
    """How a column's cells are written in dialsmile's session CSV (its ``printf`` form)."""

    BARE = "%s"  # numbers and the E.164 phone: as they are
    TEXT = '"%w"'  # free text: quoted, its quotes doubled, neutralised when risky
    OWN = '"%s"'  # text dialsmile writes itself (times, outcomes, codes): holds no quotes


@dataclass(frozen=True)
class Column:
    """One column of the session CSV: its header and the call field it holds."""

    header: str
    field: str
    quoting: Quoting


_BARE, _TEXT, _OWN = Quoting.BARE, Quoting.TEXT, Quoting.OWN
SESSION_COLUMNS = (
    Column("session_id", "session_id", _BARE), Column("attempt_id", "attempt_id", _BARE),
    Column("started_at", "started_at", _OWN), Column("ended_at", "ended_at", _OWN),
    Column("duration_s", "duration_s", _BARE), Column("dialed", "dialed", _OWN),
    Column("lead_id", "lead_id", _BARE), Column("name", "name", _TEXT),
    Column("company", "company", _TEXT), Column("phone", "phone", _BARE),
    Column("extension", "extension", _TEXT), Column("outcome", "outcome", _OWN),
    Column("code", "code", _OWN), Column("note", "note", _TEXT),
    Column("callback_at", "callback_at", _OWN), Column("script", "script", _TEXT),
    Column("script_version", "script_version", _TEXT), Column("chunk", "chunk", _BARE),
)  # fmt: skip
"""The session CSV, left to right. The first column is never text (see ``_risky``)."""
SESSION_HEADER = tuple(c.header for c in SESSION_COLUMNS)


def _as_imported(field: str) -> Callable[[Mapping[str, Any]], str]:
    """A text cell as an import keeps it, so the file re-imports as it shows."""
    return lambda lead: as_imported(lead[field])


LEADS_COLUMNS: tuple[tuple[str, Callable[[Mapping[str, Any]], object]], ...] = (
    ("lead_id", itemgetter("id")), ("list", itemgetter("list")), ("name", _as_imported("name")),
    ("first_name", _as_imported("first_name")), ("last_name", _as_imported("last_name")),
    ("company", _as_imported("company")), ("title", _as_imported("title")),
    ("email", _as_imported("email")), ("phone", itemgetter("phone")),
    ("extension", _as_imported("extension")),
    ("other phones", lambda lead: "; ".join(p["e164"] for p in lead["alt_phones"])),
    ("city", _as_imported("city")), ("state", _as_imported("state")),
    ("country", _as_imported("country")),
    ("timezones", lambda lead: " ".join(lead["timezones"])), ("notes", _as_imported("notes")),
    ("status", itemgetter("status")), ("attempts", itemgetter("attempts")),
    ("last_outcome", itemgetter("last_outcome")), ("last_called_at", itemgetter("last_called_at")),
    ("next_call_at", itemgetter("next_call_at")), ("callback_at", itemgetter("callback_at")),
)  # fmt: skip
"""The leads CSV, left to right: each header with how a lead (``LeadStore.iter_leads``) fills it."""
LEADS_HEADER = tuple(header for header, _ in LEADS_COLUMNS)


def export_leads(path: Path | str, leads: Iterable[Mapping[str, Any]], *, bom: bool = False) -> int:
    """Write leads as CSV to ``path`` (``-`` for stdout); return the count."""
    cells = [cell for _, cell in LEADS_COLUMNS]
    rows = ([cell(lead) for cell in cells] for lead in leads)
    return write_csv(path, LEADS_HEADER, rows, bom=bom)


class CallSource(Protocol):
    """A session's calls, oldest first, for the session CSV (``storage.exports.SessionCalls``)."""

    def lines(
        self, fields: Sequence[str], forms: Sequence[str]
    ) -> Iterable[Sequence[tuple[int, bytes]]]:
        """Batches of (attempt id, the call's CSV line): each field in its ``printf``
        form (``forms``), comma-separated, CRLF-terminated."""
        ...

    def values(self, fields: Sequence[str], attempt_id: int) -> Sequence[object]:
        """The call's ``fields`` (None for NULL)."""
        ...


def export_session(path: Path | str, calls: CallSource, *, bom: bool = False) -> int:
    """Write a session's calls as CSV to ``path`` (``-`` for stdout); return the count.

    The database writes each line (``Quoting`` gives each column's form); a block
    of lines holding a cell ``safe_cell`` would change is written again here,
    each such line from the call's values.
    """
    fields = [c.field for c in SESSION_COLUMNS]
    forms = [c.quoting.value for c in SESSION_COLUMNS]

    def blocks() -> Iterator[tuple[bytes, int]]:
        for batch in calls.lines(fields, forms):
            block = b"".join(map(itemgetter(1), batch))
            if _risky(block):
                block = b"".join(
                    session_line(calls.values(fields, attempt_id)).encode()
                    if _risky(line)
                    else line
                    for attempt_id, line in batch
                )
            yield block, len(batch)

    return write_lines(path, SESSION_HEADER, blocks(), bom=bom)


def session_line(values: Sequence[object]) -> str:
    """One line of the session CSV, by hand: what ``printf`` writes with
    ``SESSION_COLUMNS``' forms (None: empty), each text cell through ``safe_cell``."""
    written = []
    for value, column in zip(values, SESSION_COLUMNS, strict=True):
        cell = "" if value is None else str(value)
        if column.quoting is Quoting.BARE:
            written.append(cell)
        else:
            written.append('"' + safe_cell(cell).replace('"', '""') + '"')
    return ",".join(written) + "\r\n"
