"""Which country national numbers belong to: --region."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, import_json


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
    assert (report["imported"], report["rejected"]) == (1, 0)
    assert [lead["phone"] for lead in json.loads(run_cli("leads", "--json").stdout)] == [
        "+4722123456"
    ]
