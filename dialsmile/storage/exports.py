"""A session's calls as CSV lines, written by SQLite: the export's SQL.

Kept apart from the session stores so `dialsmile export` loads only this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from dialsmile.storage.db import Reader


def session_id(db: Reader, wanted: int | None) -> int | None:
    """``wanted`` if that session exists, the latest session if None; None if there is none."""
    if wanted is None:
        row = db.execute("SELECT max(id) FROM sessions").fetchone()
    else:
        row = db.execute("SELECT id FROM sessions WHERE id = ?", [wanted]).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def export_lines(
    db: Reader,
    session_id: int,
    codes: Mapping[str, str],
    risky_starts: str,
    neutralise: Callable[[str], str],
) -> Iterator[str]:
    """A session's calls (skips are not calls), oldest first, as CSV lines.

    Columns: session, attempt, started, ended, duration, lead, name,
    company, phone, extension, outcome, ``codes[outcome]``, note, callback,
    script, script version, chunk. Numbers are bare; text is always in
    double quotes (quotes doubled), so commas and line breaks in notes stay
    in their cell. Lines end in CRLF.

    SQLite writes each line. A row with a free-text cell starting with one
    of ``risky_starts`` is read again and written here instead, its text
    cells passed through ``neutralise`` first.
    """
    columns = _export_columns(codes)
    fmt = ",".join('"%w"' if quoted else "%s" for _, quoted in columns) + "\r\n"
    params = [part for pair in codes.items() for part in pair]
    # A GLOB class matching a first character in risky_starts ("-" first: not a range).
    pattern = "[" + "".join(sorted(risky_starts, key=lambda c: c != "-")) + "]*"
    risky = " OR ".join(f"{c} GLOB ?" for c in _FREE_TEXT)
    cursor = db.execute(
        f"""SELECT CASE WHEN {risky} THEN NULL ELSE printf(?, {", ".join(c for c, _ in columns)}) END,
                  a.id
           FROM attempts a JOIN leads d ON d.id = a.lead_id
           WHERE a.session_id = ? AND a.outcome != 'skip' ORDER BY a.id""",
        [*[pattern] * len(_FREE_TEXT), fmt, *params, session_id],
    )
    while batch := cursor.fetchmany(2000):
        for line, attempt_id in batch:
            if line is None:
                row = db.execute(
                    f"""SELECT {", ".join(c for c, _ in columns)}
                       FROM attempts a JOIN leads d ON d.id = a.lead_id WHERE a.id = ?""",
                    [*params, attempt_id],
                ).fetchone()
                line = _csv_line(row, columns, neutralise)
            yield line


_FREE_TEXT = ("d.name", "d.company", "a.extension", "a.note", "a.script", "a.script_version")


def _export_columns(codes: Mapping[str, str]) -> list[tuple[str, bool]]:
    """The session export's SQL columns, each with whether it is text (always quoted)."""
    code = "CASE a.outcome " + " ".join("WHEN ? THEN ?" for _ in codes) + " ELSE '' END"
    numbers = {"a.session_id", "a.id", "a.duration_s", "a.lead_id", "a.chunk"}
    names = (
        "a.session_id", "a.id", "a.started_at", "a.ended_at", "a.duration_s", "a.lead_id",
        "d.name", "d.company", "a.phone", "a.extension", "a.outcome", code, "a.note",
        "a.callback_at", "a.script", "a.script_version", "a.chunk",
    )  # fmt: skip
    return [(name, name not in numbers) for name in names]


def _csv_line(
    row: Sequence[Any], columns: Sequence[tuple[str, bool]], neutralise: Callable[[str], str]
) -> str:
    """One export line written as SQLite's ``printf`` writes it (NULL: empty)."""
    cells = []
    for value, (_, quoted) in zip(row, columns, strict=True):
        if quoted:
            text = "" if value is None else neutralise(str(value))
            cells.append('"' + text.replace('"', '""') + '"')
        else:
            cells.append("" if value is None else str(value))
    return ",".join(cells) + "\r\n"
