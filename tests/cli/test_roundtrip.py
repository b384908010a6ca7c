"""CSV round trip: `export leads` then `import` gives the same cells, cycle after cycle."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dialsmile.cli import cli
from dialsmile.storage.db import open_db
from tests.conftest import RunCli

pytestmark = pytest.mark.sqlite_only("generated cells, each example on a SQLite file of its own")

FIELDS = ("name", "first_name", "last_name", "company", "title", "email", "city", "notes")


def kept(row: dict[str, str]) -> dict[str, str]:
    """The cells an import keeps as they are. It derives a first and last name from the
    name, and an empty name from them: those are equal from the first import on, not
    necessarily to what was typed into the first database."""
    derived = {"first_name", "last_name"} | ({"name"} if not row["name"] else set())
    return {k: v for k, v in row.items() if k not in derived}


# Any text: line breaks, quotes, delimiters, apostrophes, formula starts, control
# characters and NUL included; the formula-like and apostrophe starts made common.
starts = st.sampled_from(["", "'", "''", "=", "+", "-", "@", "\t", "\r", "'=", "''-", " ", "\n"])
cell = st.builds(
    str.__add__, starts, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)
)
lead = st.fixed_dictionaries({f: cell for f in FIELDS})


def cells(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


PLAIN_LEADS = 25


def cycle(runner: CliRunner, db: Path, exported: Path, out: Path) -> list[dict[str, str]]:
    """Import ``exported`` into the new database ``db``, export it to ``out``; its cells."""
    result = runner.invoke(cli, ["--db", str(db), "import", str(exported), "--list", "L", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["imported"], report["rejected"]) == (PLAIN_LEADS, 0), report
    result = runner.invoke(cli, ["--db", str(db), "export", "leads", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return cells(out)


def seeded(folder: Path, leads: list[dict[str, str]]) -> Path:
    """A database of plain leads whose last ones hold ``leads``' text, typed in any way
    (the notes editor takes anything; SQL is how other tools write)."""
    source = folder / "in.csv"
    source.write_text(
        "Name,Phone\n"
        + "".join(f"Lead {n},+1 512 555 {n + 100:04d}\n" for n in range(PLAIN_LEADS)),
        encoding="utf-8",
    )
    path = folder / "0.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "import", str(source), "--list", "L"])
    assert result.exit_code == 0, result.output
    db = open_db(path)
    assignments = ", ".join(f"{f} = ?" for f in FIELDS)
    for n, values in enumerate(leads):
        lead_id = PLAIN_LEADS - len(leads) + n + 1
        db.execute(f"UPDATE leads SET {assignments} WHERE id = ?", [*values.values(), lead_id])
    db.conn.close()
    return path


# The plain leads come first: the delimiter is sniffed from a file's first 20 lines,
# and a file that opens with many multi-line cells holding semicolons, tabs or pipes
# is a limit of that sniffing (see the xfail test below), not of the cells.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lead, min_size=1, max_size=5))
@example([dict.fromkeys(FIELDS, "-Dash Lee")])
@example([dict.fromkeys(FIELDS, "'=1+1")])
@example([dict.fromkeys(FIELDS, "a\x00b\rc\r\nd\x01\x1b[0m;|\t\"'")])
@example([dict.fromkeys(FIELDS, " \t'\t=x \n")])
def test_export_import_export_gives_the_same_cells(leads: list[dict[str, str]]) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first = seeded(folder, leads)
        exported = folder / "0.csv"
        result = runner.invoke(cli, ["--db", str(first), "export", "leads", "-o", str(exported)])
        assert result.exit_code == 0, result.output
        rounds = [cells(exported)]
        for n in range(1, 4):
            rounds.append(cycle(runner, folder / f"{n}.db", exported, folder / f"{n}.csv"))
            exported = folder / f"{n}.csv"
    # The first import keeps every cell but the derived ones; from then on, all of them.
    for before, after in zip(rounds[0], rounds[1], strict=True):
        assert {k: after[k] for k in kept(before)} == kept(before)
    assert rounds[1] == rounds[2] == rounds[3]


def test_a_file_opening_with_multi_line_cells_reimports(tmp_path: Path) -> None:
    folder = tmp_path
    leads = [dict.fromkeys(FIELDS, "a;b\nc;d\ne;f")] * 3
    first = seeded(folder, leads)
    db = open_db(first)
    db.execute("UPDATE leads SET position = -id WHERE 1")  # the multi-line leads first
    db.conn.close()
    exported = folder / "0.csv"
    assert CliRunner().invoke(cli, ["--db", str(first), "export", "leads", "-o", str(exported)])
    cycle(CliRunner(), folder / "1.db", exported, folder / "1.csv")


def test_a_dash_name_survives_any_number_of_cycles(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    # A cell written by a spreadsheet guard (the apostrophe) is read as its text.
    source.write_text('Name,Company,Phone\n"-Dash Lee","\'=Not a formula",+1 512 555 0134\n')
    db = tmp_path / "0.db"
    assert run_cli("import", str(source), "--list", "L", db=db).exit_code == 0
    for n in range(1, 4):
        out = tmp_path / f"{n}.csv"
        assert run_cli("export", "leads", "-o", str(out), db=db).exit_code == 0
        row = cells(out)[0]
        # What a spreadsheet shows: the text with one apostrophe more, never a formula.
        assert (row["name"], row["company"]) == ("'-Dash Lee", "'=Not a formula")
        db = tmp_path / f"{n}.db"
        assert run_cli("import", str(out), "--list", "L", db=db).exit_code == 0
        names = run_cli("leads", "--json", db=db).stdout
        assert '"name": "-Dash Lee"' in names and '"company": "=Not a formula"' in names
