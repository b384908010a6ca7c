"""Every momentum statistic on hand-made histories: none, one, across midnight, undo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from dialsmile.core.coach import Coach, SessionSummary, break_text
from dialsmile.core.models import Outcome
from dialsmile.core.stats import (
    BEST_HOURS_MIN_DIALS,
    Attempt,
    History,
    Momentum,
    Stats,
    best_hours,
    by_chunk,
    by_day,
    caller_loads,
    dials_to_next_yes,
    hour_window,
    pick_caller,
    sparkline,
    suggested_break_minutes,
)
from tests.conftest import OpenStores

pytestmark = pytest.mark.both_engines

ZONE = "America/Chicago"
T0 = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # Wed 10:00 in Chicago


def dial(
    outcome: str,
    minute: float,
    *,
    wait: float = 20,
    talk: float = 40,
    chunk: int = 1,
    caller: str | None = None,
    start: datetime = T0,
) -> Attempt:
    """A lead shown at ``minute``, dialed ``wait`` s later, logged after ``talk`` s."""
    shown = start + timedelta(minutes=minute)
    started = shown + timedelta(seconds=wait)
    return Attempt(
        outcome=outcome,
        started_at=started,
        ended_at=started + timedelta(seconds=talk),
        shown_at=shown,
        session_id=1,
        chunk=chunk,
        caller=caller,
    )


def test_zero_dials() -> None:
    s = Stats.of([], ZONE)
    assert (s.dials, s.connects, s.skips, s.streak, s.best_streak) == (0, 0, 0, 0, 0)
    assert s.connect_rate is None and s.yes_rate is None
    assert s.dials_per_hour is None and s.median_to_dial_s is None
    assert s.since_last_dial(T0) is None
    assert s.as_json()["dials"] == 0 and s.as_json()["connect_rate"] is None
    assert dials_to_next_yes(0, 0) == 50  # the prior alone: day one is sensible
    assert sparkline([]) == "" and sparkline([0, 0]) == "··"
    assert not best_hours([], ZONE).enough


def test_one_dial() -> None:
    s = Stats.of([dial("no", 0, wait=12)], ZONE)
    assert (s.dials, s.connects, s.no, s.streak, s.best_streak) == (1, 1, 1, 1, 1)
    assert s.connect_rate == 1.0 and s.yes_rate == 0.0
    assert s.median_to_dial_s == 12
    assert s.dials_per_hour is None  # under five active minutes: no rate yet
    assert s.since_last_dial(T0 + timedelta(minutes=5)) == timedelta(minutes=5) - timedelta(
        seconds=52
    )
    assert s.by_hour[10] == 1  # 16:00 UTC is 10:00 in Chicago


def test_outcome_counts_and_connects() -> None:
    outcomes = ["yes", "no", "hang-up", "no-answer", "voicemail", "busy", "bad-number"]
    outcomes += ["callback", "do-not-call", "skip"]
    s = Stats.of([dial(o, n) for n, o in enumerate(outcomes)], ZONE)
    assert s.dials == 9 and s.skips == 1
    assert s.connects == 5  # yes, no, hang-up, callback, do-not-call
    assert s.count(Outcome.VOICEMAIL) == 1 and s.count("busy") == 1
    assert s.as_json()["outcomes"]["bad-number"] == 1 and "skip" not in s.as_json()["outcomes"]


def test_a_skip_breaks_the_streak() -> None:
    outcomes = ["no", "no", "no-answer", "skip", "no", "yes"]
    s = Stats.of([dial(o, n) for n, o in enumerate(outcomes)], ZONE)
    assert s.streak == 2 and s.best_streak == 3 and s.skips == 1


def test_dials_per_hour_uses_active_time_minus_breaks() -> None:
    # 12 leads, each 3 minutes on screen: 36 minutes active.
    attempts = [dial("no-answer", 3 * n, wait=60, talk=120) for n in range(12)]
    assert Stats.of(attempts, ZONE).dials_per_hour == pytest.approx(20.0)
    paused = Stats.of(attempts, ZONE, paused_s=6 * 60)
    assert paused.dialing_s == 30 * 60 and paused.dials_per_hour == pytest.approx(24.0)
    # A lead left on screen over lunch counts at most 20 minutes.
    lunch = Attempt("no", T0 + timedelta(hours=1), T0 + timedelta(hours=1, seconds=30), T0)
    assert Stats.of([lunch], ZONE).active_s == 20 * 60


def test_median_time_to_dial_ignores_skips() -> None:
    attempts = [dial("no", 0, wait=10), dial("skip", 1, wait=500), dial("no", 2, wait=30)]
    attempts.append(dial("no", 3, wait=20))
    assert Stats.of(attempts, ZONE).median_to_dial_s == 20


def test_a_day_across_midnight() -> None:
    # 23:50 and 00:10 Chicago time are two days, and two hour buckets.
    late = datetime(2026, 11, 26, 5, 50, tzinfo=UTC)
    attempts = [dial("no", 0, start=late), dial("yes", 20, start=late)]
    days = by_day(attempts, ZONE)
    assert list(days) == [date(2026, 11, 25), date(2026, 11, 26)]
    m = Momentum(ZONE, late, History(today=attempts[:1]))
    assert m.today.dials == 1 and m.today.by_hour[23] == 1
    assert m.roll_over(late + timedelta(minutes=30))
    assert m.today.dials == 0 and m.today.paused_s == 0
    m.add(attempts[1])
    assert m.today.dials == 1 and m.today.yes == 1 and m.today.by_hour[0] == 1
    assert not m.roll_over(late + timedelta(minutes=40))


def test_undo_takes_the_last_outcome_back() -> None:
    m = Momentum(ZONE, T0, History(dials=40, yeses=0, dials_since_yes=40), goal=3)
    m.add(dial("no", 0))
    m.add(dial("no", 1))
    before = (m.today.dials, m.today.no, m.today.streak, m.since_yes, m.pace)
    m.add(dial("yes", 2))
    assert m.since_yes == 0 and m.today.yes == 1 and m.goal_reached_now
    m.undo()
    assert (m.today.dials, m.today.no, m.today.streak, m.since_yes, m.pace) == before
    # 40 dials before today and no yes: estimated at the day's start, (40 + 50) / 1.
    assert before[:4] == (2, 2, 2, 42) and (before[4].per_yes, before[4].to_go) == (90, 48)
    m.undo()
    m.undo()
    m.undo()  # nothing left: harmless
    assert m.today.dials == 0 and m.since_yes == 40


def test_today_counts_other_sessions_and_the_streak_runs_on() -> None:
    earlier = [dial("no", n) for n in range(3)]
    m = Momentum(ZONE, T0 + timedelta(hours=1), History(today=earlier, paused_today_s=60))
    assert m.today.dials == 3 and m.session.dials == 0 and m.today.paused_s == 60
    m.add(dial("no-answer", 60))
    assert m.today.dials == 4 and m.today.streak == 4 and m.session.dials == 1
    m.add_pause(30)
    assert m.today.paused_s == 90 and m.session.paused_s == 30


def test_next_yes_estimate_moves_from_the_prior_to_the_reps_rate() -> None:
    assert dials_to_next_yes(0, 0) == 50
    assert dials_to_next_yes(10, 0) == 60  # ten nos: the estimate follows your data
    assert dials_to_next_yes(150, 9) == 20  # (150 + 50) / 10
    assert dials_to_next_yes(10_000, 499) == 20  # the prior fades


def test_sparkline_and_hour_window() -> None:
    assert sparkline([0, 1, 2, 4, 8]) == "·▁▂▄█"
    by_hour = [0] * 24
    by_hour[9], by_hour[11] = 3, 6
    assert hour_window(by_hour, 12) == (9, [3, 0, 6, 0])
    assert hour_window([0] * 24, 8) == (8, [0])
    assert hour_window([1] + [0] * 23, 23, width=12)[0] == 12


def test_best_hours_need_enough_data() -> None:
    few = [dial("no", n) for n in range(BEST_HOURS_MIN_DIALS - 1)]
    hours = best_hours(few, ZONE)
    assert not hours.enough and "not enough data yet (99 of 100" in hours.describe()
    # Tuesdays 09:00 connect 1 in 2, Wednesdays 10:00 1 in 10; 5 dials at 14:00 are unranked.
    tue = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    wed = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    attempts = [dial("no" if n % 2 else "no-answer", 0.5 * n, start=tue) for n in range(40)]
    attempts += [dial("no" if n % 10 == 0 else "voicemail", 0.5 * n, start=wed) for n in range(60)]
    attempts += [dial("yes", n, start=wed + timedelta(hours=4)) for n in range(5)]
    hours = best_hours(attempts, ZONE)
    assert hours.enough and hours.dials == 105
    assert [c.label for c in hours.top] == ["Tue 09-10", "Wed 10-11"]
    assert hours.top[0].connect_rate == 0.5
    assert "Tue 09-10 50% of 40" in hours.describe()
    assert hours.as_json()["cells"][0]["weekday"] == "Tue"


def test_caller_number_health() -> None:
    numbers = ["+15125550100", "+15125550101"]
    counts = {"+15125550100": 85, "+15125550101": 12}
    loads = caller_loads(counts, numbers)
    assert [(c.dials, c.level) for c in loads] == [(85, "near"), (12, "ok")]
    assert caller_loads({"+15125550100": 100}, numbers)[0].level == "over"
    assert pick_caller(counts, numbers) == "+15125550101"
    assert pick_caller({}, numbers) == "+15125550100" and pick_caller({}, []) is None
    m = Momentum(ZONE, T0, History(), callers=numbers)
    m.add(dial("no", 0, caller="+15125550100"))
    assert m.caller() == "+15125550101"
    assert [c.dials for c in m.callers()] == [1, 0]


def test_break_length_and_chunks() -> None:
    assert suggested_break_minutes(0) == 3
    assert suggested_break_minutes(25 * 60) == 5
    assert suggested_break_minutes(3 * 3600) == 15
    attempts = [dial("no", n, chunk=1 + n // 3) for n in range(7)]
    assert {k: len(v) for k, v in by_chunk(attempts).items()} == {1: 3, 2: 3, 3: 1}


def test_break_text_compares_chunks_and_today() -> None:
    earlier = [dial("yes", 0, start=T0 - timedelta(hours=2))]
    m = Momentum(ZONE, T0, History(today=earlier))
    for n, o in enumerate(["no", "no", "hang-up"]):
        m.add(dial(o, n, chunk=1))
    for n, o in enumerate(["no-answer", "skip", "no"]):
        m.add(dial(o, 5 + n, chunk=2))
    lines, minutes = break_text(m, 2, 4)
    assert lines[0].startswith("Chunk 2 of 4 done: 2 dials in ")
    table = "\n".join(lines)
    assert "dials                          2           3        6" in table
    assert "yes / no / hang-up         0/1/0       0/2/1    1/3/1" in table
    assert "3 nos banked today" in table and minutes == 3


def test_session_summary_lines() -> None:
    attempts = [dial(o, n) for n, o in enumerate(["no", "yes", "skip", "no-answer"])]
    stats = Stats.of(attempts, ZONE, paused_s=300)
    summary = SessionSummary(1, T0, T0 + timedelta(minutes=40), stats, nos_today=4)
    lines = summary.lines(ZONE)
    assert lines[0].startswith("Session 1 · 10:00-10:40 · ")
    assert "5 min paused" in lines[0]
    assert "3 dials · 2 connects (67%) · 1 yes · 1 no" in lines[1]
    assert "Best streak 2 · median 20 s from lead shown to dial · 1 skip" in lines[2]
    assert "1 this session, 4 today" in lines[3]
    assert "export session 1" in lines[-1]
    assert not any("export" in line for line in summary.lines(ZONE, export_hint=False))
    one = SessionSummary(3, T0, T0, Stats.of([dial("yes", 0)], ZONE), 0).lines(ZONE)
    assert "1 dial · 1 connect (100%) · 1 yes" in one[1]
    empty = SessionSummary(2, T0, T0, Stats.of([], ZONE), 0).lines(ZONE)
    assert "No dials in this session" in empty[1]


def test_coach_lines_take_turns_and_fill_in(tmp_path: Path) -> None:
    coach = Coach.load(tmp_path / "none.toml")
    assert not coach.problem
    m = Momentum(ZONE, T0, History(), goal=50)
    m.add(dial("no", 0))
    first = coach.after(Outcome.NO, m)
    assert first == coach.lines["first"][0]
    m.add(dial("no", 1))
    said = {coach.after(Outcome.NO, m)}
    m.add(dial("no", 2))
    said.add(coach.after(Outcome.NO, m))
    assert len(said) == 2 and all("{" not in line for line in said)


def test_a_trainer_overrides_messages(tmp_path: Path) -> None:
    path = tmp_path / "messages.toml"
    path.write_text('no = ["Nice one, {nos} nos so far"]\n', encoding="utf-8")
    coach = Coach.load(path)
    m = Momentum(ZONE, T0, History(today=[dial("no", 0, start=T0 - timedelta(hours=1))]))
    m.add(dial("no", 0))
    assert coach.after(Outcome.NO, m) == "Nice one, 2 nos so far"
    assert coach.lines["yes"]  # lists not in the file keep the shipped lines
    assert coach.say("no", 0, {}) == "Nice one, {nos} nos so far"
    path.write_text("no = 3\n", encoding="utf-8")
    broken = Coach.load(path)
    assert "must be a list" in broken.problem and broken.lines["no"]


def test_streak_and_goal_messages() -> None:
    coach = Coach.load(Path("/nonexistent/messages.toml"))
    m = Momentum(ZONE, T0, History(today=[dial("no", n) for n in range(8)]), goal=10)
    m.add(dial("no", 9))
    m.add(dial("no", 10))
    assert "Daily goal reached" in coach.after(Outcome.NO, m) or "Goal done" in coach.after(
        Outcome.NO, m
    )
    m.goal = 0
    assert "10" in coach.after(Outcome.NO, m)  # the streak milestone


def test_best_hours_from_sql_counts_match_the_attempts(stores: OpenStores) -> None:
    """The summary counts dials per UTC hour in SQL; the result must equal counting attempts."""
    import tempfile
    from pathlib import Path

    from dialsmile.commands.importing import import_file
    from dialsmile.config import Clock, Settings
    from dialsmile.core.models import Outcome
    from dialsmile.core.session import CallSession
    from dialsmile.core.stats import best_hours_of_counts
    from dialsmile.io.importer import ImportOptions
    from dialsmile.storage.db import open_db
    from dialsmile.storage.leads import LeadStore
    from tests.ui.conftest import LEADS

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "l.csv"
        path.write_text(LEADS, encoding="utf-8")
        db = open_db(Path(tmp) / "d.db")
        start = datetime(2026, 11, 25, 16, 15, tzinfo=UTC)
        import_file(LeadStore(db), path, ImportOptions(list_name="Q4"), start)
        opened = stores(Path(tmp) / "d.db")
        session = CallSession(
            opened, opened.lists.get_list("Q4"), Settings(), Clock(start, running=False)
        )
        for outcome in (Outcome.NO, Outcome.NO_ANSWER, Outcome.SKIP, Outcome.YES):
            session.advance()
            session.record(outcome)
        store = opened.stats
        end = start + timedelta(days=1)
        counts = store.dials_per_hour(start - timedelta(days=1), end, 20_000)
        from_sql = best_hours_of_counts(counts, ZONE)
        from_rows = best_hours(store.attempts_between(start - timedelta(days=1), end), ZONE)
        assert from_sql == from_rows and from_sql.dials == 3
