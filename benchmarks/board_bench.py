"""How soon the live floor board shows an outcome logged by a rep, and what a read costs.

The board (`dialsmile floor` on a terminal, driven headless by Textual's
pilot) watches a list while a rep, on its own connection, claims a lead and
logs a call on it, ``--outcomes`` times, at moments spread over the board's
one-second SQLite poll. It measures the seconds from the outcome's commit to
the board's next read, and the time one read of the board takes. PostgreSQL
(LISTEN/NOTIFY) first, then SQLite (PRAGMA data_version).

Prints one JSON object per backend: the list's size (``leads``),
``latency_s_median``, ``latency_s_max`` and ``read_ms_median``.

  python benchmarks/board_bench.py --leads 100000
  python benchmarks/board_bench.py --pg postgresql://user@host/db   # a server of yours
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.floor_bench import START, bench_server, fill
from dialsmile.commands.context import Context
from dialsmile.commands.floor import board_loader
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.floor import FloorWatch
from dialsmile.storage.target import DbTarget
from dialsmile.ui.floor_app import FloorApp


async def measure(where: str, outcomes: int) -> dict[str, Any]:
    os.environ["DIALSMILE_NOW"] = START.isoformat()
    board = Context(DbTarget.parse(where))
    load = board_loader(board, "Floor")
    reads = []
    for _ in range(5):
        started = time.perf_counter()
        load()
        reads.append(time.perf_counter() - started)
    app = FloorApp(load, FloorWatch(board.target), "bench", quiet_s=3600)
    writer = Context(DbTarget.parse(where), rep="bench")
    stores = writer.stores
    lead_list = stores.lists.get_list("Floor")
    latencies = []
    async with app.run_test() as pilot:
        while app.board is None:
            await pilot.pause(0.01)
        for n in range(outcomes):
            session = CallSession(stores, lead_list, writer.settings, writer.clock)
            seen = app.reads
            assert session.advance() is not None
            while app.reads == seen:  # the claim's read
                await pilot.pause(0.005)
            await pilot.pause(0.3 + 3 * max(reads) + (n * 0.137) % 1)
            seen = app.reads
            session.record(Outcome.NO_ANSWER)
            committed = time.monotonic()
            while app.reads == seen:
                await pilot.pause(0.005)
            latencies.append(time.monotonic() - committed)
    writer.close()
    return {
        "backend": "postgresql" if where.startswith("postgresql://") else "sqlite",
        "latency_s_median": round(statistics.median(latencies), 3),
        "latency_s_max": round(max(latencies), 3),
        "read_ms_median": round(statistics.median(reads) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--outcomes", type=int, default=10)
    parser.add_argument("--pg", help="A PostgreSQL URL whose user may create databases.")
    args = parser.parse_args()
    with bench_server(args.pg, "board") as pg, tempfile.TemporaryDirectory() as tmp:
        url = pg.new_database()
        fill(url, args.leads)
        print(json.dumps({"leads": args.leads, **asyncio.run(measure(url, args.outcomes))}))
        sqlite = str(Path(tmp) / "board.db")
        fill(sqlite, args.leads)
        print(json.dumps({"leads": args.leads, **asyncio.run(measure(sqlite, args.outcomes))}))


if __name__ == "__main__":
    main()
