"""First names from real files: the greeting a script shows for each imported lead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, import_json

pytestmark = pytest.mark.both_engines


def greetings(run_cli: RunCli, script: str = "saas-discovery") -> dict[str, str]:
    """Each lead's displayed name and the first line of the script's opening for it."""
    leads = json.loads(run_cli("leads", "--json").stdout)
    out = {}
    for lead in leads:
        shown = run_cli(
            "scripts", "show", script, "--lead", str(lead["id"]), "--section", "Opening"
        )
        assert shown.exit_code == 0, shown.stderr
        out[lead["name"]] = shown.stdout.split(",")[0].split("!")[0]
    return out


def test_a_name_column_greets_the_first_name(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text(
        "Name,Phone\r\n"
        "Dr. Jane Smith,+1 512 555 0101\r\n"
        '"Smith, John",+1 512 555 0102\r\n'
        "Mr Bob Jones,+1 512 555 0103\r\n"
        "Herr Jürgen Müller,+1 512 555 0104\r\n"
        "Jane Smith PhD,+1 512 555 0105\r\n"
        "Ms. Okafor,+1 512 555 0106\r\n"
        "Priya Raman,+1 512 555 0107\r\n",
        encoding="utf-8",
    )
    assert import_json(run_cli, path, "--list", "N")["imported"] == 7
    assert greetings(run_cli) == {
        "Dr. Jane Smith": "Hi Jane",
        "Smith, John": "Hi John",
        "Mr Bob Jones": "Hi Bob",
        "Herr Jürgen Müller": "Hi Jürgen",
        "Jane Smith PhD": "Hi Jane",
        "Ms. Okafor": "Hi there",
        "Priya Raman": "Hi Priya",
    }


@pytest.mark.parametrize(
    ("script", "fallback"), [("saas-discovery", "Hi there"), ("b2b-norsk", "Hei der")]
)
def test_no_first_name_greets_with_the_script_fallback(
    run_cli: RunCli, tmp_path: Path, script: str, fallback: str
) -> None:
    path = tmp_path / "parts.csv"
    path.write_text(
        "First Name,Last Name,Phone\r\n"
        ",Okafor,+1 512 555 0101\r\n"
        "Dr.,Adeyemi,+1 512 555 0102\r\n"
        "Mrs. Ada,Lovelace,+1 512 555 0103\r\n",
        encoding="utf-8",
    )
    import_json(run_cli, path, "--list", "P")
    found = greetings(run_cli, script)
    assert found["Okafor"] == fallback
    assert found["Dr. Adeyemi"] == fallback
    assert found["Mrs. Ada Lovelace"] == fallback.split()[0] + " Ada"
