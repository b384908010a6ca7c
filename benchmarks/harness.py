"""Shared by the benchmarks that race a dialsmile command against sqlite-utils insert."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def timed(args: list[str]) -> float:
    """Seconds one command takes, start to exit."""
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def tool(name: str) -> str:
    """A console script installed beside this Python (the venv's), else on PATH."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or name


def race(
    data: Path, table: str, ours: Callable[[str], list[str]], repeat: int, tmp: str
) -> tuple[float, float]:
    """(best dialsmile seconds, best sqlite-utils seconds) loading ``data``, best of ``repeat``.

    ``ours(db_path)`` gives the dialsmile command line for a fresh database.
    """
    mine, theirs = [], []
    for n in range(repeat):
        theirs.append(
            timed([tool("sqlite-utils"), "insert", f"{tmp}/raw{n}.db", table, str(data), "--csv"])
        )
        mine.append(timed(ours(f"{tmp}/ds{n}.db")))
    return min(mine), min(theirs)


def print_race(counts: dict[str, int], ours: float, theirs: float, ours_key: str) -> None:
    """Print the benchmark's one JSON object: counts, both timings and their ratio."""
    import json

    print(
        json.dumps(
            {
                **counts,
                ours_key: round(ours, 3),
                "sqlite_utils_s": round(theirs, 3),
                "ratio": round(ours / theirs, 3),
            }
        )
    )
