"""The area code -> state/province table, pinned to phonenumbers' geocoder for every area code.

``area_codes.toml [regions]`` is generated from phonenumbers' geocoder data
and kept as a table because loading that data costs 0.6-1 s and ~100 MB at
run time. These tests derive the same map from the library, for every NANP
area code phonenumbers assigns to the United States or Canada, and fail
with the lines to paste when the two drift apart (a phonenumbers upgrade).
"""

from __future__ import annotations

import pytest

from dialsmile.compliance.rules import load_area_codes
from tests.nanp import assigned_area_codes, library_regions


def toml_lines(regions: dict[str, tuple[str, ...]]) -> str:
    """The ``[regions]`` lines of ``area_codes.toml`` for ``regions``."""
    return "\n".join(
        f'{npa} = "{places[0]}"'
        if len(places) == 1
        else f"{npa} = {list(places)!r}".replace("'", '"')
        for npa, places in sorted(regions.items())
    )


def test_every_assigned_area_code_is_in_the_table_as_the_library_says() -> None:
    table = dict(load_area_codes().regions)
    expected = library_regions()
    assert table == expected, "regenerate area_codes.toml [regions]:\n" + toml_lines(expected)


def test_every_geographic_us_and_canadian_area_code_has_a_state() -> None:
    codes = assigned_area_codes()
    geographic = {npa: region for npa, (region, geo) in codes.items() if geo}
    regions = load_area_codes().regions
    assert set(geographic) == set(regions)
    assert sum(region == "US" for region in geographic.values()) >= 350
    assert sum(region == "CA" for region in geographic.values()) >= 50
    for npa, region in geographic.items():
        assert all(p.startswith(f"{region}-") for p in regions[npa]), npa


@pytest.mark.parametrize(
    ("npa", "places"),
    [
        ("801", ("US-UT",)),
        ("504", ("US-LA",)),
        ("205", ("US-AL",)),
        ("601", ("US-MS",)),
        ("401", ("US-RI",)),
        ("502", ("US-KY",)),
        ("512", ("US-TX",)),
        ("212", ("US-NY",)),
        ("202", ("US-DC",)),
        ("206", ("US-WA",)),
        ("604", ("CA-BC",)),
        ("416", ("CA-ON",)),
        ("902", ("CA-NS", "CA-PE")),
        ("867", ("CA-NT", "CA-NU", "CA-YT")),
    ],
)
def test_known_area_codes(npa: str, places: tuple[str, ...]) -> None:
    assert load_area_codes().regions[npa] == places
