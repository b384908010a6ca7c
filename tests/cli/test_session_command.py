"""`dialsmile session` checks its arguments before the terminal screen starts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dialsmile.storage.db import choose_list, open_db, peek
from dialsmile.storage.migrations import LATEST
from tests.cli.test_faults import old_database
from tests.conftest import RunCli

pytestmark = pytest.mark.both_engines

CSV = "Name,Phone,State\nAnn Lee,(512) 555-0134,TX\n"


@pytest.fixture
def two_lists(run_cli: RunCli, tmp_path: Path) -> None:
    leads = tmp_path / "a.csv"
    leads.write_text(CSV, encoding="utf-8")
    for name in ("Austin", "Boston"):
        assert run_cli("import", str(leads), "--list", name).exit_code == 0


@pytest.mark.sqlite_only("whether a database file is created")
def test_no_database_yet_says_import_first_and_creates_nothing(
    run_cli: RunCli, db_path: Path
) -> None:
    result = run_cli("session")
    assert result.exit_code == 3
    assert result.stderr == (
        "dialsmile: There are no leads yet; import some with: dialsmile import FILE.csv\n"
    )
    assert not db_path.exists()


@pytest.mark.usefixtures("two_lists")
def test_an_unknown_list_names_the_lists_there(run_cli: RunCli) -> None:
    result = run_cli("session", "--list", "Chicago")
    assert result.exit_code == 3
    assert result.stderr == "dialsmile: No list named 'Chicago'. Lists here: Austin, Boston.\n"


@pytest.mark.usefixtures("two_lists")
def test_several_lists_and_no_session_yet_asks_for_one(run_cli: RunCli) -> None:
    result = run_cli("session")
    assert result.exit_code == 2
    assert "Several lists here (Austin, Boston); choose one with --list." in result.stderr


@pytest.mark.usefixtures("two_lists")
def test_an_unknown_script_is_refused_before_the_screen(run_cli: RunCli) -> None:
    result = run_cli("session", "--list", "Austin", "--script", "no-such-pitch")
    assert result.exit_code == 3
    assert result.stderr.startswith("dialsmile: No script named 'no-such-pitch'.")
    assert "Traceback" not in result.output


PACKS = Path(__file__).resolve().parent.parent / "fixtures" / "scripts"


@pytest.mark.usefixtures("two_lists")
def test_a_pack_with_errors_is_refused_before_the_screen(run_cli: RunCli) -> None:
    broken = PACKS / "broken.md"
    for command in (["session", "--list", "Austin"], ["practice"]):
        result = run_cli(*command, "--script", str(broken))
        assert result.exit_code == 2, result.output
        first, _, rest = result.stderr.partition("(")
        assert first == f"dialsmile: Script {broken} has 10 errors "
        assert rest.startswith(f"{broken}:")
        assert rest.endswith(f"see them all with: dialsmile scripts check {broken}\n")


@pytest.mark.usefixtures("two_lists")
def test_a_pack_over_a_megabyte_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    huge.write_text((PACKS / "good.md").read_text() + "x" * 1_200_000)
    result = run_cli("session", "--list", "Austin", "--script", str(huge))
    assert result.exit_code == 2
    assert result.stderr == (
        f"dialsmile: Script {huge} is too big for a script pack (1.2 MB; the limit is 1 MB).\n"
    )
    assert run_cli("scripts", "check", str(huge)).exit_code == 1


@pytest.mark.sqlite_only("a damaged SQLite file")
def test_a_file_that_is_not_a_database_gets_one_sentence(run_cli: RunCli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = run_cli("session", db=junk)
    assert result.exit_code == 4
    assert result.stderr == f"dialsmile: {junk} is not a dialsmile database (or it is damaged).\n"


@pytest.mark.usefixtures("two_lists")
@pytest.mark.sqlite_only("reads the SQLite file with peek, before it is opened for work")
def test_without_list_the_latest_sessions_list_is_chosen(db_path: Path) -> None:
    db = open_db(db_path)
    db.execute("INSERT INTO sessions (list_id, started_at, chunk_size) VALUES (2, 'x', 25)")
    db.execute("INSERT INTO sessions (list_id, started_at, chunk_size) VALUES (1, 'y', 25)")
    db.conn.close()
    with peek(db_path) as conn:
        assert choose_list(conn, None) == "Austin"
        assert choose_list(conn, "Boston") == "Boston"


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_database_is_upgraded_when_peeked(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    old_database(path, version)
    with peek(path) as conn:
        assert conn is not None
        assert choose_list(conn, None) == "Old"
    latest = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert latest == LATEST


@pytest.mark.usefixtures("two_lists")
@pytest.mark.parametrize("command", [["session", "--list", "Austin"], ["demo"], ["practice"]])
def test_without_a_terminal_the_screens_say_so_instead_of_waiting(
    run_cli: RunCli, command: list[str]
) -> None:
    result = run_cli(*command, input="")
    assert result.exit_code == 2
    assert result.stderr.startswith("dialsmile: The ") and "needs a terminal" in result.stderr
    assert result.stderr.count("\n") == 1
