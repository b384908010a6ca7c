"""Offline, explainable calling-window engine: may this number be called now, and if not, when?

A call is checked against every rule that applies to the number (the country's
row, the lead's state or province, and the state or province its area code
serves: where the two differ, both apply and the stricter wins), in **every**
time zone the number may ring in. The answer carries one plain sentence per
reason, naming the rule and where its state came from, the local times, the
rules' warnings and the earliest moment the call becomes allowed.

Pure functions: no database, no UI. The Do-Not-Call lookup happens elsewhere.
Not legal advice: the rules come from ``rules.toml`` with their sources.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as pn_timezone

from dialsmile.compliance.address import (
    ONE_PLAN,
    country_zones,
    place_zones,
    same_clock,
    subdivision_of,
)
from dialsmile.compliance.rules import (
    Rule,
    Window,
    load_area_codes,
    load_rules,
)
from dialsmile.compliance.zones import generic_zone_name, local_time
from dialsmile.text import WEEKDAY_NAMES, span_text

__all__ = [
    "OUTCOMES",
    "REFUSALS",
    "SEARCH_DAYS",
    "CallTarget",
    "PastCall",
    "Verdict",
    "candidate_zones",
    "check",
    "zones_in_country",
]

OUTCOMES = frozenset(
    {
        "yes",
        "no",
        "hang-up",
        "no-answer",
        "voicemail",
        "busy",
        "bad-number",
        "callback",
        "do-not-call",
    }
)
"""The outcomes a :class:`PastCall` may carry (every one counts as a call)."""

REFUSALS = frozenset({"no", "do-not-call"})
"""Outcomes that start a refusal cooldown (Washington: one year)."""

SEARCH_DAYS = 400
"""How far ahead :func:`check` looks for the next allowed moment."""

_UNKNOWN_ZONE = "Etc/Unknown"
_DAY_SECONDS = 86400
_US_TERRITORIES = frozenset({"US", "PR", "VI", "GU", "MP", "AS"})
_MANY_ZONES = 4
_NARROWED = "the lead's state"


@dataclass(frozen=True)
class CallTarget:
    """The number to call and what the lead file says about where it is."""

    e164: str
    """The number in E.164 form, ``"+18506172000"``."""
    timezones: tuple[str, ...] = ()
    """Candidate IANA zones from the import; empty means derive them from the number."""
    state: str | None = None
    """US state / Canadian province code from the lead file (``"FL"``), if any."""
    kind: str = "consumer"
    """``"consumer"`` or ``"business"``: consumer-only rules are skipped for businesses."""
    state_from: str = "the lead's State column"
    """Where ``state`` came from, shown with the rules it brings (``"--state"``)."""
    country: str | None = None
    """ISO code of the lead's country (``"CA"``), if any. For a number tied to no
    place (toll-free, a mobile) whose calling code serves that country, it is
    whose rules apply: a Canadian lead's 1-800 number, a UK lead's mobile in a
    range phonenumbers files under Jersey."""


@dataclass(frozen=True)
class PastCall:
    """An earlier call to the same number (and subject): when, and how it ended."""

    at: datetime
    """Timezone-aware moment of the call."""
    outcome: str
    """One of :data:`OUTCOMES`."""


@dataclass(frozen=True)
class Verdict:
    """Whether the call is allowed at the asked moment, and why or why not."""

    allowed: bool
    jurisdictions: tuple[str, ...]
    """Where the rules come from, e.g. ``("US", "US-FL")``."""
    reasons: tuple[str, ...]
    """One plain sentence per reason the call is blocked (empty when allowed)."""
    local_times: dict[str, datetime]
    """Zone -> local time at the asked moment, for every zone the call was checked in."""
    next_allowed_at: datetime | None
    """The earliest allowed moment at or after the asked one, in UTC.

    None only when the number can never be called: invalid number, unknown zone,
    or nothing allowed within :data:`SEARCH_DAYS` days."""
    warnings: tuple[str, ...]
    """Things to know that do not block the call (many zones, unconfirmed rules)."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Every place considered -> where it came from: ``{"US": "the number's country code",
    "US-UT": "area code 801"}``; places without rules of their own are listed too."""


@dataclass(frozen=True, slots=True)
class _ZoneCheck:
    key: str
    zone: ZoneInfo
    rules: tuple[Rule, ...]
    names: Mapping[str, str]
    """Rule key -> the name shown in reasons: ``"Utah (US-UT, from area code 801)"``."""
    signature: str


@dataclass(frozen=True, slots=True)
class _Day:
    window: Window | None
    closed: str
    start_by: str
    end_by: str


@dataclass(frozen=True, slots=True)
class _Plan:
    error: str | None
    jurisdictions: tuple[str, ...]
    sources: Mapping[str, str]
    names: Mapping[str, str]
    checks: tuple[_ZoneCheck, ...]
    caps: tuple[Rule, ...]
    cooldowns: tuple[Rule, ...]
    warnings: tuple[str, ...]
    rule_warnings: tuple[tuple[Rule, str], ...]


_DAYS: dict[tuple[str, date], _Day] = {}
_DAYS_LIMIT = 500_000


def _zone(name: str) -> ZoneInfo | None:
    return _zone_cached(name) if name and name != _UNKNOWN_ZONE else None


_NANP = re.compile(r"\+1[2-9]\d{2}[2-9]\d{6}")


def window_group(target: CallTarget) -> tuple[object, ...] | None:
    """A key shared by targets whose calling windows are the same, or None.

    For a North American number the rules depend on its area code only
    (country or territory, toll-free, presumed state), so two such targets
    with the same area code, given zones, state, kind and country get the same
    verdict with no history. Other numbers (and targets without zones) stand
    alone. A caller can check one target per group and pass the rest.
    """
    if not target.timezones or not _NANP.fullmatch(target.e164):
        return None
    return (target.e164[:5], target.timezones, target.state, target.kind, target.country)


@functools.lru_cache(maxsize=1024)
def _zone_cached(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@functools.lru_cache(maxsize=65536)
def _parse(e164: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(e164.strip(), None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _npa(number: phonenumbers.PhoneNumber) -> str | None:
    if number.country_code != 1:
        return None
    national = str(number.national_number)
    return national[:3] if len(national) == 10 else None


@functools.lru_cache(maxsize=65536)
def candidate_zones(e164: str) -> tuple[str, ...]:
    """Every IANA zone the number may ring in, sorted; ``()`` when unknown or invalid.

    phonenumbers' zones for the number, plus all zones of its area code when
    that code is in the split-zone supplement (``area_codes.toml``); never
    ``Etc/Unknown``.
    """
    number = _parse(e164)
    if number is None:
        return ()
    zones = {z for z in pn_timezone.time_zones_for_number(number) if _zone(z) is not None}
    npa = _npa(number)
    split = load_area_codes().split.get(npa) if npa else None
    if split:
        zones.update(z for z in split.zones if _zone(z) is not None)
    return tuple(sorted(zones))


def number_country(e164: str) -> str:
    """The country whose states a lead's State column is read in: the number's own.

    US territories (Puerto Rico, Guam) read US states; "001" for numbers of no country.
    """
    number = _parse(e164)
    return _country(phonenumbers.region_code_for_number(number) if number else None)


def _rings_in(country: str, number: phonenumbers.PhoneNumber) -> bool:
    """True when a number tied to no place may ring in ``country``: its calling code serves it.

    A Canadian lead's +1 800 number rings in Canada, a UK lead's +44 7797
    mobile (a range of Jersey's) in the UK; a geographic number rings where
    its area code is, whatever the lead's address says.
    """
    if country not in phonenumbers.region_codes_for_country_code(number.country_code or 0):
        return False
    return not phonenumbers.is_number_geographical(number)


def _lead_region(target: CallTarget, number: phonenumbers.PhoneNumber) -> str | None:
    """The lead's country when it, not the number, says whose rules apply; else None."""
    lead = (target.country or "").strip().upper()
    if not lead or lead == phonenumbers.region_code_for_number(number):
        return None
    return lead if _rings_in(lead, number) else None


@functools.lru_cache(maxsize=65536)
def zones_in_country(e164: str, zones: tuple[str, ...], country: str) -> tuple[str, ...]:
    """``zones`` of a number narrowed to those of the lead's ``country``.

    A number tied to no place (toll-free, a mobile) rings where the lead is:
    the country's zones alone (a Canadian lead's 1-800 number: Canada's, a US
    lead's: the United States', not Canada's). A geographic number, a country
    its calling code does not serve, or an unknown country keeps ``zones``.
    """
    number = _parse(e164)
    if number is None or not _rings_in(country.upper(), number):
        return zones
    return tuple(z for z in country_zones(country.upper()) if _zone(z) is not None) or zones


def _country(region: str | None) -> str:
    region = region or "001"
    return "US" if region in _US_TERRITORIES else region


def _subdivision(state: str, country: str) -> str | None:
    """``"TX"``, ``"Texas"`` or ``"US-TX"`` -> ``"US-TX"``; None unless it is one of ``country``'s."""
    text = state.strip().upper().removeprefix(f"{country}-")
    code = load_area_codes().subdivision_names.get(text)
    return code if code and code.startswith(f"{country}-") else None


def _zones_for(
    target: CallTarget, number: phonenumbers.PhoneNumber, country: str
) -> tuple[list[str], list[str]]:
    warnings: list[str] = []
    given = []
    for name in target.timezones:
        if _zone(name) is not None:
            given.append(name)
        elif name and name != _UNKNOWN_ZONE:
            warnings.append(f"unknown time zone name {name!r} ignored")
    if not given:
        return _narrowed(target, number, country, list(candidate_zones(target.e164)), warnings)
    zones = set(given)
    npa = _npa(number)
    split = load_area_codes().split.get(npa) if npa else None
    if split:
        zones.update(z for z in split.zones if _zone(z) is not None)
    return _narrowed(target, number, country, sorted(zones), warnings)


def _narrowed(
    target: CallTarget,
    number: phonenumbers.PhoneNumber,
    country: str,
    zones: list[str],
    warnings: list[str],
) -> tuple[list[str], list[str]]:
    """The number's zones narrowed to those of the lead's state, when it names one.

    A number that is not tied to a place (toll-free, a mobile in most
    countries) rings where the lead is: the state's zones alone. A
    geographic number keeps its zones that keep the state's clock. When the
    two share no zone, the call must fit both, and a warning says so.
    """
    place = place_zones(country, target.state) if target.state else ()
    place = tuple(z for z in place if _zone(z) is not None)
    if not place:
        return zones, warnings
    narrowed = f"{_NARROWED} ({target.state}, from {target.state_from}) narrows"
    if not zones or not phonenumbers.is_number_geographical(number):
        warnings.append(f"{narrowed} where {target.e164} rings to {_zone_list(place)}")
        return list(place), warnings
    kept = [z for z in place if any(same_clock(z, own) for own in zones)]
    if kept:
        if len(kept) < len(zones):
            warnings.append(f"{narrowed} where {target.e164} rings to {_zone_list(kept)}")
        return kept, warnings
    warnings.append(
        f"{_NARROWED} ({target.state}, from {target.state_from}) and the number "
        f"{target.e164} disagree on where it rings, so the call must fit the window in both"
    )
    return sorted({*zones, *place}), warnings


def _zone_list(zones: Sequence[str]) -> str:
    """``"Central time and Mountain time"``, or ``"5 zones"`` when there are many."""
    if len(zones) > _MANY_ZONES:
        return f"{len(zones)} zones"
    names = [generic_zone_name(z) for z in zones]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _places(
    target: CallTarget,
    number: phonenumbers.PhoneNumber,
    country: str,
    warnings: list[str],
    from_lead: bool,
) -> dict[str, list[str]]:
    """Every place whose rules may apply -> where it came from (the country first).

    The state or province in the lead (or ``--state``), and the ones the area
    code serves: both apply when they differ, so the stricter wins.
    """
    places: dict[str, list[str]] = {
        country: ["the lead's country" if from_lead else "the number's country code"]
    }
    if target.state and target.state.strip():
        code = _subdivision(target.state, country)
        # The area-code table names every US state and Canadian province: only another
        # country's state needs ISO 3166-2 (pycountry, loaded on first use).
        if code is None and (country in ONE_PLAN or subdivision_of(country, target.state) is None):
            warnings.append(
                f"state {target.state!r} is not a known subdivision of {country}; ignored"
            )
        elif code is not None:
            places.setdefault(code, []).append(target.state_from)
    npa = _npa(number)
    for area in load_area_codes().regions.get(npa, ()) if npa else ():
        if area.startswith(f"{country}-"):
            places.setdefault(area, []).append(f"area code {npa}")
    return places


def _shown_name(rule: Rule, place: str, sources: list[str]) -> str:
    """``"Utah (US-UT, from area code 801)"``: a state rule with where its state came from."""
    if "-" not in place:
        return rule.name
    note = f"{place}, from {' and '.join(sources)}"
    if rule.name.endswith(")"):
        return f"{rule.name[:-1]}; {note})"
    return f"{rule.name} ({note})"


@functools.lru_cache(maxsize=65536)
def _plan(target: CallTarget) -> _Plan:
    if target.kind not in ("consumer", "business"):
        raise ValueError(f"kind must be 'consumer' or 'business', not {target.kind!r}")
    number = _parse(target.e164)
    if number is None:
        error = f"{target.e164} is not a valid phone number, so it cannot be checked"
        return _Plan(error, (), {}, {}, (), (), (), (), ())
    lead_region = _lead_region(target, number)
    region = lead_region or phonenumbers.region_code_for_number(number) or "001"
    country = _country(region)
    book = load_rules()
    warnings: list[str] = []
    places = _places(target, number, country, warnings, lead_region is not None)
    sources = {place: " and ".join(found) for place, found in places.items()}

    rules: list[Rule] = []
    names: dict[str, str] = {}
    jurisdictions: list[str] = []
    for place, found in places.items():
        rows = book.rows(place)
        if not rows:
            continue
        usable = [r for r in rows if target.kind == "consumer" or r.applies_to == "all"]
        if not usable:
            warnings.append(
                f"{rows[-1].name} rules cover consumer calls only, so they are not applied "
                "to this business call"
            )
            continue
        rules.extend(usable)
        names.update((r.key, _shown_name(r, place, found)) for r in usable)
        jurisdictions.append(place)
    if country not in jurisdictions:
        defaults = [r.for_country(region) for r in book.default]
        rules[0:0] = defaults
        names.update((r.key, r.name) for r in defaults)
        jurisdictions.insert(0, country)

    zones, zone_warnings = _zones_for(target, number, country)
    warnings.extend(zone_warnings)
    rule_warnings = tuple(
        (rule, text)
        for rule in rules
        for text in (
            rule.warning,
            f"{rule.name}: rule confidence {rule.confidence} ({rule.citation}); "
            "re-check the source before relying on it"
            if rule.low_confidence
            else None,
        )
        if text
    )
    if not zones:
        return _Plan(
            f"the time zone of {target.e164} is unknown: set one for this lead before calling",
            tuple(jurisdictions),
            sources,
            names,
            (),
            (),
            (),
            tuple(warnings),
            rule_warnings,
        )

    named = any(w.startswith(_NARROWED) for w in warnings)  # names the zones already
    if _toll_free(number) and not named:
        warnings.append(
            f"toll-free number: it may ring in any of {len(zones)} time zones, so it is "
            "callable only while every one of them is inside its calling window"
        )
    elif len(zones) > 1 and not named:
        shown = (
            ", ".join(generic_zone_name(z) for z in zones)
            if len(zones) <= _MANY_ZONES
            else f"{len(zones)} zones"
        )
        warnings.append(
            f"{target.e164} may ring in more than one time zone ({shown}); "
            "the call must fit the window in each"
        )

    ruleset = tuple(rules)
    checks = [
        _ZoneCheck(name, zone, ruleset, names, _signature(ruleset, names))
        for name in zones
        if (zone := _zone(name)) is not None
    ]
    fixed: dict[str, list[Rule]] = {}
    for rule in ruleset:
        if rule.fixed_zone:
            fixed.setdefault(rule.fixed_zone, []).append(rule)
    for name, group in fixed.items():
        zone = _zone(name)
        if zone is None:
            continue
        checks.append(_ZoneCheck(name, zone, tuple(group), names, _signature(group, names)))
    return _Plan(
        None,
        tuple(jurisdictions),
        sources,
        names,
        tuple(checks),
        tuple(r for r in ruleset if r.cap is not None),
        tuple(r for r in ruleset if r.refusal_cooldown_days > 0),
        tuple(warnings),
        rule_warnings,
    )


def _signature(rules: Sequence[Rule], names: Mapping[str, str]) -> str:
    """The key of a zone check's day cache: its rules and the names they are shown with."""
    return "|".join(f"{r.key}={names[r.key]}" for r in rules)


def _toll_free(number: phonenumbers.PhoneNumber) -> bool:
    """True for toll-free numbers (800, 888, ... in North America)."""
    return bool(phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.TOLL_FREE)


def _names(names: list[str]) -> str:
    return ", ".join(dict.fromkeys(names))


def _day(check: _ZoneCheck, day: date) -> _Day:
    key = (check.signature, day)
    found = _DAYS.get(key)
    if found is not None:
        return found
    start, end = 0, _DAY_SECONDS
    start_by: list[str] = []
    end_by: list[str] = []
    closed: list[str] = []
    for rule in check.rules:
        if not rule.in_effect(day):
            continue
        name = check.names[rule.key]
        window = rule.window(day)
        if window is None:
            closed.append(f"{name} allows no calls on {WEEKDAY_NAMES[day.weekday()]}s")
            continue
        holiday = rule.closed_day(day)
        if holiday:
            closed.append(f"{name} allows no calls on public holidays ({holiday})")
            continue
        if window.start > start:
            start, start_by = window.start, [name]
        elif window.start == start:
            start_by.append(name)
        if window.end < end:
            end, end_by = window.end, [name]
        elif window.end == end:
            end_by.append(name)
    if not closed and start >= end:
        closed.append(f"the calling windows of {_names(start_by + end_by)} do not overlap")
    result = (
        _Day(None, "; ".join(dict.fromkeys(closed)), "", "")
        if closed
        else _Day(Window(start, end), "", _names(start_by), _names(end_by))
    )
    if len(_DAYS) >= _DAYS_LIMIT:
        _DAYS.clear()
    _DAYS[key] = result
    return result


def _seconds(local: datetime) -> int:
    return local.hour * 3600 + local.minute * 60 + local.second


def _window_reason(check: _ZoneCheck, local: datetime) -> str | None:
    day = local.date()
    info = _day(check, day)
    window = info.window
    if window is None:
        weekday = WEEKDAY_NAMES[day.weekday()]
        return f"it is {weekday} {day.isoformat()}, {local_time(check.key, local)}: {info.closed}"
    seconds = _seconds(local)
    if window.start <= seconds < window.end:
        return None
    by = info.start_by if seconds < window.start else info.end_by
    return (
        f"outside calling hours: it is {local_time(check.key, local)}, "
        f"allowed {window.label()} by {by}"
    )


def _utc(day: date, seconds: int, zone: ZoneInfo) -> datetime:
    hour, rest = divmod(seconds, 3600)
    local = datetime(day.year, day.month, day.day, hour, rest // 60, tzinfo=zone)
    return local.astimezone(UTC)


def _next_open(check: _ZoneCheck, t: datetime) -> datetime | None:
    local = t.astimezone(check.zone)
    first = local.date()
    seconds = _seconds(local)
    for offset in range(SEARCH_DAYS + 2):
        day = first + timedelta(days=offset)
        window = _day(check, day).window
        if window is None:
            continue
        if offset == 0:
            if window.start <= seconds < window.end:
                return t
            if seconds >= window.end:
                continue
        start = _utc(day, window.start, check.zone)
        if start > t:
            return start
    return None


def _ceil_minute(moment: datetime) -> datetime:
    if moment.second or moment.microsecond:
        return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment


def _history_blocks(
    plan: _Plan,
    calls: Sequence[tuple[datetime, str]],
    times: Sequence[datetime],
    t: datetime,
    min_gap: timedelta | None,
) -> list[tuple[str, datetime]]:
    upto = bisect_right(times, t)
    if upto == 0:
        return []
    out: list[tuple[str, datetime]] = []
    today = t.date()
    for rule in plan.caps:
        cap = rule.cap
        if cap is None or not rule.in_effect(today):
            continue
        first = bisect_right(times, t - cap.period, 0, upto)
        count = upto - first
        if count >= cap.max_calls:
            until = times[first + count - cap.max_calls] + cap.period
            noun = "call" if count == 1 else "calls"
            period = cap.period_label()
            out.append(
                (
                    f"{count} {noun} in the last {period} to this number "
                    f"({plan.names[rule.key]} cap: {cap.max_calls} per {period})",
                    _ceil_minute(until),
                )
            )
    for rule in plan.cooldowns:
        if not rule.in_effect(today):
            continue
        span = timedelta(days=rule.refusal_cooldown_days)
        for when, outcome in reversed(calls[:upto]):
            if when <= t - span:
                break
            if outcome in REFUSALS:
                until = when + span
                out.append(
                    (
                        f"the number refused on {when:%Y-%m-%d} ({outcome!r}) and "
                        f"{plan.names[rule.key]} "
                        f"allows no calls for {rule.refusal_cooldown_days} days after a refusal "
                        f"(until {until:%Y-%m-%d})",
                        _ceil_minute(until),
                    )
                )
                break
    if min_gap is not None and min_gap > timedelta(0):
        last = times[upto - 1]
        if t - last < min_gap:
            out.append(
                (
                    f"the last call was {span_text(t - last)} ago and your minimum gap between "
                    f"calls is {span_text(min_gap)}",
                    _ceil_minute(last + min_gap),
                )
            )
    return out


def _search(
    plan: _Plan,
    calls: Sequence[tuple[datetime, str]],
    times: Sequence[datetime],
    start: datetime,
    min_gap: timedelta | None,
) -> datetime | None:
    t = start
    limit = start + timedelta(days=SEARCH_DAYS)
    while t <= limit:
        later = t
        for zone_check in plan.checks:
            opens = _next_open(zone_check, t)
            if opens is None:
                return None
            if opens > later:
                later = opens
        if times:
            for _, until in _history_blocks(plan, calls, times, t, min_gap):
                if until > later:
                    later = until
        if later == t:
            return t
        t = later
    return None


def _dated_warnings(plan: _Plan, days: set[date]) -> tuple[str, ...]:
    texts = (text for rule, text in plan.rule_warnings if any(rule.in_effect(day) for day in days))
    return plan.warnings + tuple(dict.fromkeys(texts))


def check(
    target: CallTarget,
    at: datetime,
    history: Sequence[PastCall] = (),
    *,
    min_gap: timedelta | None = None,
) -> Verdict:
    """Decide whether ``target`` may be called at ``at`` (timezone-aware).

    ``history`` holds earlier calls to this number on the same subject (every
    outcome counts as a call); it feeds per-number caps (Florida: 3 per 24 h),
    refusal cooldowns (Washington: a year after "no" or "do-not-call") and the
    user's ``min_gap`` between calls. When blocked, ``next_allowed_at`` is the
    earliest moment at which this function would allow the call.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be a timezone-aware datetime")
    plan = _plan(target)
    at_utc = at.astimezone(UTC)
    if plan.error is not None:
        warnings = _dated_warnings(plan, {at_utc.date()})
        return Verdict(False, plan.jurisdictions, (plan.error,), {}, None, warnings, plan.sources)

    local_times: dict[str, datetime] = {}
    reasons: list[str] = []
    for zone_check in plan.checks:
        local = at.astimezone(zone_check.zone)
        local_times[zone_check.key] = local
        reason = _window_reason(zone_check, local)
        if reason is not None:
            reasons.append(reason)
    warnings = plan.warnings
    if plan.rule_warnings:
        warnings = _dated_warnings(plan, {local.date() for local in local_times.values()})

    calls: list[tuple[datetime, str]] = []
    times: list[datetime] = []
    if history:
        for call in history:
            if call.at.tzinfo is None or call.at.utcoffset() is None:
                raise ValueError("PastCall.at must be a timezone-aware datetime")
        calls = sorted((call.at.astimezone(UTC), call.outcome) for call in history)
        times = [when for when, _ in calls]
        reasons.extend(text for text, _ in _history_blocks(plan, calls, times, at_utc, min_gap))

    if not reasons:
        return Verdict(True, plan.jurisdictions, (), local_times, at_utc, warnings, plan.sources)
    next_at = _search(plan, calls, times, at_utc, min_gap)
    if next_at is None:
        reasons.append(f"no moment in the next {SEARCH_DAYS} days satisfies every rule")
    return Verdict(
        False, plan.jurisdictions, tuple(reasons), local_times, next_at, warnings, plan.sources
    )
