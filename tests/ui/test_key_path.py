"""What an outcome key repaints: only what reads differently for the next lead."""

from __future__ import annotations

import gc

import pytest
from rich.text import Text
from textual.widgets import Static

from dialsmile.ui.app import DialsmileApp
from dialsmile.ui.widgets import script_panel
from dialsmile.ui.widgets.script_panel import ScriptPanel
from tests.ui.conftest import MakeApp, wait_until

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
    """The text of every script block repainted, in order."""
    seen: list[str] = []
    real = script_panel.show

    def counting(widget: Static, content: Text | str, **kw: bool) -> None:
        seen.append(content.plain if isinstance(content, Text) else content)
        real(widget, content, **kw)

    monkeypatch.setattr(script_panel, "show", counting)
    return seen


async def test_the_same_words_repaint_no_script_block(
    session_app: MakeApp, repainted: list[str]
) -> None:
    app = session_app(text=LEADS)
    async with app.run_test(size=SIZE) as pilot:
        repainted.clear()
        await pilot.press("n")
        assert "Dana Okafor" in painted(app.screen.query_one("#card", Static))
        assert repainted == []


async def test_a_changed_merge_field_repaints_just_the_blocks_that_name_it(
    session_app: MakeApp, repainted: list[str]
) -> None:
    app = session_app(text=LEADS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        repainted.clear()
        await pilot.press("n")  # Priya Raman, Initech Analytics
        assert "Priya Raman" in painted(app.screen.query_one("#card", Static))
        assert repainted, "the script still greets Dana"
        for block in repainted:
            assert "Priya" in block or "Initech Analytics" in block, block
        panel = app.screen.query_one(ScriptPanel)
        panel.scroll_end(animate=False)
        await pilot.pause()
        shown = "\n".join(painted(s) for s in panel.query_children(Static))
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
