"""`dialsmile import`: real files in, exact counts out, and clean failures."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXPORTS, RunCli, import_json, rows

pytestmark = pytest.mark.both_engines

HEADER = (
    "First Name,Last Name,Phone Number,Mobile Phone Number,Company Name,Message,Country/Region\r\n"
)


def write(tmp_path: Path, text: str, name: str = "leads.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def lead_count(db: str) -> int:
    """Leads stored in the test's database (none when no SQLite file or table was made)."""
    if not db.startswith("postgresql://"):
        if not Path(db).exists():
            return 0
        with sqlite3.connect(db) as conn:
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'leads'").fetchone():
                return 0
    return int(rows(db, "SELECT count(*) FROM leads")[0][0])


def test_summary_counts_every_row(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufeff" + HEADER
        + 'Dana,Whitfield,(512) 555-0134,+1 512 555 0199,Globex,"Met at SaaStr.\nAsked about pricing.",United States\r\n'
        + ",,,,,,\r\n"
        + "Eve,Nophone,n/a,,Initech,,\r\n"
        + "Bo,Lee,12345,,Acme,,\r\n"
        + "Ola,Nordmann,22 12 34 56,,Nordlys AS,,Norge\r\n"
        + "Dup,Licate,+1 512 555 0134,,Globex,,\r\n",
    )  # fmt: skip
    report = import_json(run_cli, path, "--list", "Q4")
    assert report["encoding"] == "utf-8-sig" and report["delimiter"] == ","
    assert (report["rows"], report["imported"], report["duplicates"], report["rejected"]) == (
        5,
        2,
        1,
        2,
    )
    assert report["skipped_blank"] == 1
    assert report["rejects"] == [
        {"row": 4, "reason": "no phone: n/a"},
        {"row": 5, "reason": "invalid phone: 12345"},
    ]
    leads = json.loads(run_cli("leads", "--json").stdout)
    assert [(lead["name"], lead["phone"], lead["alt_phones"]) for lead in leads] == [
        ("Dana Whitfield", "+15125550134", ["+15125550199"]),
        ("Ola Nordmann", "+4722123456", []),
    ]
    assert leads[0]["notes"] == "Met at SaaStr.\nAsked about pricing."
    assert leads[1]["timezones"] == ["Europe/Oslo"] and leads[1]["country"] == "NO"


def test_human_summary(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Dana,W,(512) 555-0134,,Globex,,\r\nX,Y,,,Z,,\r\n")
    result = run_cli("import", str(path), "--list", "Q4 Nordics")
    assert result.exit_code == 0
    assert "1 imported into list 'Q4 Nordics'" in result.stdout
    assert "1 rejected: 1 no phone" in result.stdout
    assert "Batch 1 · undo with: dialsmile imports undo 1" in result.stdout


def test_reimport_is_all_duplicates(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "Dana,W,(512) 555-0134,,Globex,,\r\nAl,B,+1 212 555 0188 x12,,C,,\r\n"
    )
    import_json(run_cli, path, "--list", "L")
    again = import_json(run_cli, path, "--list", "L")
    assert (again["imported"], again["duplicates"]) == (0, 2)
    other = import_json(run_cli, path, "--list", "Other")
    assert other["imported"] == 2


def test_same_number_other_extension_is_another_lead(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "A,A,212-555-0188 ext. 12,,C,,\r\nB,B,212-555-0188 x13,,C,,\r\nC,C,212 555 0188 #12,,C,,\r\n",
    )
    report = import_json(run_cli, path)
    assert (report["imported"], report["duplicates"]) == (2, 1)


def test_semicolon_cp1252_with_nordic_letters(run_cli: RunCli, tmp_path: Path) -> None:
    text = 'Fornavn;Etternavn;Firma;Mobil;Land\r\nØyvind;Åsen;"Fjord; Fisk AS";912 34 567;Norge\r\n'
    path = write(tmp_path, text, encoding="cp1252")
    report = import_json(run_cli, path)
    assert (report["encoding"], report["delimiter"], report["imported"]) == ("cp1252", ";", 1)
    lead = json.loads(run_cli("leads", "--json").stdout)[0]
    assert (lead["name"], lead["company"], lead["phone"]) == (
        "Øyvind Åsen",
        "Fjord; Fisk AS",
        "+4791234567",
    )


def test_tab_delimited_utf16(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Name\tPhone\r\nAnn Lee\t(512) 555-0134\r\n".encode("utf-16"))
    report = import_json(run_cli, path)
    assert (report["delimiter"], report["imported"]) == ("\t", 1)


def test_map_option_names_a_column(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "Navn,Kontakt\r\nAnn Lee,(512) 555-0134\r\n")
    failed = run_cli("import", str(path))
    assert failed.exit_code != 0
    assert "No column in leads.csv looks like a phone number" in failed.stderr
    assert "'Kontakt'" in failed.stderr and "--map" in failed.stderr
    report = import_json(run_cli, path, "--map", "Kontakt=phone")
    assert report["imported"] == 1


def test_localized_phone_headers_are_recognised(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Name,Tel. privat,Telefon geschäftlich\r\nAnn Lee,(512) 555-0134,(512) 555-0199\r\n",
    )
    import_json(run_cli, path)
    lead = json.loads(run_cli("leads", "--json").stdout)[0]
    assert (lead["phone"], lead["phone_kind"], lead["alt_phones"]) == (
        "+15125550199",
        "direct",
        ["+15125550134"],
    )


def test_unknown_map_field_lists_valid_fields(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,B,(512) 555-0134,,C,,\r\n")
    result = run_cli("import", str(path), "--map", "Company Name=firm")
    assert result.exit_code == 2
    assert "Unknown field 'firm'" in result.stderr and "company" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_dry_run_writes_nothing(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    path = write(tmp_path, HEADER + "A,B,(512) 555-0134,,C,,\r\n")
    report = import_json(run_cli, path, "--dry-run")
    assert report["imported"] == 1 and report["batch"] is None
    assert lead_count(db) == 0


def test_rejects_file_can_be_fixed_and_reimported(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,B,12345,,C,,\r\nD,E,(512) 555-0134,,F,,\r\n")
    rejects = tmp_path / "rejects.csv"
    import_json(run_cli, path, "--rejects", str(rejects))
    with rejects.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][-1] == "reject_reason" and rows[1][-1] == "invalid phone: 12345"
    rows[1][2] = "(512) 555-0199"
    with rejects.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    assert import_json(run_cli, rejects)["imported"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \r\n\r\n", "is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00binary", "is damaged or not a workbook"),
        (b"\x00\x01\x02\x03" * 100, "not a CSV file or a workbook"),
        (HEADER.encode(), "has a header but no rows"),
        (("Name,Phone\r\nAnn," + "9" * 10 + "," + "x" * 25_000 + "\r\n").encode(), "characters"),
    ],
)
def test_bad_files_fail_in_one_sentence(
    run_cli: RunCli, tmp_path: Path, db: str, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run_cli("import", str(path))
    assert result.exit_code != 0
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert lead_count(db) == 0


def test_missing_file_and_directory(run_cli: RunCli, tmp_path: Path) -> None:
    missing = run_cli("import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and "No such file" in missing.stderr
    directory = run_cli("import", str(tmp_path))
    assert directory.exit_code == 2 and "is a directory" in directory.stderr


def test_a_late_error_leaves_nothing_written(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    good = "".join(f"A{i},B,(512) 555-{i:04d},,C,,\r\n" for i in range(100, 200))
    path = write(tmp_path, HEADER + good + "Z,Z,(512) 867-5309,,C," + "n" * 30_000 + ",\r\n")
    result = run_cli("import", str(path))
    assert result.exit_code != 0 and "characters" in result.stderr
    assert lead_count(db) == 0


def test_imports_list_and_undo(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A,B,(512) 555-0134,,C,,\r\n")
    import_json(run_cli, path, "--list", "L")
    listing = run_cli("imports")
    assert "1 imported" in listing.stdout
    undone = run_cli("imports", "undo", "1")
    assert undone.exit_code == 0 and "Removed 1 leads" in undone.stdout
    assert json.loads(run_cli("leads", "--json").stdout) == []
    again = run_cli("imports", "undo", "1")
    assert again.exit_code != 0 and "already undone" in again.stderr
    missing = run_cli("imports", "undo", "99")
    assert missing.exit_code != 0 and "No import batch 99" in missing.stderr


def test_salesforce_report_footer_is_not_a_lead(run_cli: RunCli, tmp_path: Path) -> None:
    text = (
        '"Lead Owner","First Name","Last Name","Company / Account","Phone"\n'
        '"Kim","Ann","Lee","Acme","(512) 555-0134"\n'
        '""\n"Grand Totals (1 records)"\n""\n'
        '"Confidential Information - Do Not Distribute"\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
    )
    report = import_json(run_cli, write(tmp_path, text))
    assert report["imported"] == 1
    assert {r["reason"] for r in report["rejects"]} == {"report footer: not a lead"}


def test_preamble_before_header_is_skipped(run_cli: RunCli, tmp_path: Path) -> None:
    text = "Notes:\r\nExported from a lead database, do not share.\r\n\r\nFirst Name,Last Name,Phone\r\nAnn,Lee,(512) 555-0134\r\n"
    report = import_json(run_cli, write(tmp_path, text))
    assert report["imported"] == 1 and report["rows"] == 1


def test_unmapped_columns_are_kept(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(
        tmp_path, "Name,Phone,Lead Source,Industry\r\nAnn Lee,(512) 555-0134,Webinar,Logistics\r\n"
    )
    import_json(run_cli, path)
    lead = json.loads(run_cli("leads", "--json").stdout)[0]
    assert lead["extra"] == {"Lead Source": "Webinar", "Industry": "Logistics"}


def test_region_option_and_country_column(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Phone,Country\r\nA,22 12 34 56,\r\nB,08 123 456 78,Sverige\r\n")
    report = import_json(run_cli, path, "--region", "NO")
    assert report["imported"] == 2
    phones = [lead["phone"] for lead in json.loads(run_cli("leads", "--json").stdout)]
    assert phones == ["+4722123456", "+46812345678"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_counts_that_add_up_or_a_clean_error(
    run_cli: RunCli, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "any.csv"
    path.write_text("Name,Phone\n" + text, encoding="utf-8")
    result = run_cli("import", str(path), "--json", "--dry-run")
    if result.exit_code == 0:
        report = json.loads(result.stdout)
        assert report["imported"] + report["duplicates"] + report["rejected"] == report["rows"]
    else:
        assert result.exit_code in (2, 3) and result.stderr.startswith("dialsmile: ")
        assert "Traceback" not in result.stderr


def test_fixture_exports_match_expected_counts(run_cli: RunCli) -> None:
    expected_path = EXPORTS / "expected.json"
    if not expected_path.exists():
        pytest.skip("no export fixtures")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    for name, want in expected.items():
        report = import_json(run_cli, EXPORTS / name, "--list", name)
        got = {
            k: report[k] for k in ("rows", "imported", "duplicates", "rejected", "skipped_blank")
        }
        assert got == {k: want[k] for k in got}, name
        assert (report["encoding"], report["delimiter"]) == (want["encoding"], want["delimiter"]), (
            name
        )
        leads = {
            lead["source_row"]: lead
            for lead in json.loads(run_cli("leads", "--list", name, "--json").stdout)
        }
        rejects = {r["row"]: r["reason"] for r in report["rejects"]}
        for spot in want.get("spot", []):
            if "reject_reason" in spot:
                assert rejects[spot["row"]].startswith(spot["reject_reason"]), (name, spot)
                continue
            lead = leads[spot["row"]]
            for key in ("name", "phone", "extension", "alt_phones"):
                if key in spot:
                    assert lead[key] == spot[key], (name, spot["row"], key)
