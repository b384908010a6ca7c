"""`dialsmile export`: CSV that a spreadsheet opens safely and dialsmile re-imports."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dialsmile.cli import cli
from dialsmile.commands.importing import import_file
from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.io.export import safe_cell
from dialsmile.io.importer import ImportOptions
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import NOW, RunCli, database_at, import_json

pytestmark = pytest.mark.both_engines

LEADS = (
    "Name,Company,Phone,Notes\r\n"
    '=HYPERLINK("http://evil"),@SUM(A1),(512) 555-0134,"+cmd|\' /C calc\'!A0"\r\n'
    "Priya Raman,Initech,+1 212-555-0188 x7,-2+3\r\n"
)


def worked_session(target: str, note: str = "") -> int:
    db = database_at(target)
    session = CallSession(
        open_stores(db),
        LeadStore(db).get_list("L"),
        Settings(),
        Clock(datetime.fromisoformat("2026-11-25T16:15:00+00:00")),
    )
    for outcome in (Outcome.NO, Outcome.SKIP):
        session.advance()
        session.record(outcome, note=note)
    return session.session_id


def test_export_session_is_spreadsheet_safe(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text(LEADS, encoding="utf-8")
    import_json(run_cli, source, "--list", "L")
    session_id = worked_session(db)
    out = tmp_path / "session.csv"
    result = run_cli("export", "session", "latest", "-o", str(out))
    assert result.exit_code == 0 and f"session {session_id}" in result.stdout
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(rows) == 1  # the skip is not a call
    row = rows[0]
    assert row["name"] == '\'=HYPERLINK("http://evil")' and row["company"] == "'@SUM(A1)"
    assert row["phone"] == "+15125550134" and row["outcome"] == "no" and row["code"] == "NI"
    assert datetime.fromisoformat(row["started_at"]).utcoffset() is not None


def test_a_call_note_that_looks_like_a_formula_is_neutralised(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("Name,Phone\nPlain Person,(512) 555-0134\n", encoding="utf-8")
    import_json(run_cli, source, "--list", "L")
    worked_session(db, note="-2+3 said no twice")
    out = tmp_path / "session.csv"
    assert run_cli("export", "session", "latest", "-o", str(out)).exit_code == 0
    row = next(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert row["note"] == "'-2+3 said no twice" and row["name"] == "Plain Person"
    assert row["phone"] == "+15125550134" and row["script"] == ""


def test_export_to_stdout_and_bad_session(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text(LEADS, encoding="utf-8")
    import_json(run_cli, source, "--list", "L")
    session_id = worked_session(db)
    result = run_cli("export", "session", str(session_id), "-o", "-")
    assert result.exit_code == 0
    assert next(csv.reader(io.StringIO(result.stdout)))[:3] == [
        "session_id",
        "attempt_id",
        "started_at",
    ]
    missing = run_cli("export", "session", "99", "-o", "-")
    assert missing.exit_code != 0 and "No session 99" in missing.stderr
    bad = run_cli("export", "session", "yesterday", "-o", "-")
    assert bad.exit_code != 0 and "not a session number" in bad.stderr


def test_exported_leads_reimport_as_the_same_leads(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(LEADS, encoding="utf-8")
    import_json(run_cli, source, "--list", "L")
    out = tmp_path / "leads.csv"
    assert run_cli("export", "leads", "--list", "L", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "'-2+3" in text and "'+cmd|" in text
    report = import_json(run_cli, out, "--list", "Again")
    assert report["imported"] == 2 and report["rejected"] == 0
    leads = json.loads(run_cli("leads", "--json").stdout)
    first = {(lead["phone"], lead["extension"]) for lead in leads if lead["list"] == "L"}
    again = {(lead["phone"], lead["extension"]) for lead in leads if lead["list"] == "Again"}
    assert first == again == {("+15125550134", None), ("+12125550188", "7")}


def test_export_without_sessions(run_cli: RunCli) -> None:
    result = run_cli("export", "session", "latest", "-o", "-")
    assert result.exit_code == 3
    assert (
        result.stderr == "dialsmile: No session with calls yet; start one with: dialsmile session\n"
    )


def test_latest_is_the_latest_session_with_calls(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text(LEADS, encoding="utf-8")
    import_json(run_cli, source, "--list", "L")
    worked = worked_session(db)
    database = database_at(db)
    clock = Clock(datetime.fromisoformat("2026-11-25T17:00:00+00:00"))
    opened = CallSession(
        open_stores(database), LeadStore(database).get_list("L"), Settings(), clock, resume=False
    )
    opened.advance()
    opened.record(Outcome.SKIP)  # opened, one skip, quit: no calls
    assert opened.session_id > worked
    out = tmp_path / "latest.csv"
    latest = run_cli("export", "session", "latest", "-o", str(out))
    assert latest.exit_code == 0 and latest.stderr == ""
    assert latest.stdout == f"Wrote 1 call of session {worked} to {out}\n"
    empty = tmp_path / "empty.csv"
    named = run_cli("export", "session", str(opened.session_id), "-o", str(empty))
    assert named.exit_code == 0 and named.stdout == ""
    assert named.stderr == f"Session {opened.session_id} has no calls.\n"
    assert empty.read_text(encoding="utf-8").startswith("session_id,attempt_id,started_at,")
    assert len(empty.read_text(encoding="utf-8").splitlines()) == 1


# Any text, NUL and control characters included; formula and apostrophe starts made common.
cell_text = st.builds(
    str.__add__,
    st.sampled_from(["", "'", "''", "=", "+", "-", "@", "\t", "\r", "'=", "''-", '"']),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=4))
@example([("Ann \x00Lee", "said\x00 no"), ("'-Dash Lee", "\x01\x1b[0m'@x\r\n")])
def test_any_call_note_reads_back_from_the_export_as_saved_and_safe(
    texts: list[tuple[str, str]],
) -> None:
    """The export's SQL fast path writes every cell as the plain ``safe_cell`` does."""
    with tempfile.TemporaryDirectory() as tmp:
        db_path, source, out = Path(tmp) / "s.db", Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        source.write_text(
            "Name,Phone\n" + "".join(f"Lead {n},+1 512 555 {n + 100:04d}\n" for n in range(4)),
            encoding="utf-8",
        )
        db = open_db(db_path)
        import_file(LeadStore(db), source, ImportOptions(list_name="L"), parse_instant(NOW))
        session = CallSession(
            open_stores(db), LeadStore(db).get_list("L"), Settings(), Clock(parse_instant(NOW))
        )
        for name, note in texts:
            offer = session.advance()
            assert offer is not None
            # As an import stores it: imports leave NUL out (tests/cli/test_roundtrip.py).
            stored_name = name.replace("\x00", "")
            db.execute("UPDATE leads SET name = ? WHERE id = ?", [stored_name, offer.lead.id])
            session.record(Outcome.VOICEMAIL, note=note)
        saved = db.execute(
            """SELECT a.id, a.note, a.phone, a.started_at, a.duration_s, d.name
               FROM attempts a JOIN leads d ON d.id = a.lead_id ORDER BY a.id"""
        ).fetchall()
        db.conn.close()
        result = CliRunner().invoke(
            cli, ["--db", str(db_path), "export", "session", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        with out.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    assert [int(r["attempt_id"]) for r in rows] == [s[0] for s in saved]
    for row, (_, note, phone, started_at, duration, name), (_, typed) in zip(
        rows, saved, texts, strict=True
    ):
        assert note == typed.replace("\x00", "")  # the database never holds NUL
        assert row["note"] == safe_cell(note) and row["name"] == safe_cell(name)
        assert row["phone"] == phone and row["started_at"] == started_at
        # The length of a call in seconds, to the tenth.
        if duration is None:
            assert row["duration_s"] == ""
        else:
            assert len(row["duration_s"].partition(".")[2]) == 1
            assert abs(float(row["duration_s"]) - duration) <= 0.05 + 1e-9
        assert row["outcome"] == "voicemail" and row["code"] == Outcome.VOICEMAIL.code
