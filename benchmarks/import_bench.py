"""Import benchmark: dialsmile import vs sqlite-utils insert --csv on the same messy file.

Prints one JSON object: {"rows", "dialsmile_s", "sqlite_utils_s", "ratio", "dialsmile_cpu_s",
"sqlite_utils_cpu_s", "cpu_ratio"}: best wall seconds and best CPU seconds (user +
system) of each, and their ratios.
Both run as separate processes in the same run, so the ratio is what counts.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
from pathlib import Path

from harness import print_race, race, tool

AREA_CODES = [212, 312, 415, 512, 617, 303, 206, 305, 404, 602, 214, 850, 612, 801, 503]
FIRST = ["Dana", "Omar", "Priya", "Ingrid", "Marcus", "Tom", "Åsa", "Søren", "Lena", "Raj"]
LAST = ["Whitfield", "Haddad", "Raman", "Solberg", "Lee", "Baker", "Lund", "Berg", "Kim"]
JUNK = ["n/a", "12345", "", "call reception", "TBD", "000"]


def phone(rng: random.Random, i: int) -> str:
    npa = rng.choice(AREA_CODES)
    exchange = rng.randint(200, 999)
    line = rng.randint(0, 9999)
    style = i % 7
    if style == 0:
        return f"({npa}) {exchange}-{line:04d}"
    if style == 1:
        return f"+1 {npa} {exchange} {line:04d}"
    if style == 2:
        return f"'+1 {npa}-{exchange}-{line:04d}"
    if style == 3:
        return f"{npa}.{exchange}.{line:04d} x{rng.randint(1, 999)}"
    if style == 4:
        return f"1-{npa}-{exchange}-{line:04d}"
    if style == 5:
        return f"+47 {rng.randint(21, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    return f"{npa}{exchange}{line:04d}"


def make_file(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    header = [
        "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
        "Job Title", "Company Name", "City", "State/Region", "Country/Region", "Message",
        "Lead Status",
    ]  # fmt: skip
    earlier: list[str] = []
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for i in range(rows):
            roll = rng.random()
            if roll < 0.05:
                work = rng.choice(JUNK)
            elif roll < 0.08 and earlier:
                work = rng.choice(earlier)  # a duplicate
            else:
                work = phone(rng, i)
                if len(earlier) < 5000:
                    earlier.append(work)
            mobile = phone(rng, i + 3) if rng.random() < 0.4 else ""
            first, last = rng.choice(FIRST), rng.choice(LAST)
            writer.writerow([
                i, first, last, f"{first.lower()}.{last.lower()}{i}@example.com", work, mobile,
                "VP Sales", f"Company {i % 5000}", "Austin", "TX",
                "Norway" if work.startswith("+47") else "United States",
                "Met at a conference.\nAsked about pricing." if i % 10 == 0 else "",
                "New",
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "leads.csv"
        make_file(data, args.rows, args.seed)
        ours, theirs = race(
            data,
            "t",
            lambda db: [tool("dialsmile"), "--db", db, "import", str(data), "--list", "bench"],
            args.repeat,
            tmp,
        )
    print_race({"rows": args.rows}, ours, theirs, "dialsmile_s")


if __name__ == "__main__":
    main()
