"""`export session` writes times in the rep's zone, and SQLite's own line writer
gives exactly what a plain per-row writer gives on the same calls.

The expected times are Python's own conversion of each stored UTC moment
(``astimezone(zone).isoformat(timespec="seconds")``), one row at a time; the
expected lines are the csv module's reading of what ``write_csv`` (the plain
writer) writes for the same cells.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialsmile.io.export import SESSION_HEADER, write_csv
from dialsmile.storage import exports
from dialsmile.storage.dbapi import Db
from dialsmile.storage.tx import transaction
from tests.conftest import RunCli, database_at

pytestmark = pytest.mark.both_engines

# Zones with DST of an hour, of half an hour (Lord Howe), offsets in minutes
# (Kolkata, St John's, Chatham), none (Phoenix), south of the equator, and UTC.
ZONES = [
    "America/Chicago", "Europe/Oslo", "Australia/Lord_Howe", "Asia/Kolkata",
    "America/St_Johns", "Pacific/Chatham", "America/Phoenix", "Australia/Sydney",
    "Pacific/Apia", "UTC",
]  # fmt: skip


def edges(zone: ZoneInfo, start: datetime, days: int) -> list[datetime]:
    """Moments around each change of the zone's offset, and every hour around midnight."""
    found = []
    hour = timedelta(hours=1)
    at = start
    for _ in range(days * 24):
        if (at.astimezone(zone).utcoffset()) != (at + hour).astimezone(zone).utcoffset():
            for minute in range(61):
                middle = at + timedelta(minutes=minute)
                found += [middle - timedelta(seconds=1), middle, middle + timedelta(seconds=1)]
        if at.astimezone(zone).hour in (22, 23, 0, 1):
            found.append(at + timedelta(minutes=17, seconds=5))
        at += hour
    return found


def stored(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def session_db(target: str, calls: list[tuple[str, str | None, str | None, str, str]]) -> None:
    """One session holding ``calls``: (started, ended, callback, name, note), UTC text, in the
    database ``target`` (a path or a URL), written in one transaction."""
    db = database_at(target)
    with transaction(db):
        _insert_session(db, calls)
    db.conn.close()


def _insert_session(db: Db, calls: list[tuple[str, str | None, str | None, str, str]]) -> None:
    db.execute(
        "INSERT INTO lists (id, name, created_at) VALUES (1, 'L', '2026-01-01T00:00:00+00:00')"
    )
    db.execute(
        "INSERT INTO sessions (id, list_id, started_at, chunk_size) VALUES (1, 1, ?, 10)",
        [calls[0][0] if calls else "2026-01-01T00:00:00+00:00"],
    )
    for i, (started, ended, callback, name, note) in enumerate(calls, start=1):
        db.execute(
            """INSERT INTO leads (id, list_id, position, name, phone, created_at)
               VALUES (?, 1, ?, ?, ?, '2026-01-01T00:00:00+00:00')""",
            [i, i, name, f"+1512555{i:04d}"],
        )
        db.execute(
            """INSERT INTO attempts (lead_id, session_id, phone, started_at, ended_at, duration_s,
               outcome, note, callback_at, chunk) VALUES (?, 1, ?, ?, ?, 12.5, 'callback', ?, ?, 1)""",
            [i, f"+1512555{i:04d}", started, ended or started, note, callback],
        )


def exported(run_cli: RunCli, tmp_path: Path, db: str, zone: str) -> list[dict[str, str]]:
    config = tmp_path / "config.toml"
    config.write_text(f'[dialsmile]\nrep_timezone = "{zone}"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIALSMILE_CONFIG", str(config))
        result = run_cli("export", "session", "1", "-o", str(out), db=db)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(out.open(encoding="utf-8", newline="")))


# Every zone on SQLite; on PostgreSQL a zone with summer time and one 45 minutes off the hour.
ENGINE_ZONES = [("sqlite", zone) for zone in ZONES] + [
    ("postgresql", "Australia/Sydney"),
    ("postgresql", "Pacific/Chatham"),
]


@pytest.mark.parametrize(("engine", "zone_name"), ENGINE_ZONES, indirect=["engine"])
def test_times_are_in_the_reps_zone_as_python_converts_them_one_by_one(
    run_cli: RunCli, tmp_path: Path, db: str, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    moments = edges(zone, datetime(2026, 1, 1, tzinfo=UTC), 366)
    # a callback booked years ahead, one long ago, and calls with no callback
    far = [datetime(2031, 7, 1, 12, tzinfo=UTC), datetime(1999, 12, 31, 23, 30, tzinfo=UTC)]
    calls = [
        (stored(m), stored(m + timedelta(minutes=3)), stored(far[i % 2]) if i % 3 == 0 else None,
         "Dana", "")
        for i, m in enumerate(moments)
    ]  # fmt: skip
    session_db(db, calls)
    rows = exported(run_cli, tmp_path, db, zone_name)
    assert len(rows) == len(calls)
    for row, (started, ended, callback, _, _) in zip(rows, calls, strict=True):
        local = datetime.fromisoformat(started).astimezone(zone).isoformat(timespec="seconds")
        assert row["started_at"] == local
        assert row["ended_at"] == datetime.fromisoformat(ended or started).astimezone(
            zone
        ).isoformat(timespec="seconds")
        expected_callback = (
            datetime.fromisoformat(callback).astimezone(zone).isoformat(timespec="seconds")
            if callback
            else ""
        )
        assert row["callback_at"] == expected_callback


text = st.text(st.characters(blacklist_characters="\x00", codec="utf-8"), max_size=12)
cells = st.one_of(
    text, st.sampled_from(["=1+1", "'=x", "-2+3", "@SUM(A1)", '"q"', "a,b", "x\r\ny"])
)


def changes(zone: ZoneInfo, first: datetime, last: datetime) -> list[datetime]:
    """The first moment of each new UTC offset of ``zone`` from ``first`` until ``last``
    (a day apart at most; found to the second)."""

    def offset(moment: datetime) -> timedelta | None:
        return moment.astimezone(zone).utcoffset()

    found = []
    day = timedelta(days=1)
    at = first
    while at < last:
        if offset(at) != offset(at + day):
            low, high = at, at + day
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) // 2
                low, high = (middle, high) if offset(middle) == offset(low) else (low, middle)
            found.append(high)
        at += day
    return found


# Every zone the machine knows (tzdata), with the odd ones drawn more often: Kathmandu
# (+05:45), Lord Howe (half an hour of summer time), Chatham (+12:45/+13:45), St John's.
ODD_ZONES = ["Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"]
moments = st.datetimes(
    min_value=datetime(1850, 1, 1), max_value=datetime(2150, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


@pytest.mark.sqlite_only("pins SQLite's local times to Python's, one moment at a time")
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone_name=st.one_of(st.sampled_from(ODD_ZONES), st.sampled_from(sorted(available_timezones()))),
    start=moments,
    later=st.lists(st.integers(-3 * 86400, 900 * 86400), max_size=15),
    far=st.lists(st.one_of(st.none(), moments), min_size=1, max_size=5),
)
def test_local_times_are_pythons_in_any_zone_at_any_moment(
    run_cli: RunCli,
    tmp_path: Path,
    zone_name: str,
    start: datetime,
    later: list[int],
    far: list[datetime | None],
) -> None:
    # Calls from a session's start (far past to far future), on each side of every
    # change of offset in the two years after it, and callbacks booked anywhere.
    zone = ZoneInfo(zone_name)
    around = [
        change + timedelta(seconds=s)
        for change in changes(zone, start - timedelta(days=3), start + timedelta(days=900))
        for s in (-1, 0, 1)
    ]
    starts = [start, *around, *(start + timedelta(seconds=s) for s in later)]
    calls = [
        (stored(m), stored(m + timedelta(minutes=3)), far[i % len(far)], "Dana", "")
        for i, m in enumerate(starts)
    ]
    calls = [(s, e, stored(f) if f else None, n, note) for s, e, f, n, note in calls]
    db = tmp_path / "zones.db"
    db.unlink(missing_ok=True)
    session_db(db, calls)
    rows = exported(run_cli, tmp_path, db, zone_name)

    def local(text: str | None) -> str:
        return datetime.fromisoformat(text).astimezone(zone).isoformat() if text else ""

    assert [(r["started_at"], r["ended_at"], r["callback_at"]) for r in rows] == [
        (local(s), local(e), local(f)) for s, e, f, _, _ in calls
    ]


@pytest.mark.sqlite_only("pins SQLite's own line writer to the plain one")
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(calls=st.lists(st.tuples(cells, cells), min_size=1, max_size=30))
def test_sqlites_lines_read_back_as_the_plain_writers_lines(
    run_cli: RunCli, tmp_path: Path, calls: list[tuple[str, str]]
) -> None:
    db = tmp_path / "lines.db"
    db.unlink(missing_ok=True)
    start = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    session_db(
        db,
        [
            (stored(start + timedelta(minutes=17 * i)), None, None, name, note)
            for i, (name, note) in enumerate(calls)
        ],
    )
    rows = exported(run_cli, tmp_path, db, "America/Chicago")
    chicago = ZoneInfo("America/Chicago")
    plain = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", plain)
        write_csv(
            "-",
            SESSION_HEADER,
            [
                (
                    1, i, (start + timedelta(minutes=17 * (i - 1))).astimezone(chicago).isoformat(),
                    (start + timedelta(minutes=17 * (i - 1))).astimezone(chicago).isoformat(), 12.5,
                    "no", i, name, "", f"+1512555{i:04d}", "", "callback", "CALLBK", note, "",
                    "", "", 1,
                )
                for i, (name, note) in enumerate(calls, start=1)
            ],
        )  # fmt: skip
    expected = list(csv.DictReader(io.StringIO(plain.getvalue(), newline="")))
    for row, want in zip(rows, expected, strict=True):
        for column in ("started_at", "name", "note", "phone", "duration_s", "code"):
            assert row[column] == want[column], column


def test_a_calls_length_is_written_in_tenths_of_a_second_whatever_the_row(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    # Plain notes take SQLite's line writer, "=..." notes the plain one: both print alike.
    lengths = [0.00009, 12.345, 0.0, 3600.04, 59.96, 7.25]
    start = stored(datetime(2026, 3, 2, 15, tzinfo=UTC))
    session_db(db, [(start, None, None, "Dana", "=1+1" if i % 2 else "") for i in range(6)])
    conn = database_at(db)
    for attempt_id, seconds in enumerate(lengths, start=1):
        conn.execute("UPDATE attempts SET duration_s = ? WHERE id = ?", [seconds, attempt_id])
    conn.conn.close()
    rows = exported(run_cli, tmp_path, db, "UTC")
    assert [row["duration_s"] for row in rows] == ["0.0", "12.3", "0.0", "3600.0", "60.0", "7.3"]


@pytest.mark.sqlite_only("counts the moments SQLite's line writer leaves to Python")
def test_calls_without_a_callback_are_written_by_sqlite_alone(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Times near the session's start are SQLite's to write; only a moment outside
    # its window (here the one callback booked years ahead) is converted in Python.
    converted: list[str | None] = []
    real = exports.local_text

    def counted(text: str | None, zone: ZoneInfo) -> str | None:
        converted.append(text)
        return real(text, zone)

    monkeypatch.setattr(exports, "local_text", counted)
    start = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    far = stored(datetime(2031, 7, 1, 12, tzinfo=UTC))
    calls = [
        (stored(start + timedelta(minutes=17 * i)), None, far if i == 3 else None, "Dana", "")
        for i in range(40)
    ]
    db = tmp_path / "nulls.db"
    session_db(db, calls)
    rows = exported(run_cli, tmp_path, db, "America/Chicago")
    assert len(rows) == 40
    assert [row["callback_at"] for row in rows if row["callback_at"]] == [
        "2031-07-01T07:00:00-05:00"
    ]
    assert converted == [far]
