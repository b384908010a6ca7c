"""Practice mode, the objection finder and the intro email, driven by keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import pytest
from rich.text import Text
from textual import events
from textual.widgets import Input, Static

from dialsmile.commands.practice import make_practice_app
from dialsmile.config import Clock, Settings
from dialsmile.core.practice import schedule, standing
from dialsmile.core.scripts import load_script
from dialsmile.core.session import CallSession
from dialsmile.storage.practice import PracticeRow, PracticeStore
from dialsmile.ui.app import DialsmileApp, make_app
from dialsmile.ui.practice_app import PracticeApp
from dialsmile.ui.widgets.script_panel import ScriptPanel
from tests.conftest import database_at
from tests.conftest import rows as rows_of
from tests.ui.conftest import NOW, MakeApp, wait_until

pytestmark = pytest.mark.both_engines

SIZE = (80, 24)
START = datetime.fromisoformat(NOW)
CHICAGO = Settings(rep_timezone="America/Chicago")


def text_of(app: Any, selector: str) -> str:
    content = app.screen.query_one(selector, Static).render()
    return str(content.plain if isinstance(content, Text) else content)


class FakeTimer:
    """A stopwatch the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def practice_app(db: str) -> Callable[..., PracticeApp]:
    def make(
        drill: str = "objections", count: int = 3, timer: FakeTimer | None = None
    ) -> PracticeApp:
        settings = Settings(
            rep_name="Sam", rep_company="Acme Software", rep_timezone="America/Chicago"
        )
        return make_practice_app(
            database_at(db),
            load_script("saas-discovery"),
            settings,
            Clock(START, running=False),
            drill=drill,
            count=count,
            seed=7,
            timer=timer or FakeTimer(),
        )

    return make


async def test_objection_drill_times_reveals_marks_and_saves(
    practice_app: Callable[..., PracticeApp], db: str
) -> None:
    timer = FakeTimer()
    app = practice_app(timer=timer)
    async with app.run_test(size=SIZE) as pilot:
        run = app.runs[0]
        first = run.steps[0]
        assert f'"{first.title}"' in text_of(app, "#prompt")
        assert "Hidden until you press space." in text_of(app, "#model")
        assert "1 of 3" in text_of(app, "#practice-header")
        await pilot.press("n")
        assert "Say it out loud first" in text_of(app, "#prompt")
        timer.now += 12.4
        await pilot.press("space")
        assert text_of(app, "#model") == first.model
        assert "0:12" in text_of(app, "#practice-header")
        timer.now += 5
        await pilot.press("n")
        assert "2 of 3" in text_of(app, "#practice-header")
        timer.now += 20
        await pilot.press("space", "m")
        timer.now += 3
        await pilot.press("s")
        assert "done" in text_of(app, "#practice-header")
        summary = text_of(app, "#prompt") + text_of(app, "#model")
        assert "3 of 3 done · 1 nailed · 1 missed · 1 skipped" in summary
        assert f'Work on: "{run.steps[1].title}"' in summary
    rows = PracticeStore(database_at(db)).rows("saas-discovery")
    assert [(r.objection, r.result, r.seconds, r.drill) for r in rows] == [
        (run.steps[0].title, "nailed", 12.4, "objections"),
        (run.steps[1].title, "missed", 20.0, "objections"),
        (run.steps[2].title, "skipped", 3.0, "objections"),
    ]
    assert rows_of(db, "SELECT count(*) FROM attempts") == [(0,)]


def _nailed_all_but(store: PracticeStore, missed: str, at: datetime) -> None:
    for objection in load_script("saas-discovery").objections:
        result = "missed" if objection.prompt == missed else "nailed"
        store.record(
            PracticeRow("saas-discovery", "1", objection.prompt, result, 5.0, "objections", at)
        )


def test_a_missed_objection_comes_first_and_nailed_ones_wait(db: str) -> None:
    database = database_at(db)
    _nailed_all_but(PracticeStore(database), "We don't have budget", START)
    script = load_script("saas-discovery")
    for seed in range(10):
        app = make_practice_app(
            database, script, CHICAGO, Clock(START), count=5, seed=seed, timer=FakeTimer()
        )
        run = app.new_run()
        assert [s.title for s in run.steps] == ["We don't have budget"]
    assert run.waiting.startswith('7 objections not due yet; the next, "')
    assert run.waiting.endswith('", is due Thu 26 Nov 10:15.')


def test_schedule_waits_1_3_7_then_21_days_after_nailed_answers() -> None:
    objection = load_script("saas-discovery").objections[0]
    day = timedelta(days=1)

    def due_after(*results: str) -> timedelta | None:
        past = [(r, START - n * 30 * day) for n, r in enumerate(results)]
        due = standing(objection, past).due_at
        return None if due is None else due - START

    assert due_after() is None  # never practised: due
    assert due_after("skipped") is None  # a skip changes nothing
    assert due_after("missed", "nailed", "nailed") == timedelta(0)  # a miss: due at once
    assert due_after("nailed") == day
    assert due_after("nailed", "nailed") == 3 * day
    assert due_after("nailed", "nailed", "nailed") == 7 * day
    assert due_after("nailed", "skipped", "nailed", "nailed", "nailed") == 21 * day
    assert due_after("nailed", "nailed", "missed", "nailed") == 3 * day


def test_schedule_orders_missed_then_new_then_most_overdue_then_waiting() -> None:
    first, second, third, fourth, fifth = load_script("saas-discovery").objections[:5]
    day = timedelta(days=1)
    history = {
        first.prompt: [("nailed", START - 2 * day)],  # due a day ago
        second.prompt: [("nailed", START - 5 * day)],  # due four days ago
        third.prompt: [("nailed", START - timedelta(hours=1))],  # waits 23 more hours
        fourth.prompt: [("missed", START - 9 * day), ("missed", START - 10 * day)],
    }  # the fifth was never practised
    for seed in range(10):
        order = schedule([first, second, third, fourth, fifth], history, START, Random(seed))
        assert [s.objection for s in order] == [fourth, fifth, second, first, third]
        assert [s.is_due(START) for s in order] == [True, True, True, True, False]


async def test_rounds_take_only_what_is_due_until_nothing_is(
    practice_app: Callable[..., PracticeApp],
) -> None:
    app = practice_app(count=5)
    async with app.run_test(size=SIZE) as pilot:
        first = [s.title for s in app.runs[0].steps]
        assert len(first) == 5
        for _ in first:
            await pilot.press("space", "n")
        await pilot.press("r")
        second = [s.title for s in app.runs[1].steps]
        assert len(second) == 3 and not set(first) & set(second)
        assert "1 of 3" in text_of(app, "#practice-header")
        for _ in second:
            await pilot.press("space", "m")
        summary = text_of(app, "#model")
        assert "5 objections not due yet; the next, " in summary
        assert "is due Thu 26 Nov 10:15." in summary
        await pilot.press("r")  # the three missed are due again at once
        assert sorted(s.title for s in app.runs[2].steps) == sorted(second)
        for _ in second:
            await pilot.press("space", "n")
        await pilot.press("r")
        assert app.runs[3].steps == []
        assert text_of(app, "#prompt") == "Nothing in saas-discovery v1 is due now."
        assert "8 objections not due yet" in text_of(app, "#model")
        assert "again with --all" in text_of(app, "#model")


@pytest.mark.parametrize(
    ("keys", "verdict"),
    [("nnn", "Well practised."), ("nnm", "Good progress."), ("nmm", "Keep at it."),
     ("mmm", "A tough round."), ("sss", "")],
)  # fmt: skip
async def test_the_closing_words_fit_the_round(
    practice_app: Callable[..., PracticeApp], keys: str, verdict: str
) -> None:
    app = practice_app(count=3)
    async with app.run_test(size=SIZE) as pilot:
        for key in keys:
            await pilot.press("space", key)
        prompt = text_of(app, "#prompt")
        assert prompt.startswith(verdict + (" " if verdict else "") + "3 of 3 done")
        assert "Well practised" not in prompt or verdict == "Well practised."


async def test_full_call_drill_walks_the_call(practice_app: Callable[..., PracticeApp]) -> None:
    app = practice_app(drill="call")
    async with app.run_test(size=SIZE) as pilot:
        steps = app.runs[0].steps
        assert [s.title for s in steps[:3]] == ["Opening", "Pitch", "Discovery questions"]
        assert [s.kind for s in steps[3:5]] == ["objection", "objection"]
        assert steps[5].title == "Close" and len(steps) == 6
        assert "Open the call" in text_of(app, "#prompt")
        await pilot.press("space")
        assert "Hi there, this is Sam from Acme Software." in text_of(app, "#model")
        for _ in range(6):
            await pilot.press("space", "n")
        assert "6 of 6 done · 6 nailed" in text_of(app, "#prompt")
        await pilot.press("r")
        assert len(app.runs) == 2 and "1 of 6" in text_of(app, "#practice-header")
        await pilot.press("q")
        assert "0 of 6 done" in text_of(app, "#prompt")


async def test_objection_finder_jumps_to_and_highlights_the_answer(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"budg")
        finder = app.screen.query_one("#finder")
        assert finder.display
        assert '1/1 "We don\'t have budget"' in text_of(app, "#finder-status")
        pane = app.screen.query_one("#script-pane")
        assert pane.scroll_y > 10
        script = app.screen.query_one(ScriptPanel).text
        found = script.plain.index('"We don\'t have budget"')
        assert any(span.start == found and "on yellow" in str(span.style) for span in script.spans)
        await pilot.press("y")  # typed into the finder, not an outcome
        assert "No objection matches" in text_of(app, "#finder-status")
        await pilot.press("backspace", "escape")
        assert not finder.display
        assert app.session.calls.session_outcomes(app.session.session_id) == []
        assert pane.scroll_y > 10  # the answer stays in view for this lead
        await pilot.press("n")  # keys are outcomes again
        assert len(app.session.calls.session_outcomes(app.session.session_id)) == 1
        await pilot.pause()
        assert pane.scroll_y == 0  # the next lead's script starts at the Opening


def _finder_text(app: DialsmileApp) -> str | None:
    found = app.screen.query("#finder-input")
    return found.first(Input).value if found else None


async def test_keys_typed_right_after_slash_go_to_the_finder(session_app: MakeApp) -> None:
    # A fast typist's "/budg" reaches the app before the finder's box has focus.
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        for key in ("slash", "b", "u", "d", "g"):
            app._driver.send_message(events.Key(key, "/" if key == "slash" else key))
        # However busy the machine, the keys arrive in the box once it is mounted.
        await wait_until(pilot, lambda: _finder_text(app) == "budg", tries=1500)
        assert app.session.calls.session_outcomes(app.session.session_id) == []
        assert app.screen.query_one("#finder-input", Input).value == "budg"


async def test_intro_email_is_copied_saved_and_marked(
    make_session: Callable[..., CallSession], tmp_path: Path
) -> None:
    settings = Settings(
        rep_name="Sam", rep_company="Acme Software", intro_email_dir=str(tmp_path / "mail")
    )
    app = make_app(make_session(settings=settings), "America/Chicago")
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.press("m")
        lead = app.session.current
        assert lead is not None
        path = tmp_path / "mail" / f"intro-email-{lead.lead.id}.txt"
        text = path.read_text()
        assert text.startswith("Subject: Handoffs at Globex Logistics\n\nHi Dana,\n")
        assert app.clipboard == text
        assert path.stat().st_mode & 0o777 == 0o600
        card = text_of(app, "#card")
        assert "✉ Intro email sent Wed 25 Nov 10:15" in card
        assert "copied to the clipboard and saved to" in card
        sent = app.session.stores.intro_emails.sent_at(lead.lead.id)
        assert sent is not None and sent.isoformat().startswith("2026-11-25T16:15")
        assert app.session.calls.session_outcomes(app.session.session_id) == []


@pytest.mark.sqlite_only("a picture of the screen, one file per test")
def test_snapshot_practice_question(
    snap_compare: Any, practice_app: Callable[..., PracticeApp]
) -> None:
    assert snap_compare(practice_app(), terminal_size=SIZE)


@pytest.mark.sqlite_only("a picture of the screen, one file per test")
def test_snapshot_practice_answer(
    snap_compare: Any, practice_app: Callable[..., PracticeApp]
) -> None:
    assert snap_compare(practice_app(), press=["space"], terminal_size=SIZE)


@pytest.mark.sqlite_only("a picture of the screen, one file per test")
def test_snapshot_objection_finder(snap_compare: Any, session_app: MakeApp) -> None:
    async def hide_running_clocks(pilot: Any) -> None:
        # The stats bar shows seconds since the lead appeared; this picture is about the finder.
        pilot.app.screen.query_one("#stats").display = False

    assert snap_compare(
        session_app(),
        press=["slash", *"email"],
        terminal_size=SIZE,
        run_before=hide_running_clocks,
    )
