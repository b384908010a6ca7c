"""Re-importing an export: a number a lead has or had is a duplicate, and --dry-run counts alike."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import NOW, RunCli, database_at, import_json

pytestmark = pytest.mark.both_engines

EXPORT = (
    "First Name,Last Name,Company,Phone,Mobile Phone\r\n"
    "Dana,Whitfield,Globex,+1 512-555-0134 ext. 204,(512) 555-0199\r\n"
    "Priya,Raman,Initech,+1 212-555-0188,\r\n"
    "Marcus,Lee,Northwind,415-555-0132 x12,\r\n"
)


def work(db: str, *outcomes: Outcome) -> list[str]:
    """Work list L in a real session: one outcome per offered lead; the numbers dialed."""
    db = database_at(db)
    try:
        session = CallSession(
            open_stores(db),
            LeadStore(db).get_list("L"),
            Settings(),
            Clock(datetime.fromisoformat(NOW), running=False),
        )
        dialed = []
        for outcome in outcomes:
            offer = session.advance()
            assert offer is not None
            dialed.append(f"{offer.lead.name} {offer.lead.phone}")
            session.record(outcome)
        session.end()
        return dialed
    finally:
        db.conn.close()


def leads(run_cli: RunCli) -> list[tuple[str, str, str]]:
    found = json.loads(run_cli("leads", "--json").stdout)
    return [(lead["name"], lead["phone"], lead["status"]) for lead in found]


def test_a_number_marked_bad_stays_known(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    path = tmp_path / "same.csv"
    path.write_text(EXPORT, encoding="utf-8")
    assert import_json(run_cli, path, "--list", "L")["imported"] == 3
    assert work(db, Outcome.BAD_NUMBER) == ["Dana Whitfield +15125550134"]
    assert ("Dana Whitfield", "+15125550199", "retry") in leads(run_cli)

    again = import_json(run_cli, path, "--list", "L")
    assert (again["imported"], again["duplicates"]) == (0, 3)
    assert [name for name, _, _ in leads(run_cli)] == [
        "Dana Whitfield",
        "Priya Raman",
        "Marcus Lee",
    ]


def test_a_lead_alternate_number_is_known(run_cli: RunCli, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    first.write_text(EXPORT, encoding="utf-8")
    import_json(run_cli, first, "--list", "L")
    # The next export lost Dana's direct line: her mobile is already hers.
    later = tmp_path / "later.csv"
    later.write_text(
        "First Name,Last Name,Company,Phone,Mobile Phone\r\n"
        "Dana,Whitfield,Globex,,(512) 555-0199\r\n"
        "Ola,Nordmann,Nordlys,,+47 912 34 567\r\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, later, "--list", "L")
    assert (report["imported"], report["duplicates"]) == (1, 1)
    assert leads(run_cli)[-1] == ("Ola Nordmann", "+4791234567", "new")


def test_an_earlier_row_alternate_number_is_known(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "Name,Phone,Mobile\r\nDana Whitfield,+1 512 555 0134,+1 512 555 0199\r\n"
        "D. Whitfield,,+1 512 555 0199\r\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "L")
    assert (report["imported"], report["duplicates"]) == (1, 1)
    assert import_json(run_cli, path, "--list", "L")["duplicates"] == 2


def test_dry_run_counts_do_not_call_numbers_like_the_import(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(EXPORT, encoding="utf-8")
    assert run_cli("dnc", "add", "+1 212 555 0188", "--reason", "asked by email").exit_code == 0

    dry = import_json(run_cli, path, "--list", "r3", "--dry-run")
    human = run_cli("import", str(path), "--list", "r3", "--dry-run")
    real = import_json(run_cli, path, "--list", "r3")
    assert dry["on_dnc"] == real["on_dnc"] == 1
    assert "1 of them on a do-not-call list" in human.stdout
    counts = ("rows", "imported", "duplicates", "rejected")
    assert [dry[k] for k in counts] == [real[k] for k in counts]


def test_dry_run_of_a_business_list_skips_national_numbers(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(EXPORT, encoding="utf-8")
    registry = tmp_path / "national.txt"
    registry.write_text("+1 212 555 0188\n+1 415 555 0132\n", encoding="utf-8")
    imported = run_cli(
        "dnc", "import", str(registry), "--source", "national", "--as-of", "2026-11-20"
    )
    assert imported.exit_code == 0, imported.stderr
    business = ("--list", "B", "--kind", "business")
    assert import_json(run_cli, path, *business, "--dry-run")["on_dnc"] == 0
    assert import_json(run_cli, path, *business)["on_dnc"] == 0
    assert import_json(run_cli, path, "--list", "C", "--dry-run")["on_dnc"] == 2
    assert import_json(run_cli, path, "--list", "C")["on_dnc"] == 2
