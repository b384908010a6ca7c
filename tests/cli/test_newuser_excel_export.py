"""``--excel`` starts an export with a UTF-8 byte order mark, so Excel opened by a
double click shows Jürgen, 山田 and Emma 🚀 as written; without it the file is as
before. A file written with --excel imports back as the same leads."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pytest

from tests.cli.test_export import worked_session
from tests.conftest import RunCli, import_json

LEADS = "Name,Company,Phone\nJürgen Weiß,Müller GmbH,+49 30 1234567\n山田 太郎,山田商事,+81 3-1234-5678\n"


def _imported(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(LEADS, encoding="utf-8")
    import_json(run_cli, source, "--list", "L")


@pytest.mark.parametrize("file_format", ["csv", "hubspot", "salesforce", "pipedrive"])
def test_leads_export_for_excel_starts_with_a_byte_order_mark(
    run_cli: RunCli, tmp_path: Path, file_format: str
) -> None:
    _imported(run_cli, tmp_path)
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert run_cli("export", "leads", "--format", file_format, "-o", str(plain)).exit_code == 0
    result = run_cli("export", "leads", "--format", file_format, "--excel", "-o", str(excel))
    assert result.exit_code == 0, result.stderr
    assert excel.read_bytes() == codecs.BOM_UTF8 + plain.read_bytes()
    assert not plain.read_bytes().startswith(codecs.BOM_UTF8)
    if file_format == "csv":
        names = [row["name"] for row in csv.DictReader(excel.open(encoding="utf-8-sig"))]
        assert names == ["Jürgen Weiß", "山田 太郎"]


def test_an_excel_export_imports_back_as_the_same_leads(run_cli: RunCli, tmp_path: Path) -> None:
    _imported(run_cli, tmp_path)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert run_cli("export", "leads", "--excel", "-o", str(first)).exit_code == 0
    assert run_cli("imports", "undo", "1").exit_code == 0
    report = import_json(run_cli, first, "--list", "L")
    assert report["encoding"] == "utf-8-sig" and report["imported"] == 2
    assert run_cli("export", "leads", "--excel", "-o", str(second)).exit_code == 0
    assert [r["name"] for r in csv.DictReader(second.open(encoding="utf-8-sig"))] == [
        "Jürgen Weiß",
        "山田 太郎",
    ]


def test_session_export_for_excel(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    _imported(run_cli, tmp_path)
    worked_session(db)
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert run_cli("export", "session", "latest", "-o", str(plain)).exit_code == 0
    assert run_cli("export", "session", "latest", "--excel", "-o", str(excel)).exit_code == 0
    assert excel.read_bytes() == codecs.BOM_UTF8 + plain.read_bytes()
    (row,) = csv.DictReader(excel.open(encoding="utf-8-sig", newline=""))
    assert row["name"] == "Jürgen Weiß" and row["session_id"] == "1"
