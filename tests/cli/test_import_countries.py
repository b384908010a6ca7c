"""Which country national numbers belong to: --region, localized Country columns, the hint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, import_json

pytestmark = pytest.mark.sqlite_only(
    "how a file is read: how imports are stored runs on both engines in test_import.py"
)

GERMAN = (
    "Jürgen Müller,030 12345678\r\nAnna Schmidt,0170 1234567\r\nOla Nordmann,+47 912 34 567\r\n"
)
HINT = (
    "No country column found; if these are national numbers, give their country "
    "with --region, e.g. --region DE."
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("given", "sentence"),
    [
        (
            "ZZ",
            "dialsmile: --region 'ZZ' is not a country code dialsmile knows; give an "
            "ISO 3166 two-letter code such as US, GB, DE or NO.\n",
        ),
        (
            "norway",
            "dialsmile: --region 'norway' is not a country code dialsmile knows; give an "
            "ISO 3166 two-letter code such as US, GB, DE or NO (for 'norway': NO).\n",
        ),
        (
            "",
            "dialsmile: --region '' is not a country code dialsmile knows; give an "
            "ISO 3166 two-letter code such as US, GB, DE or NO.\n",
        ),
    ],
)
def test_an_unknown_region_is_refused_up_front(
    run_cli: RunCli, tmp_path: Path, db_path: Path, given: str, sentence: str
) -> None:
    path = write(tmp_path, "Name,Phone\r\nOla,22 12 34 56\r\n")
    result = run_cli("import", str(path), "--list", "z", "--region", given)
    assert result.exit_code == 2
    assert result.stderr == sentence
    assert result.stdout == ""
    assert json.loads(run_cli("leads", "--json").stdout) == []


def test_a_bad_default_region_setting_is_named(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('default_region = "Norge"\n', encoding="utf-8")
    monkeypatch.setenv("DIALSMILE_CONFIG", str(config))
    result = run_cli("import", str(write(tmp_path, "Name,Phone\r\nOla,22 12 34 56\r\n")))
    assert result.exit_code == 2
    assert result.stderr.startswith("dialsmile: The default_region setting 'Norge' is not")
    assert result.stderr.endswith("(for 'Norge': NO).\n")


def test_a_lowercase_region_reads_national_numbers(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Phone\r\nOla,22 12 34 56\r\n")
    report = import_json(run_cli, path, "--list", "z", "--region", "no")
    assert (report["imported"], report["rejected"], report["hint"]) == (1, 0, None)
    assert [lead["phone"] for lead in json.loads(run_cli("leads", "--json").stdout)] == [
        "+4722123456"
    ]


@pytest.mark.parametrize(
    "header",
    ["Land/Region", "Land/Region geschäftlich", "Land", "Country/Region", "Pays", "País", "Paese"],
)
def test_localized_country_columns_place_national_numbers(
    run_cli: RunCli, tmp_path: Path, header: str
) -> None:
    path = write(
        tmp_path,
        f'"Vorname","Nachname","Telefonnummer","{header}"\r\n'
        '"Jürgen","Müller","030 12345678","Deutschland"\r\n'
        '"Anna","Schmidt","0170 1234567","DE"\r\n'
        '"Ola","Nordmann","22 12 34 56","Norwegen"\r\n',
    )
    report = import_json(run_cli, path, "--list", "DE")
    assert f"country <- {header!r}" in report["mapping"]
    assert (report["imported"], report["rejected"], report["hint"]) == (3, 0, None)
    leads = json.loads(run_cli("leads", "--json").stdout)
    assert [(lead["phone"], lead["country"]) for lead in leads] == [
        ("+493012345678", "DE"),
        ("+491701234567", "DE"),
        ("+4722123456", "NO"),
    ]


def test_national_numbers_written_the_german_way_are_read_as_german(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = write(tmp_path, "Name,Telefon\r\n" + GERMAN)
    result = run_cli("import", str(path), "--list", "DE")
    assert result.exit_code == 0
    assert "3 imported" in result.stdout
    assert (
        "National numbers read as Germany: 2/2 numbers valid there, "
        "2/2 written the way Germany writes them\n"
    ) in result.stdout
    leads = json.loads(run_cli("leads", "--json").stdout)
    assert sorted(lead["phone"] for lead in leads) == [
        "+4791234567",
        "+491701234567",
        "+493012345678",
    ]


def test_german_numbers_in_a_us_file_get_a_hint(run_cli: RunCli, tmp_path: Path) -> None:
    us = "".join(f"Bo Lee,(512) 555-01{n:02}\r\n" for n in range(12))
    german = "".join(f"Jo Berg,030 1234{n:04}\r\n" for n in range(5))
    path = write(tmp_path, "Name,Telefon\r\n" + us + german)
    result = run_cli("import", str(path), "--list", "DE")
    assert result.exit_code == 0
    assert "5 rejected: 5 invalid phone" in result.stdout
    assert result.stdout.splitlines()[-2] == HINT
    assert import_json(run_cli, path, "--list", "DE", "--dry-run")["hint"] == HINT
    fixed = import_json(run_cli, path, "--list", "DE", "--region", "de")
    assert (fixed["rejected"], fixed["hint"]) == (0, None)


@pytest.mark.parametrize(
    ("rows", "extra"),
    [
        ("Bo Lee,12345\r\nAl Day,n/a\r\n", ()),  # junk, not national numbers
        (GERMAN, ("--region", "FR")),  # the user already said which country
        (  # a few bad numbers in a US file
            "".join(f"Bo Lee,+1 512 555 01{n:02}\r\n" for n in range(10))
            + "Cy Ng,(999) 555-0134\r\nDi Po,123-456-7890\r\n",
            (),
        ),
        (  # no one country reads most of the bad numbers
            "Al Day,000 000 0000\r\nCy Ng,(999) 555-0134\r\nBo Lee,111 111 1111\r\n",
            (),
        ),
    ],
)
def test_no_hint_when_it_would_not_help(
    run_cli: RunCli, tmp_path: Path, rows: str, extra: tuple[str, ...]
) -> None:
    report = import_json(run_cli, write(tmp_path, "Name,Phone\r\n" + rows), *extra)
    assert report["rejected"] >= 1 and report["hint"] is None
    result = run_cli("import", str(tmp_path / "leads.csv"), "--dry-run", *extra)
    assert "No country column found" not in result.stdout
