"""Keystroke benchmark: outcome key to the next lead painted, inside the app.

Drives the real session screen with Textual's pilot (``run_test``) on a big
database (see make_big_db.py) and times each outcome key from the key press
to the first compositor frame after its handler returned (the frame showing
the next lead). The baseline is a trivial app in the same run whose key only
updates one label, timed the same way: it is Textual's own floor.

Prints one JSON object: {"db", "leads", "keys", "median_ms", "p95_ms",
"baseline_median_ms", "baseline_p95_ms"}. Each run adds ``--keys`` attempts
to the database in a new session, which it ends.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from dialsmile.config import Clock, Settings
from dialsmile.core.scripts import load_script
from dialsmile.core.session import CallSession
from dialsmile.storage.db import open_db
from dialsmile.storage.stores import open_stores
from dialsmile.ui.app import make_app

NOW = datetime.fromisoformat("2026-11-25T16:15:00+00:00")
KEYS = "anvbhs"  # no answer, no, voicemail, busy, hang-up, skip
SETTLE = 0.05  # seconds between keys, untimed (a rep reads each lead for seconds)
STUCK_S = 60  # give up when the app shows nothing for this long


class Painted:
    """Timestamps of the screen's compositor frames and of the handler's end."""

    def __init__(self, screen: Screen[Any], owner: Any, handler: str) -> None:
        self.frames: list[float] = []
        self.done = 0.0
        refresh: Callable[[], None] = screen._compositor_refresh
        action: Callable[..., None] = getattr(owner, handler)

        def frame() -> None:
            refresh()
            self.frames.append(time.perf_counter())

        def act(*args: Any) -> None:
            action(*args)
            self.done = time.perf_counter()

        screen._compositor_refresh = frame  # type: ignore[method-assign]
        setattr(owner, handler, act)


async def press_and_wait(pilot: Any, painted: Painted, key: str) -> float:
    """Deliver ``key`` as the terminal driver does; time it until the next frame is painted.

    The key goes straight to the driver's queue, as a keypress read from a
    terminal does (``Pilot.press`` would also wait on every widget, which is
    test-harness work, not the app's). The app then settles, untimed, for
    ``SETTLE`` seconds, as it does between a person's keys: Textual paints at
    most 60 frames a second, so a key sent within 16 ms of the last frame
    would also time that wait.
    """
    painted.done = 0.0
    start = time.perf_counter()
    pilot.app._driver.send_message(events.Key(key, key))
    async with asyncio.timeout(STUCK_S):
        while not (painted.done and painted.frames and painted.frames[-1] >= painted.done):
            await asyncio.sleep(0)
    elapsed = (painted.frames[-1] - start) * 1000
    await pilot.pause()
    await asyncio.sleep(SETTLE)
    return elapsed


class Trivial(App[None]):
    """One label and a footer; the key ``a`` bumps a counter."""

    BINDINGS = [("a", "bump", "bump")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="label")
        yield Footer()

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#label", Static).update(str(self.count))


async def baseline(keys: int) -> list[float]:
    app = Trivial()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        painted = Painted(app.screen, app, "action_bump")
        times = []
        for _ in range(keys):
            times.append(await press_and_wait(pilot, painted, "a"))
    return times


async def session(db_path: Path, list_name: str, keys: int) -> list[float]:
    db = open_db(db_path)
    stores = open_stores(db)
    call_session = CallSession(
        stores,
        stores.lists.get_list(list_name),
        Settings(rep_name="Sam", rep_company="Acme"),
        Clock(NOW),
        chunk_size=1000,
        script=load_script("saas-discovery"),
        resume=False,
    )
    app = make_app(call_session, "America/Chicago")
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        async with asyncio.timeout(STUCK_S):  # the app failed to start (see its traceback)
            while not hasattr(app.screen, "action_outcome"):
                await asyncio.sleep(0.01)
        await pilot.pause()
        painted = Painted(app.screen, app.screen, "action_outcome")
        for n in range(keys):
            times.append(await press_and_wait(pilot, painted, KEYS[n % len(KEYS)]))
    call_session.end()
    db.conn.close()
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("big.db"))
    parser.add_argument("--list", default="Big")
    parser.add_argument("--keys", type=int, default=500)
    args = parser.parse_args()
    if not args.db.is_file():
        parser.error(f"{args.db} does not exist; build it with benchmarks/make_big_db.py")
    with sqlite3.connect(args.db) as conn:
        leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    base = asyncio.run(baseline(args.keys))
    ours = asyncio.run(session(args.db, args.list, args.keys))
    print(
        json.dumps(
            {
                "db": str(args.db),
                "leads": leads,
                "keys": args.keys,
                "median_ms": round(statistics.median(ours), 2),
                "p95_ms": round(p95(ours), 2),
                "baseline_median_ms": round(statistics.median(base), 2),
                "baseline_p95_ms": round(p95(base), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
