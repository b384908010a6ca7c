"""Writing CSV files that open cleanly in a spreadsheet and re-import."""

from __future__ import annotations

import csv
import itertools
import operator
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dialsmile.errors import BadInput
from dialsmile.io.cells import FORMULA_START, LEFT_OUT, needs_care, safe_cell

if TYPE_CHECKING:
    from dialsmile.storage.db import Reader

# A quoted cell starting with apostrophes and a formula character (inside a quoted
# cell every quote is doubled, so `,"` and then another character only starts a cell).
_FORMULA_CELL = re.compile(f",\"'*[{re.escape(FORMULA_START)}]".encode()).search
_LEFT_OUT_BYTES = LEFT_OUT.encode()


def _risky(lines: bytes) -> bool:
    """True when ``safe_cell`` would change a cell of these CSV lines written by SQLite."""
    if _FORMULA_CELL(lines) is not None:
        return True
    return len(lines.translate(None, _LEFT_OUT_BYTES)) != len(lines)


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
        writer.writerows(map(operator.itemgetter(0), rows_counted))
        return next(counter)

    return _write_atomically(path, write)


def write_lines(
    path: Path | str, header: Sequence[str], blocks: Iterable[tuple[bytes, int]]
) -> int:
    """Like ``write_csv`` for rows already written as safe CSV lines (UTF-8,
    CRLF-terminated), given as blocks of whole lines, each with its line count."""

    def write(out: TextIO) -> int:
        csv.writer(out, lineterminator="\r\n").writerow([safe_cell(h) for h in header])
        out.flush()
        count = 0
        for block, lines in blocks:
            out.buffer.write(block)
            count += lines
        out.buffer.flush()
        return count

    return _write_atomically(path, write)


def _write_atomically(path: Path | str, write: Callable[[TextIO], int]) -> int:
    if str(path) == "-":
        return write(sys.stdout)
    target = Path(path)
    if target.is_dir():
        raise BadInput(f"{target} is a directory; give a file name.")
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = write(out)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"Cannot write {target}: {exc.strerror}.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _neutralised(rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    for row in rows:
        # Only text can be a formula; most cells take the fast path.
        yield [safe_cell(v) if isinstance(v, str) and needs_care(v) else v for v in row]


SESSION_HEADER = (
    "session_id", "attempt_id", "started_at", "ended_at", "duration_s", "dialed", "lead_id",
    "name", "company", "phone", "extension", "outcome", "code", "note", "callback_at", "script",
    "script_version", "chunk",
)  # fmt: skip
LEADS_HEADER = (
    "lead_id", "list", "name", "first_name", "last_name", "company", "title", "email", "phone",
    "extension", "other phones", "city", "state", "country", "timezones", "notes", "status",
    "attempts", "last_outcome", "last_called_at", "next_call_at", "callback_at",
)  # fmt: skip


def export_session(db: Reader, session_id: int, path: Path | str) -> int:
    """Write one session's calls as CSV to ``path`` (``-`` for stdout); return the count."""
    from dialsmile.core.models import Outcome
    from dialsmile.storage.exports import export_lines

    codes = {o.value: o.code for o in Outcome}
    blocks = export_lines(db, session_id, codes, _risky, safe_cell)
    return write_lines(path, SESSION_HEADER, blocks)
