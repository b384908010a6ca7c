"""Phone cells as reps write them by hand: a label after the number, "(mobile)" or
"(Zentrale)", and phone columns named by their kind alone ("HQ", "Work")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, import_json

LABELLED = {
    "+1 212 555 0102 (mobile)": ("+12125550102", None),
    "(212) 555-0103 (cell)": ("+12125550103", None),
    "212-555-0104 x12 (office)": ("+12125550104", "12"),
    "+49 30 1234567 (Zentrale)": ("+49301234567", None),
    "+44 (0)20 7946 0958 (switchboard)": ("+442079460958", None),
}


@pytest.mark.parametrize("cell", sorted(LABELLED))
def test_a_label_after_the_number_is_not_part_of_it(
    run_cli: RunCli, tmp_path: Path, cell: str
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(f'Name,Phone\nAnn Lee,"{cell}"\n', encoding="utf-8")
    report = import_json(run_cli, path, "--list", "L")
    assert report["imported"] == 1, report["rejects"]
    (lead,) = json.loads(run_cli("leads", "--list", "L", "--json").stdout)
    assert (lead["phone"], lead["extension"]) == LABELLED[cell]


def test_a_number_in_parentheses_stays_a_number(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "paren.csv"
    path.write_text('Name,Phone\nAnn Lee,"+44 20 7946 (0958)"\n', encoding="utf-8")
    report = import_json(run_cli, path, "--list", "L")
    assert report["imported"] == 1
    (lead,) = json.loads(run_cli("leads", "--list", "L", "--json").stdout)
    assert lead["phone"] == "+442079460958"


@pytest.mark.parametrize(
    ("header", "kind"),
    [("HQ", "company"), ("Headquarters", "company"), ("Work", "direct"), ("Direct", "direct")],
)
def test_phone_columns_named_by_their_kind_alone(
    run_cli: RunCli, tmp_path: Path, header: str, kind: str
) -> None:
    path = tmp_path / "kinds.csv"
    path.write_text(
        f"Name,Mobile,{header},Fax\n"
        "Ann Lee,,(212) 555-0105,(212) 555-0106\n"
        "Bo Ray,(917) 555-0107,(212) 555-0108,\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "L")
    assert (report["imported"], report["rejected"]) == (2, 0), report["rejects"]
    assert f"{kind} phone <- {header!r} (header)" in report["mapping"]
    ann, bo = json.loads(run_cli("leads", "--list", "L", "--json").stdout)
    assert (ann["phone"], ann["phone_kind"]) == ("+12125550105", kind)
    assert "+12125550106" not in ann["alt_phones"]  # the fax is never dialled
    assert sorted([bo["phone"], *bo["alt_phones"]]) == ["+12125550108", "+19175550107"]


def test_two_columns_of_the_same_name_are_told_apart_in_the_summary(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text(
        "Name,Phone,Phone,Email\nJosé Araújo,(212) 555-0150,(212) 555-0151,j@x.com\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(path), "--list", "L")
    assert result.exit_code == 0, result.stderr
    assert (
        "Phone columns: direct phone <- 'Phone' in column 2 (header); "
        "direct phone <- 'Phone' in column 3 (header)"
    ) in result.stdout
    assert "name <- 'Name'" in import_json(run_cli, path, "--list", "M", "--dry-run")["mapping"]
