"""DNC import benchmark: dialsmile dnc import vs sqlite-utils insert --csv on the same file.

Prints one JSON object: {"numbers", "seconds", "sqlite_utils_s", "ratio"}.
The file holds one number a line under a ``phone`` header, in the shapes
registry downloads and CRM exports use. Both run as separate processes in the
same run, so the ratio is what counts.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from harness import print_race, race, tool

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--numbers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "national.txt"
        make_file(data, args.numbers, args.seed)
        ours, theirs = race(
            data,
            "dnc",
            lambda db: [
                tool("dialsmile"),
                "--db",
                db,
                "dnc",
                "import",
                str(data),
                "--source",
                "national",
                "--as-of",
                "2026-11-20",
            ],
            args.repeat,
            tmp,
        )
    print_race({"numbers": args.numbers}, ours, theirs, "seconds")


if __name__ == "__main__":
    main()
