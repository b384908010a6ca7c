"""The things a rep works with: lists, leads, phones, outcomes, sessions, do-not-call
entries and copies, overrides."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class PhoneKind(enum.IntEnum):
    """Kinds of phone column, in the order a rep should try them (lower first)."""

    DIRECT = 0
    MOBILE = 1
    HOME = 2
    COMPANY = 3
    OTHER = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Phone:
    """One callable number, normalized."""

    e164: str
    extension: str = ""
    kind: str = "direct"
    raw: str = ""

    def as_json(self) -> dict[str, str]:
        return {"e164": self.e164, "extension": self.extension, "kind": self.kind, "raw": self.raw}


class Outcome(enum.StrEnum):
    """What happened on a call (or a skip), as stored and exported."""

    YES = "yes"
    NO = "no"
    HANG_UP = "hang-up"
    NO_ANSWER = "no-answer"
    VOICEMAIL = "voicemail"
    BUSY = "busy"
    BAD_NUMBER = "bad-number"
    CALLBACK = "callback"
    DO_NOT_CALL = "do-not-call"
    SKIP = "skip"

    @property
    def code(self) -> str:
        """A dialer-style disposition code (VICIdial-like) for CRM and dialer tools."""
        return _CODES[self]

    @property
    def is_call(self) -> bool:
        return self is not Outcome.SKIP

    @property
    def is_connect(self) -> bool:
        """A person picked up."""
        return self in _CONNECTS


_CODES = {
    Outcome.YES: "SALE",
    Outcome.NO: "NI",
    Outcome.HANG_UP: "HU",
    Outcome.NO_ANSWER: "NA",
    Outcome.VOICEMAIL: "AM",
    Outcome.BUSY: "B",
    Outcome.BAD_NUMBER: "DC",
    Outcome.CALLBACK: "CALLBK",
    Outcome.DO_NOT_CALL: "DNC",
    Outcome.SKIP: "SKIP",
}
_CONNECTS = frozenset(
    {Outcome.YES, Outcome.NO, Outcome.HANG_UP, Outcome.CALLBACK, Outcome.DO_NOT_CALL}
)


class LeadStatus(enum.StrEnum):
    """Where a lead stands in its list."""

    NEW = "new"
    RETRY = "retry"  # called, not reached or not finished: comes back per cadence
    CALLBACK = "callback"  # a callback is booked
    WON = "won"
    CLOSED = "closed"  # not interested, or no working number left
    DNC = "dnc"

    @property
    def is_open(self) -> bool:
        return self in (LeadStatus.NEW, LeadStatus.RETRY, LeadStatus.CALLBACK)


@dataclass(slots=True)
class LeadRecord:
    """A lead ready to be stored: what the importer makes of one row."""

    source_row: int
    phone: Phone
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    title: str = ""
    email: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    region: str = ""
    timezones: tuple[str, ...] = ()
    notes: str = ""
    alt_phones: list[Phone] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    crm: str = ""  # the CRM the row was exported from (hubspot, salesforce, ...)
    crm_id: str = ""  # the lead's record id in that CRM


@dataclass(frozen=True)
class LeadList:
    """One list of leads; its kind (consumer or business) decides which rules apply."""

    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class SessionRow:
    """One calling session: its list, when, its chunks and script, its breaks."""

    id: int
    list_id: int | None
    list_name: str
    started_at: datetime
    ended_at: datetime | None
    chunk_size: int
    script: str | None
    script_version: str | None
    paused_s: float


@dataclass(frozen=True)
class DncEntry:
    """One number on one do-not-call list."""

    phone: str
    source: str
    reason: str
    added_at: datetime
    as_of: date | None
    """The date of the registry copy the number came from (None for single additions)."""


@dataclass(frozen=True)
class DncCopy:
    """One imported file of a do-not-call list."""

    id: int
    source: str
    file: str
    as_of: date
    imported_at: datetime
    numbers: int


@dataclass(frozen=True)
class Override:
    """One logged decision to call a blocked lead anyway."""

    lead_id: int
    session_id: int | None
    phone: str
    at: datetime
    who: str
    reason: str
    blocked_because: str


@dataclass
class LeadView:
    """One lead as the session shows it."""

    id: int
    list_id: int
    position: int
    name: str
    first_name: str
    last_name: str
    company: str
    title: str
    email: str
    city: str
    state: str | None
    country: str
    region: str
    phone: str
    extension: str
    phone_kind: str
    alt_phones: list[dict[str, str]]
    timezones: list[str]
    notes: str
    extra: dict[str, str]
    status: str
    attempts: int
    last_outcome: str | None
    last_called_at: datetime | None
    next_call_at: datetime | None
    callback_at: datetime | None
    history: list[tuple[datetime, str, str]] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.name or self.company or self.phone
