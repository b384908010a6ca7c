"""Build a seeded synthetic dialsmile database: N leads across lists and M past attempts.

Prints one JSON object: {"db", "leads", "attempts", "lists", "sessions", "big_list",
"export_session", "export_rows", "seconds", "size_mb"}.

Rows go through the real schema (``open_db`` runs the migrations) with
``executemany``. The first list, "Big", holds most leads and is the one the
startup, keystroke and memory benchmarks work. Session 1 holds
``--export-rows`` attempts (the export benchmark's session); the other
attempts are spread over ended sessions of 200 calls. Every time is before
``NOW`` (Wed 2026-11-25 10:15 in Chicago), so a session opened with
``DIALSMILE_NOW=NOW`` has callbacks and retries due, and a long run of new leads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialsmile.storage.db import open_db

NOW = datetime(2026, 11, 25, 16, 15, tzinfo=UTC)
# Area codes with their zone and state; Honolulu is outside calling hours at NOW.
AREAS = [
    ("512", "America/Chicago", "TX"), ("212", "America/New_York", "NY"),
    ("312", "America/Chicago", "IL"), ("415", "America/Los_Angeles", "CA"),
    ("617", "America/New_York", "MA"), ("303", "America/Denver", "CO"),
    ("206", "America/Los_Angeles", "WA"), ("404", "America/New_York", "GA"),
    ("602", "America/Phoenix", "AZ"), ("808", "Pacific/Honolulu", "HI"),
]  # fmt: skip
FIRST = ["Dana", "Omar", "Priya", "Ingrid", "Marcus", "Tom", "Åsa", "Søren", "Lena", "Raj"]
LAST = ["Whitfield", "Haddad", "Raman", "Solberg", "Lee", "Baker", "Lund", "Berg", "Kim"]
CLOSING = ["yes", "no", "do-not-call"]
OPEN = ["no-answer", "voicemail", "busy", "hang-up"]
STATUS = {"yes": "won", "no": "closed", "do-not-call": "dnc", "callback": "callback"}
LEAD_COLUMNS = (
    "list_id", "batch_id", "position", "source_file", "source_row", "name", "first_name",
    "last_name", "company", "title", "email", "city", "state", "country", "region", "phone_raw",
    "phone", "extension", "phone_kind", "alt_phones", "timezones", "notes", "extra", "status",
    "attempts", "last_outcome", "last_called_at", "next_call_at", "callback_at", "created_at",
)  # fmt: skip
ATTEMPT_COLUMNS = (
    "lead_id", "session_id", "phone", "extension", "shown_at", "started_at", "ended_at",
    "duration_s", "dialed", "outcome", "note", "callback_at", "script", "script_version",
    "chunk",
)  # fmt: skip


def text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def list_sizes(leads: int, lists: int) -> list[int]:
    small = leads // 100 if lists > 1 else 0
    return [leads - small * (lists - 1), *[small] * (lists - 1)]


def phone_of(n: int) -> tuple[str, str, str]:
    """A distinct NANP number for every ``n`` < 8M per area code, with its zone and state."""
    npa, zone, state = AREAS[n % len(AREAS)]
    rest = n // len(AREAS)
    exchange = 200 + (rest // 10_000) % 800
    return f"+1{npa}{exchange}{rest % 10_000:04d}", zone, state


class Plan:
    """Who was called how often, drawn once from the seed."""

    def __init__(self, leads: int, attempts: int, seed: int) -> None:
        rng = random.Random(seed)
        self.share = min(1.0, attempts / (2.5 * max(leads, 1)))
        self.tries: list[int] = []
        self.last: list[str] = []
        budget = attempts
        for _ in range(leads):
            if budget > 0 and rng.random() < self.share:
                k = min(budget, rng.randint(1, 4))
                budget -= k
                roll = rng.random()
                last = (
                    rng.choice(CLOSING)
                    if roll < 0.25
                    else "callback"
                    if roll < 0.3
                    else rng.choice(OPEN)
                )
                self.tries.append(k)
                self.last.append(last)
            else:
                self.tries.append(0)
                self.last.append("")
        self.attempts = attempts - budget


def lead_rows(sizes: list[int], plan: Plan, seed: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(seed + 1)
    stamp = text(NOW - timedelta(days=60))
    n = 0
    for list_index, size in enumerate(sizes):
        for position in range(1, size + 1):
            e164, zone, state = phone_of(n)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            tries, outcome = plan.tries[n], plan.last[n]
            status, next_at, callback_at, last_at = "new", None, None, None
            if tries:
                last_at = text(NOW - timedelta(hours=rng.randint(1, 24 * 30)))
                status = STATUS.get(outcome, "retry")
                if status == "retry":
                    next_at = text(NOW + timedelta(hours=rng.randint(-72, 72)))
                elif status == "callback":
                    callback_at = text(NOW + timedelta(hours=rng.randint(-48, 48)))
            yield (
                list_index + 1, list_index + 1, position, "big.csv", position + 1,
                f"{first} {last}", first, last, f"Company {n % 50_000}", "VP Sales",
                f"{first.lower()}.{n}@example.com", "Austin", state, "US", "US", e164, e164, "",
                "direct", "[]", f'["{zone}"]',
                "Met at a conference. Asked about pricing." if n % 7 == 0 else "", "{}",
                status, tries, outcome or None, last_at, next_at, callback_at, stamp,
            )  # fmt: skip
            n += 1


def attempt_rows(
    total_leads: int, plan: Plan, export_rows: int, seed: int
) -> Iterator[tuple[object, ...]]:
    rng = random.Random(seed + 2)
    made = 0
    for n in range(total_leads):
        tries = plan.tries[n]
        if not tries:
            continue
        e164 = phone_of(n)[0]
        for k in range(tries):
            outcome = plan.last[n] if k == tries - 1 else rng.choice(OPEN)
            session = 1 if made < export_rows else 2 + (made - export_rows) // 200
            started = NOW - timedelta(days=2 + (tries - k) * 3, seconds=rng.randint(0, 36_000))
            ended = started + timedelta(seconds=rng.randint(5, 600))
            callback = text(NOW + timedelta(days=1)) if outcome == "callback" else None
            note = "Asked to call back after the board meeting." if made % 11 == 0 else ""
            yield (
                n + 1, session, e164, "", text(started - timedelta(seconds=20)), text(started),
                text(ended), (ended - started).total_seconds(), 1, outcome, note, callback,
                "saas-discovery", "3", 1 + (made % 200) // 25,
            )  # fmt: skip
            made += 1


def build(
    path: Path, leads: int, attempts: int, lists: int, export_rows: int, seed: int
) -> dict[str, object]:
    """Create the database at ``path`` (which must not exist) and describe it."""
    started = time.perf_counter()
    db = open_db(path)
    conn = db.conn
    sizes = list_sizes(leads, lists)
    plan = Plan(leads, attempts, seed)
    created = text(NOW - timedelta(days=60))
    sessions = 1 + max(0, plan.attempts - export_rows + 199) // 200
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO lists (id, name, kind, created_at) VALUES (?, ?, 'consumer', ?)",
        [(i + 1, "Big" if i == 0 else f"Region {i}", created) for i in range(lists)],
    )
    conn.executemany(
        """INSERT INTO import_batches (id, list_id, file, encoding, delimiter, rows, imported,
           duplicates, rejected, skipped_blank, created_at)
           VALUES (?, ?, 'big.csv', 'utf-8', 'comma', ?, ?, 0, 0, 0, ?)""",
        [(i + 1, i + 1, size, size, created) for i, size in enumerate(sizes)],
    )
    conn.executemany(
        f"INSERT INTO leads ({', '.join(LEAD_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(LEAD_COLUMNS))})",
        lead_rows(sizes, plan, seed),
    )
    conn.executemany(
        """INSERT INTO sessions (id, list_id, started_at, ended_at, chunk_size, script,
           script_version) VALUES (?, 1, ?, ?, 25, 'saas-discovery', '3')""",
        (
            (s, text(NOW - timedelta(days=40, hours=-s)), text(NOW - timedelta(days=2)))
            for s in range(1, sessions + 1)
        ),
    )
    conn.executemany(
        f"INSERT INTO attempts ({', '.join(ATTEMPT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(ATTEMPT_COLUMNS))})",
        attempt_rows(leads, plan, export_rows, seed),
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {
        "db": str(path),
        "leads": leads,
        "attempts": plan.attempts,
        "lists": lists,
        "sessions": sessions,
        "big_list": "Big",
        "export_session": 1,
        "export_rows": min(export_rows, plan.attempts),
        "seconds": round(time.perf_counter() - started, 1),
        "size_mb": round(path.stat().st_size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("big.db"))
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--lists", type=int, default=5)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args()
    if args.db.exists():
        if not args.force:
            parser.error(f"{args.db} exists; add --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    info = build(args.db, args.leads, args.attempts, args.lists, args.export_rows, args.seed)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
