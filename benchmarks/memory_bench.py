"""Memory benchmark: peak RSS of a session at 1M leads against one at 1k leads.

Runs `dialsmile session --list Big` on a pseudo-terminal against each
database (see make_big_db.py), presses ``--keys`` outcome keys in one chunk of
1000 (waiting for each next lead), quits, and reads the child's peak resident set size.

Prints one JSON object: {"small_db", "big_db", "small_leads", "big_leads",
"small_rss_mb", "big_rss_mb", "ratio"}.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from ptyterm import Terminal, bench_env


def peak_rss_kib(db: Path, keys: int) -> int:
    args = [sys.executable, "-m", "dialsmile", "session", "--list", "Big", "--chunk", "1000"]
    term = Terminal(args, bench_env(db))
    position = term.wait_for_number("lead ")  # a resumed session starts further on
    for n in range(keys):
        term.keys("anvbh"[n % 5])
        while term.wait_for_number("lead ") != position + n + 1:
            pass
    term.keys("q")
    _, rss = term.wait_rusage()
    return rss


def leads_in(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM leads").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small-db", type=Path, default=Path("small.db"))
    parser.add_argument("--big-db", type=Path, default=Path("big.db"))
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    for db in (args.small_db, args.big_db):
        if not db.is_file():
            parser.error(f"{db} does not exist; build it with benchmarks/make_big_db.py")
    small = peak_rss_kib(args.small_db, args.keys)
    big = peak_rss_kib(args.big_db, args.keys)
    print(
        json.dumps(
            {
                "small_db": str(args.small_db),
                "big_db": str(args.big_db),
                "small_leads": leads_in(args.small_db),
                "big_leads": leads_in(args.big_db),
                "small_rss_mb": round(small / 1024, 1),
                "big_rss_mb": round(big / 1024, 1),
                "ratio": round(big / small, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
