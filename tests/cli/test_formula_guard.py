"""The formula guard as a user states it: a cell a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading ' in every export;
phone numbers, plain numbers and ordinary text stay as they are.

The expected cells are written out by hand, not taken from the exporter."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dialsmile.commands.importing import import_file
from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.io.importer import ImportOptions
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import NOW, RunCli, database_at

pytestmark = pytest.mark.both_engines

# (call note as typed, the cell a spreadsheet must see)
NOTES = [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\tnot a formula but a tab", "'\tnot a formula but a tab"),
    ("\r=1+1", "'\r=1+1"),
    ("\rcarriage return first", "'\rcarriage return first"),
    ("call back after 3", "call back after 3"),
    ("a=b, c+d", "a=b, c+d"),
    ("", ""),
    ("+1 512-555-0134", "+1 512-555-0134"),
    ("-3.5", "-3.5"),
    ("42", "42"),
    ("sent @ 9am", "sent @ 9am"),
]


def session_with_notes(tmp_path: Path, notes: list[str], target: str) -> None:
    """One session in the database ``target`` (a path or a URL): a voicemail per note."""
    source = tmp_path / "leads.csv"
    source.write_text(
        "Name,Phone\n" + "".join(f"Lead {n},+1 512 555 {n + 100:04d}\n" for n in range(len(notes))),
        encoding="utf-8",
    )
    db = database_at(target)
    import_file(LeadStore(db), source, ImportOptions(list_name="L"), parse_instant(NOW))
    session = CallSession(
        open_stores(db), LeadStore(db).get_list("L"), Settings(), Clock(parse_instant(NOW))
    )
    for note in notes:
        assert session.advance() is not None
        session.record(Outcome.VOICEMAIL, note=note)
    db.conn.close()


def test_session_export_neutralises_every_formula_start(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    session_with_notes(tmp_path, [note for note, _ in NOTES], db)
    out = tmp_path / "session.csv"
    result = run_cli("export", "session", "latest", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as f:
        cells = [row["note"] for row in csv.DictReader(f)]
    assert cells == [cell for _, cell in NOTES]


# (lead cell in the import file, the cell in `export leads`)
LEAD_CELLS = [
    ("=1+1", "'=1+1"),
    ("@A1", "'@A1"),
    ("Globex", "Globex"),
    ("-minus", "'-minus"),
]


def test_leads_export_neutralises_formulas_and_keeps_phones(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = tmp_path / "leads.csv"
    rows = [f"Lead {n},{cell},+1 512 555 {n + 100:04d}" for n, (cell, _) in enumerate(LEAD_CELLS)]
    source.write_text("Name,Company,Phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert run_cli("import", str(source), "--list", "L").exit_code == 0
    out = tmp_path / "leads-out.csv"
    result = run_cli("export", "leads", "--list", "L", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as f:
        exported = list(csv.DictReader(f))
    assert [r["company"] for r in exported] == [cell for _, cell in LEAD_CELLS]
    assert [r["phone"] for r in exported] == [f"+1512555{n + 100:04d}" for n in range(4)]
