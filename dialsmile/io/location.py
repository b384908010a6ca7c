"""A lead's country and state or province, from one free-text place column.

LinkedIn Sales Navigator exports (through PhantomBuster or Evaboot) give a
person's place as one "Location" cell ("Austin, Texas, United States",
"Greater London, England, United Kingdom"); Seamless has "Contact Location",
Close "primary_address_summary", Google "Address 1 - Formatted", Pipedrive a
combined postal address. When a row has no Country or State cell of its own,
such a cell fills them: the country from its last part when that names one
(in any language CLDR knows), the state or province from the nearest part
before it that names one of that country's (US states and Canadian provinces
as the State column reads them, other countries' ISO 3166-2 names through
pycountry). A part that names nothing known is ignored, never guessed.

Placeholder cells ("N/A", "-", "TBD") in the Country, State and City columns
are blanked here too, so they neither warn nor show on the lead's card.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from dialsmile.compliance.address import ONE_PLAN, subdivision_of
from dialsmile.core.places import is_placeholder, region_for_country, state_code
from dialsmile.io.headers import ColumnMap, norm

__all__ = ["location_columns", "location_countries", "read_location", "settle_place"]

# Person-level place columns; a company's ("Company Location") is not where the person is.
_PLACE_HEADER = re.compile(
    r"(?:person |contact |lead |primary contact |primary )?"
    r"(?:location|address|full address|postal address|mailing address|home address"
    r"|business address|formatted address|address formatted|address 1 formatted"
    r"|address summary|full combined address of postal address|city state"
    r"|city state country|city and state|city country|city and country)"
)
_PARTS = re.compile(r"\s*[,;\n|·]\s*")
_WITH_DIGITS = re.compile(r"\S*\d\S*")  # a postcode next to the state: "TX 78701"
_PLACE_FIELDS = ("country", "state", "city")


def location_columns(cmap: ColumnMap) -> list[int]:
    """The columns no field took that hold a whole place ("Location", "City, State")."""
    return [i for i in cmap.unconsumed if _PLACE_HEADER.fullmatch(norm(cmap.header[i]))]


def location_countries(rows: list[list[str]], columns: list[int], home: str) -> Counter[str]:
    """How many of ``rows`` each country's name is in, in their first place column naming one."""
    found: Counter[str] = Counter()
    for row in rows:
        for i in columns:
            country = read_location(row[i].strip(), home)[0] if row[i].strip() else ""
            if country:
                found[country] += 1
                break
    return found


@functools.lru_cache(maxsize=8192)
def read_location(text: str, home: str) -> tuple[str, str]:
    """(ISO country code, state) that a place cell names, "" for what it does not name.

    The state is a US state's or Canadian province's code ("TX", "ON"), else
    the part as written ("Karnataka"). A last part that is a country and a
    state alike ("Atlanta, Georgia", "Los Angeles, CA") is the state in a file
    whose numbers are North American (``home``), the country elsewhere.
    """
    parts = [p for p in _PARTS.split(text.strip()) if p and not is_placeholder(p)]
    if not parts:
        return "", ""
    country = _country(parts[-1], home)
    if country:
        parts = parts[:-1]
    for part in reversed(parts):
        found = _state(part, country)
        if found is not None:
            return found
    return country, ""


def _country(part: str, home: str) -> str:
    bare = _WITH_DIGITS.sub("", part).strip()
    region = region_for_country(part) or (region_for_country(bare) if bare else None)
    if region is None:
        return ""
    if home in ONE_PLAN and (state_code(part) or (bare and state_code(bare))):
        return ""  # "Atlanta, Georgia" in a North American file
    return region


def _state(part: str, country: str) -> tuple[str, str] | None:
    """(country, state) when ``part`` (or it without a postcode) is one of ``country``'s."""
    bare = _WITH_DIGITS.sub("", part).strip()
    for text in dict.fromkeys((part, bare)):
        if not text:
            continue
        if not country or country in ONE_PLAN:
            found = state_code(text)
            if found is not None and found[0] == (country or found[0]):
                return found
        elif subdivision_of(country, text) is not None:
            return country, text
    return None


def settle_place(
    values: dict[str, str], cells: list[str], columns: list[int], phone: int, home: str
) -> None:
    """Blank the row's placeholder place cells and fill its empty Country and State
    from the first of its place ``columns`` that names either.

    ``home`` is the file's region; a row whose number (in column ``phone``) has
    another calling code is read as that code's ("+44 ...": not North American).
    """
    for name in _PLACE_FIELDS:
        value = values.get(name)
        # A placeholder is blank, but "NA" in a Country cell is Namibia.
        if value and is_placeholder(value) and (name != "country" or not region_for_country(value)):
            values[name] = ""
    if not columns or (values.get("country") and values.get("state")):
        return
    number = cells[phone].lstrip()
    if number.startswith("+"):
        home = "US" if number[1:2] == "1" else ""
    for i in columns:
        text = cells[i].strip()
        if not text:
            continue
        country, state = read_location(text, home)
        if not country and not state:
            continue
        own = values.get("country", "")
        if own and country and region_for_country(own) != country:
            return  # the row's Country cell names another country: its place is not this
        if country and not own:
            values["country"] = country
        if state and not values.get("state"):
            values["state"] = state
        return
