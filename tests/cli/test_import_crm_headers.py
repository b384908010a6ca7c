"""Exports of Salesforce Data Loader, Pipedrive, Zoho, Close and LinkedIn tools import
without --map. The headers are copied from /work/shared/docs/crm-exports.md; what each
column must become is written out by hand, as a rep reading the export would say it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli

pytestmark = pytest.mark.both_engines

DANA = {
    "name": "Dana Whitfield",
    "company": "Globex",
    "title": "VP Sales",
    "email": "dana@globex.example",
    "city": "Austin",
    "state": "TX",
    "notes": "Met at SaaStr",
    "phone": "+15125550134",
    "phone_kind": "direct",
    "alt_phones": ["+15125550199"],
}
WITHOUT = {"email": "", "city": "", "state": "", "notes": "", "alt_phones": []}

# (file text, what differs from DANA in the stored lead)
EXPORTS: dict[str, tuple[str, dict[str, object]]] = {
    # Data Loader writes API names, ALL CAPS in older versions (section 2c).
    "salesforce-data-loader": (
        '"ID","FIRSTNAME","LASTNAME","COMPANY","TITLE","EMAIL","PHONE","MOBILEPHONE","CITY",'
        '"STATE","COUNTRY","DESCRIPTION","OWNERID","STATUS"\n'
        '"00Q1","Dana","Whitfield","Globex","VP Sales","dana@globex.example","(512) 555-0134",'
        '"(512) 555-0199","Austin","TX","United States","Met at SaaStr","0051","Open"\n',
        {},
    ),
    # ... and exactly as written in the SOQL SELECT from v61 on.
    "salesforce-data-loader-as-written": (
        "Id,FirstName,LastName,Company,Title,Email,Phone,MobilePhone,City,State,Country,"
        "Description,OwnerId,Status\n"
        "00Q1,Dana,Whitfield,Globex,VP Sales,dana@globex.example,(512) 555-0134,"
        "(512) 555-0199,Austin,TX,United States,Met at SaaStr,0051,Open\n",
        {},
    ),
    "pipedrive": (
        "Person - ID,Person - Name,Person - First name,Person - Last name,Person - Organization,"
        "Person - Job title,Person - Email - Work,Person - Phone - Work,Person - Phone - Mobile,"
        "Person - Notes,Person - City/town/village/locality of Postal address,"
        "Person - State/county of Postal address,Person - Country of Postal address,"
        "Person - Owner,Person - Label\n"
        "17,Dana Whitfield,Dana,Whitfield,Globex,VP Sales,dana@globex.example,(512) 555-0134,"
        "(512) 555-0199,Met at SaaStr,Austin,TX,United States,Sam Carter,Hot\n",
        {},
    ),
    "zoho": (
        "Record Id,Lead Owner.id,Lead Owner,Is Converted,Company,First Name,Last Name,Email,"
        "Phone,Mobile,Lead Source,Lead Status,Lead Name,Street,City,State,Zip Code,Country,"
        "Designation,Description\n"
        "zcrm_1,zcrm_9,Sam Carter,false,Globex,Dana,Whitfield,dana@globex.example,"
        "(512) 555-0134,(512) 555-0199,Web,New,Dana Whitfield,1 Main St,Austin,TX,78701,"
        "United States,VP Sales,Met at SaaStr\n",
        {},
    ),
    # display_name is the lead's company, never a person (section 5).
    "close": (
        "id,display_name,url,description,status_label,primary_contact_name,"
        "primary_contact_first_name,primary_contact_last_name,primary_contact_title,"
        "primary_contact_primary_phone,primary_contact_primary_phone_type,"
        "primary_contact_other_phones,primary_contact_primary_email,address_1_city,"
        "address_1_state,address_1_zip,address_1_country,custom.Lead Owner\n"
        "lead_1,Globex,,Met at SaaStr,Potential,Dana Whitfield,Dana,Whitfield,VP Sales,"
        "(512) 555-0134,office,(512) 555-0199,dana@globex.example,Austin,TX,78701,US,Sam Carter\n",
        {},
    ),
    # The phone's kind is in its sibling type column.
    "close-mobile-first": (
        "id,display_name,primary_contact_name,primary_contact_title,"
        "primary_contact_primary_phone,primary_contact_primary_phone_type,"
        "primary_contact_primary_email\n"
        "lead_1,Globex,Dana Whitfield,VP Sales,(512) 555-0134,mobile,dana@globex.example\n",
        {**WITHOUT, "email": "dana@globex.example", "phone_kind": "mobile"},
    ),
    # LinkedIn's own Connections.csv starts with a preamble; a rep adds the phone column.
    "linkedin-connections": (
        "Notes:\n"
        '"When exporting your connection data, you may notice that some of the email '
        "addresses are missing. You will only see email addresses for connections who have "
        'allowed their connections to see or download their email address."\n'
        "\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On,Phone\n"
        "Dana,Whitfield,https://www.linkedin.com/in/dana,,Globex,VP Sales,15 Mar 2024,"
        "(512) 555-0134\n",
        WITHOUT,
    ),
    # A Sales Navigator export (PhantomBuster, camelCase), with the rep's phone column.
    "sales-navigator": (
        "profileUrl,fullName,firstName,lastName,companyName,title,location,"
        "linkedInProfileUrl,defaultProfileUrl,Phone\n"
        "https://www.linkedin.com/sales/lead/1,Dana Whitfield,Dana,Whitfield,Globex,VP Sales,"
        '"Austin, Texas, United States",https://www.linkedin.com/in/dana,'
        "https://www.linkedin.com/in/dana,(512) 555-0134\n",
        {**WITHOUT, "state": "TX"},  # the state and country from the Location
    ),
}


@pytest.mark.parametrize("source", list(EXPORTS))
def test_crm_export_headers_map_without_help(run_cli: RunCli, tmp_path: Path, source: str) -> None:
    text, differs = EXPORTS[source]
    path = tmp_path / f"{source}.csv"
    path.write_text(text, encoding="utf-8")
    result = run_cli("import", str(path), "--list", "L")
    assert result.exit_code == 0, result.stderr
    listed = run_cli("leads", "--list", "L", "--json")
    (lead,) = json.loads(listed.stdout)
    stored = {key: lead[key] for key in DANA}
    stored["alt_phones"] = [p["e164"] if isinstance(p, dict) else p for p in lead["alt_phones"]]
    assert stored == {**DANA, **differs}
