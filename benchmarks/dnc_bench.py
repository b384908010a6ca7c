"""DNC import benchmark: dialsmile dnc import vs sqlite-utils insert --csv on the same file.

Prints one JSON object: {"numbers", "seconds", "sqlite_utils_s", "ratio"}.
The file holds one number a line under a ``phone`` header, in the shapes
registry downloads and CRM exports use. Both run as separate processes in the
same run, so the ratio is what counts.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AREA_CODES = [201, 212, 305, 312, 404, 415, 512, 602, 617, 713, 801, 850, 919, 972, 206]


def make_file(path: Path, numbers: int, seed: int) -> None:
    """``numbers`` lines of US numbers, mostly bare 10 digits as the registry ships them."""
    rng = random.Random(seed)
    lines = ["phone"]
    for i in range(numbers):
        npa = rng.choice(AREA_CODES)
        nxx = rng.randint(200, 999)
        line = rng.randint(0, 9999)
        style = i % 10
        if style == 8:
            lines.append(f"+1 {npa} {nxx} {line:04d}")
        elif style == 9:
            lines.append(f"({npa}) {nxx}-{line:04d}")
        else:
            lines.append(f"{npa}{nxx}{line:04d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--numbers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs each")
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    sqlite_utils = shutil.which("sqlite-utils", path=str(bin_dir)) or "sqlite-utils"
    dialsmile = shutil.which("dialsmile", path=str(bin_dir)) or "dialsmile"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "national.txt"
        make_file(data, args.numbers, args.seed)
        ours, theirs = [], []
        for n in range(args.repeat):
            theirs.append(
                timed([sqlite_utils, "insert", f"{tmp}/raw{n}.db", "dnc", str(data), "--csv"])
            )
            command = [dialsmile, "--db", f"{tmp}/ds{n}.db", "dnc", "import", str(data)]
            ours.append(timed([*command, "--source", "national", "--as-of", "2026-11-20"]))
    result = {
        "numbers": args.numbers,
        "seconds": round(min(ours), 3),
        "sqlite_utils_s": round(min(theirs), 3),
        "ratio": round(min(ours) / min(theirs), 3),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
