"""Zones named as people read them, at the moment shown (daylight time included)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialsmile.compliance.zones import generic_zone_name, local_time

WINTER = datetime(2026, 11, 25, 13, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 8, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "moment", "shown"),
    [
        ("America/Chicago", WINTER, "07:30 Central time (CST)"),
        ("America/Chicago", SUMMER, "08:30 Central time (CDT)"),
        ("America/New_York", SUMMER, "09:30 Eastern time (EDT)"),
        ("America/Denver", WINTER, "06:30 Mountain time (MST)"),
        ("America/Phoenix", SUMMER, "06:30 Mountain time (MST)"),
        ("America/Los_Angeles", SUMMER, "06:30 Pacific time (PDT)"),
        ("America/Anchorage", WINTER, "04:30 Alaska time (AKST)"),
        ("Pacific/Honolulu", WINTER, "03:30 Hawaii-Aleutian time (HST)"),
        ("America/Halifax", WINTER, "09:30 Atlantic time (AST)"),
        ("America/St_Johns", WINTER, "10:00 Newfoundland time (NST)"),
        ("America/Puerto_Rico", SUMMER, "09:30 Atlantic time (AST)"),
        # Mississippi's statutory "Central Standard Time", all year
        ("Etc/GMT+6", SUMMER, "07:30 Central Standard Time (CST)"),
        ("Etc/GMT+6", WINTER, "07:30 Central Standard Time (CST)"),
        ("Europe/Oslo", WINTER, "14:30 Oslo time (CET)"),
        ("Europe/London", SUMMER, "14:30 London time (BST)"),
        ("America/Bogota", WINTER, "08:30 Bogota time (UTC-5)"),
        ("Asia/Kolkata", WINTER, "19:00 Kolkata time (IST)"),
    ],
)
def test_local_time_names_the_zone(zone: str, moment: datetime, shown: str) -> None:
    assert local_time(zone, moment) == shown


def test_generic_names_carry_no_moment() -> None:
    assert generic_zone_name("America/Chicago") == "Central time"
    assert generic_zone_name("Etc/GMT+6") == "Central Standard Time"
    assert generic_zone_name("Europe/Oslo") == "Oslo time"
