"""Every region phonenumbers supports, named by its codes and its names in several
languages, reads its own national numbers. Expected regions come from pycountry
and CLDR (babel), not from dialsmile; a name that two regions share in any
language CLDR or pycountry knows is skipped, since such a name must not be taken."""

from __future__ import annotations

import csv
import functools
import gettext
import json
from collections import defaultdict
from pathlib import Path

import phonenumbers
import pycountry
import pytest
from babel import Locale, localedata

from tests.conftest import RunCli, import_json

pytestmark = pytest.mark.sqlite_only(
    "generated for every region: how imports are stored runs on both engines in test_import.py"
)

LANGUAGES = ("de", "fr", "es", "nb")


def example(region: str) -> str | None:
    number = phonenumbers.example_number(region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


REGIONS = sorted(r for r in phonenumbers.SUPPORTED_REGIONS if example(r))


def alpha3(region: str) -> str | None:
    country = pycountry.countries.get(alpha_2=region)
    return country.alpha_3 if country else None


@functools.cache
def regions_named() -> dict[str, set[str]]:
    """Every CLDR and pycountry name (casefolded), with the regions it names anywhere."""
    named: dict[str, set[str]] = defaultdict(set)
    for language in localedata.locale_identifiers():
        for region, name in localedata.load(language).get("territories", {}).items():
            named[name.casefold()].add(region)
    folder = Path(pycountry.LOCALES_DIR)
    for mo in folder.glob("*/LC_MESSAGES/iso3166-1.mo"):
        catalog = gettext.translation("iso3166-1", str(folder), [mo.parent.parent.name])
        for country in pycountry.countries:
            named[catalog.gettext(country.name).casefold()].add(country.alpha_2)
    return named


def names_in(language: str) -> dict[str, str]:
    """Region -> its CLDR name in ``language``, for names no other region has anywhere."""
    names = {r: n for r, n in Locale(language).territories.items() if r in REGIONS}
    return {r: n for r, n in names.items() if regions_named()[n.casefold()] <= {r}}


FORMS: dict[str, dict[str, str]] = {
    "alpha-2": {r: r for r in REGIONS},
    "alpha-2 lowercase": {r: r.lower() for r in REGIONS},
    "alpha-3": {r: a for r in REGIONS if (a := alpha3(r))},
    "English (CLDR)": names_in("en"),
    "English (ISO)": {
        r: c.name
        for r in REGIONS
        if (c := pycountry.countries.get(alpha_2=r)) is not None
        and regions_named()[c.name.casefold()] <= {r}
    },
    "English official (ISO)": {
        r: name
        for r in REGIONS
        if (c := pycountry.countries.get(alpha_2=r)) is not None
        and (name := getattr(c, "official_name", None))
        and regions_named()[name.casefold()] <= {r}
    },
    **{language: names_in(language) for language in LANGUAGES},
}


# Every form on SQLite; on PostgreSQL every region once, by its alpha-2 code and its German name.
ENGINE_FORMS = [("sqlite", form) for form in FORMS] + [
    ("postgresql", "alpha-2"),
    ("postgresql", "de"),
]


@pytest.mark.parametrize(("engine", "form"), ENGINE_FORMS, indirect=["engine"])
def test_every_region_by_every_name_form(run_cli: RunCli, tmp_path: Path, form: str) -> None:
    cells = FORMS[form]
    path = tmp_path / "world.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Name", "Phone", "Country"])
        for region, cell in cells.items():
            writer.writerow([f"Lead {region}", example(region), cell])
    report = import_json(run_cli, path, "--list", "World")
    assert report["rejects"] == []
    assert report["unread_countries"]["rows"] == 0
    leads = json.loads(run_cli("leads", "--json").stdout)
    got = {lead["name"].removeprefix("Lead "): lead["country"] for lead in leads}
    # Regions that share their numbers (+1, +44, +7...) may reach one lead first.
    expected = {region: region for region in cells}
    assert {r: got.get(r) for r in expected if r in got} == {r: r for r in got}
    assert report["imported"] + report["duplicates"] == len(cells)


def test_most_regions_are_covered_by_each_form() -> None:
    """The share of regions each name form can name (printed with -s)."""
    shares = {form: len(cells) / len(REGIONS) for form, cells in FORMS.items()}
    print({form: f"{share:.0%}" for form, share in shares.items()}, f"of {len(REGIONS)}")
    # ISO gives an official name ("Republic of Austria") to about 70% of regions only.
    assert all(share > 0.9 for form, share in shares.items() if "official" not in form), shares
