"""Rejected rows say what is wrong with them in words a rep can act on: a header line
pasted again into the data is a repeated header, not "no phone: Phone"; a number a
spreadsheet rounded into 4.15555E+09 says so and how to get it back."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli, import_json


def test_a_header_line_repeated_inside_the_data_is_named_as_such(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "pasted.csv"
    path.write_text(
        "First Name,Last Name,Company,Phone\n"
        "Ann,Lee,Acme,(415) 555-0132\n"
        "first name , Last Name,COMPANY,Phone\n"  # the second export pasted below the first
        "Cy,Dee,Gamma,(617) 555-0177\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "L")
    assert (report["imported"], report["rejected"]) == (2, 1)
    assert report["rejects"] == [{"row": 3, "reason": "repeated header row: not a lead"}]
    shown = run_cli("import", str(path), "--list", "M", "--dry-run").stdout
    assert "1 rejected: 1 repeated header row" in shown
    assert "    row 3: repeated header row: not a lead" in shown.splitlines()


def test_a_number_a_spreadsheet_rounded_says_so(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(
        "Name,Phone\n"
        "Alex Roe,4.15555E+09\n"  # 415-555-0132 shown in a too narrow General cell
        "Bea Ray,4.155550132E+09\n",  # every digit kept: a number
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "L")
    assert report["imported"] == 1
    assert report["rejects"] == [
        {
            "row": 2,
            "reason": "invalid phone: 4.15555E+09 (a spreadsheet rounded it to 6 digits;"
            " format the column as text in the source and export again)",
        }
    ]


def test_a_word_in_a_phone_cell_is_not_taken_for_a_header(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("Name,Phone\nAnn Lee,(415) 555-0132\nPhone,Phone\n", encoding="utf-8")
    report = import_json(run_cli, path, "--list", "L")
    assert report["rejects"] == [{"row": 3, "reason": "no phone: Phone"}]


def test_a_totals_line_under_the_data_is_named_as_such(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "umsatz.csv"
    path.write_bytes(
        "Firma;Name;Telefon;Umsatz\n"
        "Müller GmbH;Jürgen Weiß;030 1234567;1.234,56\n"
        "Summe;;;1.234,56\n"
        "Grand Total (1);;;\n"
        "Totalmente Nuevo SA;Ana Ruiz;;\n".encode("cp1252")  # a company, not a total
    )
    report = import_json(run_cli, path, "--list", "L", "--region", "DE")
    assert report["rejects"] == [
        {"row": 3, "reason": "totals row: not a lead"},
        {"row": 4, "reason": "totals row: not a lead"},
        {"row": 5, "reason": "no phone"},
    ]
    shown = run_cli("import", str(path), "--list", "M", "--region", "DE", "--dry-run").stdout
    assert "    row 3: totals row: not a lead" in shown.splitlines()
