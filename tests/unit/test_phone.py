from __future__ import annotations

from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from phonenumbers import timezone as pn_timezone

from dialsmile.core.phone import (
    PhoneNormalizer,
    clean,
    format_for_reading,
    split_numbers,
    valid_national,
)


@pytest.mark.parametrize(
    ("raw", "region", "e164", "ext"),
    [
        ("(512) 555-0134", "US", "+15125550134", ""),
        ("512.555.0134", "US", "+15125550134", ""),
        ("+1 512 555 0134", "NO", "+15125550134", ""),
        ("1-512-555-0134", "US", "+15125550134", ""),
        ("'+1 630-555-0110", "US", "+16305550110", ""),
        ('="+1 512 555 0134"', "US", "+15125550134", ""),
        ("=+1 (512) 555-0134", "US", "+15125550134", ""),
        ("1-800-FLOWERS", "US", "+18003569377", ""),
        ("212-555-0188 ext. 12", "US", "+12125550188", "12"),
        ("415 872 0132 x12", "US", "+14158720132", "12"),
        ("+1 415 872 0132;ext=99", "US", "+14158720132", "99"),
        ("4.155550132E+09", "US", "+14155550132", ""),
        ("3016572696.0", "US", "+13016572696", ""),
        ("22 12 34 56", "NO", "+4722123456", ""),
        ("+47 22 12 34 56", "US", "+4722123456", ""),
        ("0047 22 12 34 56", "SE", "+4722123456", ""),
        ("011 47 22 12 34 56", "US", "+4722123456", ""),
        ("070 123 45 67", "SE", "+46701234567", ""),
        ("030 1234567", "DE", "+49301234567", ""),
        ("tel:+15125550134", "US", "+15125550134", ""),
    ],
)
def test_parses_messy_numbers(raw: str, region: str, e164: str, ext: str) -> None:
    parsed = PhoneNormalizer().parse(raw, region)
    assert parsed is not None
    assert (parsed.e164, parsed.extension) == (e164, ext)


@pytest.mark.parametrize(
    "raw", ["12345", "n/a", "", "555-0134", "4,15555E+11", "call me", "+1 012 555 0134"]
)
def test_rejects_non_numbers(raw: str) -> None:
    assert PhoneNormalizer().parse(raw, "US") is None


def test_time_zones_never_unknown() -> None:
    parsed = PhoneNormalizer().parse("+1 512 555 0134", "US")
    assert parsed is not None and parsed.timezones == ("America/Chicago",)
    toll_free = PhoneNormalizer().parse("1-800-FLOWERS", "US")
    assert toll_free is not None
    assert "Etc/Unknown" not in toll_free.timezones and len(toll_free.timezones) > 5


def test_split_cells() -> None:
    assert split_numbers("+1 512 555 0134 ::: +1 512 555 0199") == [
        "+1 512 555 0134",
        "+1 512 555 0199",
    ]
    assert split_numbers("512-555-0134; 512-555-0199") == ["512-555-0134", "512-555-0199"]
    assert split_numbers("512-555-0134 / 512-555-0199") == ["512-555-0134", "512-555-0199"]
    assert split_numbers("030/1234567") == ["030/1234567"]


def test_clean_keeps_extension_apart() -> None:
    assert clean("'+1 512 555 0134 ext. 7") == ("+1 512 555 0134", "7")
    assert format_for_reading("+15125550134", "7") == "+1 512-555-0134 ext. 7"


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=2_000_000_000, max_value=9_999_999_999),
    st.sampled_from(["({a}) {b}-{c}", "+1 {a} {b} {c}", "1-{a}-{b}-{c}", "{a}.{b}.{c}"]),
)
def test_fast_path_agrees_with_phonenumbers(number: int, template: str) -> None:
    digits = str(number)
    raw = template.format(a=digits[:3], b=digits[3:6], c=digits[6:])
    reference = phonenumbers.parse(raw, "US")
    expected = phonenumbers.is_valid_number(reference)
    parsed = PhoneNormalizer().parse(raw, "US")
    assert (parsed is not None) == expected
    if parsed is not None:
        assert parsed.e164 == phonenumbers.format_number(reference, 0)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["US", "NO", "SE", "DE", "GB"]))
def test_any_text_parses_or_is_none(raw: str, region: str) -> None:
    parsed = PhoneNormalizer().parse(raw, region)
    assert parsed is None or parsed.e164.startswith("+")


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(
        [1, 7, 27, 31, 33, 34, 39, 41, 44, 45, 46, 47, 49, 52, 55, 61, 81, 86, 91, 358, 971]
    ),
    st.integers(min_value=100_000, max_value=999_999_999_999),
)
@example(55, 906120000000)  # Brazil's carrier-selection 90, stripped even after +55
def test_international_fast_path_agrees_with_phonenumbers(cc: int, national: int) -> None:
    raw = f"+{cc}{national}"
    reference = phonenumbers.parse(raw, None)
    expected = phonenumbers.is_valid_number(reference)
    parsed = PhoneNormalizer().parse(raw, "US")
    assert (parsed is not None) == expected, raw
    if parsed is not None:
        assert parsed.e164 == phonenumbers.format_number(reference, 0)
        assert parsed.region == phonenumbers.region_code_for_number(reference)
        zones = pn_timezone.time_zones_for_number(reference)
        assert parsed.timezones == tuple(z for z in zones if z != "Etc/Unknown"), raw


def _examples() -> list[tuple[str, str, phonenumbers.PhoneNumber]]:
    """libphonenumber's example number of every type in every region."""
    types = [
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
        phonenumbers.PhoneNumberType.PAGER,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.VOICEMAIL,
    ]
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in types:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None and phonenumbers.is_valid_number(number):
                found.append((region, str(kind), number))
    return found


EXAMPLES = _examples()


def test_every_regions_example_numbers_read_as_libphonenumber_reads_them() -> None:
    # One normalizer for all of them, as an import uses one for all rows.
    normalizer = PhoneNormalizer()
    fmt = phonenumbers.PhoneNumberFormat
    assert len(EXAMPLES) > 600
    for region, kind, number in EXAMPLES:
        e164 = phonenumbers.format_number(number, fmt.E164)
        owner = phonenumbers.region_code_for_number(number)
        zones = tuple(z for z in pn_timezone.time_zones_for_number(number) if z != "Etc/Unknown")
        written = {
            "e164": (e164, "US"),
            "international": (phonenumbers.format_number(number, fmt.INTERNATIONAL), "US"),
            "national": (phonenumbers.format_number(number, fmt.NATIONAL), region),
            "extension": (phonenumbers.format_number(number, fmt.INTERNATIONAL) + " ext. 12", "US"),
        }
        for how, (raw, read_as) in written.items():
            parsed = normalizer.parse(raw, read_as)
            assert parsed is not None, (region, kind, how, raw)
            expected = (e164, "12" if how == "extension" else "", owner)
            assert (parsed.e164, parsed.extension, parsed.region) == expected, (
                region,
                kind,
                how,
                raw,
            )
            if number.country_code != 1:  # NANP zones come from the area code (tested above)
                assert parsed.timezones == zones, (region, kind, how, raw)


# Cells as spreadsheets and CRMs leave them, and the number a rep means by each.
@pytest.mark.parametrize(
    ("raw", "region", "e164", "ext"),
    [
        ("\u200e+1 512 555 0134\u200f", "US", "+15125550134", ""),
        ("\ufeff(512) 555-0134", "US", "+15125550134", ""),
        ('="(512) 555-0134"', "US", "+15125550134", ""),
        ('="0047 22 12 34 56"', "NO", "+4722123456", ""),
        ("=(512) 555-0134", "US", "+15125550134", ""),
        ("=5125550134", "US", "+15125550134", ""),
        ("=+47 22 12 34 56", "US", "+4722123456", ""),
        ('"+1 512 555 0134"', "US", "+15125550134", ""),
        ("tel:5125550134", "US", "+15125550134", ""),
        ("TEL:+15125550134", "US", "+15125550134", ""),
        ("15125550134", "US", "+15125550134", ""),
        ("5125550134", "CA", "+15125550134", ""),
        ("+1 512 555 0134 x 7", "US", "+15125550134", "7"),
        ("5125550134 ext 7", "US", "+15125550134", "7"),
    ],
)
def test_reads_cells_spreadsheets_leave(raw: str, region: str, e164: str, ext: str) -> None:
    parsed = PhoneNormalizer().parse(raw, region)
    assert parsed is not None
    assert (parsed.e164, parsed.extension) == (e164, ext)


def test_a_cell_splits_only_into_whole_numbers() -> None:
    assert split_numbers("512-555-0134 / 555-0199") == ["512-555-0134", "555-0199"]
    assert split_numbers("512-555-0134 / 555-019") == ["512-555-0134 / 555-019"]
    assert split_numbers("512-555-0134") == ["512-555-0134"]
    assert split_numbers("   ") == []
    assert PhoneNormalizer().parse("=", "US") is None


def test_a_national_number_is_valid_where_libphonenumber_says_it_is() -> None:
    # Every region's example numbers written as its people write them (with the
    # trunk prefix), and with a digit too many or too few. Regions whose national
    # format is more than a trunk prefix (Argentina's mobile "15") are left out:
    # valid_national reads digits after a plain trunk prefix.
    for region, _, number in EXAMPLES:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        parsing = metadata.national_prefix_for_parsing
        if metadata.national_prefix_transform_rule or (
            parsing and parsing != metadata.national_prefix
        ):
            continue
        national = "".join(filter(str.isdigit, phonenumbers.format_number(number, 2)))
        for digits in (national, national + "5", national[:-1]):
            parsed = phonenumbers.parse(digits, region)
            expected = phonenumbers.is_valid_number_for_region(parsed, region)
            assert valid_national(digits, region) == expected, (region, digits)
    assert not valid_national("5125550134", "ZZ")  # no such region


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1_000_000, max_value=999_999_999_999), st.booleans())
def test_north_american_numbers_of_any_length_read_as_libphonenumber_reads_them(
    national: int, plus: bool
) -> None:
    raw = f"+1{national}" if plus else str(national)
    reference = phonenumbers.parse(raw, "US")
    expected = phonenumbers.is_valid_number(reference)
    # An earlier row had a ten-digit number sharing its first digits, as in an import.
    normalizer = PhoneNormalizer()
    normalizer.parse((str(national).removeprefix("1") + "0134567890")[:10], "US")
    parsed = normalizer.parse(raw, "US")
    assert (parsed is not None) == expected, raw
    if parsed is not None:
        assert parsed.e164 == phonenumbers.format_number(reference, 0), raw


# Cells as reps paste them, each with the number libphonenumber reads from it
# (letters as on a keypad), or None where it reads no valid number.
@pytest.mark.parametrize(
    ("raw", "region", "reference"),
    [
        ("1-800-GO-FEDEX", "US", "1-800-46-33339"),  # a vanity number ending in X
        ("800-FLOWERS", "US", "800-3569377"),  # three digits and letters
        ('"+47 22 12 34 56"', "US", "+47 22 12 34 56"),  # quoted, read outside Norway
        ("1-512-555-0134 ext. 7", "US", "1-512-555-0134"),
        ("0047 22 12 34 56", "US", None),  # 00 dials abroad outside North America only
        ("+44 000 ext. 12", "US", None),
    ],
)
def test_reads_the_number_libphonenumber_reads(
    raw: str, region: str, reference: str | None
) -> None:
    parsed = PhoneNormalizer().parse(raw, region)
    if reference is None:
        number = phonenumbers.parse(raw.split(" ext")[0], region)
        assert not phonenumbers.is_valid_number(number)
        assert parsed is None
        return
    expected = phonenumbers.parse(reference, region)
    assert phonenumbers.is_valid_number(expected)
    assert parsed is not None
    assert parsed.e164 == phonenumbers.format_number(expected, phonenumbers.PhoneNumberFormat.E164)


def test_national_numbers_with_an_extension_keep_it_in_every_region() -> None:
    # Numbers written as their own country writes them go through the full parser;
    # the extension split off before it must come back with the number.
    normalizer = PhoneNormalizer()
    for region, kind, number in EXAMPLES:
        if number.country_code == 1:
            continue
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        zones = tuple(z for z in pn_timezone.time_zones_for_number(number) if z != "Etc/Unknown")
        parsed = normalizer.parse(national + " ext. 12", region)
        assert parsed is not None, (region, kind, national)
        assert parsed == type(parsed)(
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            "12",
            phonenumbers.region_code_for_number(number),
            zones,
        ), (region, kind, national)


def test_north_american_toll_free_numbers_take_every_zone_of_the_plan() -> None:
    # A toll-free number has no place: libphonenumber gives it every zone of +1.
    normalizer = PhoneNormalizer()
    for region in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]):
        number = phonenumbers.example_number_for_type(
            region, phonenumbers.PhoneNumberType.TOLL_FREE
        )
        if number is None or not phonenumbers.is_valid_number(number):
            continue
        zones = tuple(z for z in pn_timezone.time_zones_for_number(number) if z != "Etc/Unknown")
        assert len(zones) > 5
        for raw in (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        ):
            parsed = normalizer.parse(raw, "US")
            assert parsed is not None and parsed.timezones == zones, (region, raw)


def test_common_shapes_never_need_the_full_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fast paths are why a 100k-row import takes seconds: cells in these shapes
    # (North American numbers, +CC and digits, 00 and 011 dialling out, spreadsheet
    # wrappers) are read without phonenumbers.parse, and read the same.
    cells = [
        ("(512) 555-0134", "US"),
        ("512.555.0134", "CA"),
        ("+1 512 555 0134", "SE"),
        ("1-512-555-0134 ext. 7", "US"),
        ("5125550134 ext 7", "US"),
        ("=5125550134", "US"),
        ("=(512) 555-0134", "US"),
        ("=+47 22 12 34 56", "US"),
        ('="+1 512 555 0134"', "US"),
        ('="0047 22 12 34 56"', "NO"),
        ('"+1 512 555 0134"', "US"),
        ("'+1 630-555-0110", "US"),
        ("\u200e+1 512 555 0134\u200f", "US"),
        ("tel:+15125550134", "US"),
        ("+47 22 12 34 56", "US"),
        ("+46 70 123 45 67 ext. 3", "US"),
        ("0047 22 12 34 56", "SE"),
        ("011 47 22 12 34 56", "US"),
    ]
    expected = []
    for raw, region in cells:
        text, extension = clean(raw)
        number = phonenumbers.parse(text, region)
        assert phonenumbers.is_valid_number(number), raw
        expected.append((phonenumbers.format_number(number, 0), extension))

    def no_full_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"full parse of {args[0]!r}")

    monkeypatch.setattr(phonenumbers, "parse", no_full_parse)
    normalizer = PhoneNormalizer()
    for (raw, region), want in zip(cells, expected, strict=True):
        parsed = normalizer.parse(raw, region)
        assert parsed is not None, raw
        assert (parsed.e164, parsed.extension) == want, raw


def test_a_number_reads_as_libphonenumber_formats_it() -> None:
    number = phonenumbers.parse("+4722123456", None)
    written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    assert format_for_reading("+4722123456") == written
    assert format_for_reading("+4722123456", "12") == written + " ext. 12"
    assert format_for_reading("n/a") == "n/a"  # what was stored, when it is no number


# Every way of marking an extension the import reads, as CRM exports write them.
EXTENSION_MARKERS = [
    " ext 7", " ext. 7", " ext.7", " extn 7", " extn. 7", " extension 7", " x7", " x 7",
    " #7", ";ext=7", ",ext=7", " ext: 7", " apparat 7", " anknytning 7", " lokal 7",
]  # fmt: skip


@pytest.mark.parametrize("marker", EXTENSION_MARKERS)
@pytest.mark.parametrize("case", [str.lower, str.upper, str.title])
def test_every_extension_marker_in_any_case_splits_off_the_extension(
    marker: str, case: Callable[[str], str]
) -> None:
    for number, region, e164 in [
        ("512-555-0134", "US", "+15125550134"),
        ("+47 22 12 34 56", "US", "+4722123456"),
        ("030 1234567", "DE", "+49301234567"),
    ]:
        raw = number + case(marker)
        parsed = PhoneNormalizer().parse(raw, region)
        assert parsed is not None, raw
        assert (parsed.e164, parsed.extension) == (e164, "7"), raw


def test_plus_and_digits_in_every_regions_spacing_read_as_libphonenumber_reads_them() -> None:
    # "+CC" then digits spaced, dashed or bracketed, with a spreadsheet's apostrophe:
    # read without the full parser, so each shape is checked against it in every region.
    normalizer = PhoneNormalizer()
    fmt = phonenumbers.PhoneNumberFormat
    for region, kind, number in EXAMPLES:
        spaced = phonenumbers.format_number(number, fmt.INTERNATIONAL)
        e164 = phonenumbers.format_number(number, fmt.E164)
        national = e164[1 + len(str(number.country_code)) :]
        for raw in (
            spaced,
            spaced.replace(" ", "-"),
            f"'{spaced}",
            f" +{number.country_code} ({national[:2]}) {national[2:]} ",
        ):
            reference = phonenumbers.parse(raw.strip().lstrip("'"), None)
            want = phonenumbers.is_valid_number(reference)
            parsed = normalizer.parse(raw, "US")
            assert (parsed is not None) == want, (region, kind, raw)
            if parsed is not None:
                zones = pn_timezone.time_zones_for_number(reference)
                assert parsed.e164 == phonenumbers.format_number(reference, fmt.E164), raw
                assert parsed.region == phonenumbers.region_code_for_number(reference), raw
                if number.country_code != 1:
                    assert parsed.timezones == tuple(z for z in zones if z != "Etc/Unknown"), raw
