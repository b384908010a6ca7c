"""The calling-window engine: windows, closed days, caps, zones and the next allowed moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dialsmile.compliance.engine import (
    OUTCOMES,
    CallTarget,
    PastCall,
    Verdict,
    candidate_zones,
    check,
    window_group,
)
from dialsmile.compliance.rules import load_area_codes, load_rules

NY = "America/New_York"
CHI = "America/Chicago"
DEN = "America/Denver"
LAX = "America/Los_Angeles"
TOR = "America/Toronto"
VAN = "America/Vancouver"
OSLO = "Europe/Oslo"
LON = "Europe/London"
BER = "Europe/Berlin"

NUMBERS = {
    "NY": "+12122001234",
    "FL": "+13052001234",
    "FL850": "+18506172000",
    "OK": "+14052001234",
    "MD": "+14102001234",
    "WA": "+12062001234",
    "LA": "+15042001234",
    "MS": "+16012001234",
    "AL": "+12052001234",
    "UT": "+18012001234",
    "TX": "+12142001234",
    "KY": "+15022001234",
    "RI": "+14012001234",
    "MA": "+16172001234",
    "CT": "+12032001234",
    "PA": "+12152001234",
    "NJ": "+12012001234",
    "ND": "+17012001234",
    "DC": "+12022001234",
    "TOLLFREE": "+18002001234",
    "UNKNOWN": "+80012345678",
    "INVALID": "+15550100",
    "NO": "+4722001234",
    "ON": "+14162001234",
    "BC": "+16042001234",
    "GB": "+442071234567",
    "DE": "+49301234567",
}


def at(zone: str, text: str) -> datetime:
    """``text`` ("2026-11-25 07:59") as wall-clock time in ``zone``."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def utc(text: str) -> datetime:
    """``text`` as a UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def case(
    name: str,
    number: str,
    moment: datetime,
    allowed: bool,
    reason: str = "",
    *,
    state: str | None = None,
    kind: str = "consumer",
    zones: tuple[str, ...] = (),
) -> object:
    target = CallTarget(NUMBERS[number], zones, state, kind)
    return pytest.param(target, moment, allowed, reason, id=name)


# 2026-11-25 is a Wednesday, 2026-11-28 a Saturday, 2026-11-29 a Sunday.
CASES = [
    # US federal floor (New York, no state rule)
    case("federal-0759", "NY", at(NY, "2026-11-25 07:59"), False,
         "outside calling hours: it is 07:59 Eastern time (EST), allowed 08:00-21:00 by US federal rules"),
    case("federal-0800", "NY", at(NY, "2026-11-25 08:00"), True),
    case("federal-2059", "NY", at(NY, "2026-11-25 20:59"), True),
    case("federal-2100", "NY", at(NY, "2026-11-25 21:00"), False, "it is 21:00 Eastern time (EST), allowed 08:00-21:00"),
    case("federal-sunday", "NY", at(NY, "2026-11-29 12:00"), True),
    # Florida: area-code presumption, 08:00-20:00
    case("fl-0759", "FL", at(NY, "2026-11-25 07:59"), False, "Florida"),
    case("fl-0800", "FL", at(NY, "2026-11-25 08:00"), True),
    case("fl-1959", "FL", at(NY, "2026-11-25 19:59"), True),
    case("fl-2000", "FL", at(NY, "2026-11-25 20:00"), False, "allowed 08:00-20:00 by Florida"),
    # Oklahoma: area-code presumption
    case("ok-1959", "OK", at(CHI, "2026-11-25 19:59"), True),
    case("ok-2000", "OK", at(CHI, "2026-11-25 20:00"), False, "by Oklahoma"),
    # Maryland
    case("md-0759", "MD", at(NY, "2026-11-25 07:59"), False, "Maryland", state="MD"),
    case("md-1959", "MD", at(NY, "2026-11-25 19:59"), True, state="MD"),
    case("md-2000", "MD", at(NY, "2026-11-25 20:00"), False, "by Maryland", state="MD"),
    # Washington
    case("wa-0800", "WA", at(LAX, "2026-11-25 08:00"), True, state="WA"),
    case("wa-2000", "WA", at(LAX, "2026-11-25 20:00"), False, "by Washington", state="WA"),
    # Louisiana: no Sundays, legal holidays
    case("la-sunday", "LA", at(CHI, "2026-11-29 12:00"), False,
         "Louisiana (US-LA, from the lead's State column and area code 504) allows no calls on Sundays", state="LA"),
    case("la-saturday-1959", "LA", at(CHI, "2026-11-28 19:59"), True, state="LA"),
    case("la-saturday-2000", "LA", at(CHI, "2026-11-28 20:00"), False, "Louisiana", state="LA"),
    case("la-mardi-gras", "LA", at(CHI, "2026-02-17 12:00"), False, "Mardi Gras", state="LA"),
    # Mississippi: no Sundays; "Central Standard Time" also checked in fixed UTC-6
    case("ms-sunday", "MS", at(CHI, "2026-11-29 12:00"), False,
         "Mississippi (US-MS, from the lead's State column and area code 601) allows no calls on Sundays", state="MS"),
    case("ms-summer-0830-cdt", "MS", at(CHI, "2026-07-08 08:30"), False,
         "07:30 Central Standard Time (CST), allowed 08:00-20:00 by Mississippi (US-MS", state="MS"),
    case("ms-summer-0900-cdt", "MS", at(CHI, "2026-07-08 09:00"), True, state="MS"),
    case("ms-winter-0800", "MS", at(CHI, "2026-11-25 08:00"), True, state="MS"),
    case("ms-2000", "MS", at(CHI, "2026-11-25 20:00"), False, "Mississippi", state="MS"),
    # Alabama: no Sundays, state holidays
    case("al-sunday", "AL", at(CHI, "2026-11-29 12:00"), False, "Alabama", state="AL"),
    case("al-confederate-memorial-day", "AL", at(CHI, "2026-04-27 12:00"), False,
         "Confederate Memorial Day", state="AL"),
    case("al-monday", "AL", at(CHI, "2026-04-20 12:00"), True, state="AL"),
    case("al-2000", "AL", at(CHI, "2026-04-20 20:00"), False, "Alabama", state="AL"),
    # Utah: 08:00-21:00, no Sundays, legal holidays
    case("ut-pioneer-day", "UT", at(DEN, "2026-07-24 12:00"), False,
         "area code 801) allows no calls on public holidays (Pioneer Day)", state="UT"),
    case("ut-0800", "UT", at(DEN, "2026-07-23 08:00"), True, state="UT"),
    case("ut-2059", "UT", at(DEN, "2026-07-23 20:59"), True, state="UT"),
    case("ut-2100", "UT", at(DEN, "2026-07-23 21:00"), False, "by US federal rules, Utah",
         state="UT"),
    case("ut-sunday", "UT", at(DEN, "2026-11-29 12:00"), False,
         "Utah (US-UT, from the lead's State column and area code 801) allows no calls on Sundays", state="UT"),
    # Texas: 09:00-21:00, Sundays from noon; consumer calls only
    case("tx-sunday-1159", "TX", at(CHI, "2026-11-29 11:59"), False,
         "11:59 Central time (CST), allowed 12:00-21:00 by Texas (US-TX", state="TX"),
    case("tx-sunday-1200", "TX", at(CHI, "2026-11-29 12:00"), True, state="TX"),
    case("tx-wednesday-0859", "TX", at(CHI, "2026-11-25 08:59"), False, "by Texas", state="TX"),
    case("tx-wednesday-0900", "TX", at(CHI, "2026-11-25 09:00"), True, state="TX"),
    case("tx-business-0830", "TX", at(CHI, "2026-11-25 08:30"), True, state="TX",
         kind="business"),
    case("tx-business-sunday-0800", "TX", at(CHI, "2026-11-29 08:00"), True, state="TX",
         kind="business"),
    case("tx-business-0759", "TX", at(CHI, "2026-11-25 07:59"), False, "by US federal rules",
         state="TX", kind="business"),
    # Kentucky: from 10:00
    case("ky-0959", "KY", at(NY, "2026-11-25 09:59"), False, "allowed 10:00-21:00 by Kentucky",
         state="KY"),
    case("ky-1000", "KY", at(NY, "2026-11-25 10:00"), True, state="KY"),
    # Rhode Island: 09-18 weekdays, 10-17 Saturday, no Sundays or holidays
    case("ri-saturday-1659", "RI", at(NY, "2026-11-28 16:59"), True, state="RI"),
    case("ri-saturday-1700", "RI", at(NY, "2026-11-28 17:00"), False,
         "allowed 10:00-17:00 by Rhode Island", state="RI"),
    case("ri-wednesday-0859", "RI", at(NY, "2026-11-25 08:59"), False, "Rhode Island",
         state="RI"),
    case("ri-wednesday-1759", "RI", at(NY, "2026-11-25 17:59"), True, state="RI"),
    case("ri-wednesday-1800", "RI", at(NY, "2026-11-25 18:00"), False, "Rhode Island",
         state="RI"),
    case("ri-sunday", "RI", at(NY, "2026-11-29 12:00"), False,
         "Rhode Island (US-RI, from the lead's State column and area code 401) allows no calls on Sundays", state="RI"),
    case("ri-victory-day", "RI", at(NY, "2026-08-10 12:00"), False, "Victory Day", state="RI"),
    case("ri-independence-day", "RI", at(NY, "2026-05-04 12:00"), False,
         "Rhode Island Independence Day", state="RI"),
    # Massachusetts
    case("ma-1959", "MA", at(NY, "2026-11-25 19:59"), True, state="MA"),
    case("ma-2000", "MA", at(NY, "2026-11-25 20:00"), False, "Massachusetts", state="MA"),
    # Connecticut: 09:00-20:00, area-code presumption, consumer calls only
    case("ct-0859", "CT", at(NY, "2026-11-25 08:59"), False, "by Connecticut"),
    case("ct-0900", "CT", at(NY, "2026-11-25 09:00"), True),
    case("ct-business-0830", "CT", at(NY, "2026-11-25 08:30"), True, kind="business"),
    # Pennsylvania: holidays; Act 47 of 2026 from 2026-10-18 (09-19, no Sundays)
    case("pa-before-act-2030", "PA", at(NY, "2026-10-14 20:30"), True, state="PA"),
    case("pa-before-act-sunday", "PA", at(NY, "2026-10-11 12:00"), True, state="PA"),
    case("pa-good-friday", "PA", at(NY, "2026-04-03 12:00"), False, "Good Friday", state="PA"),
    case("pa-act-0859", "PA", at(NY, "2026-10-21 08:59"), False,
         "by Pennsylvania (Act 47 of 2026; US-PA, from the lead's State column and area code 215)", state="PA"),
    case("pa-act-0900", "PA", at(NY, "2026-10-21 09:00"), True, state="PA"),
    case("pa-act-1859", "PA", at(NY, "2026-10-21 18:59"), True, state="PA"),
    case("pa-act-1900", "PA", at(NY, "2026-10-21 19:00"), False, "allowed 09:00-19:00",
         state="PA"),
    case("pa-act-sunday", "PA", at(NY, "2026-11-29 12:00"), False, "on Sundays", state="PA"),
    case("pa-thanksgiving", "PA", at(NY, "2026-11-26 12:00"), False, "Thanksgiving", state="PA"),
    # New Jersey, North Dakota (area code 701 spans Central and Mountain), DC
    case("nj-2059", "NJ", at(NY, "2026-11-25 20:59"), True, state="NJ"),
    case("nj-2100", "NJ", at(NY, "2026-11-25 21:00"), False, "New Jersey", state="NJ"),
    case("nd-central-2100", "ND", at(CHI, "2026-11-25 21:00"), False,
         "21:00 Central time (CST)", state="ND"),
    case("nd-mountain-0759", "ND", at(DEN, "2026-11-25 07:59"), False,
         "07:59 Mountain time (MST)", state="ND"),
    case("nd-both-inside", "ND", at(CHI, "2026-11-25 09:00"), True, state="ND"),
    case("dc-0800", "DC", at(NY, "2026-11-25 08:00"), True, state="DC"),
    case("dc-2100", "DC", at(NY, "2026-11-25 21:00"), False, "District of Columbia", state="DC"),
    # DST switch days (US: 2026-03-08 spring forward, 2026-11-01 fall back)
    case("dst-spring-0759-edt", "NY", utc("2026-03-08 11:59"), False, "07:59 Eastern time (EDT)"),
    case("dst-spring-0800-edt", "NY", utc("2026-03-08 12:00"), True),
    case("dst-fall-0759-est", "NY", utc("2026-11-01 12:59"), False, "07:59 Eastern time (EST)"),
    case("dst-fall-0800-est", "NY", utc("2026-11-01 13:00"), True),
    case("dst-fall-2059-est", "NY", utc("2026-11-02 01:59"), True),
    # Split zones: 850 rings in Central and Eastern time
    case("split-850-0730-central", "FL850", utc("2026-11-25 13:30"), False,
         "outside calling hours: it is 07:30 Central time (CST)", zones=(NY,)),
    case("split-850-0800-central", "FL850", utc("2026-11-25 14:00"), True, zones=(NY,)),
    case("split-850-1959-eastern", "FL850", utc("2026-11-26 00:59"), True),
    case("split-850-2000-eastern", "FL850", utc("2026-11-26 01:00"), False,
         "20:00 Eastern time (EST)"),
    # Unknown zone, invalid number
    case("unknown-zone", "UNKNOWN", utc("2026-11-25 16:00"), False, "time zone"),
    case("invalid-number", "INVALID", utc("2026-11-25 16:00"), False, "not a valid phone number"),
    # Toll-free: many zones, allowed only inside everywhere
    case("toll-free-noon-new-york", "TOLLFREE", utc("2026-11-25 17:00"), False,
         "07:00 Hawaii-Aleutian time (HST)"),
    case("toll-free-inside-everywhere", "TOLLFREE", utc("2026-11-25 23:00"), True),
    # Norway: weekdays 09-21, no weekends, holidays, 1 May, 17 May
    case("no-saturday", "NO", at(OSLO, "2026-11-28 12:00"), False,
         "Norway allows no calls on Saturdays"),
    case("no-17-may", "NO", at(OSLO, "2027-05-17 12:00"), False,
         "Norway allows no calls on public holidays"),
    case("no-1-may", "NO", at(OSLO, "2026-05-01 12:00"), False, "Norway"),
    case("no-0859", "NO", at(OSLO, "2026-11-25 08:59"), False, "allowed 09:00-21:00 by Norway"),
    case("no-0900", "NO", at(OSLO, "2026-11-25 09:00"), True),
    case("no-2059", "NO", at(OSLO, "2026-11-25 20:59"), True),
    case("no-2100", "NO", at(OSLO, "2026-11-25 21:00"), False, "Norway"),
    # Canada: 09:00-21:30 weekdays, 10:00-18:00 weekends
    case("ca-saturday-0959", "ON", at(TOR, "2026-11-28 09:59"), False,
         "allowed 10:00-18:00 by Canada (CRTC)"),
    case("ca-saturday-1000", "ON", at(TOR, "2026-11-28 10:00"), True),
    case("ca-sunday-1759", "ON", at(TOR, "2026-11-29 17:59"), True),
    case("ca-sunday-1800", "ON", at(TOR, "2026-11-29 18:00"), False, "Canada"),
    case("ca-weekday-2129", "ON", at(TOR, "2026-11-25 21:29"), True),
    case("ca-weekday-2130", "ON", at(TOR, "2026-11-25 21:30"), False, "allowed 09:00-21:30"),
    case("bc-holiday", "BC", at(VAN, "2026-08-03 12:00"), False, "British Columbia Day",
         state="BC"),
    case("bc-holiday-business", "BC", at(VAN, "2026-08-03 12:00"), True, state="BC",
         kind="business"),
    # United Kingdom (DMA guidance) and the conservative default (Germany)
    case("gb-saturday-0830", "GB", at(LON, "2026-11-28 08:30"), False, "allowed 09:00-21:00"),
    case("gb-wednesday-0830", "GB", at(LON, "2026-11-25 08:30"), True),
    case("gb-wednesday-2100", "GB", at(LON, "2026-11-25 21:00"), False, "United Kingdom"),
    case("default-sunday", "DE", at(BER, "2026-11-29 12:00"), False,
         "conservative default allows no calls on Sundays"),
    case("default-saturday-1759", "DE", at(BER, "2026-11-28 17:59"), True),
    case("default-saturday-1800", "DE", at(BER, "2026-11-28 18:00"), False, "10:00-18:00"),
    case("default-weekday-1959", "DE", at(BER, "2026-11-25 19:59"), True),
    case("default-weekday-2000", "DE", at(BER, "2026-11-25 20:00"), False, "09:00-20:00"),
    case("default-christmas", "DE", at(BER, "2026-12-25 12:00"), False, "Christmas"),
    # Florida's 850 rings in Eastern and Central time: 08:00 Central to 19:00 Central
    case("fl850-central-0759", "FL850", at(CHI, "2026-11-25 07:59"), False,
         "07:59 Central time (CST)"),
    case("fl850-central-0800", "FL850", at(CHI, "2026-11-25 08:00"), True),
    case("fl850-central-1859", "FL850", at(CHI, "2026-11-25 18:59"), True),
    case("fl850-central-1900", "FL850", at(CHI, "2026-11-25 19:00"), False,
         "20:00 Eastern time (EST), allowed 08:00-20:00"),
    # No federal holiday closes a call; a state with no calling-day rule stays open
    case("federal-thanksgiving", "NY", at(NY, "2026-11-26 12:00"), True),
    case("fl-sunday-1959", "FL", at(NY, "2026-11-29 19:59"), True),
]  # fmt: skip


def assert_consistent(target: CallTarget, moment: datetime, verdict: Verdict) -> None:
    """The verdict's next moment is allowed, not earlier than asked, and minute-tight."""
    if verdict.allowed:
        assert verdict.next_allowed_at == moment.astimezone(UTC)
        assert verdict.reasons == ()
        return
    assert verdict.reasons
    nxt = verdict.next_allowed_at
    if nxt is None:
        return
    assert nxt.tzinfo is UTC and nxt >= moment
    assert check(target, nxt).allowed
    probe = nxt - timedelta(minutes=1)
    if probe >= moment:
        assert not check(target, probe).allowed


@pytest.mark.parametrize(("target", "moment", "allowed", "reason"), CASES)
def test_calling_windows(target: CallTarget, moment: datetime, allowed: bool, reason: str) -> None:
    verdict = check(target, moment)
    assert verdict.allowed is allowed, verdict.reasons
    if reason:
        assert any(reason in text for text in verdict.reasons), verdict.reasons
    assert_consistent(target, moment, verdict)


def test_split_area_code_reason_and_local_times() -> None:
    verdict = check(CallTarget(NUMBERS["FL850"], (NY,)), utc("2026-11-25 13:30"))
    assert verdict.jurisdictions == ("US", "US-FL")
    assert verdict.local_times[CHI].strftime("%H:%M") == "07:30"
    assert verdict.local_times[NY].strftime("%H:%M") == "08:30"
    assert verdict.next_allowed_at == utc("2026-11-25 14:00")
    assert any("more than one time zone" in w for w in verdict.warnings)


def test_florida_window_on_a_central_clock_ends_at_1900() -> None:
    target = CallTarget(NUMBERS["FL850"])
    assert check(target, at(CHI, "2026-11-25 18:59")).allowed
    assert not check(target, at(CHI, "2026-11-25 19:00")).allowed


def test_unknown_zone_cannot_be_called_until_one_is_set() -> None:
    verdict = check(CallTarget(NUMBERS["UNKNOWN"]), utc("2026-11-25 16:00"))
    assert verdict.next_allowed_at is None and verdict.local_times == {}
    assert "set one" in verdict.reasons[0]
    set_zone = check(CallTarget(NUMBERS["UNKNOWN"], (BER,)), at(BER, "2026-11-25 12:00"))
    assert set_zone.allowed


def test_invalid_number_is_never_callable() -> None:
    verdict = check(CallTarget(NUMBERS["INVALID"]), utc("2026-11-25 16:00"))
    assert not verdict.allowed and verdict.next_allowed_at is None


def test_toll_free_warns_and_waits_for_every_zone() -> None:
    verdict = check(CallTarget(NUMBERS["TOLLFREE"]), utc("2026-11-25 17:00"))
    assert any("toll-free" in w for w in verdict.warnings)
    assert len(verdict.local_times) > 20
    assert verdict.next_allowed_at == utc("2026-11-25 22:00")


def test_dst_fall_back_next_allowed() -> None:
    target = CallTarget(NUMBERS["NY"])
    verdict = check(target, utc("2026-11-01 05:30"))
    assert verdict.next_allowed_at == utc("2026-11-01 13:00")


def test_dst_spring_forward_next_allowed() -> None:
    verdict = check(CallTarget(NUMBERS["NY"]), utc("2026-03-08 06:00"))
    assert verdict.next_allowed_at == utc("2026-03-08 12:00")


def test_next_allowed_skips_sunday_and_holidays() -> None:
    utah = CallTarget(NUMBERS["UT"], state="UT")
    saturday_night = check(utah, at(DEN, "2026-11-28 21:00"))
    assert saturday_night.next_allowed_at == at(DEN, "2026-11-30 08:00").astimezone(UTC)
    pioneer = check(utah, at(DEN, "2026-07-24 07:00"))
    assert pioneer.next_allowed_at == at(DEN, "2026-07-25 08:00").astimezone(UTC)
    pennsylvania = CallTarget(NUMBERS["PA"], state="PA")
    thanksgiving = check(pennsylvania, at(NY, "2026-11-25 19:30"))
    assert thanksgiving.next_allowed_at == at(NY, "2026-11-28 09:00").astimezone(UTC)


def test_pennsylvania_act_takes_over_on_its_effective_date() -> None:
    target = CallTarget(NUMBERS["PA"], state="PA")
    saturday_before = check(target, at(NY, "2026-10-17 20:00"))
    assert saturday_before.allowed
    assert not any("Act 47" in w for w in saturday_before.warnings)
    sunday_after = check(target, at(NY, "2026-10-18 12:00"))
    assert not sunday_after.allowed
    assert any("U/R" in w for w in sunday_after.warnings)


def test_florida_cap_after_three_calls() -> None:
    target = CallTarget(NUMBERS["FL"])
    now = at(NY, "2026-11-25 12:00")
    calls = [PastCall(now - timedelta(hours=h), "no-answer") for h in (5, 3, 1)]
    verdict = check(target, now, calls)
    assert not verdict.allowed
    assert (
        "3 calls in the last 24 h to this number (Florida (US-FL, from area code 305) cap: 3 per 24 h)"
        in verdict.reasons
    )
    assert verdict.next_allowed_at == at(NY, "2026-11-26 08:00").astimezone(UTC)
    assert check(target, verdict.next_allowed_at, calls).allowed
    assert check(target, now, calls[1:]).allowed


def test_florida_cap_release_waits_for_the_window() -> None:
    target = CallTarget(NUMBERS["FL"])
    now = at(NY, "2026-11-25 19:00")
    calls = [PastCall(now - timedelta(minutes=m), "voicemail") for m in (30, 20, 10)]
    verdict = check(target, now, calls)
    assert verdict.next_allowed_at == at(NY, "2026-11-26 18:30").astimezone(UTC)
    early = [PastCall(at(NY, f"2026-11-25 06:{m}"), "busy") for m in ("00", "10", "20")]
    before_opening = check(target, at(NY, "2026-11-25 07:00"), early)
    assert len(before_opening.reasons) == 2
    assert before_opening.next_allowed_at == at(NY, "2026-11-26 08:00").astimezone(UTC)


def test_cap_does_not_apply_without_a_cap_state() -> None:
    now = at(NY, "2026-11-25 12:00")
    calls = [PastCall(now - timedelta(minutes=m), "no-answer") for m in (40, 30, 20, 10)]
    assert check(CallTarget(NUMBERS["NY"]), now, calls).allowed


def test_washington_refusal_blocks_for_a_year() -> None:
    target = CallTarget(NUMBERS["WA"], state="WA")
    refused = at(LAX, "2026-03-02 10:00")
    now = at(LAX, "2026-11-25 11:00")
    verdict = check(target, now, [PastCall(refused, "no")])
    assert not verdict.allowed
    assert any("365 days after a refusal" in r for r in verdict.reasons)
    assert verdict.next_allowed_at == at(LAX, "2027-03-02 10:00").astimezone(UTC)
    dnc = check(target, now, [PastCall(refused, "do-not-call")])
    assert not dnc.allowed
    long_ago = [PastCall(at(LAX, "2025-10-01 10:00"), "no")]
    assert check(target, now, long_ago).allowed
    assert check(target, now, [PastCall(refused, "no-answer")]).allowed
    assert check(CallTarget(NUMBERS["NY"]), at(NY, "2026-11-25 12:00"), [PastCall(refused, "no")])


def test_min_gap_between_calls() -> None:
    target = CallTarget(NUMBERS["NY"])
    now = at(NY, "2026-11-25 12:00")
    calls = [PastCall(now - timedelta(minutes=30), "no-answer")]
    verdict = check(target, now, calls, min_gap=timedelta(hours=2))
    assert not verdict.allowed
    assert any("minimum gap" in r for r in verdict.reasons)
    assert verdict.next_allowed_at == at(NY, "2026-11-25 13:30").astimezone(UTC)
    assert check(target, now, calls, min_gap=timedelta(minutes=20)).allowed


def test_british_columbia_one_call_per_thirty_days() -> None:
    target = CallTarget(NUMBERS["BC"], state="BC")
    now = at(VAN, "2026-11-25 12:00")
    verdict = check(target, now, [PastCall(now - timedelta(days=3), "no-answer")])
    assert any(
        "British Columbia (CA-BC, from the lead's State column and area code 604) cap: 1 per 30 days"
        in r
        for r in verdict.reasons
    )


def test_jurisdictions_combine_state_and_presumed_area_code_state() -> None:
    verdict = check(CallTarget(NUMBERS["FL"], state="TX"), at(NY, "2026-11-25 08:30"))
    assert verdict.jurisdictions == ("US", "US-TX", "US-FL")
    assert not verdict.allowed  # Texas opens at 09:00 in the number's own zone
    by_name = check(CallTarget(NUMBERS["NY"], state="Utah"), at(NY, "2026-11-29 12:00"))
    assert by_name.jurisdictions == ("US", "US-UT") and not by_name.allowed


def test_business_calls_skip_consumer_only_rules() -> None:
    verdict = check(CallTarget(NUMBERS["TX"], state="TX", kind="business"), utc("2026-11-25 15:00"))
    assert verdict.jurisdictions == ("US",)
    assert any("consumer calls only" in w for w in verdict.warnings)
    norway = check(CallTarget(NUMBERS["NO"], kind="business"), at(OSLO, "2026-11-28 12:00"))
    assert norway.allowed  # no consumer rule; the conservative default allows Saturday noon


def test_warnings_for_low_confidence_and_non_statutory_windows() -> None:
    gb = check(CallTarget(NUMBERS["GB"]), at(LON, "2026-11-25 12:00"))
    assert any("DMA" in w for w in gb.warnings)
    de = check(CallTarget(NUMBERS["DE"]), at(BER, "2026-11-25 12:00"))
    assert de.jurisdictions == ("DE",) and any("not a law" in w for w in de.warnings)


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError):
        check(CallTarget(NUMBERS["NY"]), datetime(2026, 11, 25, 12))
    with pytest.raises(ValueError):
        check(CallTarget(NUMBERS["NY"], kind="robot"), utc("2026-11-25 16:00"))


def test_candidate_zones() -> None:
    assert candidate_zones(NUMBERS["FL850"]) == (CHI, NY)
    assert candidate_zones(NUMBERS["UNKNOWN"]) == ()
    assert candidate_zones("not a number") == ()
    assert "Etc/Unknown" not in candidate_zones(NUMBERS["TOLLFREE"])
    assert len(candidate_zones(NUMBERS["TOLLFREE"])) > 20
    for npa in ("850", "448", "930", "458", "986", "364"):
        assert len(candidate_zones(f"+1{npa}2001234")) >= 2, npa


def test_rule_data_is_sourced_and_dated() -> None:
    book = load_rules()
    expected = {"US", "US-FL", "US-OK", "US-MD", "US-WA", "US-LA", "US-MS", "US-AL", "US-UT",
                "US-TX", "US-KY", "US-RI", "US-MA", "US-CT", "US-PA", "US-NJ", "US-ND", "US-DC",
                "CA", "CA-BC", "NO", "GB", "default"}  # fmt: skip
    assert expected <= set(book.by_jurisdiction)
    for rows in book.by_jurisdiction.values():
        for rule in rows:
            assert rule.as_of == "2026-11" and rule.citation and rule.confidence
            assert rule.url or rule.jurisdiction == "default"
    pa = book.rows("US-PA")
    assert [r.confidence for r in pa] == ["S", "U/R"]
    assert book.rows("US-WA")[0].refusal_cooldown_days == 365


def test_area_code_data() -> None:
    codes = load_area_codes()
    required = (
        "850 219 308 812 906 620 541 458 208 986 605 701 785 270 364 423 574 606 775 928 930 448"
    )
    for npa in required.split():
        assert len(codes.split[npa].zones) >= 2 and codes.split[npa].source, npa
    assert codes.regions["850"] == ("US-FL",) and codes.regions["405"] == ("US-OK",)
    assert codes.regions["203"] == ("US-CT",) and codes.regions["604"] == ("CA-BC",)
    assert len(codes.regions) > 400


NANP_STATES = [npa for npa, places in load_area_codes().regions.items() if places[0][:3] == "US-"]


@st.composite
def us_numbers(draw: st.DrawFn) -> str:
    npa = draw(st.sampled_from([*NANP_STATES, "800", "888"]))
    nxx = draw(st.integers(200, 999))
    line = draw(st.integers(0, 9999))
    return f"+1{npa}{nxx}{line:04d}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=us_numbers(),
    moment=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    state=st.sampled_from([None, "FL", "TX", "UT", "RI", "PA", "MS", "KY", "WA", "NY"]),
    kind=st.sampled_from(["consumer", "business"]),
    past=st.lists(
        st.tuples(st.integers(1, 48 * 60), st.sampled_from(sorted(OUTCOMES))), max_size=4
    ),
)
def test_property_federal_floor_and_next_allowed(
    number: str,
    moment: datetime,
    state: str | None,
    kind: str,
    past: list[tuple[int, str]],
) -> None:
    zones = candidate_zones(number)
    assume(zones)
    target = CallTarget(number, state=state, kind=kind)
    history = [PastCall(moment - timedelta(minutes=m), outcome) for m, outcome in past]
    verdict = check(target, moment, history)
    if state is not None:
        # The lead's state narrows where the number rings (tests/cli/test_address_zones.py
        # pins which zones); the floor holds in every zone the verdict judged.
        zones = tuple(verdict.local_times)
        assert zones
    for zone in zones:
        local = moment.astimezone(ZoneInfo(zone))
        if not 8 <= local.hour < 21:
            assert not verdict.allowed, (zone, local)
    if verdict.next_allowed_at is not None:
        assert verdict.next_allowed_at >= moment
        assert check(target, verdict.next_allowed_at, history).allowed


# The history rules at their edges, as a rep reads them: the gap and the cap
# sentences word for word, the first minute a call is allowed again, and rules
# that apply only from the day they took effect.


def test_min_gap_sentence_names_both_spans_in_days_hours_and_minutes() -> None:
    target = CallTarget(NUMBERS["NY"])
    now = at(NY, "2026-11-25 12:00")
    cases = [
        # last call, gap, the sentence's two spans, next allowed (New York time)
        ("2026-11-25 11:30", timedelta(hours=2), "30 min", "2 h", "2026-11-25 13:30"),
        ("2026-11-24 10:59", timedelta(minutes=1565), "1 d 1 h 1 min", "1 d 2 h 5 min",
         "2026-11-25 13:04"),
        ("2026-11-23 12:00", timedelta(days=3), "2 d", "3 d", "2026-11-26 12:00"),
    ]  # fmt: skip
    for last, gap, ago, minimum, allowed_at in cases:
        verdict = check(target, now, [PastCall(at(NY, last), "no-answer")], min_gap=gap)
        assert verdict.reasons == (
            f"the last call was {ago} ago and your minimum gap between calls is {minimum}",
        )
        assert verdict.next_allowed_at == at(NY, allowed_at).astimezone(UTC)


def test_a_call_seconds_ago_is_under_a_minute_and_the_gap_ends_on_the_next_whole_minute() -> None:
    target = CallTarget(NUMBERS["NY"])
    now = at(NY, "2026-11-25 12:00")
    last = at(NY, "2026-11-25 11:59:40.250000")
    verdict = check(target, now, [PastCall(last, "busy")], min_gap=timedelta(minutes=90))
    assert verdict.reasons == (
        "the last call was under a minute ago and your minimum gap between calls is 1 h 30 min",
    )
    # 11:59:40.25 + 1 h 30 min is 13:29:40.25: the next whole minute is 13:30.
    assert verdict.next_allowed_at == at(NY, "2026-11-25 13:30").astimezone(UTC)
    exactly = at(NY, "2026-11-25 10:30")
    on_the_minute = check(target, now, [PastCall(exactly, "busy")], min_gap=timedelta(hours=2))
    assert on_the_minute.next_allowed_at == at(NY, "2026-11-25 12:30").astimezone(UTC)


def test_the_gap_counts_from_the_latest_call_and_ends_when_it_has_passed() -> None:
    target = CallTarget(NUMBERS["NY"])
    now = at(NY, "2026-11-25 12:00")
    gap = timedelta(hours=2)
    calls = [PastCall(at(NY, "2026-11-25 08:00"), "no-answer"),
             PastCall(at(NY, "2026-11-25 11:30"), "busy")]  # fmt: skip
    assert not check(target, now, calls, min_gap=gap).allowed
    two_hours_ago = [PastCall(at(NY, "2026-11-25 10:00"), "no-answer")]
    assert check(target, now, two_hours_ago, min_gap=gap).allowed


def test_one_call_in_a_thirty_day_cap_is_one_call() -> None:
    target = CallTarget(NUMBERS["BC"], state="BC")
    now = at(VAN, "2026-11-25 12:00")
    verdict = check(target, now, [PastCall(at(VAN, "2026-11-22 11:30:10"), "no-answer")])
    assert verdict.reasons == (
        "1 call in the last 30 days to this number (British Columbia (CA-BC, from the lead's "
        "State column and area code 604) cap: 1 per 30 days)",
    )
    # 30 days after 11:30:10 on 22 Nov, rounded up to the minute: 11:31 on 22 Dec.
    assert verdict.next_allowed_at == at(VAN, "2026-12-22 11:31").astimezone(UTC)


def test_a_cap_counts_only_from_the_day_its_law_took_effect() -> None:
    # Maryland's three calls per 24 h started on 2024-01-01.
    target = CallTarget(NUMBERS["MD"], state="MD")
    for day, blocked in (("2023-12-20", False), ("2024-01-10", True)):
        now = at(NY, f"{day} 12:00")
        calls = [PastCall(now - timedelta(hours=h), "no-answer") for h in (3, 2, 1)]
        verdict = check(target, now, calls)
        assert verdict.allowed is not blocked, (day, verdict.reasons)
    # A 305 number of a Maryland lead in 2023: Maryland's cap is not yet law,
    # Florida's (from the area code) is, and it still counts.
    both = CallTarget(NUMBERS["FL"], state="MD")
    now = at(NY, "2023-11-15 12:00")
    calls = [PastCall(now - timedelta(hours=h), "no-answer") for h in (3, 2, 1)]
    verdict = check(both, now, calls)
    assert verdict.jurisdictions == ("US", "US-MD", "US-FL")
    assert [r for r in verdict.reasons if "cap" in r] == [
        "3 calls in the last 24 h to this number (Florida (US-FL, from area code 305) cap: "
        "3 per 24 h)"
    ]


def test_a_refusal_blocks_for_exactly_one_year() -> None:
    target = CallTarget(NUMBERS["WA"], state="WA")
    refused = [PastCall(at(LAX, "2025-11-25 11:00"), "no")]
    assert not check(target, at(LAX, "2026-11-25 10:59"), refused).allowed
    assert check(target, at(LAX, "2026-11-25 11:00"), refused).allowed


def test_a_state_is_read_by_code_name_or_iso_code_and_an_unknown_one_is_ignored_aloud() -> None:
    noon = at(NY, "2026-11-25 12:00")
    for state in ("TX", " tx ", "Texas", "US-TX", "us-tx"):
        verdict = check(CallTarget(NUMBERS["NY"], state=state), noon)
        assert verdict.jurisdictions == ("US", "US-TX"), state
        assert verdict.sources["US-TX"] == "the lead's State column", state
    for state in ("US-ZZ", "ZZ", "ON", "CA-ON", "Ontario"):
        verdict = check(CallTarget(NUMBERS["NY"], state=state), noon)
        assert verdict.jurisdictions == ("US",), state
        assert f"state {state!r} is not a known subdivision of US; ignored" in verdict.warnings
    ontario = check(CallTarget(NUMBERS["ON"], state="CA-ON"), at(TOR, "2026-11-25 12:00"))
    assert ontario.sources["CA-ON"] == "the lead's State column and area code 416"


def test_seconds_count_at_the_edges_of_a_window() -> None:
    target = CallTarget(NUMBERS["NY"])
    assert not check(target, at(NY, "2026-11-25 07:59:30")).allowed
    assert not check(target, at(NY, "2026-11-25 07:59:55")).allowed
    opened = check(target, at(NY, "2026-11-25 08:00:30"))
    assert opened.allowed and opened.next_allowed_at == utc("2026-11-25 13:00:30")
    assert opened.next_allowed_at.tzinfo is UTC  # type: ignore[union-attr]
    assert check(target, at(NY, "2026-11-25 20:59:59")).allowed


def test_zone_names_that_cannot_be_used_are_ignored_and_named() -> None:
    noon = at(NY, "2026-11-25 12:00")
    made_up = check(CallTarget(NUMBERS["NY"], ("Mars/Olympus", NY)), noon)
    assert made_up.allowed and "unknown time zone name 'Mars/Olympus' ignored" in made_up.warnings
    # No zone at all, or the import's "unknown" marker: the number's own zones, no warning.
    for zones in (("",), ("Etc/Unknown",)):
        verdict = check(CallTarget(NUMBERS["NY"], zones), noon)
        assert verdict.allowed and list(verdict.local_times) == [NY], zones
        assert not any("time zone name" in w for w in verdict.warnings), zones


def test_a_number_that_cannot_be_placed_still_says_whose_rules_and_warnings_apply() -> None:
    unknown = check(CallTarget(NUMBERS["UNKNOWN"]), utc("2026-11-25 16:00"))
    assert unknown.jurisdictions == ("001",)
    assert unknown.sources == {"001": "the number's country code"}
    assert any("conservative default" in w for w in unknown.warnings)
    invalid = check(CallTarget(NUMBERS["INVALID"]), utc("2026-11-25 16:00"))
    assert (invalid.jurisdictions, invalid.sources, invalid.warnings) == ((), {}, ())
    assert invalid.reasons == ("+15550100 is not a valid phone number, so it cannot be checked",)


class _NoOffset(tzinfo):
    """A time zone that knows no offset: not timezone-aware in Python's sense."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


def test_moments_without_an_offset_are_refused_by_name() -> None:
    target = CallTarget(NUMBERS["NY"])
    noon = at(NY, "2026-11-25 12:00")
    for naive in (datetime(2026, 11, 25, 12), datetime(2026, 11, 25, 12, tzinfo=_NoOffset())):
        with pytest.raises(ValueError, match=r"^at must be a timezone-aware datetime$"):
            check(target, naive)
        with pytest.raises(ValueError, match=r"^PastCall\.at must be a timezone-aware datetime$"):
            check(target, noon, [PastCall(naive, "no")])


def test_numbers_of_one_area_code_share_their_window_and_others_stand_alone() -> None:
    # The session passes every lead of a group found closed; a group is one
    # North American area code with the same zones, state and kind.
    austin = CallTarget("+15125550134", (CHI,), "TX")
    assert window_group(austin) == window_group(CallTarget("+15126660199", (CHI,), "TX"))
    assert window_group(austin) != window_group(CallTarget("+12145550134", (CHI,), "TX"))
    assert window_group(austin) != window_group(CallTarget("+15125550134", (CHI,), "OK"))
    assert window_group(CallTarget("+15125550134")) is None  # zones still to be derived
    assert window_group(CallTarget(NUMBERS["NO"], (OSLO,))) is None  # not North American
