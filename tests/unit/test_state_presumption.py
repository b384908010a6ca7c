"""Every US and Canadian area code presumes its state, and that state's rules then apply.

Generated from phonenumbers: every area code it assigns to the United States
or Canada, the state its geocoder names, the zones it gives. Expected hours
come from the hand-written table in tests/nanp.py (calling-rules.md).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialsmile.compliance.engine import CallTarget, PastCall, check
from tests.nanp import (
    FEDERAL_HOURS_STATUTES,
    LAWS,
    SUNDAY,
    WEDNESDAY,
    assigned_area_codes,
    library_regions,
    library_zones,
    local,
    minus_minute,
    source_label,
    valid_number,
)

GEOGRAPHIC = sorted(npa for npa, (_, geographic) in assigned_area_codes().items() if geographic)
NON_GEOGRAPHIC = sorted(set(assigned_area_codes()) - set(GEOGRAPHIC))


def _number(npa: str) -> str:
    e164 = valid_number(npa)
    assert e164 is not None
    return e164


@pytest.mark.parametrize("npa", GEOGRAPHIC)
def test_area_code_presumes_the_state_the_geocoder_names(npa: str) -> None:
    verdict = check(CallTarget(_number(npa)), local(WEDNESDAY, "12:00", library_zones(npa)[0]))
    for place in library_regions()[npa]:
        assert verdict.sources.get(place) == f"area code {npa}", verdict.sources
        if place in LAWS or place in FEDERAL_HOURS_STATUTES:
            assert place in verdict.jurisdictions, verdict.jurisdictions
    assert verdict.allowed, verdict.reasons  # noon on a Wednesday is inside every window


def test_non_geographic_area_codes_presume_no_state() -> None:
    for npa in NON_GEOGRAPHIC:  # toll-free, 500-series, 900
        verdict = check(CallTarget(_number(npa)), local(WEDNESDAY, "12:00", "America/New_York"))
        assert set(verdict.sources) == {"US"} or set(verdict.sources) == {"CA"}, npa


STATE_CODES = [
    (npa, code) for npa, places in library_regions().items() for code in places if code in LAWS
]


@pytest.mark.parametrize(("npa", "code"), STATE_CODES, ids=[f"{n}-{c}" for n, c in STATE_CODES])
def test_the_presumed_state_rules_block_where_the_law_says(npa: str, code: str) -> None:
    """With no state given, a moment the state's law forbids is blocked, naming the rule."""
    law = LAWS[code]
    zone = library_zones(npa)[0]
    target = CallTarget(_number(npa))
    label = source_label(code, npa)
    start, end = law.weekday
    moments = [local(WEDNESDAY, end, zone), local(WEDNESDAY, minus_minute(start), zone)]
    if law.sunday is None:
        moments.append(local(SUNDAY, "12:00", zone))
    for moment in moments:
        verdict = check(target, moment)
        assert not verdict.allowed, (moment, verdict.reasons)
        assert any(law.name in r and label in r for r in verdict.reasons), verdict.reasons


def test_address_state_and_area_code_state_both_apply_the_stricter_wins() -> None:
    # A Texas address on a Utah number: Texas opens at 09:00, Utah closes Sundays.
    utah = _number("801")
    verdict = check(
        CallTarget(utah, state="TX", state_from="--state"), local(SUNDAY, "13:00", "America/Denver")
    )
    assert not verdict.allowed
    assert any(
        "Utah (US-UT, from area code 801) allows no calls on Sundays" in r for r in verdict.reasons
    )
    weekday = check(
        CallTarget(utah, state="TX", state_from="--state"),
        local(WEDNESDAY, "08:30", "America/Denver"),
    )
    assert any("by Texas (US-TX, from --state)" in r for r in weekday.reasons), weekday.reasons
    assert weekday.sources == {
        "US": "the number's country code",
        "US-TX": "--state",
        "US-UT": "area code 801",
    }


def test_share_of_area_codes_covered() -> None:
    """Every geographic US and Canadian area code is in the sweep above."""
    us = [n for n, (r, _) in assigned_area_codes().items() if r == "US"]
    ca = [n for n, (r, _) in assigned_area_codes().items() if r == "CA"]
    covered = set(library_regions())
    assert len(covered & set(us)) == len([n for n in us if n in GEOGRAPHIC])
    assert len(covered & set(ca)) == len([n for n in ca if n in GEOGRAPHIC])
    assert len(STATE_CODES) >= 100


def test_caps_count_only_calls_made_before_the_asked_moment() -> None:
    """`check --at T` on a past T: calls logged after T do not count toward Florida's cap."""
    florida = CallTarget(_number("305"))
    asked = local(WEDNESDAY, "10:00", "America/New_York")
    later = [PastCall(asked + timedelta(hours=h), "no-answer") for h in (1, 2, 3)]
    assert check(florida, asked, later).allowed
    blocked = check(florida, asked + timedelta(hours=4), later)
    assert any("Florida (US-FL, from area code 305) cap: 3 per 24 h" in r for r in blocked.reasons)
