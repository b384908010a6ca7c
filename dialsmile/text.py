"""Text a rep reads: lead text made safe to show, and the one home of counts,
dates, times, durations and weekday names, so every screen and command says
them the same way. It sits below the calling rules (compliance), which word
their reasons with it, and above config and errors.

No control sequence in lead text ever reaches the terminal. Zone data loads
only when a moment is written out, keeping it off the command line's start-up.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = tuple(name[:3] for name in WEEKDAY_NAMES)
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
MONTHS = tuple(name[:3] for name in MONTH_NAMES)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NO_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with escape sequences and bidi overrides shown as visible codes."""
    pattern = _CONTROL if keep_newlines else _CONTROL_NO_NEWLINE

    def show(match: re.Match[str]) -> str:
        ch = match.group(0)
        if ch in "\t\r\n":
            return " "
        return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"

    return pattern.sub(show, text)


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: 2 for wide East Asian letters and emoji, 0 for
    combining marks (a decomposed "é" from a Mac export is one cell), else 1."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(ch) for ch in text)


def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def one_line(text: str, width: int) -> str:
    """Printable, on one line, cut to ``width`` terminal cells with an ellipsis."""
    flat = printable(" ".join(text.split()))
    if cell_width(flat) <= width:
        return flat
    used = 0
    for end, ch in enumerate(flat):
        used += _char_cells(ch)
        if used > width - 1:
            return flat[:end] + "…"
    return flat


def column(text: str, width: int) -> str:
    """``one_line`` padded to exactly ``width`` cells, so the next column lines up
    whatever script the text is in (a column of "山田商事" or "Emma 🚀")."""
    cut = one_line(text, width)
    return cut + " " * (width - cell_width(cut))


def plural(count: int, word: str, width: int = 0) -> str:
    """``count`` with thousands separators (right-aligned in ``width``) and ``word``,
    with an s unless the count is 1."""
    return f"{count:>{width},} {word}{'' if count == 1 else 's'}"


def moment_text(moment: datetime, zone: str, *, now: datetime | None = None) -> str:
    """``moment`` as a rep reads it in ``zone``: "Thu 26 Nov 15:00".

    Given ``now``, the year is added when it differs from now's year in that zone:
    "Mon 1 Feb 2027 09:00".
    """
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        raise ValueError("moment must be an aware datetime")
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    year = ""
    if now is not None and now.astimezone(tz).year != local.year:
        year = f" {local.year}"
    day, month = WEEKDAYS[local.weekday()], MONTHS[local.month - 1]
    return f"{day} {local.day} {month}{year} {local:%H:%M}"


def when_text(moment: datetime | None, now: datetime, zone: str) -> str:
    """'11:10 (in 18 min)', '10:40 (5 min ago)', 'Mon 30 Nov 09:00', or 'never'."""
    from zoneinfo import ZoneInfo

    if moment is None:
        return "never"
    local = moment.astimezone(ZoneInfo(zone))
    seconds = (moment - now).total_seconds()
    # Whole minutes, rounded away from now: "in 15 min" until it is 14 min 0 s away.
    minutes = math.ceil(seconds / 60) if seconds > 0 else int(-seconds // 60)
    if minutes >= 60 and local.date() != now.astimezone(ZoneInfo(zone)).date():
        return (
            f"{WEEKDAYS[local.weekday()]} {local.day:02d} {MONTHS[local.month - 1]} {local:%H:%M}"
        )
    span = minutes_text(minutes)
    if seconds < 0 and minutes:
        return f"{local:%H:%M} ({span} ago)"
    return f"{local:%H:%M} (in {span})"


def clock_text(seconds: float) -> str:
    """``m:ss``."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def short_date(day: date) -> str:
    """``20 Nov``."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def minutes_text(minutes: int, *, pad: bool = False) -> str:
    """``45 min``, ``1 h 5 min`` (``1 h 05 min`` with ``pad``)."""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:0{2 if pad else 1}d} min"


def duration_text(seconds: float) -> str:
    """Time spent, to the nearest minute: ``45 min``, ``1 h 05 min``."""
    return minutes_text(round(seconds / 60), pad=True)


def span_text(delta: timedelta) -> str:
    """A wait or a gap in whole minutes, without its zero parts: ``1 d 2 h``,
    ``2 h 5 min``, ``45 min``, or ``under a minute``."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{days} d" if days else "",
        f"{hours} h" if hours else "",
        f"{minutes} min" if minutes else "",
    ]
    return " ".join(p for p in parts if p) or "under a minute"
