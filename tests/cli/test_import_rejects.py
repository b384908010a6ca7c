"""The --rejects file opens in a spreadsheet as the export did: UTF-8 with BOM, same delimiter."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import RunCli, import_json

pytestmark = pytest.mark.both_engines

GERMAN = (
    "Vorname;Nachname;Firma;Telefon;Land\r\n"
    'Jürgen;Müller;"Fjord; Fisk GmbH";12345;Deutschland\r\n'
    "Anna;Schmidt;Acme;030 12345678;Deutschland\r\n"
    "=HYPERLINK(1);Öz;Ölwerk;n/a;Deutschland\r\n"
)


@pytest.mark.parametrize(
    ("encoding", "text", "delimiter"),
    [
        ("cp1252", GERMAN, ";"),
        (
            "utf-16",
            GERMAN.replace(";", "\t").replace('"Fjord\t Fisk GmbH"', "Fjord; Fisk GmbH"),
            "\t",
        ),
        (
            "utf-8",
            GERMAN.replace(";", ",").replace('"Fjord, Fisk GmbH"', '"Fjord; Fisk GmbH"'),
            ",",
        ),
    ],
)
def test_rejects_keep_the_export_delimiter_with_a_bom(
    run_cli: RunCli, tmp_path: Path, encoding: str, text: str, delimiter: str
) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(text.encode(encoding))
    rejects = tmp_path / "fix-me.csv"
    report = import_json(run_cli, source, "--list", "DE", "--rejects", str(rejects))
    assert (report["imported"], report["rejected"]) == (1, 2)

    data = rejects.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfVorname" + delimiter.encode() + b"Nachname")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines(), delimiter=delimiter))
    assert rows == [
        ["Vorname", "Nachname", "Firma", "Telefon", "Land", "reject_reason"],
        ["Jürgen", "Müller", "Fjord; Fisk GmbH", "12345", "Deutschland", "invalid phone: 12345"],
        ["'=HYPERLINK(1)", "Öz", "Ölwerk", "n/a", "Deutschland", "no phone: n/a"],
    ]

    rows[1][3] = "089 1234567"
    with rejects.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows[:2])
    again = import_json(run_cli, rejects, "--list", "DE")
    assert (again["encoding"], again["delimiter"], again["imported"]) == ("utf-8-sig", delimiter, 1)
