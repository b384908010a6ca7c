"""Phone numbers as they come out of CRM exports, made callable.

Parsing with ``phonenumbers`` costs tens of microseconds a number, which
dominates an import of 100k rows. North American numbers (most lists) take a
fast path: validity, region and time zones are the same for every number
sharing the area code and exchange (the first six national digits), so they
are computed once per prefix. Numbers written with +CC and digits only are
checked against their region's own patterns and given the zones
``time_zones_for_number`` would give. Everything else goes through
``phonenumbers``. Property tests pin each fast path to ``phonenumbers``.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import phonenumbers
from phonenumbers import timezone as pn_timezone
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

UNKNOWN_ZONE = "Etc/Unknown"
OTHER_CACHE = 20_000  # numbers read by the full parser, remembered for rows repeating them

_EXTENSION = re.compile(
    r"(?:[,;]?\s*(?:ext\.?|extn\.?|extension|x|#|ext=|;ext=|apparat|anknytning|lokal)\s*:?\s*)(\d{1,7})\s*$",
    re.IGNORECASE,
)
# A label written after the number: "+1 212 555 0102 (mobile)", "... (Zentrale)".
_LABEL = re.compile(r"\s*\([^\d()]*\)$")
# Every marker _EXTENSION knows holds one of these (case aside): a text without any has no extension.
_EXTENSION_MARK = re.compile(r"[#aelx]", re.IGNORECASE)
_SCI = re.compile(r"^([+-]?\d)[.,](\d+)[eE]\+?(\d{1,2})$")
_FLOAT_SUFFIX = re.compile(r"^(\+?\d{6,})\.0+$")
_SEPARATORS = re.compile(r"\s*(?::::|;|\||\n|\r)\s*")
_SOFT_SEPARATORS = re.compile(r"\s*[/,]\s*")
_PUNCT = str.maketrans("", "", " \t-.()\u00a0\u2010\u2011\u2012\u2013\u2014\u2212/")
_LETTERS = re.compile(r"[A-Za-z]")
_NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
# The shapes most North American numbers come in: (512) 555-0134, 512.555.0134, +1 512 555 0134.
_NANP_SIMPLE = re.compile(
    r"^\s*'?\s*(\+?1[\s.-]?)?\(?([2-9]\d\d)\)?[\s.-]?([2-9]\d\d)[\s.-]?(\d{4})\s*$"
)
# +CC and digits, spaced or dashed (+47 22 12 34 56, '+44 20-7946-0958): nothing for clean() to do.
_INTERNATIONAL_SIMPLE = re.compile(r"^\s*'?\s*(\+[0-9][0-9 ()-]*[0-9])\s*$")
_SPLIT_CHARS = frozenset(":;|/,\n\r")


@functools.cache
def _shortest_number() -> int:
    """The fewest digits a number has anywhere (Niue's, Tokelau's): an extension marker
    after fewer digits is no extension.

    Read from every region's metadata on first use (about 35 ms): a session's
    start, which parses no extensions, does not pay for it.
    """
    return min(
        n
        for region in phonenumbers.SUPPORTED_REGIONS
        if (metadata := phonenumbers.PhoneMetadata.metadata_for_region(region)) is not None
        and metadata.general_desc is not None
        for n in metadata.general_desc.possible_length or ()
    )


class ParsedNumber(NamedTuple):
    """A valid number: E.164, extension, its region and candidate time zones.

    A named tuple: an import makes one for every number, in half the time a
    frozen dataclass takes."""

    e164: str
    extension: str
    region: str
    timezones: tuple[str, ...]


def split_numbers(cell: str) -> list[str]:
    """Split a cell that may hold several numbers (``a ::: b``, ``a; b``, ``a / b``).

    ``/`` and ``,`` also appear inside one number ("030/1234567"), so they only
    split when every part holds enough digits to be a number of its own.
    """
    if _SPLIT_CHARS.isdisjoint(cell):
        return [cell] if cell.strip() else []
    parts = [p for p in _SEPARATORS.split(cell) if p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = _SOFT_SEPARATORS.split(part)
        if len(pieces) > 1 and all(digit_count(p) >= 7 for p in pieces):
            out.extend(p for p in pieces if p.strip())
        else:
            out.append(part)
    return out


_NON_DIGITS = re.compile(r"\D+")


def digit_count(text: str) -> int:
    """How many digits ``text`` holds."""
    return len(_NON_DIGITS.sub("", text))


def clean(raw: str) -> tuple[str, str]:
    """Strip spreadsheet artefacts and split off an extension: (number text, extension)."""
    text = raw.strip().strip("\u200e\u200f\ufeff")
    # Excel text-forcing: a leading apostrophe, ="..." wrappers, =+1 formulas.
    if text.startswith("'"):
        text = text[1:].strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    elif text.startswith("=") and len(text) > 1 and (text[1] in "+(" or text[1].isdigit()):
        text = text[1:]
    text = text.strip().strip('"').strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    if text.endswith(")"):
        text = _LABEL.sub("", text)
    extension = ""
    match = _EXTENSION.search(text) if _EXTENSION_MARK.search(text) else None
    if match and digit_count(text[: match.start()]) >= _shortest_number():
        extension = match.group(1)
        text = text[: match.start()].strip()
    float_match = _FLOAT_SUFFIX.match(text)
    if float_match:
        text = float_match.group(1)
    sci = _SCI.match(text)
    if sci:
        text = _expand_scientific(sci) or text
    return text, extension


def _expand_scientific(match: re.Match[str]) -> str | None:
    """4.155550132E+09 -> 4155550132, only when the mantissa carries every digit."""
    lead, frac, exp = match.group(1), match.group(2), int(match.group(3))
    if len(frac) > exp:
        return None
    if len(frac) < exp:
        # Digits were lost (4,15555E+11): the true number cannot be known.
        return None
    return lead + frac


def rounded_digits(raw: str) -> int | None:
    """How many digits a number in scientific notation still holds (4.15555E+09: 6) when
    a spreadsheet rounded the rest away; None when nothing was lost or it is no such cell."""
    match = _SCI.match(clean(raw)[0])
    if match is None or len(match.group(2)) >= int(match.group(3)):
        return None
    return 1 + len(match.group(2))


class PhoneNormalizer:
    """Turns cells into valid numbers, caching work that repeats across rows."""

    def __init__(self) -> None:
        self._nanp: dict[str, tuple[bool, str, tuple[str, ...]]] = {}
        self._nanp_region_by_npa: dict[str, str] = {}
        self._other: dict[tuple[str, str], ParsedNumber | None] = {}

    def parse(self, raw: str, region: str) -> ParsedNumber | None:
        """A valid number from ``raw`` read with ``region`` for national formats, else None."""
        simple = _NANP_SIMPLE.match(raw)
        if simple and (region in _NANP_REGIONS or simple.group(1)):
            prefix = simple.group(1)
            if not prefix or prefix.startswith("+") or region in _NANP_REGIONS:
                return self._parse_nanp(simple.group(2) + simple.group(3) + simple.group(4), "")
        international = _INTERNATIONAL_SIMPLE.match(raw)
        if international:
            return self._parse_plus(international.group(1).translate(_PUNCT), region, "")
        text, extension = clean(raw)
        if digit_count(text) < 3:
            return None
        compact = text.translate(_PUNCT)
        if compact.startswith("00") and region not in _NANP_REGIONS:
            compact = "+" + compact[2:]
        if compact.startswith("011") and region in _NANP_REGIONS:
            compact = "+" + compact[3:]
        if compact.startswith("+") and compact[1:].isdigit():
            return self._parse_plus(compact, region, extension)
        nsn = _nanp_national(compact, region)
        if nsn is not None:
            return self._parse_nanp(nsn, extension)
        key = (region, text)
        if key not in self._other:
            if len(self._other) >= OTHER_CACHE:
                self._other.clear()  # a long file of such numbers must not fill memory
            self._other[key] = _slow_parse(text, region)
        found = self._other[key]
        if found is None:
            return None
        if extension and not found.extension:
            return ParsedNumber(found.e164, extension, found.region, found.timezones)
        return found

    def _parse_plus(self, compact: str, region: str, extension: str) -> ParsedNumber | None:
        """A "+" and digits only: a North American number, else one of its country code."""
        nsn = _nanp_national(compact, region)
        if nsn is not None:
            return self._parse_nanp(nsn, extension)
        return self._parse_international(compact[1:], extension)

    def _parse_international(self, digits: str, extension: str) -> ParsedNumber | None:
        """+CC... written without letters: build the number directly (parse() is slow)."""
        code = _country_code(digits[:3])
        if code is None:
            return None
        cc, size, regions = code
        nsn = digits[size:]
        if not nsn or nsn.startswith(_national_prefixes(cc)) or _strippable(cc, nsn):
            # A trunk prefix after the country code (+44 0 20..., +1 1 512...), a
            # leading zero (Italy) or a prefix the parser strips even there (Brazil's
            # carrier-selection 90: +55 90 61...) needs the full parser.
            found = _slow_parse("+" + digits, "")
            if found is not None and extension and not found.extension:
                return ParsedNumber(found.e164, extension, found.region, found.timezones)
            return found
        for region in regions:
            if _valid_for_region(nsn, region):
                return ParsedNumber(
                    "+" + digits, extension, region, _zones(digits, nsn, region, cc)
                )
        return None

    def _parse_nanp(self, nsn: str, extension: str) -> ParsedNumber | None:
        prefix = nsn[:6]
        info = self._nanp.get(prefix)
        if info is None:
            number = phonenumbers.PhoneNumber(country_code=1, national_number=int(nsn))
            npa = nsn[:3]
            region = self._nanp_region_by_npa.get(npa)
            if region is None:
                region = phonenumbers.region_code_for_number(number) or ""
                if region:
                    self._nanp_region_by_npa[npa] = region
            valid = bool(region) and _valid_for_region(nsn, region)
            zones = _prefix_zones("1" + nsn)  # as time_zones_for_geographical_number
            info = (valid, region, zones)
            self._nanp[prefix] = info
        valid, region, zones = info
        if not valid:
            return None
        return ParsedNumber("+1" + nsn, extension, region, zones)


@functools.lru_cache(maxsize=1024)
def _country_code(first: str) -> tuple[int, int, tuple[str, ...]] | None:
    """(country code, its digits, its regions) of a number written +``first``...: the
    codes are prefix-free, so the first one of 1, 2 or 3 digits that exists is it."""
    for size in (1, 2, 3):
        cc = int(first[:size])
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(cc)
        if regions:
            return cc, size, regions
    return None


def _nanp_national(compact: str, region: str) -> str | None:
    """The 10-digit national number when ``compact`` is a plain North American number."""
    if compact.startswith("+"):
        digits = compact[1:]
        if len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "23456789":
            return digits[1:]
        return None
    if region not in _NANP_REGIONS or not compact.isdigit():
        return None
    if len(compact) == 10 and compact[0] in "23456789":
        return compact
    if len(compact) == 11 and compact[0] == "1" and compact[1] in "23456789":
        return compact[1:]
    return None


def _slow_parse(text: str, region: str) -> ParsedNumber | None:
    if _LETTERS.search(text):
        # Vanity numbers (1-800-FLOWERS) are numbers; words are not.
        letters = len(_LETTERS.findall(text))
        if digit_count(text) < 3 or letters > 10:
            return None
        text = phonenumbers.convert_alpha_characters_in_number(text)
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    found_region = phonenumbers.region_code_for_number(number) or region
    zones = _usable_zones(pn_timezone.time_zones_for_number(number))
    return ParsedNumber(e164, number.extension or "", found_region, zones)


_TYPE_DESCS = (
    "fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
    "voip", "pager", "uan", "voicemail",
)  # fmt: skip


@functools.lru_cache(maxsize=512)
def _region_matcher(region: str) -> re.Pattern[str] | None:
    """One regex for every number type of a region: the same patterns libphonenumber checks."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return None
    patterns = [
        desc.national_number_pattern
        for name in _TYPE_DESCS
        if (desc := getattr(metadata, name, None)) is not None and desc.national_number_pattern
    ]
    general_desc = metadata.general_desc
    if not patterns or general_desc is None:
        return None
    general = general_desc.national_number_pattern
    return re.compile(f"(?=(?:{general})$)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")$")


@functools.lru_cache(maxsize=512)
def _national_prefixes(cc: int) -> tuple[str, ...]:
    prefixes = {"0"}
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(cc, ()):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata is not None and metadata.national_prefix:
            prefixes.add(metadata.national_prefix)
    return tuple(sorted(prefixes))


@functools.cache
def _prefixes_for_parsing(cc: int) -> tuple[re.Pattern[str], ...]:
    """The patterns of prefixes phonenumbers strips from a national number of ``cc``'s
    regions before reading it, international format included."""
    found = []
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(cc, ()):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        if metadata is not None and metadata.national_prefix_for_parsing:
            found.append(re.compile(metadata.national_prefix_for_parsing))
    return tuple(found)


def _strippable(cc: int, nsn: str) -> bool:
    """``nsn`` starts with a prefix the parser may strip (then only it can tell the number)."""
    for pattern in _prefixes_for_parsing(cc):
        match = pattern.match(nsn)
        if match and match.end():
            return True
    return False


def _valid_for_region(nsn: str, region: str) -> bool:
    matcher = _region_matcher(region)
    return bool(matcher and matcher.match(nsn))


@functools.cache
def _region_shape(region: str) -> tuple[str, frozenset[int]] | None:
    """A region's national (trunk) prefix and the lengths its numbers have."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None:
        return None
    return metadata.national_prefix or "", frozenset(metadata.general_desc.possible_length or ())


def valid_national(digits: str, region: str) -> bool:
    """Whether ``digits``, a number written without its country code, is valid in ``region``.

    Checks the region's own number patterns (the ones ``is_valid_number`` uses)
    after its trunk prefix: microseconds, not a parse.
    """
    shape = _region_shape(region)
    if shape is None:
        return False
    prefix, lengths = shape
    nsn = digits[len(prefix) :] if prefix and digits.startswith(prefix) else digits
    return len(nsn) in lengths and _valid_for_region(nsn, region)


_ALL_REGIONS = tuple(sorted(phonenumbers.SUPPORTED_REGIONS))


@functools.lru_cache(maxsize=8192)
def national_regions(digits: str) -> tuple[str, ...]:
    """Every region in which ``digits``, a number written without its country code, is valid."""
    return tuple(region for region in _ALL_REGIONS if valid_national(digits, region))


_NOT_GEOGRAPHICAL = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
    "voicemail",
)  # fmt: skip


def _desc_pattern(desc: phonenumbers.PhoneNumberDesc | None) -> str | None:
    """A number type's pattern with its possible lengths, as libphonenumber matches it."""
    if desc is None or not desc.national_number_pattern:
        return None
    lengths = [n for n in desc.possible_length or () if n > 0]
    if desc.possible_length and not lengths:
        return None  # no number has this type here
    ahead = "(?=(?:" + "|".join(rf"\d{{{n}}}" for n in lengths) + ")$)" if lengths else ""
    return f"{ahead}(?:{desc.national_number_pattern})"


@functools.lru_cache(maxsize=512)
def _type_matchers(region: str) -> tuple[re.Pattern[str] | None, ...]:
    """(any type that has no place, fixed line, mobile) for a region, as regexes."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return None, None, None
    others = [p for name in _NOT_GEOGRAPHICAL if (p := _desc_pattern(getattr(metadata, name)))]
    fixed = _desc_pattern(metadata.fixed_line)
    mobile = None if metadata.same_mobile_and_fixed_line_pattern else _desc_pattern(metadata.mobile)
    return tuple(
        re.compile("|".join(f"(?:{p})" for p in group)) if group else None
        for group in (others, [fixed] if fixed else [], [mobile] if mobile else [])
    )


def _zones(digits: str, nsn: str, region: str, cc: int) -> tuple[str, ...]:
    """The time zones ``time_zones_for_number`` gives a valid number, without its parse.

    A number of a type with a place (a fixed line, or a mobile where mobiles
    have one) takes the zones of its longest listed prefix; any other number
    those of its country code. The type is found as ``number_type`` finds it:
    types with no place first, then fixed line, then mobile.
    """
    others, fixed, mobile = _type_matchers(region)
    if others is not None and others.fullmatch(nsn):
        return _code_zones(cc)
    if fixed is not None and fixed.fullmatch(nsn):
        return _prefix_zones(digits)
    if mobile is not None and mobile.fullmatch(nsn):
        return _prefix_zones(digits) if cc in _GEO_MOBILE_COUNTRIES else _code_zones(cc)
    return ()


_GEO_MOBILE_COUNTRIES = frozenset(phonenumbers.phonenumberutil._GEO_MOBILE_COUNTRIES)


def _prefix_zones(digits: str) -> tuple[str, ...]:
    for size in range(TIMEZONE_LONGEST_PREFIX, 0, -1):
        zones = TIMEZONE_DATA.get(digits[:size])
        if zones is not None:
            return _usable_zones(zones)
    return ()


@functools.cache
def _code_zones(cc: int) -> tuple[str, ...]:
    """The zones of a country code, looked up as libphonenumber does (the code, then
    its first two digits)."""
    code = str(cc)
    for size in range(len(code), 1 if len(code) > 1 else 0, -1):
        zones = TIMEZONE_DATA.get(code[:size])
        if zones is not None:
            return _usable_zones(zones)
    return ()


def _usable_zones(zones: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(z for z in zones if z != UNKNOWN_ZONE)


def format_for_reading(e164: str, extension: str = "") -> str:
    """+15125550134 -> '+1 512-555-0134', with ' ext. 12' when there is one."""
    try:
        number = phonenumbers.parse(e164, None)
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        text = e164
    return f"{text} ext. {extension}" if extension else text
