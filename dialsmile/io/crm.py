"""CRMs both ways: which CRM an export came from (and its record ids), and calls and
lead statuses written back as each CRM's own import expects.

Sources are told apart by the headers only that CRM writes (the fingerprints
in docs/crm-exports.md); a record id is kept only when it looks like one of
that CRM's ids, so a stray "ID" column never becomes a wrong association.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

UNMATCHED = {  # what each CRM's import does with a row that has no record id
    "hubspot": "HubSpot matches those to contacts by email",
    "salesforce": "their WhoId is empty, so Salesforce files them on no lead or contact",
    "pipedrive": "Pipedrive matches those to people by name",
}
CRM_NAMES = {
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
    "pipedrive": "Pipedrive",
    "zoho": "Zoho",
    "close": "Close",
}
_ID_SHAPES = {
    "hubspot": re.compile(r"\d{1,20}"),
    "salesforce": re.compile(r"[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?"),
    "pipedrive": re.compile(r"\d{1,20}"),
    "zoho": re.compile(r"(?:zcrm_)?\d{6,25}"),
    "close": re.compile(r"lead_[A-Za-z0-9]{10,64}"),
}
_SALESFORCE_IDS = ("lead id", "contact id", "id")
_SALESFORCE_API = frozenset({"firstname", "lastname", "ownerid", "mobilephone", "leadsource"})


@dataclass(frozen=True)
class RecordColumn:
    """The CRM an export came from, and the column holding its record ids."""

    crm: str
    index: int

    def record_id(self, cells: list[str]) -> str:
        """The row's record id, or "" when the cell does not hold one of the CRM's ids."""
        text = cells[self.index].strip() if self.index < len(cells) else ""
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a numeric id that went through a spreadsheet
        if not _ID_SHAPES[self.crm].fullmatch(text):
            return ""
        return text.removeprefix("zcrm_")


def record_column(header: list[str]) -> RecordColumn | None:
    """The source CRM and its record-id column, by the headers only that CRM writes."""
    folded = [h.strip().casefold() for h in header]
    where = {name: i for i, name in reversed(list(enumerate(folded)))}

    def found(crm: str, *names: str) -> RecordColumn | None:
        for name in names:
            if name in where:
                return RecordColumn(crm, where[name])
        return None

    if any(h.startswith("person - ") for h in folded):
        return found("pipedrive", "person - id")
    if any(h.startswith(("primary_contact_", "custom.")) for h in folded):
        return found("close", "id", "lead_id")
    if "record id" in where and any(h.endswith(".id") for h in folded):
        return found("zoho", "record id")
    if "record id" in where and ({"contact owner", "lifecycle stage"} & where.keys()):
        return found("hubspot", "record id")
    report = {"lead owner", "company / account", "contact owner", "account owner", "lead status"}
    if {"lead id", "contact id"} & where.keys() and report & where.keys():
        return found("salesforce", "lead id", "contact id")
    if "id" in where and _SALESFORCE_API & where.keys():
        return found("salesforce", "id")
    return None


# Writing back -----------------------------------------------------------------

# Each CRM's name for a dialsmile outcome. HubSpot's are its six default call
# outcomes (the guided import takes their labels); Salesforce's Call Result is
# free text; Pipedrive has no call outcome, so it goes in the subject.
_PLAIN = {
    "yes": "Interested",
    "no": "Not interested",
    "hang-up": "Hung up",
    "no-answer": "No answer",
    "voicemail": "Left voicemail",
    "busy": "Busy",
    "bad-number": "Wrong number",
    "callback": "Call back later",
    "do-not-call": "Do not call",
}
HUBSPOT_OUTCOMES = {
    "yes": "Connected",
    "no": "Connected",
    "hang-up": "Connected",
    "no-answer": "No answer",
    "voicemail": "Left voicemail",
    "busy": "Busy",
    "bad-number": "Wrong number",
    "callback": "Connected",
    "do-not-call": "Connected",
}
# Lead statuses: HubSpot's default Lead Status options, Salesforce's default Lead
# Status picklist (a converted status is set by converting, never by an update),
# and Pipedrive's default person labels.
LEAD_STATUSES = {
    "hubspot": {
        "new": "New",
        "retry": "Attempted to Contact",
        "callback": "Connected",
        "won": "Open Deal",
        "closed": "Unqualified",
        "dnc": "Unqualified",
    },
    "salesforce": {
        "new": "Open - Not Contacted",
        "retry": "Working - Contacted",
        "callback": "Working - Contacted",
        "won": "Working - Contacted",
        "closed": "Closed - Not Converted",
        "dnc": "Closed - Not Converted",
    },
    "pipedrive": {
        "new": "",
        "retry": "Cold lead",
        "callback": "Warm lead",
        "won": "Hot lead",
        "closed": "",
        "dnc": "",
    },
}

Row = Mapping[str, Any]


@dataclass(frozen=True)
class CrmFile:
    """One CRM import file: its header and how a call or a lead becomes a row."""

    header: tuple[str, ...]
    row: Callable[[Row, ZoneInfo], tuple[object, ...]]


def _utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _title(call: Row) -> str:
    return f"Cold call: {_PLAIN.get(call['outcome'], call['outcome'])}"


def _body(call: Row, zone: ZoneInfo) -> str:
    """The call's note, its callback time in the rep's zone when one was booked, and
    the number called: one per line."""
    parts = [call["note"] or ""]
    callback = _utc(call["callback_at"])
    if callback is not None:
        parts.append(f"Call back {callback.astimezone(zone):%Y-%m-%d %H:%M %Z}.")
    parts.append(f"Called {call['phone']}{' x' + call['extension'] if call['extension'] else ''}.")
    return "\n".join(p for p in parts if p)


def _seconds(call: Row) -> int:
    return round(call["duration_s"] or 0)


def _own_id(row: Row, crm: str) -> str:
    return str(row["crm_id"]) if row["crm"] == crm else ""


def _hubspot_call(call: Row, zone: ZoneInfo) -> tuple[object, ...]:
    started = _utc(call["started_at"])
    assert started is not None
    return (
        started.strftime("%Y-%m-%dT%H:%M:%SZ"), _title(call), _body(call, zone), "OUTBOUND",
        round((call["duration_s"] or 0) * 1000), HUBSPOT_OUTCOMES[call["outcome"]], "COMPLETED", call["phone"],
        _own_id(call, "hubspot"), call["email"], call["first_name"], call["last_name"],
        call["company"],
    )  # fmt: skip


def _salesforce_task(call: Row, zone: ZoneInfo) -> tuple[object, ...]:
    started = _utc(call["started_at"])
    assert started is not None
    label = _PLAIN.get(call["outcome"], call["outcome"])
    who = " ".join(
        p for p in (call["name"], f"({call['company']})" if call["company"] else "") if p
    )
    return (
        _own_id(call, "salesforce"), f"Call: {label}", started.astimezone(zone).date().isoformat(),
        "Completed", "Call", "Outbound", _seconds(call), label,
        "\n".join(p for p in (_body(call, zone), who) if p), "Normal",
    )  # fmt: skip


def _pipedrive_activity(call: Row, zone: ZoneInfo) -> tuple[object, ...]:
    started = _utc(call["started_at"])
    assert started is not None
    local = started.astimezone(zone)
    minutes = math.ceil((call["duration_s"] or 0) / 60)  # Pipedrive counts whole minutes
    return (
        f"Call: {_PLAIN.get(call['outcome'], call['outcome'])}", "Call", f"{local:%Y-%m-%d}",
        f"{local:%H:%M}", f"{minutes // 60:02d}:{minutes % 60:02d}", "Done", _body(call, zone),
        _own_id(call, "pipedrive"), call["name"], call["email"], call["phone"], call["company"],
    )  # fmt: skip


def _status(crm: str, lead: Row) -> str:
    return LEAD_STATUSES[crm].get(lead["status"], "")


def _hubspot_lead(lead: Row, zone: ZoneInfo) -> tuple[object, ...]:
    return (
        _own_id(lead, "hubspot"), lead["email"], lead["first_name"], lead["last_name"],
        lead["phone"], _status("hubspot", lead),
    )  # fmt: skip


def _salesforce_lead(lead: Row, zone: ZoneInfo) -> tuple[object, ...]:
    return (
        _own_id(lead, "salesforce"), lead["first_name"], lead["last_name"], lead["company"],
        lead["email"], lead["phone"], _status("salesforce", lead),
    )  # fmt: skip


def _pipedrive_person(lead: Row, zone: ZoneInfo) -> tuple[object, ...]:
    return (
        _own_id(lead, "pipedrive"), lead["name"], lead["email"], lead["phone"],
        _status("pipedrive", lead),
    )  # fmt: skip


HUBSPOT_CALLS = (
    "hs_timestamp", "hs_call_title", "hs_call_body", "hs_call_direction", "hs_call_duration",
    "hs_call_disposition", "hs_call_status", "hs_call_to_number", "Contact Record ID",
    "Contact Email", "First Name", "Last Name", "Company Name",
)  # fmt: skip
# The contact's columns are named apart from the call's own Record ID, which an import
# would otherwise take them for; map them to the Contact object's Record ID and Email.
SALESFORCE_TASKS = (
    "WhoId", "Subject", "ActivityDate", "Status", "TaskSubtype", "CallType",
    "CallDurationInSeconds", "CallDisposition", "Description", "Priority",
)  # fmt: skip
PIPEDRIVE_ACTIVITIES = (
    "Activity - Subject", "Activity - Type", "Activity - Due date", "Activity - Due time",
    "Activity - Duration", "Activity - Done", "Activity - Note", "Person - ID", "Person - Name",
    "Person - Email", "Person - Phone", "Organization - Name",
)  # fmt: skip
SESSION_FILES = {
    "hubspot": CrmFile(HUBSPOT_CALLS, _hubspot_call),
    "salesforce": CrmFile(SALESFORCE_TASKS, _salesforce_task),
    "pipedrive": CrmFile(PIPEDRIVE_ACTIVITIES, _pipedrive_activity),
}
LEAD_FILES = {
    "hubspot": CrmFile(
        ("Record ID", "Email", "First Name", "Last Name", "Phone Number", "Lead Status"),
        _hubspot_lead,
    ),
    "salesforce": CrmFile(
        ("Id", "FirstName", "LastName", "Company", "Email", "Phone", "Status"), _salesforce_lead
    ),
    "pipedrive": CrmFile(
        ("Person - ID", "Person - Name", "Person - Email", "Person - Phone", "Person - Labels"),
        _pipedrive_person,
    ),
}


@dataclass
class Unmatched:
    """How many rows were written without the target CRM's record id."""

    rows: int = 0


def crm_rows(
    crm_file: CrmFile, rows: Iterable[Row], zone: ZoneInfo, crm: str, unmatched: Unmatched
) -> Iterator[tuple[object, ...]]:
    """The rows as ``crm_file`` writes them, counting those without ``crm``'s record id."""
    for row in rows:
        if row["crm"] != crm or not row["crm_id"]:
            unmatched.rows += 1
        yield crm_file.row(row, zone)
