"""Startup benchmark: process start to the first painted frame of the session screen.

Runs `dialsmile session --list Big` on a big database (see make_big_db.py) on a
pseudo-terminal and times from spawning the process to the session header
appearing on the terminal (the first frame), and on to the first lead's
position ("lead N/M") in that header (the lead shown), against a hello-world Textual app
timed the same way in the same run (alternating, median of ``--repeat`` runs
each). The package's bytecode is compiled first, as installing it does.
Beside the times, the CPU seconds each process has used (all its threads) by
the moment its lead (hello's text) is on the terminal: on a busy machine the
times mostly measure waiting for a core, the CPU seconds much less.

Prints one JSON object: {"db", "leads", "dialsmile_s", "hello_world_s", "ratio",
"lead_shown_s", "lead_ratio", "lead_cpu_s", "hello_cpu_s", "cpu_ratio", "runs"}.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
from pathlib import Path

from ptyterm import Terminal, bench_env, compile_package, cpu_seconds

HELLO = """\
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello, world")
        yield Footer()


Hello().run()
"""


def first_frame(args: list[str], markers: list[str], db: Path | None) -> tuple[list[float], float]:
    """Seconds from spawning ``args`` until each of ``markers`` appears, in order, and
    the CPU seconds the process had used when the last one appeared."""
    term = Terminal(args, bench_env(db))
    try:
        times = [term.wait_for(marker) - term.started for marker in markers]
        return times, cpu_seconds(term.proc.pid)
    finally:
        term.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("big.db"))
    parser.add_argument("--list", default="Big")
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    if not args.db.is_file():
        parser.error(f"{args.db} does not exist; build it with benchmarks/make_big_db.py")
    with sqlite3.connect(args.db) as conn:
        leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    hello = Path(args.db).with_name("hello_world_app.py")
    hello.write_text(HELLO, encoding="utf-8")
    compile_package()
    session = [sys.executable, "-m", "dialsmile", "session", "--list", args.list]
    markers = [f"List: {args.list} · ", " · lead "]
    ours, shown, theirs, our_cpu, their_cpu = [], [], [], [], []
    first_frame([sys.executable, str(hello)], ["Hello, world"], None)  # warm the file cache
    first_frame(session, markers, args.db)
    for _ in range(args.repeat):
        (base_s,), cpu = first_frame([sys.executable, str(hello)], ["Hello, world"], None)
        theirs.append(base_s)
        their_cpu.append(cpu)
        (frame, lead), cpu = first_frame(session, markers, args.db)
        ours.append(frame)
        shown.append(lead)
        our_cpu.append(cpu)
    hello.unlink()
    mine, base, lead_s = (
        statistics.median(ours),
        statistics.median(theirs),
        statistics.median(shown),
    )
    lead_cpu, base_cpu = statistics.median(our_cpu), statistics.median(their_cpu)
    print(
        json.dumps(
            {
                "db": str(args.db),
                "leads": leads,
                "dialsmile_s": round(mine, 3),
                "hello_world_s": round(base, 3),
                "ratio": round(mine / base, 3),
                "lead_shown_s": round(lead_s, 3),
                "lead_ratio": round(lead_s / base, 3),
                "lead_cpu_s": round(lead_cpu, 3),
                "hello_cpu_s": round(base_cpu, 3),
                "cpu_ratio": round(lead_cpu / base_cpu, 3),
                "runs": args.repeat,
            }
        )
    )


if __name__ == "__main__":
    main()
