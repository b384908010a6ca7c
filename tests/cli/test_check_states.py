"""`dialsmile check` with no --state: the area code's state, its boundaries, and exit codes.

Expected hours are the hand-written law in tests/nanp.py (calling-rules.md),
checked at each edge of every window and on each closed day.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.nanp import LAWS, boundaries, source_label, valid_number

CASES = [
    pytest.param(code, moment, allowed, id=name)
    for code, law in LAWS.items()
    for name, moment, allowed in boundaries(code, law)
]


@pytest.mark.parametrize(("code", "moment", "allowed"), CASES)
def test_check_without_state_applies_the_area_codes_state(
    run_cli: RunCli, code: str, moment: datetime, allowed: bool
) -> None:
    law = LAWS[code]
    phone = valid_number(law.npa)
    assert phone is not None
    result = run_cli("check", phone, "--at", moment.isoformat(), "--json")
    data = json.loads(result.stdout)
    assert data["allowed"] is allowed, data["reasons"]
    assert result.exit_code == (0 if allowed else 1)
    assert data["sources"][code] == f"area code {law.npa}"
    if not allowed:
        label = source_label(code, law.npa)
        assert any(law.name in r and label in r for r in data["reasons"]), data["reasons"]


def test_check_text_names_the_rule_the_zone_and_where_the_state_came_from(
    run_cli: RunCli,
) -> None:
    sunday = run_cli("check", "+1 801 200 1234", "--at", "2026-12-06T19:00:00Z")
    assert sunday.exit_code == 1
    assert sunday.stdout.startswith(
        "Not now: it is Sunday 2026-12-06, 12:00 Mountain time (MST): "
        "Utah (US-UT, from area code 801) allows no calls on Sundays."
    )
    given = run_cli("check", "+1 801 200 1234", "--at", "2026-12-02T15:30:00Z", "--state", "TX")
    assert "allowed 09:00-21:00 by Texas (US-TX, from --state)" in given.stdout
    mississippi = run_cli("check", "+1 601 200 1234", "--at", "2026-07-08T13:30:00Z")
    assert "07:30 Central Standard Time (CST), allowed 08:00-20:00 by Mississippi" in (
        mississippi.stdout
    )
    assert "Etc/" not in mississippi.stdout and "America/" not in mississippi.stdout
    summer = run_cli("check", "+1 601 200 1234", "--at", "2026-07-08T13:30:00Z", "--json")
    assert json.loads(summer.stdout)["zone_names"] == {
        "America/Chicago": "Central time (CDT)",
        "Etc/GMT+6": "Central Standard Time (CST)",
    }


def test_lead_state_column_is_named_as_the_source(run_cli: RunCli, tmp_path: Path) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text("Name,Phone,State\nKim Ortiz,+1 801 200 1234,Utah\n", encoding="utf-8")
    assert run_cli("import", str(leads), "--list", "West").exit_code == 0
    result = run_cli("check", "+18012001234", "--at", "2026-12-06T19:00:00Z", "--json")
    data = json.loads(result.stdout)
    assert data["sources"]["US-UT"] == "the lead's State column and area code 801"


def test_check_exit_codes_work_like_test(run_cli: RunCli) -> None:
    assert run_cli("check", "+1 212 200 1234", "--at", "2026-12-02T17:00:00Z").exit_code == 0
    assert run_cli("check", "+1 212 200 1234", "--at", "2026-12-02T03:00:00Z").exit_code == 1
    for args in (
        ("not a phone",),
        ("+1 212 200 1234", "--at", "soon"),
        ("+1 212 200 1234", "--state", "Atlantis"),
    ):
        result = run_cli("check", *args, "--json")
        assert result.exit_code == 2 and result.stdout == "", args
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "0 when the call is allowed, 1 when it is not" in run_cli("check", "--help").stdout


@pytest.mark.parametrize(
    ("at", "warns"), [("2026-10-11T17:00:00Z", False), ("2026-11-10T17:00:00Z", True)]
)
def test_national_copy_age_is_judged_at_the_asked_moment(
    run_cli: RunCli, tmp_path: Path, at: str, warns: bool
) -> None:
    copy = tmp_path / "national.txt"
    copy.write_text("+13125550100\n", encoding="utf-8")
    imported = run_cli("dnc", "import", str(copy), "--source", "national", "--as-of", "2026-10-01")
    assert imported.exit_code == 0, imported.stderr
    # By the real clock (DIALSMILE_NOW, 2026-11-25) the copy is 55 days old;
    # at the asked moments it is 10 and 40 days old.
    data = json.loads(run_cli("check", "+1 212 200 1234", "--at", at, "--json").stdout)
    stale = [w for w in data["warnings"] if "days old" in w]
    assert bool(stale) is warns, data["warnings"]
    if warns:
        assert "is 40 days old" in stale[0]


def test_check_reads_a_state_in_the_iso_form_it_prints(run_cli: RunCli) -> None:
    # "US-TX" is how check names Texas in its reasons; a rep may paste it back.
    for given in ("US-TX", "us-tx", "TX", "Texas"):
        result = run_cli(
            "check", "+1 801 200 1234", "--at", "2026-12-02T15:30:00Z", "--state", given
        )
        assert result.exit_code == 1, (given, result.output)  # 08:30 in Utah: not yet
        assert "allowed 09:00-21:00 by Texas (US-TX, from --state)" in result.stdout, given
    for wrong in ("US-ON", "CA-TX", "US-ZZ", "XX-TX"):
        refused = run_cli("check", "+1 801 200 1234", "--state", wrong)
        assert refused.exit_code == 2 and "is not a US state or Canadian province" in refused.stderr


def test_every_iso_subdivision_of_the_us_and_canada_reads_as_its_code() -> None:
    import pycountry

    from dialsmile.core.places import state_code

    # The states, DC, the territories with their own state code, and the provinces.
    for country in ("US", "CA"):
        for subdivision in pycountry.subdivisions.get(country_code=country):
            code = subdivision.code.split("-")[1]
            if code in ("AS", "MP", "UM"):  # no calling-hours rules of their own
                continue
            assert state_code(subdivision.code) == (country, code)
            assert state_code(subdivision.code.lower()) == (country, code)
