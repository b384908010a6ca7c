"""Export benchmark: `dialsmile export session` vs `sqlite3 -csv` on the same rows.

Exports one session of a big database (see make_big_db.py; session 1 holds
its ``--export-rows`` calls) with dialsmile, and the same rows with the
sqlite3 command-line shell, both as separate processes in the same run
(best of ``--repeat``). The package's bytecode is compiled first, as
installing it does.

Both write the same 18 columns and cells (the outcome's dialer code, "yes" or
"no" for dialed, the length in tenths of a second), but for the times:
dialsmile writes them in the rep's zone (``--zone``, America/Chicago by
default, whose offset is not zero), as a rep's export does; sqlite3 writes them
as stored. Both times include starting the process.

Prints one JSON object: {"db", "session", "zone", "rows", "dialsmile_s", "sqlite3_s", "ratio",
"dialsmile_cpu_s", "sqlite3_cpu_s", "cpu_ratio"}: best wall seconds and best CPU seconds
(user + system) of each, and their ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import Timing, best
from ptyterm import ROOT, bench_env, compile_package

sys.path.insert(0, str(ROOT))

from dialsmile.core.models import Outcome

# The same rows and cells as the export writes, times as stored: its 18 columns, the
# outcome's dialer code, "yes"/"no" for dialed and the length in tenths of a second.
CODE = " ".join(f"WHEN '{o.value}' THEN '{o.code}'" for o in Outcome)
SAME_ROWS = f"""SELECT a.session_id, a.id, a.started_at, a.ended_at, round(a.duration_s, 1),
       CASE WHEN a.dialed <> 0 THEN 'yes' ELSE 'no' END, a.lead_id, d.name, d.company, a.phone,
       a.extension, a.outcome, CASE a.outcome {CODE} ELSE '' END, a.note, a.callback_at,
       a.script, a.script_version, a.chunk
FROM attempts a JOIN leads d ON d.id = a.lead_id
WHERE a.session_id = {{session}} AND a.outcome != 'skip' ORDER BY a.id"""


def timed(args: list[str], out: Path | None = None, zone: str = "UTC") -> Timing:
    """Wall and CPU seconds of one command, its output to ``out`` (or nowhere)."""
    env = {**bench_env(), "TZ": zone}  # the rep's zone: no settings, so $TZ
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    if out is None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    else:
        with out.open("wb") as f:
            subprocess.run(args, check=True, stdout=f, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("big.db"))
    parser.add_argument("--session", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--zone", default="America/Chicago", help="the rep's zone")
    args = parser.parse_args()
    if not args.db.is_file():
        parser.error(f"{args.db} does not exist; build it with benchmarks/make_big_db.py")
    sqlite3_cli = shutil.which("sqlite3")
    if sqlite3_cli is None:
        parser.error("the sqlite3 command-line shell is not installed")
    query = SAME_ROWS.format(session=int(args.session))
    compile_package()
    ours: list[Timing] = []
    theirs: list[Timing] = []
    with tempfile.TemporaryDirectory() as tmp:
        mine, raw = Path(tmp) / "dialsmile.csv", Path(tmp) / "sqlite3.csv"
        ds = [sys.executable, "-m", "dialsmile", "--db", str(args.db), "export", "session"]
        for _ in range(args.repeat):
            theirs.append(timed([sqlite3_cli, "-csv", "-header", str(args.db), query], raw))
            ours.append(timed([*ds, str(args.session), "-o", str(mine)], zone=args.zone))
        with mine.open(encoding="utf-8") as f:
            rows = sum(1 for _ in f) - 1
    mine_best, theirs_best = best(ours), best(theirs)
    print(
        json.dumps(
            {
                "db": str(args.db),
                "session": args.session,
                "zone": args.zone,
                "rows": rows,
                "dialsmile_s": round(mine_best.wall, 3),
                "sqlite3_s": round(theirs_best.wall, 3),
                "ratio": round(mine_best.wall / theirs_best.wall, 3),
                "dialsmile_cpu_s": round(mine_best.cpu, 3),
                "sqlite3_cpu_s": round(theirs_best.cpu, 3),
                "cpu_ratio": round(mine_best.cpu / theirs_best.cpu, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
