"""Shell completion through click's protocol, as bash, zsh and fish ask for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dialsmile import __version__
from dialsmile.cli import cli
from tests.cli.test_export import worked_session
from tests.conftest import RunCli, import_json

pytestmark = pytest.mark.both_engines


def complete(db: Path | str, words: str, shell: str = "bash") -> list[str]:
    """The values the shell would offer for the last word of ``words`` (may be empty)."""
    args = words.split(" ")
    # bash and zsh give the index of the word being completed; fish gives the word itself.
    cword = args[-1] if shell == "fish" else str(len(args) + 2)
    result = CliRunner().invoke(
        cli,
        [],
        prog_name="dialsmile",
        env={
            "_DIALSMILE_COMPLETE": f"{shell}_complete",
            "COMP_WORDS": " ".join(["dialsmile", "--db", str(db), *args]),
            "COMP_CWORD": cword,
        },
    )
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    lines = [line for line in result.stdout.splitlines() if line]
    if shell == "bash":  # "type,value" lines
        return [line.split(",", 1)[1] for line in lines]
    if shell == "zsh":  # type, value, help: three lines each
        return [lines[i + 1] for i in range(0, len(lines), 3)]
    return [line.split(",", 1)[1].split("\t")[0] for line in lines]  # fish: type,value\thelp


@pytest.fixture
def two_lists(run_cli: RunCli, tmp_path: Path, db: str) -> Path:
    source = tmp_path / "in.csv"
    source.write_text("Name,Phone\nPlain Person,(512) 555-0134\n", encoding="utf-8")
    import_json(run_cli, source, "--list", "Q4 Nordics")
    import_json(run_cli, source, "--list", "L")
    return db


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_list_names_complete_in_every_shell(two_lists: Path, shell: str) -> None:
    assert complete(two_lists, "session --list Q", shell) == ["Q4 Nordics"]
    assert sorted(complete(two_lists, "leads --list ", shell)) == ["L", "Q4 Nordics"]
    assert complete(two_lists, "export leads --list q", shell) == ["Q4 Nordics"]


def test_script_names_complete_for_session_and_practice(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    assert complete(db, "session --script saas") == ["saas-discovery"]
    assert {"saas-discovery", "fa-prospecting"} <= set(complete(db, "practice --script "))


def test_session_ids_complete_with_latest(two_lists: Path) -> None:
    assert complete(two_lists, "export session ") == ["latest"]  # no session with calls yet
    session_id = worked_session(two_lists)
    assert complete(two_lists, "export session ") == ["latest", str(session_id)]
    assert complete(two_lists, "export session l") == ["latest"]


def test_completion_without_a_database_or_with_a_broken_one_offers_nothing(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "missing.db"
    assert complete(missing, "session --list ") == []
    assert not missing.exists()  # completion never creates the database
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    assert complete(broken, "session --list ") == []
    assert complete(tmp_path, "leads --list ") == []  # --db is a directory


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_installed_command_prints_each_shells_script(shell: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from dialsmile.cli import main; main()"],
        env={**os.environ, "_DIALSMILE_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "_DIALSMILE_COMPLETE" in out.stdout and out.stderr == ""


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0 and result.stdout == f"dialsmile, version {__version__}\n"
    assert __version__.count(".") == 2
