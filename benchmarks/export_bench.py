"""Export benchmark: `dialsmile export session` vs `sqlite3 -csv` on the same rows.

Exports one session of a big database (see make_big_db.py; session 1 holds
its ``--export-rows`` calls) with dialsmile, and the same rows with the
sqlite3 command-line shell, both as separate processes in the same run
(best of ``--repeat``). The package's bytecode is compiled first, as
installing it does.

dialsmile writes the times in the rep's zone (``--zone``, America/Chicago by
default, whose offset is not zero), as a rep's export does; sqlite3 writes them
as stored.

Prints one JSON object: {"db", "session", "zone", "rows", "dialsmile_s", "sqlite3_s", "ratio"}.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ptyterm import bench_env, compile_package

SAME_ROWS = """SELECT a.session_id, a.id, a.started_at, a.ended_at, a.duration_s, a.dialed,
       a.lead_id, d.name, d.company, a.phone, a.extension, a.outcome, a.note, a.callback_at, a.script,
       a.script_version, a.chunk
FROM attempts a JOIN leads d ON d.id = a.lead_id
WHERE a.session_id = {session} AND a.outcome != 'skip' ORDER BY a.id"""


def timed(args: list[str], out: Path | None = None, zone: str = "UTC") -> float:
    env = {**bench_env(), "TZ": zone}  # the rep's zone: no settings, so $TZ
    start = time.perf_counter()
    if out is None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
    else:
        with out.open("wb") as f:
            subprocess.run(args, check=True, stdout=f, env=env)
    return time.perf_counter() - start


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
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        mine, raw = Path(tmp) / "dialsmile.csv", Path(tmp) / "sqlite3.csv"
        ds = [sys.executable, "-m", "dialsmile", "--db", str(args.db), "export", "session"]
        for _ in range(args.repeat):
            theirs.append(timed([sqlite3_cli, "-csv", "-header", str(args.db), query], raw))
            ours.append(timed([*ds, str(args.session), "-o", str(mine)], zone=args.zone))
        with mine.open(encoding="utf-8") as f:
            rows = sum(1 for _ in f) - 1
    print(
        json.dumps(
            {
                "db": str(args.db),
                "session": args.session,
                "zone": args.zone,
                "rows": rows,
                "dialsmile_s": round(min(ours), 3),
                "sqlite3_s": round(min(theirs), 3),
                "ratio": round(min(ours) / min(theirs), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
