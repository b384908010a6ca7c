"""Countries, US states and Canadian provinces as they are written in lead files."""

from __future__ import annotations

import functools
import re

import phonenumbers

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
}  # fmt: skip

CA_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip

# Country names in English and in the languages of the exports we see most,
# plus common abbreviations. ISO 3166 alpha-2 codes are accepted as they are.
_COUNTRY_NAMES = {
    "US": "united states|united states of america|usa|u s a|u s|us|america|vereinigte staaten"
    "|forente stater|usa|amerika|etats unis|estados unidos|stati uniti|yhdysvallat|840|usa",
    "CA": "canada|kanada|can",
    "GB": "united kingdom|uk|u k|great britain|britain|england|scotland|wales|northern ireland"
    "|gbr|storbritannia|storbritannien|vereinigtes konigreich|royaume uni",
    "IE": "ireland|irland|irl|eire",
    "NO": "norway|norge|noreg|norwegen|norvege|nor|norja",
    "SE": "sweden|sverige|schweden|suede|swe|ruotsi",
    "DK": "denmark|danmark|danemark|dänemark|dnk|tanska",
    "FI": "finland|suomi|finnland|fin",
    "IS": "iceland|island|ísland|isl",
    "DE": "germany|deutschland|tyskland|allemagne|deu|saksa",
    "AT": "austria|osterreich|österreich|aut",
    "CH": "switzerland|schweiz|suisse|svizzera|che|sveits",
    "NL": "netherlands|the netherlands|nederland|holland|nld|niederlande",
    "BE": "belgium|belgie|belgique|belgien|bel",
    "LU": "luxembourg|luxemburg",
    "FR": "france|frankrike|frankreich|fra",
    "ES": "spain|espana|españa|spanien|esp",
    "PT": "portugal|prt",
    "IT": "italy|italia|italien|ita",
    "PL": "poland|polska|polen|pol",
    "CZ": "czech republic|czechia|cesko|tschechien|cze",
    "EE": "estonia|eesti|est",
    "LV": "latvia|latvija|lva",
    "LT": "lithuania|lietuva|ltu",
    "GR": "greece|hellas|grc",
    "AU": "australia|aus",
    "NZ": "new zealand|nzl",
    "MX": "mexico|méxico|mex",
    "BR": "brazil|brasil|bra",
    "AR": "argentina|arg",
    "IN": "india|ind",
    "JP": "japan|jpn",
    "CN": "china|chn",
    "SG": "singapore|sgp",
    "ZA": "south africa|zaf",
    "AE": "united arab emirates|uae|are",
    "IL": "israel|isr",
    "TR": "turkey|turkiye|türkiye|tur",
}


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöøæüéèáíóúñç]+", " ", text.casefold()).strip()


# The countries lead files name most, most common first.
COMMON_REGIONS = tuple(_COUNTRY_NAMES)
_NAME_TO_REGION: dict[str, str] = {}
for _code, _names in _COUNTRY_NAMES.items():
    for _name in _names.split("|"):
        _NAME_TO_REGION[_norm(_name)] = _code
_SUPPORTED = frozenset(phonenumbers.SUPPORTED_REGIONS)
_STATE_NAMES = {_norm(name): code for code, name in US_STATES.items()}
_PROVINCE_NAMES = {_norm(name): code for code, name in CA_PROVINCES.items()}


def supported_region(code: str) -> str | None:
    """``code`` as an ISO 3166 alpha-2 code whose numbers can be read ("no" -> "NO"), or None."""
    upper = code.strip().upper()
    return upper if upper in _SUPPORTED else None


@functools.lru_cache(maxsize=2048)
def region_for_country(text: str) -> str | None:
    """ISO 3166 alpha-2 code for a country cell ("Norway", "Deutschland", "us"), or None."""
    key = _norm(text)
    if not key:
        return None
    if key in _NAME_TO_REGION:
        return _NAME_TO_REGION[key]
    return supported_region(key)


@functools.lru_cache(maxsize=2048)
def state_code(text: str) -> tuple[str, str] | None:
    """(country, code) for a US state or Canadian province cell ("Texas", "tx", "Ontario")."""
    key = _norm(text)
    if not key:
        return None
    upper = key.upper()
    if upper in US_STATES:
        return "US", upper
    if upper in CA_PROVINCES:
        return "CA", upper
    if key in _STATE_NAMES:
        return "US", _STATE_NAMES[key]
    if key in _PROVINCE_NAMES:
        return "CA", _PROVINCE_NAMES[key]
    return None
