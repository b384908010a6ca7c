"""The session screen follows the terminal's size, and lays itself out only when that
size changes: the same size reported again (as terminals do at start) costs nothing."""

from __future__ import annotations

import pytest
from textual import events
from textual.geometry import Size
from textual.screen import Screen

from tests.ui.conftest import MakeApp
from tests.ui.test_session import SIZE, screen_text


def layouts(monkeypatch: pytest.MonkeyPatch) -> list[Size | None]:
    """The sizes every screen is laid out at for a new terminal size, from now on (a
    widget's own change lays out at the size it has: no size given)."""
    seen: list[Size | None] = []
    lay_out = Screen._refresh_layout

    def counted(self: Screen[object], size: Size | None = None, scroll: bool = False) -> None:
        if size is not None:
            seen.append(size)
        lay_out(self, size, scroll)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return seen


async def test_resizing_the_terminal_lays_the_session_out_again_narrow_too(
    session_app: MakeApp,
) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.size == Size(*SIZE)
        for width, height in [(60, 20), (140, 45), (60, 20)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.1)
            assert app.screen.size == Size(width, height)
            for name in ("#header", "#card", "#legend", "#stats"):
                region = app.screen.query_one(name).region
                assert region.right <= width and region.bottom <= height, name
            assert "lead 1/" in screen_text(app, "#header")
            assert "Dana Whitfield" in screen_text(app, "#card")


async def test_the_same_size_again_lays_nothing_out(
    session_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        seen = layouts(monkeypatch)
        for _ in range(3):  # a terminal's size reported again, unchanged
            app.post_message(events.Resize(Size(*SIZE), Size(*SIZE)))
            await pilot.pause(0.05)
        assert seen == []
        await pilot.resize_terminal(80, 30)
        await pilot.pause(0.1)
        assert Size(80, 30) in seen
