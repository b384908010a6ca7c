"""`dialsmile scripts ...` and `dialsmile practice` through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli, database_at

pytestmark = pytest.mark.both_engines

PACKS = Path(__file__).parents[1] / "fixtures" / "scripts"
LEADS = """\
First Name,Last Name,Company,Phone,City,Industry
[bold]Eve[/bold],Mallory,{first_name} Corp,(312) 555-0177,Chicago,logistics
Dana,,,(512) 555-0134,,
"""


def test_list_shows_bundled_packs(run_cli: RunCli) -> None:
    result = run_cli("scripts", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "version", "lang", "objections", "source"]
    saas = next(line for line in lines if line.startswith("saas-discovery"))
    assert saas.split()[1:5] == ["1", "en", "8", "bundled:"]
    assert any(line.startswith("b2b-norsk") and " nb " in line for line in lines)


def test_list_json_and_a_folder_that_shadows_a_bundled_pack(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(PACKS / "good.md", folder / "saas-discovery.md")
    (folder / "broken-front.md").write_text("+++\nname = \n+++\n", encoding="utf-8")
    result = run_cli("scripts", "list", "--scripts-dir", str(folder), "--json")
    assert result.exit_code == 0, result.output
    rows = {(r["name"], r["source"]): r for r in json.loads(result.stdout)}
    assert rows[("saas-discovery", "dir")]["version"] == "2"
    assert rows[("saas-discovery", "bundled")]["shadowed_by"] == "dir"
    assert "bad front matter" in rows[("broken-front", "dir")]["error"]


def test_show_fills_a_leads_fields_literally(run_cli: RunCli, tmp_path: Path) -> None:
    csv = tmp_path / "leads.csv"
    csv.write_text(LEADS, encoding="utf-8")
    assert run_cli("import", str(csv), "--list", "Q4").exit_code == 0
    result = run_cli("scripts", "show", "saas-discovery", "--lead", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("saas-discovery v1 · B2B software")
    assert "Hi [bold]Eve[/bold], this is your rep from our company." in result.stdout
    assert "at {first_name} Corp" in result.stdout
    dana = run_cli("scripts", "show", "saas-discovery", "--lead", "2", "--section", "intro email")
    assert dana.stdout.startswith("Subject: Handoffs at your company\n\nHi Dana,\n")
    assert "{" not in dana.stdout


def test_show_uses_import_columns_declared_by_the_pack(run_cli: RunCli, tmp_path: Path) -> None:
    csv = tmp_path / "leads.csv"
    csv.write_text(LEADS, encoding="utf-8")
    run_cli("import", str(csv), "--list", "Q4")
    pitch = run_cli("scripts", "show", str(PACKS / "good.md"), "--lead", "1", "--section", "pitch")
    assert pitch.stdout.strip() == "We help {first_name} Corp in logistics."
    blank = run_cli("scripts", "show", str(PACKS / "good.md"), "--lead", "2", "--section", "pitch")
    assert blank.stdout.strip() == "We help your company in your industry."


def test_show_bad_input(run_cli: RunCli) -> None:
    missing = run_cli("scripts", "show", "nope")
    assert missing.exit_code == 3 and "No script named 'nope'" in missing.stderr
    no_lead = run_cli("scripts", "show", "saas-discovery", "--lead", "99")
    assert no_lead.exit_code == 3 and "No lead 99" in no_lead.stderr
    section = run_cli("scripts", "show", "saas-discovery", "--section", "Outro")
    assert section.exit_code == 3 and "has no section 'Outro'" in section.stderr
    assert "Traceback" not in missing.output + no_lead.output + section.output


def test_check_with_no_path_checks_every_pack(run_cli: RunCli) -> None:
    result = run_cli("scripts", "check", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout == "3 packs checked: all good.\n"


def test_check_reports_file_line_message_and_fails(run_cli: RunCli) -> None:
    result = run_cli("scripts", "check", str(PACKS / "broken.md"), str(PACKS / "good.md"))
    assert result.exit_code == 1
    broken = str(PACKS / "broken.md")
    assert f'{broken}:18: duplicate objection "not interested!" (first at line 15)' in result.stdout
    assert (
        f"{broken}:12: unknown merge field {{companny}}; did you mean {{company}}?" in result.stdout
    )
    assert str(PACKS / "good.md") not in result.stdout
    assert result.stdout.endswith("10 errors, 4 warnings in 2 packs.\n")


def test_check_warnings_pass_unless_strict(run_cli: RunCli, tmp_path: Path) -> None:
    pack = tmp_path / "good.md"
    pack.write_text((PACKS / "good.md").read_text().replace("Shall we", "Guaranteed: shall we"))
    assert run_cli("scripts", "check", str(pack)).exit_code == 0
    strict = run_cli("scripts", "check", str(pack), "--strict")
    assert strict.exit_code == 1 and f"{pack}:28: warning: 'guarantee" in strict.stdout


def test_check_bad_paths(run_cli: RunCli, tmp_path: Path) -> None:
    missing = run_cli("scripts", "check", str(tmp_path / "nope.md"))
    assert missing.exit_code == 3 and "No such file or folder" in missing.stderr
    empty = run_cli("scripts", "check", str(tmp_path))
    assert empty.exit_code == 2 and "No .md packs in the folder" in empty.stderr
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = run_cli("scripts", "check", str(binary))
    assert result.exit_code == 1 and f"{binary}:1: Cannot read script" in result.stdout


def test_add_copies_a_checked_pack_into_the_user_folder(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("scripts", "add", str(PACKS / "good.md"))
    assert result.exit_code == 0, result.output
    target = tmp_path / "xdg-data" / "dialsmile" / "scripts" / "good.md"
    assert target.read_text() == (PACKS / "good.md").read_text()
    assert "Added good v2" in result.stdout and "--script good" in result.stdout
    listed = run_cli("scripts", "list")
    assert any(line.startswith("good ") and "user:" in line for line in listed.stdout.splitlines())
    again = run_cli("scripts", "add", str(PACKS / "good.md"))
    assert again.exit_code == 0 and "already in your scripts folder" in again.stdout


def test_add_refuses_broken_packs_and_silent_replacement(run_cli: RunCli, tmp_path: Path) -> None:
    broken = run_cli("scripts", "add", str(PACKS / "broken.md"))
    assert broken.exit_code == 2 and "has 10 error(s)" in broken.stderr
    assert "broken.md:21:" in broken.stdout
    assert not (tmp_path / "xdg-data" / "dialsmile" / "scripts" / "broken.md").exists()
    other = tmp_path / "v3.md"
    other.write_text((PACKS / "good.md").read_text().replace('version = "2"', 'version = "3"'))
    assert run_cli("scripts", "add", str(PACKS / "good.md")).exit_code == 0
    clash = run_cli("scripts", "add", str(other))
    assert clash.exit_code == 2 and "--force" in clash.stderr
    forced = run_cli("scripts", "add", str(other), "--force")
    assert forced.exit_code == 0 and "Added good v3" in forced.stdout
    assert run_cli("scripts", "add", str(tmp_path / "nope.md")).exit_code == 3


def test_practice_bad_input(run_cli: RunCli) -> None:
    missing = run_cli("practice", "--script", "nope")
    assert missing.exit_code == 3 and "No script named" in missing.stderr
    drill = run_cli("practice", "--drill", "exam")
    assert drill.exit_code == 2 and "Invalid value for '--drill'" in drill.stderr


def test_practice_says_when_nothing_is_due_and_how_to_practise_anyway(
    run_cli: RunCli, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dialsmile.core.scripts import load_script

    db = database_at(db)
    for n, objection in enumerate(load_script("saas-discovery").objections):
        db.execute(
            "INSERT INTO practice (script, script_version, objection, result, drill, at) "
            "VALUES ('saas-discovery', '1', ?, 'nailed', 'objections', ?)",
            [objection.prompt, f"2026-11-25T{15 - n:02d}:00:00+00:00"],
        )
    monkeypatch.setenv("TZ", "America/Chicago")
    result = run_cli("practice")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Nothing in saas-discovery v1 is due now.",
        '8 objections not due yet; the next, "Take me off your list", is due Thu 26 Nov 02:00.',
        "To practise anyway, run practice again with --all (every objection, due or not).",
    ]
    anyway = run_cli("practice", "--all")  # every objection: the screen opens (no terminal here)
    assert anyway.exit_code == 2 and "needs a terminal" in anyway.stderr
    call = run_cli("practice", "--drill", "call", "--all")
    assert call.exit_code == 2
    assert call.stderr.strip().endswith("a call drill always has two objections.")
    assert "--all" in run_cli("practice", "--help").stdout


def test_help_has_examples(run_cli: RunCli) -> None:
    for args in (["scripts"], ["scripts", "check"], ["practice"], ["scripts", "add"]):
        result = run_cli(*args, "--help")
        assert result.exit_code == 0 and "Examples:" in result.stdout
