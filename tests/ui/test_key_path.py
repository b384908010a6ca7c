"""What an outcome key repaints: only what reads differently for the next lead."""

from __future__ import annotations

import gc

import pytest
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from dialsmile.ui.app import DialsmileApp
from dialsmile.ui.widgets import script_panel
from dialsmile.ui.widgets.script_panel import ScriptLines, ScriptPanel
from tests.ui.conftest import MakeApp, script_shown, wait_until, words

SIZE = (110, 34)

# The bundled script names {first_name} and {company} (and the rep's own name
# and company, the same for every lead). The two Danas at Globex hear the same
# words; Priya at Initech does not.
LEADS = """\
First Name,Last Name,Company,Phone,City,State,Country
Dana,Whitfield,Globex Logistics,(512) 555-0134,Austin,TX,United States
Dana,Okafor,Globex Logistics,(512) 555-0135,Austin,TX,United States
Priya,Raman,Initech Analytics,(212) 555-0188,New York,NY,United States
"""


def painted(static: Static) -> str:
    content = static.content
    return content.plain if isinstance(content, Text) else str(content)


@pytest.fixture
def repainted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every script block drawn, and ``lines N-M`` for every line range of the
    script marked for repainting (``all`` for all of it), in order."""
    seen: list[str] = []
    draw = script_panel.draw_block
    refresh = ScriptLines.refresh

    def drawing(widget: Widget, block: Text, width: int) -> list[Strip]:
        seen.append(block.plain)
        return draw(widget, block, width)

    def refreshing(widget: ScriptLines, *regions: Region, **kw: bool) -> ScriptLines:
        if not regions:
            seen.append("all")
        seen.extend(f"lines {r.y}-{r.bottom - 1}" for r in regions)
        return refresh(widget, *regions, **kw)

    monkeypatch.setattr(script_panel, "draw_block", drawing)
    monkeypatch.setattr(ScriptLines, "refresh", refreshing)
    return seen


async def test_the_same_words_repaint_no_script_line(
    session_app: MakeApp, repainted: list[str]
) -> None:
    app = session_app(text=LEADS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        repainted.clear()
        await pilot.press("n")
        assert "Dana Okafor" in painted(app.screen.query_one("#card", Static))
        assert repainted == []


async def test_a_changed_merge_field_repaints_just_the_lines_that_name_it(
    session_app: MakeApp, repainted: list[str]
) -> None:
    app = session_app(text=LEADS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        repainted.clear()
        await pilot.press("n")  # Priya Raman, Initech Analytics
        await pilot.pause()
        assert "Priya Raman" in painted(app.screen.query_one("#card", Static))
        marked = [entry for entry in repainted if entry.startswith("lines ")]
        drawn = [entry for entry in repainted if not entry.startswith("lines ")]
        assert marked and drawn, "the script still greets Dana"
        assert "all" not in repainted
        lines = script_shown(app, whole=True).split("\n")
        for entry in marked:
            first, last = (int(n) for n in entry.removeprefix("lines ").split("-"))
            text = words(" ".join(lines[first : last + 1]))
            assert "Priya" in text or "Initech" in text, (entry, text)
        for block in drawn:
            assert "Priya" in block or "Initech Analytics" in block, block
        panel = app.screen.query_one(ScriptPanel)
        panel.scroll_end(animate=False)
        await pilot.pause()
        shown = words(script_shown(app, whole=True))
        assert "Hi Priya, this is Sam from Acme Software." in shown
        assert "Dana" not in shown and "Globex" not in shown


async def test_the_card_is_not_laid_out_again_when_its_height_is_kept(
    session_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = session_app(text=LEADS)
    async with app.run_test(size=SIZE) as pilot:
        card = app.screen.query_one("#card", Static)
        height = card.outer_size.height
        layouts: list[str] = []
        real = Static.refresh

        def refresh(widget: Static, *regions: object, **kw: bool) -> Static:
            if kw.get("layout"):
                layouts.append(str(widget.id))
            return real(widget, *regions, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(Static, "refresh", refresh)
        await pilot.press("n")
        assert "Dana Okafor" in painted(card) and card.outer_size.height == height
        assert layouts == []


async def test_a_session_in_a_terminal_freezes_what_it_loaded_a_headless_one_does_not(
    session_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = gc.get_freeze_count()
    app = session_app(text=LEADS)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: gc.get_freeze_count() > before, tries=25)
        assert gc.get_freeze_count() == before  # tests run many apps in one process
    monkeypatch.setattr(DialsmileApp, "is_headless", property(lambda self: False))
    app = session_app(text=LEADS)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: gc.get_freeze_count() > before)
            assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


async def test_the_collector_runs_again_once_the_first_lead_is_on_screen(
    session_app: MakeApp,
) -> None:
    # `dialsmile session` pauses it while the session starts (tests/cli/test_startup.py).
    gc.disable()
    try:
        app = session_app(text=LEADS)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, gc.isenabled)
            assert "Dana Whitfield" in painted(app.screen.query_one("#card", Static))
            assert gc.isenabled()
    finally:
        gc.enable()
