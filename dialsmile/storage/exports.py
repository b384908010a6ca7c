"""A session's calls as CSV lines, written by SQLite: the export's SQL.

Kept apart from the session stores so `dialsmile export` loads only this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from dialsmile.storage.db import Reader


def find_session(db: Reader, wanted: int | None) -> int | None:
    """``wanted`` if that session exists; if None, the latest session with at least
    one call (skips are not calls). None when there is no such session."""
    if wanted is None:
        row = db.execute(
            """SELECT s.id FROM sessions s WHERE EXISTS (SELECT 1 FROM attempts a
               WHERE a.session_id = s.id AND a.outcome != 'skip') ORDER BY s.id DESC LIMIT 1"""
        ).fetchone()
    else:
        row = db.execute("SELECT id FROM sessions WHERE id = ?", [wanted]).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def export_lines(
    db: Reader,
    session_id: int,
    codes: Mapping[str, str],
    risky: Callable[[bytes], bool],
    neutralise: Callable[[str], str],
) -> Iterator[tuple[bytes, int]]:
    """A session's calls (skips are not calls), oldest first, as blocks of CSV
    lines in UTF-8, each with the number of lines (calls) it holds.

    Columns: session, attempt, started, ended, duration, dialed (yes/no), lead,
    name, company, phone, extension, outcome, ``codes[outcome]``, note, callback,
    script, script version, chunk. Numbers and the phone (E.164) are bare;
    other text is always in double quotes (quotes doubled), so commas and
    line breaks in notes stay in their cell. Lines end in CRLF.

    SQLite writes each line (the stores never keep a NUL in text, where its
    ``printf`` would stop). A line that is ``risky`` is written again here,
    its text cells passed through ``neutralise`` first.
    """
    columns = _export_columns(codes)
    params = [part for pair in codes.items() for part in pair]
    fmt = ",".join(form for _, form in columns) + "\r\n"
    select = ", ".join(sql for sql, _ in columns)
    cursor = db.execute(  # as BLOB: the bytes go to the file without decoding and encoding
        f"""SELECT CAST(printf(?, {select}) AS BLOB)
           FROM attempts a JOIN leads d ON d.id = a.lead_id
           WHERE a.session_id = ? AND a.outcome != 'skip' ORDER BY a.id""",
        [fmt, *params, session_id],
    )
    while batch := cursor.fetchmany(2000):
        block = b"".join(map(itemgetter(0), batch))
        if risky(block):
            block = b"".join(
                _csv_line(_row(db, select, params, line), columns, neutralise).encode()
                if risky(line)
                else line
                for (line,) in batch
            )
        yield block, len(batch)


def _row(db: Reader, select: str, params: Sequence[str], line: bytes) -> Sequence[Any]:
    """The values of the call written as ``line`` (its second cell is the attempt id)."""
    row: Sequence[Any] = db.execute(
        f"SELECT {select} FROM attempts a JOIN leads d ON d.id = a.lead_id WHERE a.id = ?",
        [*params, int(line.split(b",", 2)[1])],
    ).fetchone()
    return row


def _export_columns(codes: Mapping[str, str]) -> list[tuple[str, str]]:
    """The session export's SQL columns, each with its ``printf`` format.

    Numbers and the E.164 phone are bare (``%s``); free text is quoted with its
    quotes doubled (``"%w"``); text dialsmile writes itself (times, outcomes,
    codes) holds no quotes, so it is quoted as it is (``"%s"``).
    """
    code = "CASE a.outcome " + " ".join("WHEN ? THEN ?" for _ in codes) + " ELSE '' END"
    bare, free, own = "%s", '"%w"', '"%s"'
    return [
        ("a.session_id", bare), ("a.id", bare), ("a.started_at", own), ("a.ended_at", own),
        ("a.duration_s", bare), ("CASE WHEN a.dialed THEN 'yes' ELSE 'no' END", own),
        ("a.lead_id", bare), ("d.name", free), ("d.company", free),
        ("a.phone", bare), ("a.extension", free), ("a.outcome", own), (code, own),
        ("a.note", free), ("a.callback_at", own), ("a.script", free),
        ("a.script_version", free), ("a.chunk", bare),
    ]  # fmt: skip


def _csv_line(
    row: Sequence[Any], columns: Sequence[tuple[str, str]], neutralise: Callable[[str], str]
) -> str:
    """One export line as SQLite's ``printf`` writes it (NULL: empty), text neutralised."""
    cells = []
    for value, (_, form) in zip(row, columns, strict=True):
        if form == "%s":
            cells.append("" if value is None else str(value))
        else:
            text = "" if value is None else neutralise(str(value))
            cells.append('"' + text.replace('"', '""') + '"')
    return ",".join(cells) + "\r\n"


def recent_sessions(db: Reader, limit: int = 50) -> list[tuple[int, str, str, int]]:
    """The latest sessions with calls, newest first: (id, started_at, list name, calls)."""
    rows = db.execute(
        """SELECT s.id, s.started_at, COALESCE((SELECT name FROM lists WHERE id = s.list_id), ''),
                  (SELECT count(*) FROM attempts a WHERE a.session_id = s.id
                   AND a.outcome != 'skip') AS calls
           FROM sessions s WHERE calls > 0 ORDER BY s.id DESC LIMIT ?""",
        [limit],
    )
    return [(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


def session_calls(db: Reader, session_id: int) -> Iterator[dict[str, Any]]:
    """A session's calls (skips are not calls), oldest first, each with its lead's
    names, email, company and CRM record."""
    cursor = db.execute(
        """SELECT a.id, a.started_at, a.ended_at, a.duration_s, a.phone, a.extension, a.outcome,
                  a.note, a.callback_at, d.id AS lead_id, d.name, d.first_name, d.last_name,
                  d.company, d.email, d.crm, d.crm_id
           FROM attempts a JOIN leads d ON d.id = a.lead_id
           WHERE a.session_id = ? AND a.outcome != 'skip' ORDER BY a.id""",
        [session_id],
    )
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
