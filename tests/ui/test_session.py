"""The session screen driven by keys, checked against what the database holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from rich.text import Text
from textual import events
from textual.widgets import Input, Static

from dialsmile.config import Settings
from dialsmile.ui.app import DialsmileApp
from dialsmile.ui.screens.modals import BreakScreen, CallbackScreen, HelpScreen, WhyScreen
from dialsmile.ui.widgets.script_panel import ScriptPanel
from tests.ui.conftest import (
    MakeApp,
    later,
    logged_calls,
    on_dnc,
    script_shown,
    stored_lead,
    wait_until,
    words,
)
from tests.ui.conftest import lead_row as stored_lead_row

SIZE = (110, 34)


def card(app: DialsmileApp) -> str:
    content = app.screen.query_one("#card", Static).render()
    return str(content.plain if isinstance(content, Text) else content)


def screen_text(app: DialsmileApp, selector: str) -> str:
    content = app.screen.query_one(selector, Static).render()
    return str(content.plain if isinstance(content, Text) else content)


def attempts(app: DialsmileApp) -> list[tuple[str, str]]:
    """(name, outcome) of each call the session logged, read through its stores."""
    return logged_calls(app.session)


def lead_row(app: DialsmileApp, first_name: str) -> dict[str, object]:
    return stored_lead_row(app.session, first_name)


async def test_first_lead_and_header(session_app: MakeApp) -> None:
    app = session_app(chunk=2)
    async with app.run_test(size=SIZE) as pilot:
        assert "Dana Whitfield — VP Sales, Globex Logistics" in card(app)
        assert "+1 512-555-0134" in card(app)
        assert "Austin TX US · 10:15 Central time (CST) ✓ open" in card(app)
        assert "Attempt 1" in card(app) and "buyers often need ~18 attempts" in card(app)
        header = screen_text(app, "#header")
        assert "List: Q4" in header and "Chunk 1/3 · lead 1/2" in header
        assert "Wed 10:15 local" in header
        script = app.screen.query_one(ScriptPanel).text.plain
        assert "Hi Dana, this is Sam from Acme Software." in script and "{" not in script
        await pilot.press("n")
        script = app.screen.query_one(ScriptPanel).text.plain
        assert "Hi Priya, this is Sam" in script and "Dana" not in script


async def test_script_lines_below_the_view_show_the_new_lead_when_scrolled(
    session_app: MakeApp,
) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(ScriptPanel)
        assert "Globex Logistics" in words(script_shown(app))
        await pilot.press("n")  # Priya Raman, Initech Analytics
        panel.scroll_end(animate=False)
        await pilot.pause()
        assert panel.scroll_y > 0
        shown = script_shown(app)
        assert "Globex" not in shown and "Dana" not in shown and "Initech" in shown
        whole = script_shown(app, whole=True)
        assert "Globex" not in whole and "Dana" not in whole
        assert whole.count("Initech") == panel.text.plain.count("Initech") > 2


async def test_each_outcome_is_saved_before_the_next_lead(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert attempts(app) == [("Dana Whitfield", "no")]
        assert lead_row(app, "Dana")["status"] == "closed"
        assert "Priya Raman" in card(app)
        await pilot.press("a")
        priya = lead_row(app, "Priya")
        assert priya["status"] == "retry" and priya["next_call_at"] == "2026-11-25T20:15:00+00:00"
        await pilot.press("y")
        assert lead_row(app, "Marcus")["status"] == "won"
        assert [o for _, o in attempts(app)] == ["no", "no-answer", "yes"]
        # Honolulu is at 06:15: not offered. The markup-named lead is next.
        assert "[bold red]Eve[/]" in card(app)


async def test_busy_comes_back_in_fifteen_minutes(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        assert lead_row(app, "Dana")["next_call_at"] == "2026-11-25T16:30:00+00:00"


async def test_bad_number_moves_to_the_other_number(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        dana = lead_row(app, "Dana")
        assert dana["phone"] == "+15125550199" and dana["status"] == "retry"
        assert dana["alt_phones"] == []
        assert "Priya Raman" in card(app)  # never twice in one chunk
        await pilot.press("y", "y")  # Priya, Marcus; Honolulu is asleep
        await pilot.press("x")  # Eve has no other number
        assert lead_row(app, "[bold red]Eve[/]")["status"] == "closed"


async def test_do_not_call_and_undo(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert on_dnc(app.session, "+15125550134") == [("+15125550134", "internal")]
        assert lead_row(app, "Dana")["status"] == "dnc"
        await pilot.press("u")
        assert on_dnc(app.session, "+15125550134") == []
        assert attempts(app) == []
        assert lead_row(app, "Dana")["status"] == "new"
        assert "Dana Whitfield" in card(app) and "Undone" in card(app)


async def test_undo_with_nothing_to_undo(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        assert "Nothing to undo" in card(app)


async def test_skip_is_recorded_and_the_lead_stays(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert attempts(app) == [("Dana Whitfield", "skip")]
        dana = lead_row(app, "Dana")
        assert dana["status"] == "new" and dana["attempts"] == 0
        assert "Priya Raman" in card(app)
        assert "streak 0" in screen_text(app, "#stats")


async def test_callback_phrasings(session_app: MakeApp) -> None:
    cases = {
        "tomorrow 3pm": "2026-11-26T21:00:00+00:00",
        "in 2h": "2026-11-25T18:15:00+00:00",
        "next tue 10:30": "2026-12-01T16:30:00+00:00",
        "2026-12-01 09:00": "2026-12-01T15:00:00+00:00",
    }
    for phrase, stored in cases.items():
        app = session_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c")
            assert isinstance(app.screen, CallbackScreen)
            await pilot.press(*phrase)
            readback = screen_text(app, "#readback")
            assert "Read as:" in readback and "Central time (C" in readback
            assert "America/" not in readback
            await pilot.press("enter")
            assert not isinstance(app.screen, CallbackScreen)
            dana = lead_row(app, "Dana")
            assert (dana["status"], dana["callback_at"]) == ("callback", stored), phrase


async def test_the_callback_box_offers_a_date_still_ahead(session_app: MakeApp) -> None:
    # The session clock reads Wed 25 Nov 2026: a dated example a week on, never a past day.
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        box = app.screen.query_one("#when", Input)
        assert str(box.placeholder).endswith("· 2026-12-02 09:00")
        await pilot.press(*"2026-12-02 09:00", "enter")
        dana = lead_row(app, "Dana")
        assert (dana["status"], dana["callback_at"]) == ("callback", "2026-12-02T15:00:00+00:00")


async def test_unreadable_callback_keeps_asking(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"blorp", "enter")
        assert isinstance(app.screen, CallbackScreen)
        assert "blorp" in screen_text(app, "#readback")
        await pilot.press("escape")
        assert attempts(app) == []
        assert "Dana Whitfield" in card(app)


async def test_a_callback_outside_calling_hours_needs_enter_twice(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"tomorrow 11pm", "enter")  # 23:00 in Austin
        assert isinstance(app.screen, CallbackScreen)
        readback = screen_text(app, "#readback")
        assert "outside calling hours ✗" in readback and "Enter again to book it" in readback
        assert attempts(app) == []
        await pilot.press("enter")
        assert not isinstance(app.screen, CallbackScreen)
        dana = lead_row(app, "Dana")
        assert (dana["status"], dana["callback_at"]) == ("callback", "2026-11-27T05:00:00+00:00")


async def test_a_callback_time_typed_before_the_box_has_focus_is_kept(
    session_app: MakeApp,
) -> None:
    # A fast typist's "c", "in 2h", Enter reach the app before the box has focus.
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key, character in [("c", "c"), *((k, k) for k in "in"), ("space", " "), ("2", "2"),
                               ("h", "h"), ("enter", "\r")]:  # fmt: skip
            app._driver.send_message(events.Key(key, character))
        await wait_until(pilot, lambda: attempts(app) != [])
        assert not isinstance(app.screen, CallbackScreen)
        dana = lead_row(app, "Dana")
        assert (dana["status"], dana["callback_at"]) == ("callback", "2026-11-25T18:15:00+00:00")
        assert attempts(app) == [("Dana Whitfield", "callback")]


async def test_due_callback_comes_first(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"in 1 min", "enter")
        assert "Priya Raman" in card(app)
        app.session.clock = type(app.session.clock)(datetime(2026, 11, 25, 16, 20, tzinfo=UTC))
        await pilot.press("y")  # Priya; the next pick sees Dana's callback due
        assert "Dana Whitfield" in card(app) and "Callback booked" in card(app)


async def test_chunk_boundary_shows_a_break(session_app: MakeApp) -> None:
    app = session_app(chunk=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "s")
        assert isinstance(app.screen, BreakScreen)
        await pilot.press("enter")
        assert "Chunk 2/" in screen_text(app, "#header")
        assert "lead 1/2" in screen_text(app, "#header")
        # Dana was closed; the skipped Priya may come back in the new chunk.
        assert "Priya Raman" in card(app)


async def test_markup_in_lead_data_is_shown_literally(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "s")
        text = card(app)
        assert "[bold red]Eve[/] [link=http://x]Mallory[/link]" in text
        assert "Evil [b]Corp[/b]" in text
        notes = screen_text(app, "#notes")
        assert "[red]markup[/red]" in notes and "\x1b" not in notes and "\\x1b[31m" in notes


async def test_nothing_callable_says_why_and_when(session_app: MakeApp) -> None:
    app = session_app(now="2026-11-25T11:00:00+00:00")  # 05:00 in Chicago
    async with app.run_test(size=SIZE) as pilot:
        text = card(app)
        assert "Nothing to call right now." in text
        assert "Next:" in text and "[w] why" in text
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        await pilot.press("escape")
        await pilot.press("y")
        assert attempts(app) == []


async def test_why_panel_lists_waiting_leads(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        text = str(app.screen.query(Static).first().render())
        assert "Tom Baker" in text and "06:15 Hawaii-Aleutian time (HST)" in text


async def test_help_says_the_retry_times_of_the_cadence_setting(session_app: MakeApp) -> None:
    settings = Settings(
        rep_name="Sam",
        cadence={
            "no-answer": ["2h", "2d"],
            "voicemail": ["1d"],
            "busy": ["30m"],
            "hang-up": ["3d"],
        },
    )
    app = session_app(settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        lines = str(app.screen.query(Static).first().render()).splitlines()
        said = {line.split()[0]: " ".join(line.split()) for line in lines if line.startswith("  ")}
        assert said["a"] == "a no answer retried per cadence (2 h, 2 days)"
        assert said["v"] == "v voicemail retried tomorrow"
        assert said["b"] == "b busy retried in 30 min"
        assert said["h"] == "h hang-up they hung up early: retried in 3 days"


async def test_every_key_in_the_legend_is_bound(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE):
        legend = screen_text(app, "#legend")
        shown = re.findall(r"\[([^\]]+)\]", legend)
        assert shown == [*"ynhavbxcdsue", "space", "p", "w"]
        assert set(shown) <= set(app.screen.active_bindings)


async def test_call_note_goes_with_the_outcome(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.press(*"asked for a deck")
        await pilot.press("ctrl+s")
        assert "Call note: asked for a deck" in card(app)
        await pilot.press("v")
        dana = stored_lead(app.session, "Dana")
        assert [note for _, _, note in app.session.calls.history(dana.id)] == ["asked for a deck"]


async def test_long_notes_render(session_app: MakeApp) -> None:
    from tests.ui.conftest import LEADS

    long_notes = LEADS.replace("Met at SaaStr. Asked about pricing.", "word " * 4000)
    app = session_app(text=long_notes)
    async with app.run_test(size=SIZE) as pilot:
        assert len(screen_text(app, "#notes")) >= 19_990
        await pilot.press("n")
        assert "Priya Raman" in card(app)


async def test_quit_at_once(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y", "q")
    assert app.return_code in (0, None)
    assert attempts(app) == [("Dana Whitfield", "yes")]


async def test_dial_runs_the_command_without_a_shell(session_app: MakeApp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shlex
    import sys

    from dialsmile.config import Settings

    out = tmp_path / "dialed.txt"
    script = "import sys, pathlib; pathlib.Path(sys.argv[2]).write_text(' '.join(sys.argv[1:]))"
    command = (
        f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {{e164}} {shlex.quote(str(out))}"
    )
    app = session_app(settings=Settings(dial_command=command))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        for _ in range(100):
            if out.exists() and out.read_text():
                break
            await pilot.pause(0.05)
        assert out.read_text().startswith("+15125550134 ")
        assert "on call" in screen_text(app, "#stats")
        await pilot.press("n")
        (call,) = app.session.stores.stats.session_attempts(app.session.session_id)
        assert call.dialed and call.started_at <= call.ended_at


async def test_break_pauses_and_any_key_resumes(session_app: MakeApp) -> None:
    from dialsmile.ui.screens.modals import PauseScreen

    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, PauseScreen)
        later(app.session, 4.5)
        await pilot.press("y")  # any key resumes; it is not an outcome
        assert not isinstance(app.screen, PauseScreen)
        assert attempts(app) == []
        stored = app.session.stores.stats.session(app.session.session_id)
        assert stored is not None and stored.paused_s == 270


# Every outcome key, as the README's key table states it, and what it stores.
# (key, stored outcome, lead status, next_call_at, callback_at, phone afterwards)
NOW_PLUS = {
    "15m": "2026-11-25T16:30:00+00:00",
    "2h": "2026-11-25T18:15:00+00:00",
    "4h": "2026-11-25T20:15:00+00:00",
    "1d": "2026-11-26T16:15:00+00:00",
}
OUTCOME_KEYS = [
    ("y", "yes", "won", None, None, "+15125550134"),
    ("n", "no", "closed", None, None, "+15125550134"),
    ("h", "hang-up", "retry", NOW_PLUS["1d"], None, "+15125550134"),
    ("a", "no-answer", "retry", NOW_PLUS["4h"], None, "+15125550134"),
    ("v", "voicemail", "retry", NOW_PLUS["4h"], None, "+15125550134"),
    ("b", "busy", "retry", NOW_PLUS["15m"], None, "+15125550134"),
    ("x", "bad-number", "retry", "2026-11-25T16:15:00+00:00", None, "+15125550199"),
    ("c", "callback", "callback", None, NOW_PLUS["2h"], "+15125550134"),
    ("d", "do-not-call", "dnc", None, None, "+15125550134"),
    ("s", "skip", "new", None, None, "+15125550134"),
]


async def test_every_outcome_key(session_app: MakeApp) -> None:
    for key, outcome, status, next_call, callback, phone in OUTCOME_KEYS:
        app = session_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            if key == "c":
                await pilot.press(*"in 2h", "enter")
            assert attempts(app) == [("Dana Whitfield", outcome)], key
            dana = lead_row(app, "Dana")
            stored = (dana["status"], dana["next_call_at"], dana["callback_at"], dana["phone"])
            assert stored == (status, next_call, callback, phone), key
            assert dana["attempts"] == (0 if key == "s" else 1), key
            assert dana["last_outcome"] == (None if key == "s" else outcome), key
            listed = on_dnc(app.session, "+15125550134", "+15125550199")
            assert listed == ([("+15125550134", "internal")] if key == "d" else []), key
            assert "Dana Whitfield" not in card(app), key  # the next lead is on screen


# The README's key table, written out by hand: every key the session has.
SESSION_KEYS = [
    ("y", "yes"), ("n", "no"), ("h", "hang-up"), ("a", "no answer"), ("v", "voicemail"),
    ("b", "busy"), ("x", "bad number"), ("c", "callback"), ("d", "do-not-call"),
    ("s", "skip"), ("u", "undo"), ("e", "note"), ("space", "dial"), ("p", "break"),
    ("w", "why"), ("/", "objection"), ("m", "intro email"), ("o", "override"),
    ("?", "help"), ("q", "quit"),
]  # fmt: skip


async def test_help_lists_every_key(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = str(app.screen.query(Static).first().render()).splitlines()
        for key, word in SESSION_KEYS:
            said = [line.split() for line in lines if line.split()[:1] == [key]]
            assert any(" ".join(words[1:]).startswith(word) for words in said), (key, word)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


ONE_LEAD_TWO_NUMBERS = """\
First Name,Last Name,Company,Phone,Mobile Phone,City,State
Dana,Whitfield,Globex Logistics,(512) 555-0134,(512) 555-0199,Austin,TX
"""


async def test_a_bad_number_never_brings_up_an_alternate_on_do_not_call(
    session_app: MakeApp,
) -> None:
    from dialsmile.storage.dnc import DncStore

    app = session_app(text=ONE_LEAD_TWO_NUMBERS)
    async with app.run_test(size=SIZE) as pilot:
        DncStore(app.session.calls.db).add(
            "+15125550199", "asked by email", datetime(2026, 11, 20, tzinfo=UTC)
        )
        assert "Dana Whitfield" in card(app)
        await pilot.press("x")
        assert lead_row(app, "Dana")["phone"] == "+15125550199"
        assert "Nothing to call right now." in card(app)
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        why = str(app.screen.query(Static).first().render())
        assert "Dana Whitfield" in why and "internal DNC" in why
        await pilot.press("escape", "y")
        assert attempts(app) == [("Dana Whitfield", "bad-number")]


LEAD_IN_LOS_ANGELES = """\
First Name,Last Name,Company,Phone,City,State
Marcus,Lee,Northwind Freight,415-555-0132,San Francisco,CA
"""


async def test_callback_text_is_read_in_the_prospects_time_and_ctrl_t_switches_to_yours(
    session_app: MakeApp,
) -> None:
    # The rep is in Chicago; Marcus is in Los Angeles, two hours behind.
    cases = [
        ((), "tomorrow 3pm", "2026-11-26T23:00:00+00:00"),  # 15:00 in Los Angeles
        (("ctrl+t",), "tomorrow 3pm", "2026-11-26T21:00:00+00:00"),  # 15:00 in Chicago
        (("ctrl+t", "ctrl+t"), "2026-12-01 09:00", "2026-12-01T17:00:00+00:00"),
    ]
    for toggles, phrase, stored in cases:
        app = session_app(text=LEAD_IN_LOS_ANGELES)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("c", *toggles, *phrase)
            readback = screen_text(app, "#readback")
            assert "Pacific time" in readback, readback
            await pilot.press("enter")
            assert not isinstance(app.screen, CallbackScreen), readback
            marcus = lead_row(app, "Marcus")
            assert (marcus["status"], marcus["callback_at"]) == ("callback", stored), toggles


SAME_WORDS = """\
First Name,Last Name,Company,Phone,City,State,Country
Dana,Whitfield,Globex Logistics,(512) 555-0134,Austin,TX,United States
Dana,Okafor,Globex Logistics,(512) 555-0135,Austin,TX,United States
Priya,Raman,Initech Analytics,(212) 555-0188,New York,NY,United States
"""


async def test_the_script_panel_is_not_refilled_when_the_next_lead_reads_the_same(
    session_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bundled script names only the first name and the company (and the rep's):
    # the two Danas at Globex hear the same words, Priya at Initech does not.
    filled: list[str] = []
    real = ScriptPanel.show

    def counting(panel: ScriptPanel, blocks: list[Text], *args: object, **kw: bool) -> None:
        filled.append(Text("\n").join(blocks).plain)
        real(panel, blocks, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(ScriptPanel, "show", counting)
    app = session_app(text=SAME_WORDS)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(ScriptPanel)
        assert len(filled) == 1 and "Hi Dana" in panel.text.plain
        panel.scroll_end(animate=False)
        await pilot.pause()
        await pilot.press("n")
        assert "Dana Okafor" in card(app)
        assert len(filled) == 1  # the same words: not filled or painted again
        assert panel.scroll_y == 0  # but a new lead's script starts at the top
        assert "Hi Dana" in words(script_shown(app))
        assert "Globex Logistics" in words(script_shown(app))
        await pilot.press("n")
        assert "Priya Raman" in card(app)
        assert len(filled) == 2 and "Hi Priya" in filled[-1] and "Initech" in filled[-1]
        assert "Hi Priya" in words(script_shown(app))


async def test_the_screen_keeps_the_hold_on_the_lead_a_rep_is_still_on(
    session_app: MakeApp,
) -> None:
    # Every 30 s the screen looks again; a rep eight minutes into a call on the lead
    # gets a fresh 15 minutes, so no other rep is offered it mid-call.
    app = session_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and session.current is not None
        assert session.claimed_until == datetime(2026, 11, 25, 16, 30, tzinfo=UTC)
        later(session, 8)
        app.screen._recheck()  # type: ignore[attr-defined]  # what its 30 s timer runs
        assert session.claimed_until == datetime(2026, 11, 25, 16, 38, tzinfo=UTC)
        assert session.current is not None


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_narrow_terminal_shows_every_word_of_the_script_down_to_its_end(
    session_app: MakeApp, size: tuple[int, int]
) -> None:
    app = session_app()
    async with app.run_test(size=size) as pilot:
        panel = app.screen.query_one(ScriptPanel)
        script = words(panel.text.plain)
        assert "Hi Dana" in script
        assert words(script_shown(app, whole=True)) == script  # wrapped, nothing lost
        panel.scroll_end(animate=False)
        await pilot.pause()
        last = panel.text.plain.split()[-1]
        assert last in script_shown(app)  # the view reaches the script's last words
        await pilot.press("n")  # the next lead's script starts at its top, filled for them
        assert panel.scroll_y == 0 and "Hi Priya" in words(script_shown(app))


LONG_NOTES = "First Name,Last Name,Company,Phone,State,Notes\n" + "".join(
    f'{name},Lee,Globex,(512) 555-01{n}0,TX,"'
    + "\n".join(f"{name} note {i}" for i in range(40))
    + '"\n'
    for n, name in enumerate(["Dana", "Priya"])
)


async def test_the_next_leads_notes_start_at_their_top(session_app: MakeApp) -> None:
    app = session_app(text=LONG_NOTES)
    async with app.run_test(size=SIZE) as pilot:
        notes = app.screen.query_one("#notes-scroll")
        notes.scroll_end(animate=False)
        await pilot.pause()
        assert notes.scroll_y > 10
        await pilot.press("n")
        await pilot.pause()
        assert "Priya note 0" in screen_text(app, "#notes") and notes.scroll_y == 0
