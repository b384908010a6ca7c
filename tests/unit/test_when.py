"""Reading the callback time a rep types after pressing `c`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from dialsmile.core.when import UnreadableTime, parse_when
from dialsmile.text import moment_text

CHICAGO = "America/Chicago"
NY = "America/New_York"
# Wednesday 25 Nov 2026, 10:15:42 in Chicago: seconds on purpose, results must drop them.
NOW = datetime(2026, 11, 25, 10, 15, 42, tzinfo=ZoneInfo(CHICAGO))


def at(year: int, month: int, day: int, hour: int, minute: int, zone: str = CHICAGO) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


READINGS = [
    # absolute
    ("2026-12-01 09:00", at(2026, 12, 1, 9, 0)),
    ("2026-12-01 9am", at(2026, 12, 1, 9, 0)),
    ("12/01 09:00", at(2026, 12, 1, 9, 0)),
    ("12/01/2026 9:00", at(2026, 12, 1, 9, 0)),
    ("12/01/27", at(2027, 12, 1, 9, 0)),
    ("1 dec 10:30", at(2026, 12, 1, 10, 30)),
    ("dec 1 3pm", at(2026, 12, 1, 15, 0)),
    ("December 1st, 2026 at 9:30 a.m.", at(2026, 12, 1, 9, 30)),
    ("1st of dec", at(2026, 12, 1, 9, 0)),
    ("2026-12-01T09:00", at(2026, 12, 1, 9, 0)),
    ("2026-12-01T09:00+01:00", at(2026, 12, 1, 2, 0)),
    ("2026-12-01T09:00Z", at(2026, 12, 1, 3, 0)),
    ("2026-12-01 09:00-08:00", at(2026, 12, 1, 11, 0)),
    ("nov 24", at(2027, 11, 24, 9, 0)),
    ("11/25 4pm", at(2026, 11, 25, 16, 0)),
    ("feb 29", at(2028, 2, 29, 9, 0)),
    # relative
    ("in 2h", at(2026, 11, 25, 12, 15)),
    ("in 2 hours", at(2026, 11, 25, 12, 15)),
    ("in 90 min", at(2026, 11, 25, 11, 45)),
    ("in 45m", at(2026, 11, 25, 11, 0)),
    ("in 1 min", at(2026, 11, 25, 10, 16)),
    ("in 3 days", at(2026, 11, 28, 10, 15)),
    ("in 1 week", at(2026, 12, 2, 10, 15)),
    ("in 1h30", at(2026, 11, 25, 11, 45)),
    ("in 1h 30", at(2026, 11, 25, 11, 45)),
    ("in 1 hour and 30 minutes", at(2026, 11, 25, 11, 45)),
    ("in an hour and a half", at(2026, 11, 25, 11, 45)),
    ("in half an hour", at(2026, 11, 25, 10, 45)),
    ("in a week", at(2026, 12, 2, 10, 15)),
    ("in 2 months", at(2027, 1, 25, 10, 15)),
    ("in 3 days at 2pm", at(2026, 11, 28, 14, 0)),
    ("in 2 days morning", at(2026, 11, 27, 9, 0)),
    # day words
    ("today 4pm", at(2026, 11, 25, 16, 0)),
    ("tomorrow 3pm", at(2026, 11, 26, 15, 0)),
    ("3pm tomorrow", at(2026, 11, 26, 15, 0)),
    ("tomorrow at 15:00", at(2026, 11, 26, 15, 0)),
    ("tomorrow @ 3pm", at(2026, 11, 26, 15, 0)),
    ("tomorrow", at(2026, 11, 26, 9, 0)),
    ("tmrw 10am", at(2026, 11, 26, 10, 0)),
    ("day after tomorrow", at(2026, 11, 27, 9, 0)),
    ("tue 10:30", at(2026, 12, 1, 10, 30)),
    ("next tue 10:30", at(2026, 12, 1, 10, 30)),
    ("tuesday", at(2026, 12, 1, 9, 0)),
    ("on thursday at 11am", at(2026, 11, 26, 11, 0)),
    ("next thu", at(2026, 11, 26, 9, 0)),
    ("wed", at(2026, 12, 2, 9, 0)),
    ("this wed 4pm", at(2026, 11, 25, 16, 0)),
    ("next week", at(2026, 11, 30, 9, 0)),
    ("next week 2pm", at(2026, 11, 30, 14, 0)),
    ("monday morning", at(2026, 11, 30, 9, 0)),
    ("friday afternoon", at(2026, 11, 27, 14, 0)),
    ("friday afternoon at 3", at(2026, 11, 27, 15, 0)),
    ("tomorrow morning at 10", at(2026, 11, 26, 10, 0)),
    ("tomorrow in the morning", at(2026, 11, 26, 9, 0)),
    ("tomorrow noon", at(2026, 11, 26, 12, 0)),
    ("tomorrow 12 noon", at(2026, 11, 26, 12, 0)),
    ("tomorrow eod", at(2026, 11, 26, 17, 0)),
    ("eod", at(2026, 11, 25, 17, 0)),
    ("end of day", at(2026, 11, 25, 17, 0)),
    ("by end of the day", at(2026, 11, 25, 17, 0)),
    ("this afternoon", at(2026, 11, 25, 14, 0)),
    ("tonight", at(2026, 11, 25, 18, 0)),
    ("tonight 8pm", at(2026, 11, 25, 20, 0)),
    # time alone: today if still ahead, else tomorrow
    ("3pm", at(2026, 11, 25, 15, 0)),
    ("15:00", at(2026, 11, 25, 15, 0)),
    ("3:30 pm", at(2026, 11, 25, 15, 30)),
    ("3:30PM", at(2026, 11, 25, 15, 30)),
    ("3p", at(2026, 11, 25, 15, 0)),
    ("noon", at(2026, 11, 25, 12, 0)),
    ("9am", at(2026, 11, 26, 9, 0)),
    ("10:15", at(2026, 11, 26, 10, 15)),
    ("10:16", at(2026, 11, 25, 10, 16)),
    ("12am", at(2026, 11, 26, 0, 0)),
    ("at 17", at(2026, 11, 25, 17, 0)),
    ("morning", at(2026, 11, 26, 9, 0)),
    # more ways reps write a wait
    ("in half hour", at(2026, 11, 25, 10, 45)),
    ("in one hour", at(2026, 11, 25, 11, 15)),
    ("in an hour", at(2026, 11, 25, 11, 15)),
    ("in a day", at(2026, 11, 26, 10, 15)),
    ("in 1 hour and a half", at(2026, 11, 25, 11, 45)),
    ("in 2 hours and a half", at(2026, 11, 25, 12, 45)),
    ("in 2 days and 3 hours", at(2026, 11, 27, 13, 15)),
    ("in 1 day 2 hours", at(2026, 11, 26, 12, 15)),
    ("in 1 month and 2 weeks", at(2027, 1, 8, 10, 15)),
    ("in 2 w", at(2026, 12, 9, 10, 15)),
    ("in 3 d", at(2026, 11, 28, 10, 15)),
    ("in 30 mins", at(2026, 11, 25, 10, 45)),
    ("in 2 mins", at(2026, 11, 25, 10, 17)),
    ("in 2 hrs", at(2026, 11, 25, 12, 15)),
    ("in 1 hr", at(2026, 11, 25, 11, 15)),
    ("in 1 day in the evening", at(2026, 11, 26, 18, 0)),
    ("in 2 days at 10am", at(2026, 11, 27, 10, 0)),
    ("in 2 days eod", at(2026, 11, 27, 17, 0)),
    # a bare hour with a part of the day, or past 12
    ("tomorrow at 13", at(2026, 11, 26, 13, 0)),
    ("tonight at 9", at(2026, 11, 25, 21, 0)),
    ("tomorrow afternoon at 1", at(2026, 11, 26, 13, 0)),
    ("tomorrow afternoon at 12", at(2026, 11, 26, 12, 0)),
    ("tomorrow evening at 13", at(2026, 11, 26, 13, 0)),
    ("friday evening at 7", at(2026, 11, 27, 19, 0)),
    ("tomorrow 10 evening", at(2026, 11, 26, 22, 0)),
    ("tue morning 10", at(2026, 12, 1, 10, 0)),
    ("next tue morning", at(2026, 12, 1, 9, 0)),
    ("in the afternoon", at(2026, 11, 25, 14, 0)),
    ("eod tomorrow", at(2026, 11, 26, 17, 0)),
    ("tomorrow end of day", at(2026, 11, 26, 17, 0)),
    ("10a", at(2026, 11, 26, 10, 0)),
    ("23:59", at(2026, 11, 25, 23, 59)),
    # weekdays and dates
    ("coming friday", at(2026, 11, 27, 9, 0)),
    ("next wednesday", at(2026, 12, 2, 9, 0)),
    ("wednesday", at(2026, 12, 2, 9, 0)),
    ("the day after tomorrow", at(2026, 11, 27, 9, 0)),
    ("3rd of december", at(2026, 12, 3, 9, 0)),
    ("dec 3 2026 3pm", at(2026, 12, 3, 15, 0)),
    ("2026/12/01", at(2026, 12, 1, 9, 0)),
    ("12/1", at(2026, 12, 1, 9, 0)),
    ("2026-12-01T09:00+05:30", at(2026, 11, 30, 21, 30)),
    ("2026-12-01T09:00+0530", at(2026, 11, 30, 21, 30)),
    ("2026-12-01T09:00+05", at(2026, 11, 30, 22, 0)),
    # case and spacing
    ("  TOMORROW    At   3PM  ", at(2026, 11, 26, 15, 0)),
    ("Tomorrow 3pm!", at(2026, 11, 26, 15, 0)),
    ("Next Tue 10:30.", at(2026, 12, 1, 10, 30)),
]


@pytest.mark.parametrize(("text", "expected"), READINGS, ids=[text for text, _ in READINGS])
def test_reads_phrasings(text: str, expected: datetime) -> None:
    moment = parse_when(text, NOW, CHICAGO)
    assert moment == expected
    assert moment.tzinfo == ZoneInfo(CHICAGO)
    assert (moment.second, moment.microsecond) == (0, 0)


def test_text_is_read_in_the_zone_given_not_in_nows_zone() -> None:
    # 16:15 UTC is 10:15 in Chicago and 17:15 in Oslo, where 3pm has passed.
    now = datetime(2026, 11, 25, 16, 15, tzinfo=UTC)
    oslo = "Europe/Oslo"
    assert parse_when("3pm", now, oslo) == at(2026, 11, 26, 15, 0, zone=oslo)
    assert parse_when("3pm", now, CHICAGO) == at(2026, 11, 25, 15, 0)
    assert parse_when("tomorrow 9am", now, oslo) == at(2026, 11, 26, 9, 0, zone=oslo)
    assert parse_when("in 2h", now, oslo) == at(2026, 11, 25, 19, 15, zone=oslo)
    assert str(parse_when("in 2h", now, oslo).tzinfo) == oslo


def test_today_is_the_date_in_the_zone_given() -> None:
    # 01:00 UTC on Thursday is still Wednesday evening in Chicago.
    now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    assert parse_when("today 8pm", now, CHICAGO) == at(2026, 11, 25, 20, 0)
    assert parse_when("tomorrow", now, CHICAGO) == at(2026, 11, 26, 9, 0)


def test_spring_gap_moves_forward() -> None:
    now = at(2027, 3, 13, 12, 0, zone=NY)
    for text in ("2027-03-14 02:30", "tomorrow 2:30am", "sun 2:30am"):
        moment = parse_when(text, now, NY)
        assert moment == at(2027, 3, 14, 3, 30, zone=NY), text
        assert moment.utcoffset() == timedelta(hours=-4)
    assert parse_when("2027-03-14 01:59", now, NY).utcoffset() == timedelta(hours=-5)


def test_ambiguous_autumn_time_takes_the_first_occurrence() -> None:
    now = at(2026, 10, 31, 12, 0, zone=NY)
    for text in ("2026-11-01 01:30", "tomorrow 1:30am"):
        moment = parse_when(text, now, NY)
        assert (moment.hour, moment.minute, moment.fold) == (1, 30, 0), text
        assert moment.utcoffset() == timedelta(hours=-4)


def test_minutes_into_the_repeated_hour_are_not_in_the_past() -> None:
    now = at(2026, 11, 1, 1, 45, zone=NY)  # first 01:45 (EDT)
    moment = parse_when("in 30 min", now, NY)
    assert (moment.hour, moment.minute, moment.utcoffset()) == (1, 15, timedelta(hours=-5))


def test_hours_elapse_across_dst_while_days_keep_the_wall_clock() -> None:
    now = at(2026, 11, 1, 0, 30, zone=NY)
    two_hours = parse_when("in 2h", now, NY)
    assert two_hours.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=2)
    assert (two_hours.hour, two_hours.utcoffset()) == (1, timedelta(hours=-5))
    day = parse_when("in 1 day", at(2027, 3, 13, 10, 0, zone=NY), NY)
    assert day == at(2027, 3, 14, 10, 0, zone=NY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            'Nothing to read: try "tomorrow 3pm", "next tue 10:30", "in 2h" or "2026-12-01 09:00".',
        ),
        ("   ", "Nothing to read"),
        (
            "blorp",
            'Could not read "blorp": try "tomorrow 3pm", "next tue 10:30", "in 2h" or '
            '"2026-12-01 09:00".',
        ),
        ("blorp tomorrow", 'Could not read "blorp" in "blorp tomorrow": try'),
        ("tomorrow at 3pm blorp zz", 'Could not read "blorp zz" in "tomorrow at 3pm blorp zz"'),
        ("blorp tomorrow zz", 'Could not read "blorp" and "zz" in "blorp tomorrow zz"'),
        ("next month", 'Could not read "next month": try'),
        ("at", 'Could not read "at": try'),
        ("yesterday 3pm", 'Could not use "yesterday 3pm": Tue 24 Nov 15:00 is in the past.'),
        ("2020-01-01", 'Could not use "2020-01-01": Wed 1 Jan 2020 09:00 is in the past.'),
        ("today 9am", "Wed 25 Nov 09:00 is in the past."),
        ("today", "Wed 25 Nov 09:00 is in the past."),
        ("11/25", "Wed 25 Nov 09:00 is in the past."),
        ("in 0 min", "is in the past."),
        ("in 3 years", 'Could not use "in 3 years": Sun 25 Nov 2029 10:15 is more than 2 years'),
        ("2029-01-01", "is more than 2 years ahead."),
        ("in 999999 years", 'Could not use "in 999999 years": that is more than 2 years ahead.'),
        ("2026-02-30", 'Could not read "2026-02-30": there is no such date.'),
        ("feb 30 3pm", 'Could not read "feb 30" in "feb 30 3pm": there is no such date.'),
        ("25:00", 'Could not read "25:00": there is no such time of day.'),
        ("13pm", "there is no such time of day."),
        (
            "tomorrow at 3",
            'Could not read "3" in "tomorrow at 3": add am or pm, e.g. "3am" or "3pm".',
        ),
        ("tomorrow tue", 'it names two days ("tomorrow" and "tue").'),
        ("in 2 days tomorrow", 'it names two days ("in 2 days" and "tomorrow").'),
        ("3pm 4pm", 'it names two times ("3pm" and "4pm").'),
        ("noon 3pm", 'it names two times ("noon" and "3pm").'),
        ("in 2h 3pm", 'it names two times ("in 2h" and "3pm").'),
        (
            "tomorrow tue",
            'Could not read "tomorrow tue": it names two days ("tomorrow" and "tue").',
        ),
        ("3pm 4pm", 'Could not read "3pm 4pm": it names two times ("3pm" and "4pm").'),
        ("noon 3pm", 'Could not read "noon 3pm": it names two times ("noon" and "3pm").'),
        (
            "tomorrow at 1",
            'Could not read "1" in "tomorrow at 1": add am or pm, e.g. "1am" or "1pm".',
        ),
        ("tomorrow at 12", 'add am or pm, e.g. "12am" or "12pm".'),
        (
            "tonight tomorrow",
            'Could not read "tonight tomorrow": it names two days ("tonight" and "tomorrow").',
        ),
        ("tonight noon", 'it names two times ("tonight" and "noon").'),
        ("tomorrow morning evening", 'it names two times ("morning" and "evening").'),
        ("in 2 hours in the morning", 'it names two times ("in 2 hours" and "in the morning").'),
        (
            "dec 1 tomorrow",
            'Could not read "dec 1 tomorrow": it names two days ("dec 1" and "tomorrow").',
        ),
        ("dec 1 2026 tomorrow", 'it names two days ("dec 1 2026" and "tomorrow").'),
        ("1 dec 2026 tomorrow", 'it names two days ("1 dec 2026" and "tomorrow").'),
        ("12/01 tomorrow", 'it names two days ("12/01" and "tomorrow").'),
        ("tomorrow 12/01/2026", 'it names two days ("tomorrow" and "12/01/2026").'),
        ("2026-12-01 tomorrow", 'it names two days ("2026-12-01" and "tomorrow").'),
        ("tue tomorrow", 'it names two days ("tue" and "tomorrow").'),
        ("next tue tomorrow", 'it names two days ("next tue" and "tomorrow").'),
        (
            "in an hour and a half tomorrow",
            'it names two days ("in an hour and a half" and "tomorrow").',
        ),
        ("in 1 hour and a half and 2", 'Could not read "and" in "in 1 hour and a half and 2"'),
        ("this wednesday", 'Could not use "this wednesday": Wed 25 Nov 09:00 is in the past.'),
        ("24:00", "there is no such time of day."),
        ("23:60", "there is no such time of day."),
        (
            "2026-12-01T09:00+24:00",
            'Could not read "09:00+24:00" in "2026-12-01T09:00+24:00": there is no such UTC offset.',
        ),
        ("2026-12-01T09:00+23:60", "there is no such UTC offset."),
    ],
)
def test_rejects_with_one_plain_sentence(text: str, message: str) -> None:
    with pytest.raises(UnreadableTime) as caught:
        parse_when(text, NOW, CHICAGO)
    said = str(caught.value)
    assert message in said
    assert said.endswith(".") and "\n" not in said
    assert isinstance(caught.value, ValueError)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match=r"^now must be an aware datetime$"):
        parse_when("tomorrow", datetime(2026, 11, 25, 10, 15), CHICAGO)
    with pytest.raises(ValueError, match=r"^moment must be an aware datetime$"):
        moment_text(datetime(2026, 11, 25, 10, 15), CHICAGO)


def test_a_moment_equal_to_now_is_the_past_and_two_years_ahead_is_the_limit() -> None:
    now = datetime(2026, 11, 25, 10, 15, tzinfo=ZoneInfo(CHICAGO))  # on the minute
    assert parse_when("10:15", now, CHICAGO) == at(2026, 11, 26, 10, 15)  # not now: tomorrow
    for text in ("today 10:15", "in 0 min"):
        with pytest.raises(UnreadableTime, match="is in the past"):
            parse_when(text, now, CHICAGO)
    assert parse_when("in 2 years", now, CHICAGO) == at(2028, 11, 25, 10, 15)
    with pytest.raises(UnreadableTime, match="more than 2 years ahead"):
        parse_when("in 2 years 1 min", now, CHICAGO)


def test_describe_shows_the_moment_in_the_zone_asked() -> None:
    moment = at(2026, 11, 26, 15, 0)
    assert moment_text(moment, CHICAGO) == "Thu 26 Nov 15:00"
    assert moment_text(moment, "Europe/Oslo") == "Thu 26 Nov 22:00"
    assert moment_text(at(2026, 12, 1, 9, 0), CHICAGO) == "Tue 1 Dec 09:00"
    assert moment_text(at(2027, 2, 1, 9, 0), CHICAGO, now=NOW) == "Mon 1 Feb 2027 09:00"
    assert moment_text(moment, CHICAGO, now=NOW) == "Thu 26 Nov 15:00"
    # New Year's Eve in Chicago is already 1 January in UTC: the year is Chicago's.
    eve = at(2026, 12, 31, 23, 30)
    assert moment_text(at(2027, 1, 1, 9, 0), CHICAGO, now=eve) == "Fri 1 Jan 2027 09:00"
    assert moment_text(at(2026, 12, 31, 23, 45), CHICAGO, now=eve) == "Thu 31 Dec 23:45"


# -- property: any phrase from the grammar is read into the future, or refused plainly ------

ZONES = [
    CHICAGO,
    NY,
    "Europe/Oslo",
    "UTC",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Apia",
]
PIECES = [
    *("today", "tomorrow", "tmrw", "yesterday", "day after tomorrow", "tonight"),
    *("tue", "next tue", "this fri", "next week", "monday", "sunday", "on", "at", "the"),
    *("dec 1", "1 dec", "1st of dec", "12/01", "02/29", "2/30", "12/01/27", "2026-12-01"),
    *("2027-03-14", "2026-11-01", "dec 31 2027", "2031-01-01"),
    *("3pm", "3:30 pm", "15:00", "9am", "12am", "12pm", "0:00", "2:30", "1:30", "23:59"),
    *("noon", "12 noon", "eod", "end of day", "morning", "afternoon", "evening"),
    *("in the morning", "at 3", "3", "17", "09:00+01:00", "10:00z", "25:00", "9.45am", "13pm"),
    *("in 2h", "in 90 min", "in 1h30", "in 3 days", "in 1 week", "in 0 min", "in 23 months"),
    *("in 999999 years", "in an hour and a half", "in half an hour", "in 2 hours and 30"),
    *("blorp", "and", "next", "this", "in", "of", "12", "2026", "+01:00", "a", "half"),
]


@st.composite
def phrases(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from(PIECES), max_size=4))
    text = draw(st.sampled_from([" ", "  ", ", "])).join(pieces)
    return text.upper() if draw(st.booleans()) else text


nows = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.sampled_from([ZoneInfo(zone) for zone in ZONES]),
)


def _future_or_refused(text: str, now: datetime, zone: str) -> None:
    try:
        moment = parse_when(text, now, zone)
    except UnreadableTime as refused:
        assert str(refused).endswith(".")
        return
    assert moment.tzinfo is not None and str(moment.tzinfo) == zone
    # Same-tzinfo datetimes compare by wall clock, so compare instants in UTC.
    assert moment.astimezone(UTC) > now.astimezone(UTC)
    assert moment.astimezone(UTC) <= (now + relativedelta(years=2)).astimezone(UTC)
    assert (moment.second, moment.microsecond) == (0, 0)


@settings(max_examples=150, deadline=None)
@given(text=phrases(), now=nows, zone=st.sampled_from(ZONES))
def test_phrases_from_the_grammar_are_read_into_the_future_or_refused(
    text: str, now: datetime, zone: str
) -> None:
    _future_or_refused(text, now, zone)


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="0123456789 :/-+.,@tTzZapmhdwinxoy", max_size=20), now=nows)
def test_arbitrary_text_never_raises_anything_else(text: str, now: datetime) -> None:
    _future_or_refused(text, now, CHICAGO)
