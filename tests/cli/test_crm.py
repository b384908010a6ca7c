"""CRM record ids kept on import; calls and lead statuses exported as each CRM imports them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import FIXTURES, NOW, RunCli, database_at, import_json, opened

pytestmark = pytest.mark.both_engines

CRM = FIXTURES / "crm"

# Exports of a few CRMs, with their record-id column (headers as docs/crm-exports.md lists them).
EXPORTS = {
    "hubspot": (
        '"Record ID","First Name","Last Name","Email","Phone Number","Contact owner","Associated Company"\n'
        '"51234","Dana","Whitfield","dana@initech.example","(512) 555-0134","Sam Carter","Initech"\n',
        "51234",
    ),
    "salesforce": (
        "Account Name,Contact ID,First Name,Last Name,Phone,Email,Account Owner\n"
        "Initech,0035g00000AbCdEAAZ,Dana,Whitfield,(512) 555-0134,dana@initech.example,Sam\n",
        "0035g00000AbCdEAAZ",
    ),
    "salesforce-dataloader": (
        '"ID","FIRSTNAME","LASTNAME","PHONE","COMPANY"\n'
        '"00Q5g00000XyZabEAB","Dana","Whitfield","(512) 555-0134","Initech"\n',
        "00Q5g00000XyZabEAB",
    ),
    "pipedrive": (
        "Person - ID,Person - Name,Person - Phone - Work,Person - Organization\n"
        "7781,Dana Whitfield,(512) 555-0134,Initech\n",
        "7781",
    ),
    "close": (
        "id,display_name,primary_contact_name,primary_contact_primary_phone\n"
        "lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O,Initech,Dana Whitfield,(512) 555-0134\n",
        "lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O",
    ),
    "zoho": (
        "Record Id,Lead Owner.id,Lead Owner,Company,First Name,Last Name,Phone\n"
        "zcrm_5725767000000409001,5725767000000236013,Sam,Initech,Dana,Whitfield,(512) 555-0134\n",
        "5725767000000409001",
    ),
}


def lead_records(run_cli: RunCli) -> list[tuple[str | None, str | None]]:
    return [(lead["crm"], lead["crm_id"]) for lead in json.loads(run_cli("leads", "--json").stdout)]


@pytest.mark.parametrize("source", sorted(EXPORTS))
def test_the_crm_record_id_is_kept(run_cli: RunCli, tmp_path: Path, source: str) -> None:
    text, record_id = EXPORTS[source]
    path = tmp_path / f"{source}.csv"
    path.write_text(text, encoding="utf-8")
    assert import_json(run_cli, path)["imported"] == 1
    assert lead_records(run_cli) == [(source.split("-")[0], record_id)]


def test_a_plain_id_column_is_no_crm_record(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("ID,Name,Phone\n17,Dana Whitfield,(512) 555-0134\n", encoding="utf-8")
    import_json(run_cli, path)
    assert lead_records(run_cli) == [(None, None)]


def test_an_id_that_is_not_the_crms_is_not_kept(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "hs.csv"
    path.write_text(
        "Record ID,Name,Phone Number,Contact owner\nn/a,Dana Whitfield,(512) 555-0134,Sam\n",
        encoding="utf-8",
    )
    import_json(run_cli, path)
    assert lead_records(run_cli) == [("hubspot", None)]


# A session: Dana (from HubSpot) said no, Omar (HubSpot) went to voicemail,
# Plain Person (a plain CSV) said yes with a callback note.
HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Phone Number,Contact owner,Associated Company\n"
    "51234,Dana,Whitfield,dana@initech.example,(512) 555-0134,Sam,Initech\n"
    "51235,Omar,Haddad,omar@globex.example,+1 212 555 0188,Sam,Globex\n"
)
OUTCOMES = [
    (Outcome.NO, "=said no, try 2027", 95.4),
    (Outcome.VOICEMAIL, "", 31.0),
    (Outcome.YES, "wants a demo", 600.0),
]


@pytest.fixture
def session(run_cli: RunCli, tmp_path: Path, db: str) -> int:
    hubspot = tmp_path / "hubspot.csv"
    hubspot.write_text(HUBSPOT, encoding="utf-8")
    plain = tmp_path / "plain.csv"
    plain.write_text("Name,Phone,Email\nPlain Person,(312) 555-0144,p@x.example\n", "utf-8")
    import_json(run_cli, hubspot, "--list", "L")
    import_json(run_cli, plain, "--list", "L")
    database = database_at(db)
    call_session = CallSession(
        open_stores(database),
        LeadStore(database).get_list("L"),
        Settings(),
        Clock(datetime.fromisoformat(NOW)),
    )
    for outcome, note, _ in OUTCOMES:
        call_session.advance()
        call_session.record(outcome, note=note)
    with opened(db) as conn:
        for n, (_, _, seconds) in enumerate(OUTCOMES, start=1):
            conn.execute("UPDATE attempts SET duration_s = ? WHERE id = ?", [seconds, n])
    return call_session.session_id


def exported(run_cli: RunCli, tmp_path: Path, *args: str) -> tuple[list[dict[str, str]], str]:
    out = tmp_path / "out.csv"
    result = run_cli("export", *args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f)), result.stderr


def template(name: str) -> list[str]:
    return next(csv.reader(io.StringIO((CRM / name).read_text(encoding="utf-8"))))


def test_hubspot_calls_import(run_cli: RunCli, tmp_path: Path, session: int) -> None:
    rows, stderr = exported(run_cli, tmp_path, "session", "latest", "--format", "hubspot")
    assert set(template("hubspot-calls.csv")) <= set(rows[0])
    assert [r["hs_call_disposition"] for r in rows] == ["Connected", "Left voicemail", "Connected"]
    assert [r["hs_call_duration"] for r in rows] == ["95400", "31000", "600000"]
    assert {r["hs_call_direction"] for r in rows} == {"OUTBOUND"}
    assert {r["hs_call_status"] for r in rows} == {"COMPLETED"}
    assert all(r["hs_timestamp"] == "2026-11-25T16:15:00Z" for r in rows)
    assert [r["Contact Record ID"] for r in rows] == ["51234", "51235", ""]
    assert rows[2]["Contact Email"] == "p@x.example"  # HubSpot associates it by email
    assert "Record ID" not in rows[0]  # that would be the call's own id
    assert rows[0]["hs_call_body"].startswith("'=said no, try 2027")  # never run as a formula
    assert "+15125550134" in rows[0]["hs_call_body"]
    assert stderr == (
        "1 of 3 rows has no HubSpot record id (their leads came from another file); "
        "HubSpot matches those to contacts by email.\n"
    )


def test_hubspot_outcomes_are_its_default_call_outcomes() -> None:
    from dialsmile.io.crm import HUBSPOT_OUTCOMES

    documented = {"Busy", "Connected", "Left live message", "Left voicemail", "No answer"}
    documented |= {"Wrong number"}
    assert set(HUBSPOT_OUTCOMES) == {o.value for o in Outcome if o.is_call}
    assert set(HUBSPOT_OUTCOMES.values()) <= documented
    expected = {"no-answer": "No answer", "busy": "Busy", "bad-number": "Wrong number"}
    assert {k: HUBSPOT_OUTCOMES[k] for k in expected} == expected


def test_salesforce_tasks_for_data_loader(run_cli: RunCli, tmp_path: Path, session: int) -> None:
    rows, stderr = exported(run_cli, tmp_path, "session", str(session), "--format", "salesforce")
    assert set(template("salesforce-tasks.csv")) <= set(rows[0])
    assert {(r["Status"], r["TaskSubtype"], r["CallType"]) for r in rows} == {
        ("Completed", "Call", "Outbound")
    }
    assert [r["CallDurationInSeconds"] for r in rows] == ["95", "31", "600"]
    assert [r["CallDisposition"] for r in rows] == [
        "Not interested",
        "Left voicemail",
        "Interested",
    ]
    assert {r["ActivityDate"] for r in rows} == {"2026-11-25"}
    assert [r["WhoId"] for r in rows] == ["", "", ""]  # these leads came from HubSpot and a CSV
    assert "Plain Person" in rows[2]["Description"]
    assert stderr.startswith("3 of 3 rows have no Salesforce record id")


def test_salesforce_ids_are_used_as_whoid(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    text, record_id = EXPORTS["salesforce"]
    path = tmp_path / "sf.csv"
    path.write_text(text, encoding="utf-8")
    import_json(run_cli, path, "--list", "L")
    database = database_at(db)
    call_session = CallSession(
        open_stores(database),
        LeadStore(database).get_list("L"),
        Settings(),
        Clock(datetime.fromisoformat(NOW)),
    )
    call_session.advance()
    call_session.record(Outcome.BUSY)
    rows, stderr = exported(run_cli, tmp_path, "session", "latest", "--format", "salesforce")
    assert [(r["WhoId"], r["CallDisposition"]) for r in rows] == [(record_id, "Busy")]
    assert stderr == ""


def test_pipedrive_activities(run_cli: RunCli, tmp_path: Path, session: int) -> None:
    rows, _ = exported(run_cli, tmp_path, "session", "latest", "--format", "pipedrive")
    assert set(template("pipedrive-activities.csv")) <= set(rows[0])
    assert {(r["Activity - Type"], r["Activity - Done"]) for r in rows} == {("Call", "Done")}
    assert [r["Activity - Duration"] for r in rows] == ["00:02", "00:01", "00:10"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r["Activity - Due date"]) for r in rows)
    assert all(re.fullmatch(r"\d\d:\d\d", r["Activity - Due time"]) for r in rows)
    assert [r["Person - Name"] for r in rows] == ["Dana Whitfield", "Omar Haddad", "Plain Person"]
    assert rows[0]["Organization - Name"] == "Initech"


def test_lead_status_updates(run_cli: RunCli, tmp_path: Path, session: int) -> None:
    rows, stderr = exported(run_cli, tmp_path, "leads", "--list", "L", "--format", "hubspot")
    assert set(template("hubspot-contacts-update.csv")) <= set(rows[0])
    hubspot_statuses = {"New", "Open", "In Progress", "Open Deal", "Unqualified"}
    hubspot_statuses |= {"Attempted to Contact", "Connected", "Bad Timing"}
    assert {r["Lead Status"] for r in rows} <= hubspot_statuses
    by_id = {r["Record ID"]: r["Lead Status"] for r in rows}
    assert by_id["51234"] == "Unqualified"  # said no
    assert by_id["51235"] == "Attempted to Contact"  # voicemail: tried, not reached
    assert "1 of 3 rows" in stderr
    rows, _ = exported(run_cli, tmp_path, "leads", "--format", "salesforce")
    assert set(template("salesforce-leads-update.csv")) <= set(rows[0])
    documented = {"Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"}
    assert {r["Status"] for r in rows} <= documented
    rows, _ = exported(run_cli, tmp_path, "leads", "--format", "pipedrive")
    assert set(template("pipedrive-persons-update.csv")) <= set(rows[0])


def test_csv_stays_the_default(run_cli: RunCli, tmp_path: Path, session: int) -> None:
    default, _ = exported(run_cli, tmp_path, "session", "latest")
    explicit, _ = exported(run_cli, tmp_path, "session", "latest", "--format", "csv")
    assert default == explicit and list(default[0])[:3] == [
        "session_id",
        "attempt_id",
        "started_at",
    ]
    bad = run_cli("export", "session", "latest", "--format", "zoho", "-o", "-")
    assert bad.exit_code == 2 and "'zoho' is not one of" in bad.stderr


@pytest.mark.parametrize("outcome", [o for o in Outcome if o.is_call])
def test_every_outcome_has_a_name_in_every_crm(outcome: Outcome) -> None:
    from zoneinfo import ZoneInfo

    from dialsmile.io.crm import SESSION_FILES

    call = {
        "started_at": NOW, "duration_s": 12.0, "phone": "+15125550134", "extension": "",
        "outcome": outcome.value, "note": "", "callback_at": None, "name": "Dana Whitfield",
        "first_name": "Dana", "last_name": "Whitfield", "company": "", "email": "",
        "crm": "", "crm_id": "",
    }  # fmt: skip
    hubspot = dict(
        zip(
            SESSION_FILES["hubspot"].header,
            SESSION_FILES["hubspot"].row(call, ZoneInfo("UTC")),
            strict=True,
        )
    )
    salesforce = dict(
        zip(
            SESSION_FILES["salesforce"].header,
            SESSION_FILES["salesforce"].row(call, ZoneInfo("UTC")),
            strict=True,
        )
    )
    pipedrive = dict(
        zip(
            SESSION_FILES["pipedrive"].header,
            SESSION_FILES["pipedrive"].row(call, ZoneInfo("UTC")),
            strict=True,
        )
    )
    assert hubspot["hs_call_disposition"] in {
        "Busy", "Connected", "Left live message", "Left voicemail", "No answer", "Wrong number"
    }  # fmt: skip
    label = str(salesforce["CallDisposition"])
    assert label[:1].isupper() and label != outcome.value  # a person's words, not a key
    assert str(pipedrive["Activity - Subject"]).endswith(label)
