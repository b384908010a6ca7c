"""A "no" never makes the yes estimate on the momentum bar look worse."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dialsmile.core.stats import Attempt, History, Momentum
from dialsmile.ui.widgets.stats_bar import BarState, StatsBar

ZONE = "America/Chicago"
START = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)  # 17:00 in Chicago: runs past midnight
OUTCOMES = ("yes", "no", "hang-up", "no-answer", "voicemail", "busy", "bad-number", "callback",
            "do-not-call", "skip")  # fmt: skip


def to_go(text: str) -> int:
    """The remaining number the bar shows (none once past the estimate: 0)."""
    found = re.search(r"~(\d+) to go", text)
    if found is None:
        assert "each dial a fresh chance" in text, text
        return 0
    return int(found.group(1))


def shown(momentum: Momentum, now: datetime) -> str:
    state = BarState(now=now, zone=ZONE, chunk_done=0, chunk_size=25, idle_since=None)
    return StatsBar().render_text(momentum, state).plain.splitlines()[2]


history = st.builds(
    lambda dials, yeses, since: History(
        dials=dials, yeses=min(yeses, dials), dials_since_yes=since
    ),
    st.integers(0, 6000),
    st.integers(0, 400),
    st.integers(0, 1000),
)


@settings(max_examples=300, deadline=None)
@given(
    history,
    st.lists(st.tuples(st.sampled_from(OUTCOMES), st.integers(1, 3 * 3600)), max_size=120),
)
def test_after_a_dial_that_is_not_a_yes_the_number_to_go_never_grows(
    before: History, keys: list[tuple[str, int]]
) -> None:
    now = START
    momentum = Momentum(ZONE, now, before)
    last = to_go(shown(momentum, now))
    for outcome, seconds in keys:
        now += timedelta(seconds=seconds)
        attempt = Attempt(outcome, now - timedelta(seconds=20), now, now - timedelta(seconds=40))
        momentum.roll_over(now)  # as the session does, past midnight too
        momentum.add(attempt)
        remaining = to_go(shown(momentum, now))
        if outcome != "yes":
            assert remaining <= last, (outcome, last, remaining)
            if outcome != "skip" and last > 0:
                assert remaining == last - 1  # each dial visibly counts
        last = remaining
