"""A State column is read however a rep's export writes the state: its code, its English,
French or Spanish name (pycountry's ISO 3166-2 data, every US state and Canadian
province), or the abbreviations mailing lists used before the two-letter codes."""

from __future__ import annotations

import csv
import gettext
import json
from pathlib import Path

import pycountry
import pytest

from tests.conftest import RunCli

KINDS = {"State", "District", "Province", "Territory"}


def _subdivisions() -> list[tuple[str, str]]:
    """(code, name) of every state, district, province and territory, in three languages."""
    forms: list[tuple[str, str]] = []
    for language in ("en", "fr", "es"):
        catalog = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
        for country in ("US", "CA"):
            for sub in pycountry.subdivisions.get(country_code=country):
                if sub.type in KINDS:
                    forms.append((sub.code, catalog.gettext(sub.name)))
    return forms


# The AP abbreviations, as a rep would type them into a sheet.
ABBREVIATED = {
    "Calif.": "US-CA", "calif": "US-CA", "Fla.": "US-FL", "N.Y.": "US-NY", "Mass.": "US-MA",
    "Penn.": "US-PA", "Pa.": "US-PA", "Tex.": "US-TX", "Wash.": "US-WA", "W. Va.": "US-WV",
    "Ariz.": "US-AZ", "Okla.": "US-OK", "Wis.": "US-WI", "D.C.": "US-DC", "Ont.": "CA-ON",
    "B.C.": "CA-BC", "Que.": "CA-QC", "P.E.I.": "CA-PE", "Nfld.": "CA-NL", "Alta.": "CA-AB",
    "ca ": "US-CA", " TX": "US-TX", "Québec": "CA-QC", "QUÉBEC": "CA-QC",
}  # fmt: skip


def _import_states(run_cli: RunCli, tmp_path: Path, cells: list[str]) -> list[str]:
    """Import one lead per State cell; the stored states, in file order."""
    path = tmp_path / "states.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Name", "Phone", "State"])
        for n, cell in enumerate(cells):
            area = ("212", "415", "312", "617", "303")[n // 100]
            writer.writerow([f"Lead {n}", f"{area}-555-{100 + n % 100:04d}", cell])
    result = run_cli("import", str(path), "--list", "S")
    assert result.exit_code == 0, result.stderr
    assert f"{len(cells)} imported" in result.stdout.replace(",", ""), result.stdout
    leads = json.loads(run_cli("leads", "--list", "S", "--json").stdout)
    return [lead["state"] for lead in sorted(leads, key=lambda lead: lead["source_row"])]


def test_every_state_and_province_by_its_name_in_english_french_and_spanish(
    run_cli: RunCli, tmp_path: Path
) -> None:
    forms = _subdivisions()
    assert len(forms) >= 3 * 64
    stored = _import_states(run_cli, tmp_path, [name for _, name in forms])
    wrong = [
        (name, got) for (code, name), got in zip(forms, stored, strict=True)
        if got != code.partition("-")[2]
    ]  # fmt: skip
    assert wrong == []


@pytest.mark.parametrize("cell", sorted(ABBREVIATED))
def test_abbreviated_states_and_provinces(run_cli: RunCli, tmp_path: Path, cell: str) -> None:
    (stored,) = _import_states(run_cli, tmp_path, [cell])
    assert stored == ABBREVIATED[cell].partition("-")[2]


def test_check_reads_a_french_province_name(run_cli: RunCli) -> None:
    result = run_cli("check", "+1 514 555 0142", "--state", "Québec", "--json")
    assert result.exit_code in (0, 1), result.stderr
    assert json.loads(result.stdout)["sources"]["CA-QC"].startswith("--state")
