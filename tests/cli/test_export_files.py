"""The bytes of exported files, as a spreadsheet or a script reads them: line ends,
byte order marks, delimiters, empty cells, and one sentence when a file cannot be
written (nothing half-written left behind)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import NOW, RunCli


def worked(run_cli: RunCli, tmp_path: Path, db_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text(
        "Name,Company,Phone\nAnn Lee,Acme,+1 512 555 0100\nBo Li,Initech,+1 512 555 0101\n",
        encoding="utf-8",
    )
    assert run_cli("import", str(source), "--list", "L").exit_code == 0
    db = open_db(db_path)
    session = CallSession(
        open_stores(db), LeadStore(db).get_list("L"), Settings(), Clock(parse_instant(NOW))
    )
    for outcome in (Outcome.NO, Outcome.VOICEMAIL):
        assert session.advance() is not None
        session.record(outcome, note="line one\nline two")
    db.conn.close()


def test_exports_end_rows_with_crlf_have_no_bom_and_leave_empty_cells_empty(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    worked(run_cli, tmp_path, db_path)
    for args, header in (
        (["export", "session", "latest"], "session_id,attempt_id,started_at,"),
        (["export", "leads", "--list", "L"], "lead_id,list,name,"),
    ):
        out = tmp_path / "out.csv"
        result = run_cli(*args, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        data = out.read_bytes()
        assert data.startswith(header.encode())  # no byte order mark
        assert data.endswith(b"\r\n") and data.count(b"\r\n") == 3  # header and two rows
        if args[1] == "session":
            assert b'"line one\nline two"' in data  # a note's own newline stays in its cell
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert len(rows) == 2
        assert [row["callback_at"] for row in rows] == ["", ""]


def test_rejects_keep_the_exports_delimiter_after_a_utf8_bom(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = tmp_path / "de.csv"
    source.write_text(
        "Name;Firma;Telefon\nJürgen Groß;Acme;12345\nAnna Weiß;B;+49 30 1234567\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    result = run_cli(
        "import", str(source), "--list", "L", "--region", "DE", "--rejects", str(rejects)
    )
    assert result.exit_code == 0, result.stderr
    assert rejects.read_bytes() == (
        "\ufeffName;Firma;Telefon;reject_reason\r\nJürgen Groß;Acme;12345;invalid phone: 12345\r\n"
    ).encode("utf-8")


def test_a_file_that_cannot_be_written_is_one_sentence_and_leaves_nothing(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    worked(run_cli, tmp_path, db_path)
    missing = tmp_path / "no-such-folder" / "out.csv"
    result = run_cli("export", "leads", "-o", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"dialsmile: Cannot write {missing}: No such file or directory.\n"
    folder = run_cli("export", "session", "latest", "-o", str(tmp_path))
    assert folder.exit_code == 2
    assert folder.stderr == f"dialsmile: {tmp_path} is a directory; give a file name.\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and "tmp" in p.name]
