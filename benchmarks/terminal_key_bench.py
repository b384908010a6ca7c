"""Black-box keystroke benchmark: outcome key to the next lead painted, through a terminal.

Runs `dialsmile session --list Big --chunk 1000` on a pseudo-terminal against a
database (see make_big_db.py), writes an outcome key to the terminal as a
keyboard would, and times from that write until the next lead's position
("lead N+1") arrives on the terminal. ``--via tmux`` puts tmux between the
two, as most reps on a shared box have it: the pseudo-terminal then runs a
tmux client attached to a new session (its own server, socket and no config)
running the app, so each key and each frame pass through the tmux server. The baseline is a hello-world Textual
app in the same run whose key repaints one label ("count N+1"), timed the
same way. The two alternate, ``--rounds`` processes each, so a busy machine
slows both alike. Between keys both wait ``--settle`` seconds untimed (a rep
reads a lead for seconds; Textual paints at most 60 frames a second).

Prints one JSON object: {"db", "via", "leads", "keys", "rounds", "median_ms", "p95_ms",
"hello_median_ms", "hello_p95_ms", "ratio", "cpu_ms_per_key", "hello_cpu_ms_per_key",
"cpu_ratio"}, the ratio being of the medians. The CPU figures (median of the
rounds) are each app's CPU time over its keys, divided by the keys: on a
busy machine the times mostly measure waiting for a core, the CPU time
hardly changes.
A database under 100 MB is copied for each round; a bigger one gains
``--keys`` attempts per round.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ptyterm import Terminal, bench_env, compile_package, cpu_seconds

KEYS = "anvbh"  # no answer, no, voicemail, busy, hang-up: each moves to the next lead
READ_S = 2.0  # seconds before the first key
COPY_BELOW = 100 << 20  # databases smaller than this are copied for each run

HELLO = """\
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Hello(App[None]):
    BINDINGS = [("a", "bump", "bump"), ("q", "quit", "quit")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("count 0", id="label")
        yield Footer()

    def action_bump(self) -> None:
        self.count += 1
        self.query_one("#label", Static).update(f"count {self.count}")


Hello().run()
"""


def press(
    term: Terminal, keys: str, marker: str, count: int, settle: float, app: Callable[[], int]
) -> tuple[list[float], float]:
    """Send ``count`` keys cycling through ``keys``; ms from each write to ``marker`` N+1,
    and the CPU ms a key the process ``app()`` used from the first key to the last.

    The first key waits ``READ_S`` after the first frame, as a rep reads the first lead.
    The CPU time includes what the app does between keys (a clock ticking), and
    is hardly changed by other work on the machine, unlike the times.
    """
    position = term.wait_for_number(marker)
    time.sleep(READ_S)
    pid = app()
    cpu = cpu_seconds(pid)
    stuck = time.perf_counter() + 120
    times = []
    for n in range(count):
        time.sleep(settle)
        term.drain()
        term.seen = b""
        start = time.perf_counter()
        term.keys(keys[n % len(keys)])
        while term.wait_for_number(marker) != position + n + 1:
            if time.perf_counter() > stuck:
                raise TimeoutError(f"no lead {position + n + 1} after a key")
        times.append((time.perf_counter() - start) * 1000)
        stuck = time.perf_counter() + 120
    return times, (cpu_seconds(pid) - cpu) * 1000 / count


def tmux(socket: Path, *args: str) -> list[str]:
    """A tmux command for the server at ``socket``, reading no configuration (tmux's defaults)."""
    return [shutil.which("tmux") or "tmux", "-S", str(socket), "-f", os.devnull, *args]


def run(
    args: list[str],
    db: Path | None,
    keys: str,
    marker: str,
    count: int,
    settle: float,
    via: str = "pty",
) -> tuple[list[float], float]:
    """Key times of one process of ``args``, on a fresh copy of ``db`` when it is small,
    and its CPU ms a key (see ``press``).

    A small list would run out of callable leads after a few rounds; a big
    one never does, and copying it would cost more than the run.
    """
    with tempfile.TemporaryDirectory() as tmp:
        if db is not None and db.stat().st_size < COPY_BELOW:
            db = Path(shutil.copy(db, Path(tmp) / db.name))
        env = bench_env(db)
        socket = Path(tmp) / "tmux.sock"
        if via == "tmux":
            env.pop("TMUX", None)  # a run from inside tmux still starts its own server
            args = tmux(socket, "new-session", "-x", "120", "-y", "40", *args)
        term = Terminal(args, env)

        def app() -> int:
            if via == "pty":
                return term.proc.pid
            listed = subprocess.run(
                tmux(socket, "list-panes", "-a", "-F", "#{pane_pid}"),
                capture_output=True,
                text=True,
                check=True,
            )
            return int(listed.stdout.split()[0])

        try:
            return press(term, keys, marker, count, settle, app)
        finally:
            term.kill()
            if via == "tmux":  # the server outlives its client: stop it, and the app
                subprocess.run(tmux(socket, "kill-server"), stderr=subprocess.DEVNULL, check=False)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("big.db"))
    parser.add_argument("--list", default="Big")
    parser.add_argument("--keys", type=int, default=60, help="keys per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=float, default=0.1)
    parser.add_argument(
        "--via",
        choices=["pty", "tmux"],
        default="pty",
        help="the bare pseudo-terminal, or tmux on it (both apps alike)",
    )
    args = parser.parse_args()
    if not args.db.is_file():
        parser.error(f"{args.db} does not exist; build it with benchmarks/make_big_db.py")
    if args.via == "tmux" and shutil.which("tmux") is None:
        parser.error("--via tmux needs tmux on PATH")
    with sqlite3.connect(args.db) as conn:
        leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    hello = args.db.resolve().with_name("hello_key_app.py")
    hello.write_text(HELLO, encoding="utf-8")
    compile_package()
    session = [sys.executable, "-m", "dialsmile", "session", "--list", args.list]
    session += ["--chunk", "1000"]
    ours: list[float] = []
    theirs: list[float] = []
    our_cpu: list[float] = []
    their_cpu: list[float] = []
    try:
        for _ in range(args.rounds):
            hello_args = [sys.executable, str(hello)]
            times, cpu = run(hello_args, None, "a", "count ", args.keys, args.settle, args.via)
            theirs += times
            their_cpu.append(cpu)
            times, cpu = run(session, args.db, KEYS, " · lead ", args.keys, args.settle, args.via)
            ours += times
            our_cpu.append(cpu)
    finally:
        hello.unlink()
    mine, base = statistics.median(ours), statistics.median(theirs)
    mine_cpu, base_cpu = statistics.median(our_cpu), statistics.median(their_cpu)
    print(
        json.dumps(
            {
                "db": str(args.db),
                "via": args.via,
                "leads": leads,
                "keys": args.keys,
                "rounds": args.rounds,
                "median_ms": round(mine, 2),
                "p95_ms": round(p95(ours), 2),
                "hello_median_ms": round(base, 2),
                "hello_p95_ms": round(p95(theirs), 2),
                "ratio": round(mine / base, 3),
                "cpu_ms_per_key": round(mine_cpu, 2),
                "hello_cpu_ms_per_key": round(base_cpu, 2),
                "cpu_ratio": round(mine_cpu / base_cpu, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
