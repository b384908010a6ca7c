"""Shared by the benchmarks that race a dialsmile command against sqlite-utils insert."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Timing:
    """How long a command took: wall seconds, and the CPU seconds (user + system) it used.

    On a shared machine wall time follows the load; CPU time much less so.
    """

    wall: float
    cpu: float


def timed(args: list[str]) -> Timing:
    """The wall and CPU seconds of one command, start to exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def tool(name: str) -> str:
    """A console script installed beside this Python (the venv's), else on PATH."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or name


def race(
    data: Path, table: str, ours: Callable[[str], list[str]], repeat: int, tmp: str
) -> tuple[Timing, Timing]:
    """(best dialsmile timing, best sqlite-utils timing) loading ``data``, best of ``repeat``
    (wall and CPU each at their best).

    ``ours(db_path)`` gives the dialsmile command line for a fresh database.
    """
    mine: list[Timing] = []
    theirs: list[Timing] = []
    for n in range(repeat):
        theirs.append(
            timed([tool("sqlite-utils"), "insert", f"{tmp}/raw{n}.db", table, str(data), "--csv"])
        )
        mine.append(timed(ours(f"{tmp}/ds{n}.db")))
    return best(mine), best(theirs)


def best(timings: list[Timing]) -> Timing:
    """The best wall time and the best CPU time of several runs."""
    return Timing(min(t.wall for t in timings), min(t.cpu for t in timings))


def print_race(counts: dict[str, int], ours: Timing, theirs: Timing, ours_key: str) -> None:
    """Print the benchmark's one JSON object: counts, both timings and their ratios
    (``ratio`` of wall seconds, ``cpu_ratio`` of CPU seconds)."""
    import json

    print(
        json.dumps(
            {
                **counts,
                ours_key: round(ours.wall, 3),
                "sqlite_utils_s": round(theirs.wall, 3),
                "ratio": round(ours.wall / theirs.wall, 3),
                "dialsmile_cpu_s": round(ours.cpu, 3),
                "sqlite_utils_cpu_s": round(theirs.cpu, 3),
                "cpu_ratio": round(ours.cpu / theirs.cpu, 3),
            }
        )
    )
