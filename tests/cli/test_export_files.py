"""The bytes of exported files, as a spreadsheet or a script reads them: line ends,
byte order marks, delimiters, empty cells, and one sentence when a file cannot be
written (nothing half-written left behind)."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.io.export import write_private
from dialsmile.storage import exports
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.cli.test_formula_guard import session_with_notes
from tests.conftest import NOW, RunCli, database_at

pytestmark = pytest.mark.both_engines


def worked(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    source = tmp_path / "leads.csv"
    source.write_text(
        "Name,Company,Phone\nAnn Lee,Acme,+1 512 555 0100\nBo Li,Initech,+1 512 555 0101\n",
        encoding="utf-8",
    )
    assert run_cli("import", str(source), "--list", "L").exit_code == 0
    db = database_at(db)
    session = CallSession(
        open_stores(db), LeadStore(db).get_list("L"), Settings(), Clock(parse_instant(NOW))
    )
    for outcome in (Outcome.NO, Outcome.VOICEMAIL):
        assert session.advance() is not None
        session.record(outcome, note="line one\nline two")
    db.conn.close()


def test_exports_end_rows_with_crlf_have_no_bom_and_leave_empty_cells_empty(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    worked(run_cli, tmp_path, db)
    for args, header, (column, cell) in (
        (["export", "session", "latest"], "session_id,attempt_id,started_at,", ("session_id", "1")),
        (["export", "leads", "--list", "L"], "lead_id,list,name,", ("list", "L")),
    ):
        out = tmp_path / "out.csv"
        result = run_cli(*args, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"Wrote 2 {'calls' if args[1] == 'session' else 'leads'} ")
        data = out.read_bytes()
        assert data.startswith(header.encode())  # no byte order mark
        assert data.endswith(b"\r\n") and data.count(b"\r\n") == 3  # header and two rows
        if args[1] == "session":
            assert b'"line one\nline two"' in data  # a note's own newline stays in its cell
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert len(rows) == 2
        assert [row[column] for row in rows] == [cell, cell]  # every line whole
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
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    worked(run_cli, tmp_path, db)
    missing = tmp_path / "no-such-folder" / "out.csv"
    result = run_cli("export", "leads", "-o", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"dialsmile: Cannot write {missing}: No such file or directory.\n"
    folder = run_cli("export", "session", "latest", "-o", str(tmp_path))
    assert folder.exit_code == 2
    assert folder.stderr == f"dialsmile: {tmp_path} is a directory; give a file name.\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and "tmp" in p.name]


def test_a_session_longer_than_one_read_is_written_whole_and_in_order(
    run_cli: RunCli, tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The calls are read from the database two at a time here (thousands in use):
    # a read of plain notes, one holding a formula, and a last short one.
    notes = ["plain one", "plain two", "=1+1", "plain four", "@last"]
    session_with_notes(tmp_path, notes, db)
    monkeypatch.setattr(exports, "BATCH", 2)
    out = tmp_path / "session.csv"
    result = run_cli("export", "session", "latest", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 5 calls of session 1 to {out}\n"
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["session_id"], r["name"], r["note"]) for r in rows] == [
        ("1", "Lead 0", "plain one"),
        ("1", "Lead 1", "plain two"),
        ("1", "Lead 2", "'=1+1"),
        ("1", "Lead 3", "plain four"),
        ("1", "Lead 4", "'@last"),
    ]
    assert [int(r["attempt_id"]) for r in rows] == sorted({int(r["attempt_id"]) for r in rows})


def test_a_folder_that_refuses_the_file_says_so(
    run_cli: RunCli, tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As for a rep writing into a folder that is not theirs (tests run as root here,
    # so the refusal is made by hand).
    worked(run_cli, tmp_path, db)
    out = tmp_path / "out.csv"
    real_open = os.open

    def refuse(path: str | os.PathLike[str], *args: int) -> int:
        if Path(path).parent == tmp_path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args)

    monkeypatch.setattr(os, "open", refuse)
    result = run_cli("export", "leads", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"dialsmile: Cannot write {out}: Permission denied.\n"
    assert not out.exists()


def test_a_private_file_is_written_whole_for_its_user_only_in_a_new_folder(
    tmp_path: Path,
) -> None:
    # An intro email saved from the session screen: the folder may not exist yet.
    path = tmp_path / "emails" / "lead 7" / "intro.txt"
    write_private(path, "Subject: Hello Ann\n\nJürgen says hi.\n")
    assert path.read_bytes() == "Subject: Hello Ann\n\nJürgen says hi.\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_private(path, "Subject: again\n")  # the folder is there now; the file is replaced
    assert path.read_text(encoding="utf-8") == "Subject: again\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["intro.txt"]
