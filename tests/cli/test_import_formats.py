"""Encodings, delimiters and limits an import must read as a user expects: the stored
leads are compared with the text the file was written from."""

from __future__ import annotations

import codecs
import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import RunCli

pytestmark = pytest.mark.sqlite_only(
    "how a file is read: how imports are stored runs on both engines in test_import.py"
)

ROWS = [
    ("José Müller", "Café Ørsted", "+15125550134"),
    ("Zoë Ångström", "Brød & Co", "+15125550135"),
]


def stored(run_cli: RunCli) -> list[tuple[str, str, str]]:
    listed = run_cli("leads", "--json")
    assert listed.exit_code == 0, listed.stderr
    return [(r["name"], r["company"], r["phone"]) for r in json.loads(listed.stdout)]


def lines(delimiter: str) -> list[str]:
    phones = ["(512) 555-0134", "+1 512 555 0135"]
    return [
        delimiter.join(["Name", "Company", "Phone"]),
        *(delimiter.join([n, c, p]) for (n, c, _), p in zip(ROWS, phones, strict=True)),
    ]


@pytest.mark.parametrize(
    ("name", "data", "encoding", "delimiter"),
    [
        ("pipe", "\n".join(lines("|")).encode("utf-8"), "utf-8", "|"),
        ("sep-semicolon", "\r\n".join(["sep=;", *lines(";")]).encode("utf-8"), "utf-8", ";"),
        ("excel-unicode-text", codecs.BOM_UTF16_LE + "\r\n".join(lines("\t")).encode("utf-16-le"), "utf-16", "\t"),
        ("utf-16-big-endian", codecs.BOM_UTF16_BE + "\n".join(lines("\t")).encode("utf-16-be"), "utf-16", "\t"),
        ("windows-1252", "\r\n".join(lines(",")).encode("cp1252"), "cp1252", ","),
        # 0x81 is no character in Windows-1252: the file is read as Latin-1.
        ("latin-1", "\n".join(lines(",")).encode("latin-1").replace(b"& Co", b"& Co\x81"), "latin-1", ","),
    ],
)  # fmt: skip
def test_encodings_and_delimiters_store_the_text_as_written(
    run_cli: RunCli, tmp_path: Path, name: str, data: bytes, encoding: str, delimiter: str
) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    result = run_cli("import", str(path), "--list", "L", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["encoding"], report["delimiter"], report["imported"]) == (encoding, delimiter, 2)
    expected = ROWS
    if name == "latin-1":
        expected = [ROWS[0], ("Zoë Ångström", "Brød & Co\x81", ROWS[1][2])]
    assert stored(run_cli) == expected


def lead_rows(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM leads").fetchone()[0])


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (codecs.BOM_UTF16_LE + "Name,Phone\n".encode("utf-16-le") + b"\x00\xd8", "utf-16"),
    ],
)
def test_a_file_whose_byte_order_mark_lies_is_refused_in_one_sentence(
    run_cli: RunCli, tmp_path: Path, db_path: Path, data: bytes, says: str
) -> None:
    path = tmp_path / "liar.csv"
    path.write_bytes(data)
    result = run_cli("import", str(path), "--list", "L")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{path} says it is {says}" in result.stderr and "but is not valid" in result.stderr
    assert lead_rows(db_path) == 0


def test_a_utf8_file_with_a_windows_1252_line_reads_that_line_as_windows_1252(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    # Two exports pasted together: the BOM speaks for the UTF-8 lines only.
    path = tmp_path / "pasted.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"Name,Phone\nJos\xe9,+15125550134\n")
    result = run_cli("import", str(path), "--list", "L")
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name FROM leads").fetchall() == [("José",)]


def test_max_cell_refuses_a_longer_cell_and_accepts_one_at_the_limit(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    note = "n" * 150
    path.write_text(f"Name,Phone,Notes\nAnn Lee,+15125550134,{note}\n", encoding="utf-8")
    refused = run_cli("import", str(path), "--list", "L", "--max-cell", "149")
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1
    assert "150 characters" in refused.stderr and "149" in refused.stderr
    assert "--max-cell" in refused.stderr
    assert lead_rows(db_path) == 0
    accepted = run_cli("import", str(path), "--list", "L", "--max-cell", "150")
    assert accepted.exit_code == 0, accepted.stderr
    notes = json.loads(run_cli("leads", "--json").stdout)[0]["notes"]
    assert notes == note


def test_the_default_cell_limit_is_20000_characters(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        f"Name,Phone,Notes\nAnn Lee,+15125550134,{'a' * 20_000}\nBo Lee,+15125550135,{'b' * 20_001}\n",
        encoding="utf-8",
    )
    refused = run_cli("import", str(path), "--list", "L")
    assert refused.exit_code == 2 and "20,001 characters" in refused.stderr
    assert lead_rows(db_path) == 0


def test_a_sep_line_names_the_delimiter_where_another_looks_likelier(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # More commas than semicolons on every line: only the sep= line says it is ';'.
    path = tmp_path / "adressen.csv"
    path.write_text(
        "sep=;\n"
        "Name;Telefon;Straße, Hausnummer, PLZ, Ort\n"
        "Jürgen Groß;+49 30 1234567;Hauptstr. 1, 1, 10115, Berlin\n"
        "Anna Weiß;+49 30 7654321;Ringstr. 2, 2, 10117, Berlin\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(path), "--list", "L", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["delimiter"], report["rows"], report["imported"]) == (";", 2, 2)
    leads = json.loads(run_cli("leads", "--json").stdout)
    assert [(r["name"], r["phone"]) for r in leads] == [
        ("Jürgen Groß", "+49301234567"),
        ("Anna Weiß", "+49307654321"),
    ]
    assert [r["extra"] for r in leads] == [
        {"Straße, Hausnummer, PLZ, Ort": "Hauptstr. 1, 1, 10115, Berlin"},
        {"Straße, Hausnummer, PLZ, Ort": "Ringstr. 2, 2, 10117, Berlin"},
    ]
