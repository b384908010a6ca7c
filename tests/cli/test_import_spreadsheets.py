"""`dialsmile import` reads workbooks (.xlsx, .xlsm, .xls, .ods) as it reads the same rows as CSV."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from tests.conftest import FIXTURES, RunCli, import_json

pytestmark = pytest.mark.sqlite_only(
    "how a file is read: how imports are stored runs on both engines in test_import.py"
)

SHEETS = FIXTURES / "sheets"
Row = list[Any]

# A title row, a blank row, then the header: as a manager's Excel file often starts.
ROWS: list[Row] = [
    ["Q1 leads from the trade fair"],
    [],
    ["First Name", "Last Name", "Company", "Phone", "Mobile", "Met on", "Score"],
    ["Ann", "Lee", "Initech", 14155550132, "", date(2026, 11, 3), 3.5],
    ["Bo", "Tran", "Globex", 4155550199.0, 2125550188, date(2026, 11, 4), 4],
    ["Cy", "Moss", "Hooli", 4.155550132e09, "", datetime(2026, 11, 5, 14, 30), ""],  # a duplicate
    ["Di", "Ray", "Acme", 12345, "", "", ""],  # invalid phone
    [],
    ["Ed", "Fox", "Umbrella", "(312) 555-0144", "", "", 1],
]
# The same rows as a spreadsheet shows them, typed as CSV by a person.
CSV_TEXT = (
    "Q1 leads from the trade fair\r\n"
    "\r\n"
    "First Name,Last Name,Company,Phone,Mobile,Met on,Score\r\n"
    "Ann,Lee,Initech,14155550132,,2026-11-03,3.5\r\n"
    "Bo,Tran,Globex,4155550199,2125550188,2026-11-04,4\r\n"
    "Cy,Moss,Hooli,4155550132,,2026-11-05 14:30:00,\r\n"
    "Di,Ray,Acme,12345,,,\r\n"
    "\r\n"
    "Ed,Fox,Umbrella,(312) 555-0144,,,1\r\n"
)


def write_xlsx(path: Path, sheets: dict[str, list[Row]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, sheets: dict[str, list[Row]]) -> Path:
    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                tr.addElement(ods_cell(value))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def ods_cell(value: Any, formula: str = "") -> TableCell:
    extra = {"formula": formula} if formula else {}
    if isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value, **extra)
    elif isinstance(value, datetime | date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **extra)
    else:
        cell = TableCell(valuetype="string", **extra)
    if value != "":
        cell.addElement(P(text=str(value)))
    return cell


def leads(db_path: Path, list_name: str | None = None) -> list[dict[str, Any]]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            """SELECT name, company, phone, alt_phones, extra, source_row FROM leads
               WHERE ? IS NULL OR list_id = (SELECT id FROM lists WHERE name = ?) ORDER BY id""",
            [list_name, list_name],
        ).fetchall()
    return [dict(r) for r in rows]


def lead_count(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM leads").fetchone()[0])


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    skip = ("file", "encoding", "sheet", "batch", "list")
    return {k: v for k, v in report.items() if k not in skip}


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".ods"])
def test_a_workbook_imports_as_the_same_rows_saved_as_csv(
    run_cli: RunCli, tmp_path: Path, db_path: Path, suffix: str
) -> None:
    as_csv = tmp_path / "fair.csv"
    as_csv.write_text(CSV_TEXT, encoding="utf-8")
    writer = write_ods if suffix == ".ods" else write_xlsx
    book = writer(tmp_path / f"fair{suffix}", {"Fair": ROWS})
    from_csv = import_json(run_cli, as_csv, "--list", "csv")
    from_book = import_json(run_cli, book, "--list", "book")
    assert comparable(from_book) == comparable(from_csv)
    assert from_book["sheet"] == "Fair" and from_csv["sheet"] is None
    assert (from_book["rows"], from_book["imported"], from_book["duplicates"]) == (5, 3, 1)
    assert [r["reason"] for r in from_book["rejects"]] == ["invalid phone: 12345"]
    assert leads(db_path, "book") == leads(db_path, "csv")
    ann, bo, _ = leads(db_path, "book")
    assert ann["phone"] == "+14155550132" and json.loads(ann["extra"]) == {
        "Met on": "2026-11-03",
        "Score": "3.5",
    }
    assert bo["phone"] == "+14155550199" and "+12125550188" in bo["alt_phones"]


def test_numbers_never_read_with_a_decimal_point(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [["Name", "Phone", "Points"], ["Ann", 14155550132, 1234567.0], ["Bo", 4155550199.0, 7]]
    book = write_xlsx(tmp_path / "n.xlsx", {"Leads": rows})
    import_json(run_cli, book)
    extras = [json.loads(lead["extra"]) for lead in leads(tmp_path / "leads.db")]
    assert extras == [{"Points": "1234567"}, {"Points": "7"}]
    assert [lead["phone"] for lead in leads(tmp_path / "leads.db")] == [
        "+14155550132",
        "+14155550199",
    ]


def _with_cached_values(path: Path, cached: dict[str, str]) -> None:
    """Fill in the cached value of formula cells as Excel saves them (openpyxl leaves them empty)."""
    with zipfile.ZipFile(path) as src:
        files = {name: src.read(name) for name in src.namelist()}
    xml = files["xl/worksheets/sheet1.xml"].decode()
    for ref, value in cached.items():
        xml, n = re.subn(
            rf'(<c r="{ref}"[^>]*>(?:<f>[^<]*</f>)?)<v\s*/>|(<c r="{ref}"[^>]*>)<v>[^<]*</v>',
            lambda m, value=value: (m.group(1) or m.group(2)) + f"<v>{value}</v>",
            xml,
        )
        assert n == 1, ref
    files["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)


def test_formula_cells_read_as_their_cached_values(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [["Name", "Phone"], ["Ann", "=4155550000+132"], ["Bo", 4155550199]]
    book = write_xlsx(tmp_path / "f.xlsx", {"Leads": rows})
    # Excel may store a big number in scientific notation; it is still that number.
    _with_cached_values(book, {"B2": "14155550132", "B3": "4.155550199E+09"})
    assert import_json(run_cli, book)["imported"] == 2
    assert [lead["phone"] for lead in leads(tmp_path / "leads.db")] == [
        "+14155550132",
        "+14155550199",
    ]
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Leads")
    for name, cell in (("Name", ods_cell("Phone")), ("Cy", ods_cell(3125550144, "of:=[.C2]*1"))):
        tr = TableRow()
        tr.addElement(ods_cell(name))
        tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "f.ods"))
    assert import_json(run_cli, tmp_path / "f.ods", "--list", "ods")["imported"] == 1
    assert leads(tmp_path / "leads.db")[-1]["phone"] == "+13125550144"


def test_the_sheet_with_a_phone_column_is_read_and_named(run_cli: RunCli, tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Read me": [["This workbook lists the fair's leads"], ["Owner", "Sam"]],
            "Leads": [["Name", "Phone"], ["Ann Lee", "(415) 555-0132"], ["Bo Tran", 2125550188]],
            "Pivot": [["Company", "Count"], ["Initech", 1]],
        },
    )
    result = run_cli("import", str(book), "--list", "Fair")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Read book.xlsx (Excel workbook, sheet 'Leads', 2 rows)"
    chosen = run_cli("import", str(book), "--sheet", "Pivot", "--map", "Count=phone", "--dry-run")
    assert "sheet 'Pivot'" in chosen.stdout
    unknown = run_cli("import", str(book), "--sheet", "Leeds")
    assert unknown.exit_code != 0
    assert unknown.stderr == (
        f"dialsmile: {book} has no sheet named 'Leeds'; its sheets: 'Read me', 'Leads', 'Pivot'.\n"
    )


def test_an_old_xls_workbook(run_cli: RunCli, tmp_path: Path) -> None:
    report = import_json(run_cli, SHEETS / "leads.xls")
    assert report["sheet"] == "Leads" and report["encoding"] == "xls"
    assert (report["imported"], report["rejected"]) == (2, 1)
    assert [lead["phone"] for lead in leads(tmp_path / "leads.db")] == [
        "+14155550132",
        "+12125550188",
    ]


def test_a_workbook_with_another_name_is_known_by_its_bytes(
    run_cli: RunCli, tmp_path: Path
) -> None:
    book = write_xlsx(tmp_path / "download", {"Leads": [["Name", "Phone"], ["Ann", 4155550132]]})
    assert import_json(run_cli, book)["sheet"] == "Leads"


def test_rejects_of_a_workbook_are_a_csv(run_cli: RunCli, tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "r.xlsx", {"Leads": ROWS})
    rejects = tmp_path / "fix-me.csv"
    import_json(run_cli, book, "--rejects", str(rejects))
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][-1] == "reject_reason" and rows[1][:4] == ["Di", "Ray", "Acme", "12345"]


def _bad_books(tmp: Path) -> dict[str, tuple[Path, tuple[str, ...], str]]:
    """name: (file, extra arguments, what the one sentence says)."""
    truncated = tmp / "truncated.xlsx"
    good = write_xlsx(tmp / "good.xlsx", {"Leads": ROWS, "Empty": []})
    truncated.write_bytes(good.read_bytes()[:700])
    only_numbers = write_xlsx(tmp / "numbers.xlsx", {"Data": [[1, 2], [3, 4]]})
    return {
        "password": (SHEETS / "password.xlsx", (), "is protected by a password"),
        "corrupt": (truncated, (), "is damaged or not a workbook"),
        "empty sheet": (good, ("--sheet", "Empty"), "Sheet 'Empty' of"),
        "empty book": (write_xlsx(tmp / "e.xlsx", {"Sheet1": []}), (), "is empty"),
        "no header": (only_numbers, (), "looks like a phone number"),
        "no phone sheet": (
            write_xlsx(tmp / "two.xlsx", {"A": [["Company"], ["X"]], "B": [["City"], ["Y"]]}),
            (),
            "No sheet of",
        ),
        "sheet of a csv": (FIXTURES / "bad" / "only-header.csv", ("--sheet", "A"), "--sheet is"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "password",
        "corrupt",
        "empty sheet",
        "empty book",
        "no header",
        "no phone sheet",
        "sheet of a csv",
    ],
)
def test_bad_workbooks_fail_in_one_sentence(
    run_cli: RunCli, tmp_path: Path, db_path: Path, case: str
) -> None:
    path, extra, message = _bad_books(tmp_path)[case]
    result = run_cli("import", str(path), *extra)
    assert result.exit_code != 0
    assert message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert lead_count(db_path) == 0
