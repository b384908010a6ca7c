"""Import memory benchmark: peak RSS of `dialsmile import` at 100k rows and at 1M rows.

The same messy file as import_bench.py (duplicates, junk numbers, multi-line
notes), at two sizes, each imported by a separate process into a fresh
database; its peak resident set size is read when it ends. Memory that stays
flat keeps the ratio near 1.

Prints one JSON object: {"small_rows", "big_rows", "small_rss_mb", "big_rss_mb", "ratio"}.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

from harness import tool
from import_bench import make_file


def peak_rss_kib(args: list[str]) -> int:
    """The peak resident set size of one command, start to exit (KiB on Linux)."""
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {status}")
    return int(usage.ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in (args.small, args.big):
            data = Path(tmp) / f"leads-{rows}.csv"
            make_file(data, rows, args.seed)
            db = Path(tmp) / f"{rows}.db"
            peaks.append(
                peak_rss_kib(
                    [tool("dialsmile"), "--db", str(db), "import", str(data), "--list", "b"]
                )
            )
            data.unlink()
    small, big = peaks
    print(
        json.dumps(
            {
                "small_rows": args.small,
                "big_rows": args.big,
                "small_rss_mb": round(small / 1024, 1),
                "big_rss_mb": round(big / 1024, 1),
                "ratio": round(big / small, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
