"""Countries, US states and Canadian provinces as they are written in lead files."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

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

_LATIN_ACCENTS = re.compile(r"[\u0300-\u036f]")
_DROPPED = str.maketrans("", "", ".'’`´")
# The abbreviations newspapers and mailing lists wrote before the two-letter codes
# (AP style: "Calif.", "N.Y.", "Ont."); no data package carries them.
_ABBREVIATIONS = {
    "US": {
        "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
        "conn": "CT", "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN",
        "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA", "md": "MD", "mass": "MA",
        "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE",
        "nebr": "NE", "nev": "NV", "okla": "OK", "ore": "OR", "oreg": "OR", "pa": "PA",
        "penn": "PA", "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA",
        "w va": "WV", "wis": "WI", "wisc": "WI", "wyo": "WY",
    },
    "CA": {
        "alta": "AB", "man": "MB", "nfld": "NL", "nwt": "NT", "ont": "ON", "pei": "PE",
        "que": "QC", "sask": "SK",
    },
}  # fmt: skip

# French and Spanish names of the states and provinces ("Québec", "Carolina del Norte"),
# folded as _norm folds them, where they differ from the English ones: generated from
# pycountry's ISO 3166-2 translations, which take 0.4 s to load; a test pins them to it.
_TRANSLATED_STATES = {
    "californie": "US-CA", "carolina del norte": "US-NC", "carolina del sur": "US-SC",
    "caroline du nord": "US-NC", "caroline du sud": "US-SC", "colombie britannique": "CA-BC",
    "columbia britanica": "CA-BC", "dakota del norte": "US-ND", "dakota del sur": "US-SD",
    "dakota du nord": "US-ND", "dakota du sud": "US-SD", "district de columbia": "US-DC",
    "distrito de columbia": "US-DC", "floride": "US-FL", "georgie": "US-GA", "hawai": "US-HI",
    "ile du prince edouard": "CA-PE", "iles vierges des etats unis": "US-VI",
    "isla del principe eduardo": "CA-PE", "louisiane": "US-LA", "luisiana": "US-LA",
    "misisipi": "US-MS", "nouveau brunswick": "CA-NB", "nouveau mexique": "US-NM",
    "nouvelle ecosse": "CA-NS", "nueva escocia": "CA-NS", "nueva jersey": "US-NJ",
    "nueva york": "US-NY", "nuevo brunswick": "CA-NB", "nuevo hampshire": "US-NH",
    "nuevo mexico": "US-NM", "pennsylvanie": "US-PA", "pensilvania": "US-PA",
    "porto rico": "US-PR", "terranova y labrador": "CA-NL", "terre neuve et labrador": "CA-NL",
    "territoires du nord ouest": "CA-NT", "territorios del noroeste": "CA-NT",
    "virgin islands us": "US-VI", "virginia occidental": "US-WV",
    "virginia occidentale": "US-WV", "virginie": "US-VA",
}  # fmt: skip


def _norm(text: str) -> str:
    """A state cell folded for lookup: case, accents and punctuation do not matter."""
    folded = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return re.sub(r"[^0-9a-z]+", " ", folded.translate(_DROPPED)).strip()


_SUPPORTED = frozenset(phonenumbers.SUPPORTED_REGIONS)
# Punctuation, symbols and spaces of any script (not letters, digits or their marks).
_COUNTRY_SEPARATORS = re.compile(
    r"[\s!-/:-@\[-`{-~\u00a0-\u00bf\u2010-\u2027\u2030-\u205e\u3000-\u303f\uff01-\uff0f]+"
)
_INDEX_VERSION = 1  # raise when country_key, _name_forms or the name sources change
# English names CLDR lists as alternates ("alt-short", "alt-variant" in en.xml), which
# babel does not carry, the nations of the United Kingdom (ISO 3166-2:GB) and the
# abbreviations people type. Everything else comes from pycountry and CLDR.
_ENGLISH_EXTRA = {
    "GB": ("UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "US": ("US", "America", "United States of America"),
    "AE": ("UAE",),
    "BA": ("Bosnia",),
    "CI": ("Ivory Coast",),
    "CZ": ("Czech Republic",),
    "MM": ("Burma",),
    "NL": ("Holland",),
    "NZ": ("Aotearoa New Zealand",),
    "PS": ("Palestine",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
}
_STATE_NAMES = {_norm(name): code for code, name in US_STATES.items()}
# What people and CRMs type into a place cell they had nothing for ("N/A", "TBD",
# "k. A."), folded as _norm folds them; a cell of punctuation alone ("-", "?") is one too.
PLACEHOLDERS = frozenset({
    "n a", "none", "null", "nil", "unknown", "unk", "tbd", "tba", "tbc", "not available",
    "not applicable", "not known", "not specified", "not provided", "no data", "undefined",
    "blank", "empty", "unbekannt", "k a", "keine angabe", "inconnu", "non renseigne",
    "desconocido", "sin datos", "na", "ukjent", "okand", "tuntematon", "sconosciuto", "onbekend",
})  # fmt: skip
_PROVINCE_NAMES = {_norm(name): code for code, name in CA_PROVINCES.items()}


def supported_region(code: str) -> str | None:
    """``code`` as an ISO 3166 alpha-2 code whose numbers can be read ("no" -> "NO"), or None."""
    upper = code.strip().upper()
    return upper if upper in _SUPPORTED else None


@functools.lru_cache(maxsize=4096)
def region_for_country(text: str) -> str | None:
    """ISO 3166 alpha-2 code for a country cell, or None when no region or several fit.

    A cell is an alpha-2 or alpha-3 code, or a name in English or any language
    CLDR knows ("Norway", "Österreich", "Republic of Korea", "ARG", "korea,
    republic of"). Case, accents and punctuation do not matter.
    """
    code = supported_region(text)
    if code is not None:
        return code
    key = country_key(text)
    if not key:
        return None
    found = _english_index().get(key)
    if found is None and key not in _english_index():
        found = _world_index().get(key)
    return found


def country_key(text: str) -> str:
    """A name reduced for matching: no case, accents, punctuation, "the", or "saint"."""
    text = text.replace("&", " and ").translate(_DROPPED).casefold()
    if not text.isascii():
        text = _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    words = [w for w in _COUNTRY_SEPARATORS.sub(" ", text).split() if w != "the"]
    words = ["st" if w == "saint" else w for w in words]
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return "".join(words)  # "U S A"
    return " ".join(words)


def _name_forms(name: str) -> list[str]:
    """A name as written, without its parenthesis, and "Korea, Republic of" turned around."""
    forms = [name]
    if "(" in name or "[" in name:
        bare = re.sub(r"\s*[(\[].*?[)\]]", "", name).strip()
        if bare:
            forms.append(bare)
    if ", " in name:
        for form in list(forms):
            head, sep, tail = form.partition(", ")
            if sep:
                forms.append(f"{tail} {head}")
    return forms


def _index(
    names: Iterable[tuple[str, str]], claimed: Mapping[str, str | None]
) -> dict[str, str | None]:
    """Each key to its one region; None for a key that names two regions.

    Keys already ``claimed`` by an earlier (more trusted) source are left to it.
    """
    index: dict[str, str | None] = {}
    for region, name in set(names):
        if region not in _SUPPORTED:
            continue
        for form in _name_forms(name):
            key = country_key(form)
            if not key or key in claimed:
                continue
            if index.setdefault(key, region) != region:
                index[key] = None
    return index


@functools.cache
def _english_index() -> dict[str, str | None]:
    """ISO codes and English names (pycountry's ISO 3166 names, CLDR English)."""
    import pycountry
    from babel import Locale

    codes: dict[str, str | None] = {}
    for country in pycountry.countries:
        for code in (country.alpha_3, country.numeric):
            codes[code.casefold()] = country.alpha_2 if country.alpha_2 in _SUPPORTED else None

    def names() -> Iterator[tuple[str, str]]:
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    yield country.alpha_2, value
        yield from Locale("en").territories.items()
        for region, extra in _ENGLISH_EXTRA.items():
            for name in extra:
                yield region, name

    return codes | _index(names(), codes)


@functools.cache
def _world_index() -> dict[str, str | None]:
    """Country names in every language CLDR (through babel) and pycountry translate.

    Building it reads every CLDR locale (about a second and a half), so it is
    kept in the user's cache folder, one file per version of the data, and
    read back from there (a few hundredths of a second) by later imports.
    """
    import json

    path = _world_cache()
    try:
        cached: dict[str, str | None] = json.loads(path.read_text(encoding="utf-8"))
        return cached
    except (OSError, ValueError):
        pass
    index = _build_world_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass  # a read-only cache folder only costs the next import the build again
    return index


def _world_cache() -> Path:
    from importlib.metadata import version

    import platformdirs

    versions = "-".join(version(package) for package in ("babel", "pycountry"))
    folder = Path(platformdirs.user_cache_dir("dialsmile", appauthor=False))
    return folder / f"country-names-{_INDEX_VERSION}-{versions}.json"


def _build_world_index() -> dict[str, str | None]:
    import gettext

    import pycountry
    from babel import localedata

    def names() -> Iterator[tuple[str, str]]:
        for language in localedata.locale_identifiers():
            if "_" in language:
                continue  # regional variants repeat their language's names
            data = localedata.load(language, merge_inherited=False)
            yield from data.get("territories", {}).items()
            localedata.clear_caches()  # keep only the names, not every locale's data
        translations = Path(pycountry.LOCALES_DIR)
        for folder in sorted(translations.glob("*/LC_MESSAGES/iso3166-1.mo")):
            language = folder.parent.parent.name
            catalog = gettext.translation("iso3166-1", str(translations), [language])
            for country in pycountry.countries:
                for attr in ("name", "official_name", "common_name"):
                    value = getattr(country, attr, None)
                    if value and (translated := catalog.gettext(value)) != value:
                        yield country.alpha_2, translated

    return _index(names(), _english_index())


def country_name(region: str) -> str:
    """The English name of a region ("AU" -> "Australia")."""
    from babel import Locale

    return str(Locale("en").territories.get(region, region))


@functools.lru_cache(maxsize=2048)
def state_code(text: str) -> tuple[str, str] | None:
    """(country, code) for a US state or Canadian province cell ("Texas", "tx", "Ontario").

    The ISO 3166-2 form that dialsmile itself prints ("US-TX", "CA-ON") is read too.
    """
    country, dash, code = text.strip().upper().partition("-")
    if dash and code in {"US": US_STATES, "CA": CA_PROVINCES}.get(country, ()):
        return country, code
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
    for country, codes in _ABBREVIATIONS.items():
        if key in codes:
            return country, codes[key]
    found = _TRANSLATED_STATES.get(key)
    if found is None:
        return None
    country, _, code = found.partition("-")
    return country, code


@functools.lru_cache(maxsize=4096)
def is_placeholder(text: str) -> bool:
    """True for a cell that only says nothing is known ("N/A", "-", "unknown", "TBD")."""
    if not any(ch.isalnum() for ch in text):
        return bool(text.strip())  # "-", "?", "--"
    return _norm(text) in PLACEHOLDERS


def state_code_of(text: str | None) -> str | None:
    """The US state or Canadian province code in a lead's state column, else the cell.

    Another country's state ("NSW", "Western Australia") is kept as written:
    the calling-window check reads it in the number's own country. A placeholder
    ("N/A", "TBD") is no state at all.
    """
    found = state_code(text) if text else None
    if found:
        return found[1]
    text = (text or "").strip()
    return text if text and not is_placeholder(text) else None
