"""The text a lead file holds is the text stored, whatever encodings its lines were written in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, RunCli, import_json

pytestmark = pytest.mark.sqlite_only(
    "how a file is read: how imports are stored runs on both engines in test_import.py"
)

BAD = FIXTURES / "bad"
HEADER = "First Name,Last Name,Company,Phone,Notes\r\n"


def stored(run_cli: RunCli) -> list[tuple[str, str, str]]:
    leads = json.loads(run_cli("leads", "--json").stdout)
    return [(lead["name"], lead["company"], lead["notes"]) for lead in leads]


def test_a_file_mixing_utf8_and_windows_1252_lines_keeps_both(
    run_cli: RunCli, tmp_path: Path
) -> None:
    utf8 = "Åsa,Lund,Café AB,+1 512 555 0134,utf-8 row\r\n".encode()
    cp1252 = "Åsa,Berg,Brød ApS,+1 512 555 0135,Jürgen’s cp1252 row\r\n".encode("cp1252")
    path = tmp_path / "pasted.csv"
    path.write_bytes(HEADER.encode() + utf8 + cp1252 + utf8.replace(b"0134", b"0136"))
    report = import_json(run_cli, path, "--list", "M")
    assert report["encoding"] == "utf-8+cp1252"
    assert stored(run_cli) == [
        ("Åsa Lund", "Café AB", "utf-8 row"),
        ("Åsa Berg", "Brød ApS", "Jürgen’s cp1252 row"),
        ("Åsa Lund", "Café AB", "utf-8 row"),
    ]
    result = run_cli("import", str(path), "--list", "M2", "--dry-run")
    assert "(UTF-8 and Windows-1252 lines, comma, 3 rows)" in result.stdout


def test_the_mixed_encodings_fixture(run_cli: RunCli) -> None:
    import_json(run_cli, BAD / "mixed-encodings.csv", "--list", "M")
    assert stored(run_cli) == [
        ("Åsa Lund", "Café AB", "utf-8 row"),
        ("Søren Berg", "Brød ApS", "cp1252 row"),
    ]


@pytest.mark.parametrize("name", ["emoji.csv", "right-to-left.csv"])
def test_emoji_and_right_to_left_text_is_stored_as_written(run_cli: RunCli, name: str) -> None:
    report = import_json(run_cli, BAD / name, "--list", "X")
    assert report["repaired_cells"] == 0
    first, last, company, _, notes = (
        (BAD / name).read_text(encoding="utf-8").splitlines()[1].split(",")
    )
    assert stored(run_cli) == [(f"{first} {last}", company, notes)]


def test_mojibake_in_cells_is_repaired_and_counted(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "garbled.csv"
    path.write_text(
        HEADER
        + "JÃ¼rgen,MÃ¼ller,BÃ¤ckerei GmbH,+49 30 12345678,Ã…sa sagt hallo\r\n"
        + "Åsa,Öberg,São Paulo Ltda,+46 8 465 004 27,naïve café – “quoted” Ã\r\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "G")
    assert report["repaired_cells"] == 4
    assert stored(run_cli) == [
        ("Jürgen Müller", "Bäckerei GmbH", "Åsa sagt hallo"),
        ("Åsa Öberg", "São Paulo Ltda", "naïve café – “quoted” Ã"),
    ]
    result = run_cli("import", str(path), "--list", "G2", "--dry-run")
    assert "       4 cells with garbled accents repaired (e.g. JÃ¼rgen -> Jürgen)" in result.stdout


def test_bom_utf16_and_sep_line_still_work(run_cli: RunCli, tmp_path: Path) -> None:
    text = "sep=;\r\nName;Phone\r\nÅsa Lund;+1 512 555 0134\r\n"
    for i, (encoding, label) in enumerate([("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")]):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        report = import_json(run_cli, path, "--list", f"B{i}")
        assert (report["encoding"], report["delimiter"], report["imported"]) == (label, ";", 1)
    assert {name for name, _, _ in stored(run_cli)} == {"Åsa Lund"}
    shutil.rmtree(tmp_path, ignore_errors=True)
