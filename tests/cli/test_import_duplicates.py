"""Duplicates, as the import summary states the rule: "same number as an earlier row or a
lead already here". The number that counts is the one a row would be called on; an
earlier row's numbers are its main number and its alternates. Expected counts and
leads are written out by hand from that rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, import_json

pytestmark = pytest.mark.both_engines

HEADER = "Name,Phone,Mobile\n"


def stored(run_cli: RunCli) -> list[tuple[str, str, str | None]]:
    """(name, number called, extension or None) of every lead, in list order."""
    leads = json.loads(run_cli("leads", "--json").stdout)
    return [(lead["name"], lead["phone"], lead["extension"]) for lead in leads]


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_a_row_repeating_an_earlier_rows_number_is_a_duplicate(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "a.csv",
        [
            "Ann,(512) 555-0101,(512) 555-0102",
            "Ann again,+1 512 555 0101,",  # Ann's number, written another way
            "Bo,512.555.0102,",  # Ann's mobile
            "Cy,(512) 555-0103,(512) 555-0101",  # called on a new number: a lead
            "Di,(512) 555-0104,",
        ],
    )
    report = import_json(run_cli, source, "--list", "L")
    assert (report["rows"], report["imported"], report["duplicates"]) == (5, 3, 2)
    assert stored(run_cli) == [
        ("Ann", "+15125550101", None),
        ("Cy", "+15125550103", None),
        ("Di", "+15125550104", None),
    ]


def test_a_duplicate_rows_other_numbers_are_not_remembered(run_cli: RunCli, tmp_path: Path) -> None:
    source = write(
        tmp_path / "a.csv",
        [
            "Ann,(512) 555-0101,",
            "Ann again,(512) 555-0101,(512) 555-0109",  # a duplicate: its mobile is not kept
            "Eve,(512) 555-0109,",  # so this number is new
        ],
    )
    report = import_json(run_cli, source, "--list", "L")
    assert (report["imported"], report["duplicates"]) == (2, 1)
    assert [name for name, _, _ in stored(run_cli)] == ["Ann", "Eve"]


def test_one_number_with_different_extensions_is_different_leads(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "a.csv",
        [
            "Desk 1,(512) 555-0100 x1,",
            "Desk 2,(512) 555-0100 x2,",
            "Desk 1 again,(512) 555-0100 ext. 1,",
            "Switchboard,(512) 555-0100,",
        ],
    )
    report = import_json(run_cli, source, "--list", "L")
    assert (report["imported"], report["duplicates"]) == (3, 1)
    assert stored(run_cli) == [
        ("Desk 1", "+15125550100", "1"),
        ("Desk 2", "+15125550100", "2"),
        ("Switchboard", "+15125550100", None),
    ]


def test_duplicates_are_found_however_far_apart_in_a_long_file(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # 6000 leads with numbers 0000..5999, then each first and last number again,
    # then 10 rows on the mobiles of the first rows: every later row is a duplicate.
    rows = [
        f"Lead {n},(512) 555-{n:04d},(415) 555-{n:04d}"
        if n < 10
        else f"Lead {n},(512) 555-{n:04d},"
        for n in range(6000)
    ]
    rows += [f"Again {n},+1 512 555 {n:04d}," for n in (0, 1999, 2000, 4000, 5999)]
    rows += [f"Mobile {n},(415) 555-{n:04d}," for n in range(10)]
    source = write(tmp_path / "long.csv", rows)
    report = import_json(run_cli, source, "--list", "L")
    assert (report["rows"], report["imported"], report["duplicates"]) == (6015, 6000, 15)
    names = [name for name, _, _ in stored(run_cli)]
    assert names == [f"Lead {n}" for n in range(6000)]


def test_a_second_import_counts_the_lists_numbers_and_its_own(
    run_cli: RunCli, tmp_path: Path
) -> None:
    first = write(tmp_path / "first.csv", ["Ann,(512) 555-0101,(512) 555-0102"])
    assert import_json(run_cli, first, "--list", "L")["imported"] == 1
    second = write(
        tmp_path / "second.csv",
        [
            "Ann,(512) 555-0101,",  # the lead's number
            "Bo,(512) 555-0102,",  # the lead's alternate
            "Cy,(512) 555-0103,",
            "Cy again,(512) 555-0103,",  # an earlier row of this file
        ],
    )
    dry = import_json(run_cli, second, "--list", "L", "--dry-run")
    assert (dry["imported"], dry["duplicates"], dry["batch"]) == (1, 3, None)
    assert stored(run_cli) == [("Ann", "+15125550101", None)]  # a dry run writes nothing
    report = import_json(run_cli, second, "--list", "L")
    assert (report["imported"], report["duplicates"]) == (1, 3)
    assert [name for name, _, _ in stored(run_cli)] == ["Ann", "Cy"]
    # Another list has leads of its own: the same numbers are new there.
    other = import_json(run_cli, second, "--list", "Other")
    assert (other["imported"], other["duplicates"]) == (3, 1)
    listing = run_cli("imports").stdout.splitlines()
    assert "4 rows       1 imported      3 dup" in listing[1]
    assert "4 rows       3 imported      1 dup" in listing[2]


def test_large_imports_find_every_duplicate_and_keep_the_lists_numbers_unique(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # Imports past 10,000 leads build the leads' indexes again at their end (on SQLite):
    # the rule must read the same before, during and after that.
    def rows(numbers: range) -> list[str]:
        return [f"Lead {n},(512) {555 + n // 10_000}-{n % 10_000:04d}," for n in numbers]

    first = write(tmp_path / "first.csv", rows(range(12_000)))
    report = import_json(run_cli, first, "--list", "L")
    assert (report["imported"], report["duplicates"]) == (12_000, 0)
    # 6,000 numbers the list has, 18,000 new ones, then 500 of this file's own again.
    second = write(
        tmp_path / "second.csv", rows(range(6_000, 30_000)) + rows(range(20_000, 20_500))
    )
    report = import_json(run_cli, second, "--list", "L")
    assert (report["imported"], report["duplicates"]) == (18_000, 6_500)
    again = import_json(run_cli, first, "--list", "L")
    assert (again["imported"], again["duplicates"]) == (0, 12_000)
    other = import_json(run_cli, second, "--list", "Other")
    assert (other["imported"], other["duplicates"]) == (24_000, 500)
    listing = run_cli("lists").stdout.splitlines()
    assert "30,000 leads" in next(line for line in listing if line.startswith("L ")), listing
