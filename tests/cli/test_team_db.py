"""Every command on both engines: a SQLite file and a team's PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli

LEADS = """\
First Name,Last Name,Job Title,Company,Phone,City,State,Country
Dana,Whitfield,VP Sales,Globex Logistics,(512) 555-0134,Austin,TX,United States
Priya,Raman,Head of Ops,Initech Analytics,+1 212-555-0188,New York,NY,United States
Marcus,Lee,CFO,Northwind Freight,415-555-0132 x12,San Francisco,CA,United States
"""


@pytest.fixture
def leads_csv(tmp_path: Path) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    return path


def ok(run_cli: RunCli, db: str, *args: str) -> str:
    result = run_cli(*args, db=db)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def test_import_lists_leads_dnc_stats_and_exports(
    run_cli: RunCli, any_db: str, leads_csv: Path
) -> None:
    assert "3 imported" in ok(run_cli, any_db, "import", str(leads_csv), "--list", "Q4")
    assert "3 leads" in ok(run_cli, any_db, "lists") and "3 open" in ok(run_cli, any_db, "lists")
    leads = json.loads(ok(run_cli, any_db, "leads", "--json"))
    assert [lead["name"] for lead in leads] == ["Dana Whitfield", "Priya Raman", "Marcus Lee"]
    assert leads[2]["extension"] == "12"
    ok(run_cli, any_db, "dnc", "add", "+15125550134", "--reason", "asked")
    assert "2 open" in ok(run_cli, any_db, "lists")
    assert "internal" in ok(run_cli, any_db, "dnc", "list")
    ok(run_cli, any_db, "stats")
    exported = ok(run_cli, any_db, "export", "leads", "-o", "-").splitlines()
    assert len(exported) == 4 and ",dnc," in exported[1]
    again = run_cli("import", str(leads_csv), "--list", "Q4", db=any_db)
    assert "3 duplicates" in again.stdout
    assert "batch" in ok(run_cli, any_db, "imports").lower() or "leads.csv" in ok(
        run_cli, any_db, "imports"
    )
    ok(run_cli, any_db, "imports", "undo", "1")
    assert "0 leads" in ok(run_cli, any_db, "lists")
