"""`dialsmile check` and `dialsmile dnc ...` as a user runs them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from tests.conftest import NOW, RunCli, database_at, stores_at

pytestmark = pytest.mark.both_engines

LEADS = """\
Name,Company,Phone,State
Dana Whitfield,Globex,(512) 555-0134,TX
Priya Raman,Initech,+1 212-555-0188,NY
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check_json(run_cli: RunCli, *args: str) -> dict[str, object]:
    """``check --json``; its exit code says the same as its ``allowed`` (0 yes, 1 no)."""
    result = run_cli("check", *args, "--json")
    assert result.exit_code in (0, 1), result.output + result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    assert result.exit_code == (0 if data["allowed"] else 1)
    return data


def test_check_split_area_code_before_opening(run_cli: RunCli) -> None:
    result = run_cli("check", "+1 850 617 2000", "--at", "2026-11-25T13:30:00Z")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("Not now: outside calling hours: it is 07:30 Central time (CST)")
    assert "by US federal rules, Florida (US-FL, from area code 850)" in first
    assert "Next allowed: 2026-11-25 14:00 UTC (08:00 Central time (CST), 09:00 Eastern" in first
    assert "(Central time, Eastern time)" in result.stdout
    data = check_json(run_cli, "+1 850 617 2000", "--at", "2026-11-25T13:30:00Z")
    assert set(data) == {
        "phone", "allowed", "jurisdictions", "sources", "reasons", "local_times",
        "zone_names", "next_allowed_at", "warnings",
    }  # fmt: skip
    assert data["phone"] == "+18506172000" and data["allowed"] is False
    assert data["jurisdictions"] == ["US", "US-FL"]
    assert data["sources"] == {"US": "the number's country code", "US-FL": "area code 850"}
    assert data["next_allowed_at"] == "2026-11-25T14:00:00+00:00"
    assert data["local_times"] == {
        "America/Chicago": "2026-11-25T07:30:00-06:00",
        "America/New_York": "2026-11-25T08:30:00-05:00",
    }
    assert data["zone_names"] == {
        "America/Chicago": "Central time (CST)",
        "America/New_York": "Eastern time (EST)",
    }


def test_check_allowed_state_and_business(run_cli: RunCli) -> None:
    data = check_json(run_cli, "512-555-0134", "--at", "2026-11-25T14:45:00Z", "--state", "TX")
    assert data["allowed"] is False and "by Texas" in str(data["reasons"])
    data = check_json(
        run_cli, "512-555-0134", "--at", "2026-11-25T14:45:00Z", "--state", "TX",
        "--kind", "business",
    )  # fmt: skip
    assert data["allowed"] is True and data["reasons"] == []
    result = run_cli("check", "512-555-0134", "--at", "2026-11-25T16:15:00Z")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "OK to call +1 512-555-0134: 10:15 Central time (CST) is inside calling hours "
        "(rules: US, US-TX from area code 512)."
    )


def test_check_bad_inputs(run_cli: RunCli) -> None:
    bad_phone = run_cli("check", "12345")
    assert bad_phone.exit_code == 2
    assert bad_phone.stderr.strip() == (
        "dialsmile: '12345' is not a valid phone number; write it with its country code, "
        "e.g. +1 850 617 2000."
    )
    bad_at = run_cli("check", "+15125550134", "--at", "tomorrow-ish")
    assert bad_at.exit_code == 2 and "Cannot read --at 'tomorrow-ish'" in bad_at.stderr
    bad_state = run_cli("check", "+15125550134", "--state", "ZZ")
    assert bad_state.exit_code == 2 and "not a US state" in bad_state.stderr
    bad_kind = run_cli("check", "+15125550134", "--kind", "robot")
    assert bad_kind.exit_code == 2


def test_check_help_says_not_legal_advice(run_cli: RunCli) -> None:
    text = " ".join(run_cli("check", "--help").stdout.split())
    assert "an aid, not legal advice" in text


def test_dnc_import_then_check_never(run_cli: RunCli, tmp_path: Path) -> None:
    dnc = write(tmp_path, "national.txt", "phone\n5125550134\nn/a\n+1 (212) 555-0188\n5125550134\n")
    result = run_cli("dnc", "import", str(dnc), "--source", "national", "--as-of", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "3 lines" not in result.stdout and "2 distinct numbers" in result.stdout
    assert "1 line skipped (not phone numbers), e.g. line 3: 'n/a'" in result.stdout
    data = check_json(run_cli, "+15125550134", "--at", "2026-11-25T16:15:00Z")
    assert data["allowed"] is False and data["next_allowed_at"] is None
    assert str(data["reasons"]).startswith(
        "['the number is on the national do-not-call list (copy of 2026-11-20)"
    )
    human = run_cli("check", "+15125550134")
    assert human.exit_code == 1
    assert human.stdout.startswith("Never call +1 512-555-0134: the number is on the national")
    business = check_json(run_cli, "+15125550134", "--kind", "business")
    assert business["allowed"] is True  # national DNC covers consumer calls only


def test_dnc_import_marks_leads_and_csv_column(run_cli: RunCli, tmp_path: Path) -> None:
    leads = write(tmp_path, "leads.csv", LEADS)
    assert run_cli("import", str(leads), "--list", "Q4").exit_code == 0
    dnc = write(tmp_path, "state.csv", "Name,Phone Number\nX,512.555.0134\nY,not a number\n")
    result = run_cli("dnc", "import", str(dnc), "--source", "state", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["numbers"] == 1 and report["invalid"] == 1 and report["leads_marked"] == 1
    leads_json = json.loads(run_cli("leads", "--json").stdout)
    assert {lead["name"]: lead["status"] for lead in leads_json} == {
        "Dana Whitfield": "dnc",
        "Priya Raman": "new",
    }


def test_dnc_registry_area_code_form_and_stale_copy(run_cli: RunCli, tmp_path: Path) -> None:
    dnc = write(tmp_path, "201.txt", "201,2001234\n201,2001235\n")
    result = run_cli("dnc", "import", str(dnc), "--source", "national", "--as-of", "2026-10-01")
    assert result.exit_code == 0 and "2 distinct numbers" in result.stdout
    assert "is 55 days old" in result.stdout
    data = check_json(run_cli, "+12125550100", "--at", "2026-11-25T16:15:00Z")
    assert any("55 days old" in w for w in data["warnings"])  # type: ignore[union-attr]
    overview = run_cli("dnc").stdout
    assert "national" in overview and "2 numbers" in overview and "Warning:" in overview
    fresh = write(tmp_path, "201b.txt", "2012001236\n")
    result = run_cli("dnc", "import", str(fresh), "--source", "national", "--as-of", "2026-11-24")
    assert "replaces the previous copy's 2 numbers" in result.stdout
    data = check_json(run_cli, "+12125550100")
    assert not any("days old" in w for w in data["warnings"])  # type: ignore[union-attr]
    assert json.loads(run_cli("dnc", "check", "2012001234", "--json").stdout)["on_dnc"] is False


def test_dnc_import_bad_inputs(run_cli: RunCli, tmp_path: Path) -> None:
    missing = run_cli("dnc", "import", str(tmp_path / "nope.txt"), "--source", "national")
    assert missing.exit_code == 2 and "there is no such file" in missing.stderr
    junk = write(tmp_path, "junk.txt", "hello\nworld\n")
    nothing = run_cli("dnc", "import", str(junk), "--source", "internal")
    assert nothing.exit_code == 2 and "Found no phone numbers" in nothing.stderr
    good = write(tmp_path, "good.txt", "5125550134\n")
    no_source = run_cli("dnc", "import", str(good))
    assert no_source.exit_code == 2
    bad_date = run_cli("dnc", "import", str(good), "--source", "national", "--as-of", "20 Nov")
    assert bad_date.exit_code == 2 and "--as-of" in bad_date.stderr
    future = run_cli("dnc", "import", str(good), "--source", "national", "--as-of", "2027-01-01")
    assert future.exit_code == 2 and "in the future" in future.stderr
    wrong_column = run_cli("dnc", "import", str(good), "--source", "state", "--column", "Tel")
    assert wrong_column.exit_code == 2 and "no column 'Tel'" in wrong_column.stderr
    assert "0 numbers" in run_cli("dnc").stdout.splitlines()[0]


def test_dnc_add_list_check_remove(run_cli: RunCli, tmp_path: Path, db: str) -> None:
    leads = write(tmp_path, "leads.csv", LEADS)
    assert run_cli("import", str(leads), "--list", "Q4", "--kind", "business").exit_code == 0
    added = run_cli("dnc", "add", "(512) 555-0134", "--reason", "asked by email")
    assert added.exit_code == 0
    assert added.stdout.splitlines() == [
        "Added +1 512-555-0134 to your internal do-not-call list.",
        "1 open lead with this number marked do-not-call.",
    ]
    again = run_cli("dnc", "add", "+15125550134")
    assert "already on your internal do-not-call list" in again.stdout
    listed = json.loads(run_cli("dnc", "list", "--json").stdout)
    assert [(e["phone"], e["source"], e["reason"]) for e in listed] == [
        ("+15125550134", "internal", "asked by email")
    ]
    assert (
        "+1 512-555-0134      internal  added 2026-11-25  asked by email"
        in run_cli("dnc", "list", "--source", "internal").stdout
    )
    assert (
        "No numbers on the national list yet."
        in run_cli("dnc", "list", "--source", "national").stdout
    )
    checked = run_cli("dnc", "check", "512-555-0134").stdout
    assert "is on: internal (added 2026-11-25: asked by email)" in checked
    assert "Never call it." in checked

    no_reason = run_cli("dnc", "remove", "+15125550134")
    assert no_reason.exit_code == 2 and "needs --reason" in no_reason.stderr
    removed = run_cli("dnc", "remove", "+15125550134", "--reason", "wrong lead")
    assert removed.exit_code == 0
    assert "1 lead with this number callable again." in removed.stdout
    not_there = run_cli("dnc", "remove", "+15125550134", "--reason", "again")
    assert not_there.exit_code == 3
    assert not_there.stderr == (
        "dialsmile: +1 512-555-0134 is not on your internal do-not-call list.\n"
    )
    status = {
        lead["name"]: lead["status"] for lead in json.loads(run_cli("leads", "--json").stdout)
    }
    assert status["Dana Whitfield"] == "new"

    from dialsmile.storage.dnc import DncStore

    log = DncStore(database_at(db)).log("+15125550134")
    assert [(action, source, reason) for _, action, source, reason, _ in log] == [
        ("add", "internal", "asked by email"),
        ("remove", "internal", "wrong lead"),
    ]
    bad = run_cli("dnc", "add", "not a phone")
    assert bad.exit_code == 2 and "is not a valid phone number" in bad.stderr


def test_dnc_remove_of_a_number_only_on_a_state_or_national_list(
    run_cli: RunCli, tmp_path: Path
) -> None:
    state = write(tmp_path, "ma.csv", "phone\n6175550150\n")
    loaded = run_cli("dnc", "import", str(state), "--source", "state", "--as-of", "2026-11-02")
    assert loaded.exit_code == 0, loaded.stderr
    result = run_cli("dnc", "remove", "+1 617 555 0150")
    assert result.exit_code == 3
    assert result.stderr == (
        "dialsmile: +1 617-555-0150 is not on your internal do-not-call list but on the state "
        "list (copy as of 2026-11-02), which this command left as it was; to take it off the "
        'state list: dialsmile dnc remove "+1 617-555-0150" --source state --reason WHY.\n'
    )
    national = write(tmp_path, "national.txt", "6175550150\n6175550151\n")
    imported = run_cli(
        "dnc", "import", str(national), "--source", "national", "--as-of", "2026-11-20"
    )
    assert imported.exit_code == 0
    both = run_cli("dnc", "remove", "+1 617 555 0150", "--reason", "asked to be called")
    assert both.exit_code == 3
    assert "but on the state list (copy as of 2026-11-02) and the national list (copy as " in (
        both.stderr
    )
    assert both.stderr.endswith(
        "; a fresh national copy replaces that list: "
        "dialsmile dnc import FILE --source national --as-of DATE.\n"
    )
    assert len(both.stderr.splitlines()) == 1
    assert run_cli("dnc", "check", "6175550150", "--json").stdout.count('"source"') == 2
    overview = run_cli("dnc").stdout.splitlines()
    assert overview[0].startswith("national            2 numbers  last copy as of 2026-11-20")
    assert overview[1].startswith("state               1 number  last copy as of 2026-11-02")
    assert "(23 days old, ma.csv)" in overview[1]
    one = write(tmp_path, "one.txt", "6175550152\n")
    fresh = run_cli("dnc", "import", str(one), "--source", "national", "--as-of", "2026-11-24")
    assert fresh.stdout.splitlines()[0] == "Read one.txt: 1 line, 1 distinct number"
    assert "replaces the previous copy's 2 numbers" in fresh.stdout
    assert "(1 day old, one.txt)" in run_cli("dnc").stdout


def test_check_names_the_do_not_call_list_and_business_lists_skip_registries(
    run_cli: RunCli, tmp_path: Path
) -> None:
    national = write(tmp_path, "national.txt", "5125550134\n")
    assert (
        run_cli(
            "dnc", "import", str(national), "--source", "national", "--as-of", "2026-11-20"
        ).exit_code
        == 0
    )
    assert run_cli("dnc", "add", "512-555-0135", "--reason", "asked by email").exit_code == 0

    def verdict(phone: str, *extra: str) -> dict[str, object]:
        result = run_cli("check", phone, "--json", *extra)
        data: dict[str, object] = json.loads(result.stdout)
        # check exits like `test`: 0 when the call is allowed, 1 when it is not.
        assert result.exit_code == (0 if data["allowed"] else 1), result.stderr
        return data

    on_national = verdict("512-555-0134")
    assert (on_national["allowed"], on_national["next_allowed_at"]) == (False, None)
    assert on_national["reasons"] == [
        "the number is on the national do-not-call list (copy of 2026-11-20); "
        "it can never be called"
    ]
    internal = verdict("512-555-0135", "--kind", "business")
    assert (internal["allowed"], internal["next_allowed_at"]) == (False, None)
    assert internal["reasons"] == [
        "the number is on the internal do-not-call list (added 2026-11-25): asked by email; "
        "it can never be called"
    ]
    # National and state registries cover consumer calls only.
    business = verdict("512-555-0134", "--kind", "business")
    assert business["allowed"] is True and business["reasons"] == []


def test_a_national_copy_is_stale_after_31_days(run_cli: RunCli, tmp_path: Path) -> None:
    national = write(tmp_path, "national.txt", "2125550100\n")
    for as_of, warned in (("2026-10-25", False), ("2026-10-24", True)):  # 31 and 32 days
        loaded = run_cli("dnc", "import", str(national), "--source", "national", "--as-of", as_of)
        assert loaded.exit_code == 0, loaded.stderr
        data = json.loads(run_cli("check", "512-555-0134", "--json").stdout)
        stale = [w for w in data["warnings"] if "days old" in w]
        assert stale == (
            [
                "the national do-not-call copy is 32 days old (as of 2026-10-24), older than "
                "the 31 days allowed: refresh it with dialsmile dnc import FILE --source "
                "national --as-of DATE"
            ]
            if warned
            else []
        ), as_of


def test_check_and_the_session_give_one_verdict(
    run_cli: RunCli,
    tmp_path: Path,
    db: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`dialsmile check` on a lead's number says what the session's guard says:
    the same calling hours, the same calls counted, the same minimum gap."""
    config = write(tmp_path, "config.toml", "[dialsmile]\nmin_gap_minutes = 90\n")
    monkeypatch.setenv("DIALSMILE_CONFIG", str(config))
    leads = "Name,Phone,State\nFlora Fisher,(305) 555-0101,FL\n"
    assert run_cli("import", str(write(tmp_path, "fl.csv", leads)), "--list", "L").exit_code == 0
    now = parse_instant(NOW)
    opened = stores_at(db)
    session = CallSession(
        opened, opened.lists.get_list("L"), Settings.load(), Clock(now, running=False)
    )
    assert session.advance() is not None
    session.record(Outcome.NO_ANSWER)
    lead = opened.calls.lead(1)
    assert lead is not None
    # Half an hour after the call, the 90-minute gap blocks until 17:45 UTC.
    half_hour = check_json(run_cli, "305-555-0101", "--at", "2026-11-25T16:45:00Z")
    assert half_hour["allowed"] is False
    assert half_hour["next_allowed_at"] == "2026-11-25T17:45:00+00:00"
    for hours in (0.5, 2, 7, 13, 24, 24 * 3 + 5):
        at = now + timedelta(hours=hours)
        said = check_json(run_cli, "305-555-0101", "--at", at.isoformat())
        verdict = session.verdict(lead, at)
        assert said["allowed"] is verdict.allowed, at
        assert said["reasons"] == list(verdict.reasons), at
        expected_next = verdict.next_allowed_at.isoformat() if verdict.next_allowed_at else None
        assert said["next_allowed_at"] == expected_next, at


def test_a_dnc_file_is_read_as_an_import_reads_a_csv_file(run_cli: RunCli, tmp_path: Path) -> None:
    # German Excel: Windows-1252, semicolons, and a quoted header holding a comma.
    text = '"Nachname, Vorname";Telefon\r\n"Müller, Jürgen";(512) 555-0134\r\nÅsa Lund;212-555-0100\r\n'
    excel = tmp_path / "sperrliste.csv"
    excel.write_bytes(text.encode("cp1252"))
    result = run_cli("dnc", "import", str(excel), "--source", "internal")
    assert result.exit_code == 0, result.stderr
    assert "2 distinct numbers" in result.stdout
    on_list = json.loads(run_cli("dnc", "check", "+15125550134", "--json").stdout)
    assert on_list["on_dnc"] is True
    # UTF-16 with a BOM, one number a line, as a Windows tool saves it.
    utf16 = tmp_path / "numbers.txt"
    utf16.write_bytes("phone\r\n+1 415 555 0199\r\n".encode("utf-16"))
    result = run_cli("dnc", "import", str(utf16), "--source", "internal")
    assert result.exit_code == 0 and "1 distinct number" in result.stdout, result.output


def test_every_state_that_closes_the_day_is_named(run_cli: RunCli) -> None:
    # A Louisiana lead on a Utah (801) number: both states ban Sundays and
    # their holidays, so a rep is told both, and the next day both allow. The
    # address and the number disagree, so the call must fit Central time too.
    sunday = check_json(run_cli, "+1 801 200 1234", "--state", "LA", "--at", "2026-11-29T19:00:00Z")
    assert sunday["jurisdictions"] == ["US", "US-LA", "US-UT"]
    assert sunday["reasons"] == [
        "it is Sunday 2026-11-29, 13:00 Central time (CST): "
        "Louisiana (US-LA, from --state) allows no calls on Sundays; "
        "Utah (US-UT, from area code 801) allows no calls on Sundays",
        "it is Sunday 2026-11-29, 12:00 Mountain time (MST): "
        "Louisiana (US-LA, from --state) allows no calls on Sundays; "
        "Utah (US-UT, from area code 801) allows no calls on Sundays",
    ]
    assert sunday["next_allowed_at"] == "2026-11-30T15:00:00+00:00"  # Monday 08:00 MST
    christmas = check_json(
        run_cli, "+1 801 200 1234", "--state", "LA", "--at", "2026-12-25T19:00:00Z"
    )
    assert christmas["reasons"] == [
        "it is Friday 2026-12-25, 13:00 Central time (CST): "
        "Louisiana (US-LA, from --state) allows no calls on public holidays (Christmas Day); "
        "Utah (US-UT, from area code 801) allows no calls on public holidays (Christmas Day)",
        "it is Friday 2026-12-25, 12:00 Mountain time (MST): "
        "Louisiana (US-LA, from --state) allows no calls on public holidays (Christmas Day); "
        "Utah (US-UT, from area code 801) allows no calls on public holidays (Christmas Day)",
    ]
    assert christmas["next_allowed_at"] == "2026-12-26T15:00:00+00:00"  # Saturday 08:00 MST


def test_a_number_on_a_list_keeps_its_warnings(run_cli: RunCli, tmp_path: Path) -> None:
    # A toll-free number rings in many zones; its warning stays when a list blocks it,
    # and so does the stale-copy warning (the copy is 55 days old on 25 Nov).
    dnc = write(tmp_path, "national.txt", "+1 800 200 1234\n")
    assert run_cli("dnc", "import", str(dnc), "--source", "national",
                   "--as-of", "2026-10-01").exit_code == 0  # fmt: skip
    data = check_json(run_cli, "+1 800 200 1234", "--at", "2026-11-25T23:00:00Z")
    assert data["allowed"] is False
    warnings = " ".join(data["warnings"])  # type: ignore[arg-type]
    assert "toll-free number" in warnings and "55 days old" in warnings
