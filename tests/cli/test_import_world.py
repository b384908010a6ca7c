"""Files from anywhere: sample lists with no Country column, phone columns by any name."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import phonenumbers
import pytest

from tests.conftest import RunCli, import_json

pytestmark = pytest.mark.sqlite_only(
    "how a file is read: how imports are stored runs on both engines in test_import.py"
)

FIRST = ["Rebbecca", "Stevie", "Mariko", "Gerardo", "Mayra", "Idella", "Sherill", "Ena"]
LAST = ["Didio", "Hallo", "Stayer", "Woodka", "Bena", "Scotland", "Klapec", "Desjardiws"]
FREE_MAIL = ["gmail.com", "hotmail.com", "yahoo.com", "outlook.com"]
AU_STATES = ["NSW", "VIC", "QLD", "WA", "SA", "TAS", "NT", "ACT"]
AU_HEADER = "first_name,last_name,company_name,address,city,state,post,phone1,phone2,email,web"
UK_HEADER = "first_name,last_name,company_name,address,city,county,postal,phone1,phone2,email,web"
UK_COUNTIES = ["Kent", "Lancashire", "Devon", "Essex", "Surrey", "Norfolk", "Cumbria", "Somerset"]
UK_OUTWARD = ["TD6", "CV37", "BA1", "LS1", "M1", "SW1A", "EH1", "CF10", "NE1", "OX1"]


def valid_number(rng: random.Random, region: str, first: str, digits: int) -> str:
    """Random national digits starting with ``first``, valid in ``region`` says phonenumbers."""
    while True:
        text = first + "".join(rng.choice("0123456789") for _ in range(digits - len(first)))
        number = phonenumbers.parse(text, region)
        if phonenumbers.is_valid_number_for_region(number, region):
            return text


def grouped(digits: str, sizes: tuple[int, ...], sep: str) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    return sep.join(parts)


def domain(rng: random.Random, company: str, cctld: str) -> str:
    return f"{company.lower().replace(' ', '')}.{cctld}" if rng.random() < 0.45 else ""


def au_file(path: Path, rows: int = 500, seed: int = 3) -> None:
    """Shaped like the public Australian sample list: 02-5226-9402, 0431-248-493."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(AU_HEADER.split(","))
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            company = f"{last} {rng.choice(['Pty Ltd', 'Trading', 'Group'])} {i}"
            landline = valid_number(rng, "AU", "0" + rng.choice("2378"), 10)
            mobile = valid_number(rng, "AU", "04", 10)
            site = domain(rng, company, "com.au")
            writer.writerow([
                first, last, company, f"{rng.randint(1, 99)} Pitt St", "Sydney",
                rng.choice(AU_STATES), f"{rng.randint(800, 7999):04d}",
                grouped(landline, (2, 4, 4), "-"), grouped(mobile, (4, 3, 3), "-"),
                f"{first.lower()}@{site or rng.choice(FREE_MAIL)}",
                f"http://www.{site}" if site else "",
            ])  # fmt: skip


def uk_file(path: Path, rows: int = 500, seed: int = 4) -> None:
    """Shaped like the public UK sample list: 01835-703597, 07843 234567, TD6 9AG."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(UK_HEADER.split(","))
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            company = f"{last} {rng.choice(['Ltd', 'Plc', 'Associates'])} {i}"
            landline = valid_number(rng, "GB", "01" + rng.choice("2345689"), 11)
            mobile = valid_number(rng, "GB", "07" + rng.choice("45789"), 11)
            site = domain(rng, company, "co.uk")
            postcode = f"{rng.choice(UK_OUTWARD)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
            writer.writerow([
                first, last, company, f"{rng.randint(1, 99)} High St", "Melrose",
                rng.choice(UK_COUNTIES), postcode,
                grouped(landline, (5, 6), "-"), grouped(mobile, (5, 6), " "),
                f"{first.lower()}@{site or rng.choice(FREE_MAIL)}",
                f"http://www.{site}" if site else "",
            ])  # fmt: skip


@pytest.mark.parametrize(
    ("make", "region", "name", "tld"),
    [(au_file, "AU", "Australia", ".au"), (uk_file, "GB", "United Kingdom", ".uk")],
)
def test_sample_lists_without_a_country_column_are_read_as_their_country(
    run_cli: RunCli, tmp_path: Path, make: object, region: str, name: str, tld: str
) -> None:
    path = tmp_path / "sample.csv"
    make(path)  # type: ignore[operator]
    result = run_cli("import", str(path), "--list", "Sample")
    assert result.exit_code == 0, result.stderr
    assert "500 imported" in result.stdout
    assert "0 rejected" in result.stdout
    line = next(x for x in result.stdout.splitlines() if x.startswith("National numbers"))
    assert line.startswith(f"National numbers read as {name}: 500/500 numbers valid there")
    assert f" {tld} addresses" in line
    assert "No country column found" not in result.stdout
    assert "Phone columns: direct phone <- 'phone1' (header); other phone <- 'phone2'" in (
        result.stdout
    )
    leads = json.loads(run_cli("leads", "--json").stdout)
    assert len(leads) == 500
    assert {lead["country"] for lead in leads} == {region}
    cc = phonenumbers.country_code_for_region(region)
    assert all(lead["phone"].startswith(f"+{cc}") for lead in leads)


def test_australian_wa_nt_sa_stay_australian(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "au.csv"
    au_file(path, rows=60)
    report = import_json(run_cli, path, "--list", "AU")
    assert report["region"]["region"] == "AU" and report["region"]["source"] == "inferred"
    leads = json.loads(run_cli("leads", "--json").stdout)
    western = [lead for lead in leads if lead["state"] in ("WA", "NT", "SA")]
    assert western and {lead["country"] for lead in western} == {"AU"}


def test_a_typical_us_file_stays_us(run_cli: RunCli, tmp_path: Path) -> None:
    header = (
        "first_name,last_name,company_name,address,city,county,state,zip,phone1,phone2,email,web"
    )
    rows = [
        "James,Butt,Benton John B Jr,6649 N Blue Gum St,New Orleans,Orleans,LA,70116,"
        "504-621-8927,504-845-1427,jbutt@gmail.com,http://www.bentonjohnbjr.com",
        "Josephine,Darakjy,Chanay Jeffrey A Esq,4 B Blue Ridge Blvd,Brighton,Livingston,MI,"
        "48116,810-292-9388,810-374-9840,josephine_darakjy@darakjy.org,http://www.chanay.com",
        "Art,Venere,Chemel James L Cpa,8 W Cerritos Ave #54,Bridgeport,Gloucester,NJ,8014,"
        "856-636-8749,856-264-4130,art@venere.org,http://www.chemeljameslcpa.com",
        "Lenna,Paprocki,Feltz Printing Service,639 Main St,Anchorage,Anchorage,AK,99501,"
        "907-385-4412,907-921-2010,lpaprocki@hotmail.com,http://www.feltzprintingservice.com",
    ]
    path = tmp_path / "us.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_json(run_cli, path, "--list", "US")
    assert (report["imported"], report["rejected"]) == (4, 0)
    assert report["region"] == {"region": "US", "source": "default", **report["region"]}
    result = run_cli("import", str(path), "--list", "US2", "--dry-run")
    assert "National numbers read as" not in result.stdout


def test_close_regions_make_the_import_ask_for_region(run_cli: RunCli, tmp_path: Path) -> None:
    # Ten-digit numbers with a leading 0 and nothing else: valid in many countries,
    # written without grouping, so nothing tells those countries apart.
    rng = random.Random(5)
    numbers = [valid_number(rng, "FR", "06", 10) for _ in range(40)]
    path = tmp_path / "bare.csv"
    path.write_text("Name,Phone\n" + "".join(f"Lee {i},{n}\n" for i, n in enumerate(numbers)))
    result = run_cli("import", str(path), "--list", "Bare")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "dialsmile: Cannot tell which country the national numbers in bare.csv are from "
        "(numbers valid in "
    )
    assert "France (FR) 40/40" in result.stderr
    assert result.stderr.endswith(" more); give their country with --region.\n")
    assert result.stderr.count("\n") == 1
    assert json.loads(run_cli("leads", "--json").stdout) == []
    assert import_json(run_cli, path, "--list", "Bare", "--region", "FR")["imported"] == 40


def test_unread_country_cells_are_counted_and_named(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "Name,Phone,Country\n"
        "Al,(512) 555-0134,United States\n"
        "Bo,(512) 555-0135,Narnia\n"
        "Cy,(512) 555-0136,Narnia\n"
        "Di,(512) 555-0137,??\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "C", "--dry-run")
    assert report["imported"] == 4
    # "??" says nothing is known: a blank cell, not an unread country.
    assert report["unread_countries"] == {"rows": 2, "values": ["Narnia"], "read_as": "US"}
    result = run_cli("import", str(path), "--list", "C", "--dry-run")
    assert (
        "       2 rows with a Country cell not read as a country ('Narnia' (2)): "
        "numbers read as United States"
    ) in result.stdout


def test_a_number_valid_only_in_the_main_region_is_read_there(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = tmp_path / "au.csv"
    path.write_text(
        "Name,Phone,Country\n"
        "Al,02 9374 4000,Australia\n"
        "Bo,0412 345 678,Australia\n"
        "Cy,0412 345 679,New Zealand\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "AU")
    assert (report["imported"], report["rejected"], report["read_in_main_region"]) == (3, 0, 1)
    leads = json.loads(run_cli("leads", "--json").stdout)
    assert "+61412345679" in [lead["phone"] for lead in leads]
    result = run_cli("import", str(path), "--list", "AU2", "--dry-run")
    assert (
        "       1 rows with numbers not valid in their own country but valid in Australia: "
        "read there"
    ) in result.stdout


@pytest.mark.parametrize(
    "header",
    ["phone1", "Phone #", "Tel.", "Telefon", "Cell", "Direct Dial", "Phone 2", "tlf",
     "Mobile No.", "PhoneNumber", "mobilePhone", "Telefonnr", "Handynummer", "Home #"],
)  # fmt: skip
def test_phone_headers_in_any_common_form(run_cli: RunCli, tmp_path: Path, header: str) -> None:
    path = tmp_path / "h.csv"
    path.write_text(f"Name,{header}\nAl,(512) 555-0134\n", encoding="utf-8")
    report = import_json(run_cli, path, "--list", "H")
    assert report["imported"] == 1
    assert any(line.endswith(f"<- {header!r} (header)") for line in report["mapping"])


def test_a_column_of_numbers_is_a_phone_column(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text(
        "Name,Record ID,Reach me at,Zip\n"
        "Al,1000234,(512) 555-0134,78701\n"
        "Bo,1000235,(512) 555-0135,78702\n"
        "Cy,1000236,,78703\n"
        "Di,1000237,512.555.0137,78704\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "N")
    assert report["mapping"][-1] == "direct phone <- 'Reach me at' (most cells are phone numbers)"
    assert len([line for line in report["mapping"] if " phone <- " in line]) == 1
    assert (report["imported"], report["rejected"]) == (3, 1)


def test_a_mixed_file_does_not_read_a_bad_number_as_another_countrys(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # One row per country: no country holds most rows, so the US row's 7-digit
    # number (no area code) is not a US number and not "a German one" either.
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Name,Phone,Country\nJo,030 1234567,Germany\nAn,08-123 456 78,Sweden\nBob,555-0100,USA\n",
        encoding="utf-8",
    )
    report = import_json(run_cli, path, "--list", "Mixed")
    assert (report["imported"], report["rejected"], report["read_in_main_region"]) == (2, 1, 0)
    leads = json.loads(run_cli("leads", "--json").stdout)
    assert sorted(lead["phone"] for lead in leads) == ["+46812345678", "+49301234567"]
