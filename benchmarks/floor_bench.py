"""A call floor under load: many reps working one list at once on PostgreSQL, and one
rep on SQLite as the baseline.

Each rep is its own process with its own connection, driving the real session
(queue, calling-hours guard, claims, cadence) as fast as it can: pick the next
lead (claimed for the rep), log a call on it, again. Outcomes are drawn from
a fixed mix in which no lead comes back within the run (no-answer, voicemail,
no, yes), so every lead must be called exactly once.

Prints one JSON object per backend: outcomes per second, claim latency p50/p95
(the pick and the claim of the next lead, in ms), double claims (leads called
by more than one rep, or more than once: must be 0) and lost outcomes
(outcomes a rep logged that the database does not hold: must be 0).

  python benchmarks/floor_bench.py --reps 16 --leads 100000 --seconds 60
  python benchmarks/floor_bench.py --pg postgresql://user@host/db   # a server of yours

Without ``--pg`` (or ``$DIALSMILE_TEST_PG``) it starts a throwaway server as the
tests do (tests/pg.py).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.db import open_db
from dialsmile.storage.postgres.db import open_pg
from dialsmile.storage.stores import open_stores

START = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # Wed 11:00 in Chicago: calling hours
AREAS = [("512", "America/Chicago", "TX"), ("312", "America/Chicago", "IL"),
         ("212", "America/New_York", "NY"), ("617", "America/New_York", "MA")]  # fmt: skip
MIX = [Outcome.NO_ANSWER] * 6 + [Outcome.VOICEMAIL] * 2 + [Outcome.NO, Outcome.YES]


def _open(where: str) -> Any:
    return open_pg(where) if where.startswith("postgresql://") else open_db(Path(where))


def fill(where: str, leads: int) -> None:
    """One list of ``leads`` new leads, loaded with executemany."""
    db = _open(where)
    stamp = START.isoformat(timespec="seconds")
    db.execute(
        "INSERT INTO lists (name, kind, created_at) VALUES ('Floor', 'business', ?)", [stamp]
    )
    rows = []
    for n in range(1, leads + 1):
        area, zone, state = AREAS[n % len(AREAS)]
        phone = f"+1{area}{2000000 + n:07d}"
        rows.append((1, n, f"Lead {n}", phone, f'["{zone}"]', state, stamp))
    db.conn.executemany(
        """INSERT INTO leads (list_id, position, name, phone, timezones, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    db.conn.close()


def rep(where: str, name: str, seconds: float, out: Any) -> None:
    """Work the list as ``name`` for ``seconds``; put (logged, latencies) on ``out``."""
    logged: list[int] = []
    latencies: list[float] = []
    try:
        _work(where, name, seconds, logged, latencies)
    finally:  # a rep that failed still reports, so the run never waits for it
        out.put((logged, latencies))


def _work(where: str, name: str, seconds: float, logged: list[int], latencies: list[float]) -> None:
    db = _open(where)
    stores = open_stores(db, rep=name)
    clock = Clock(START)
    session = CallSession(stores, stores.lists.get_list("Floor"), Settings(), clock)
    pick = random.Random(name)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        began = time.perf_counter()
        offer = session.advance()
        latencies.append(time.perf_counter() - began)
        if offer is None:
            break
        session.record(pick.choice(MIX))
        logged.append(offer.lead.id)
    session.end()
    db.conn.close()


def run(where: str, reps: int, seconds: float) -> dict[str, Any]:
    queue: Any = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=rep, args=(where, f"rep{n:02d}", seconds, queue))
        for n in range(reps)
    ]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    logged = [lead for leads, _ in results for lead in leads]
    latencies = sorted(x for _, lat in results for x in lat)
    db = _open(where)
    stored = db.execute("SELECT count(*) FROM attempts").fetchone()[0]
    twice = db.execute(
        "SELECT count(*) FROM (SELECT lead_id FROM attempts GROUP BY lead_id "
        "HAVING count(*) > 1) AS doubled"
    ).fetchone()[0]
    db.conn.close()
    return {
        "backend": "postgresql" if where.startswith("postgresql://") else "sqlite",
        "reps": reps,
        "seconds": round(elapsed, 1),
        "outcomes": len(logged),
        "outcomes_per_s": round(len(logged) / elapsed, 1),
        "claim_ms_p50": round(statistics.median(latencies) * 1000, 2),
        "claim_ms_p95": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "double_claims": int(twice) + (len(logged) - len(set(logged))),
        "lost_outcomes": len(logged) - int(stored),
    }


def bench_server(url: str | None, name: str) -> Any:
    """The tests' PostgreSQL server helper: the server ``url`` (else
    $DIALSMILE_TEST_PG) names, or one of its own started for this run."""
    import os

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import pg as test_pg

    named = url or os.environ.get(test_pg.ENV)
    return test_pg.named_server(named, name) if named else test_pg.own_server(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=16)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pg", help="A PostgreSQL URL whose user may create databases.")
    args = parser.parse_args()
    with bench_server(args.pg, "bench") as pg, tempfile.TemporaryDirectory() as tmp:
        url = pg.new_database()
        fill(url, args.leads)
        print(json.dumps(run(url, args.reps, args.seconds)), flush=True)
        sqlite = str(Path(tmp) / "floor.db")
        fill(sqlite, args.leads)
        print(json.dumps(run(sqlite, 1, args.seconds)), flush=True)


if __name__ == "__main__":
    main()
