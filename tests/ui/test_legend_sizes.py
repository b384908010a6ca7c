"""Every key of the session legend stays in sight, from 60x20 up: its two lines flow onto
more where the terminal is too narrow for them, never cut off."""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region

from tests.ui.conftest import MakeApp

# The legend's keys, as the help screen and the README name them: written out here.
KEYS = [
    "[y]es", "[n]o", "[h]ang-up", "[a] no answer", "[v]oicemail", "[b]usy", "[x] bad number",
    "[c]allback", "[d]o-not-call", "[s]kip", "[u]ndo", "[e] note", "[space] dial", "[p] break",
    "[w] why",
]  # fmt: skip


def _shown(app: object, selector: str) -> list[str]:
    """The widget's rows as the screen draws them (only what is inside the screen)."""
    screen = app.screen  # type: ignore[attr-defined]
    widget = screen.query_one(selector)
    region = widget.region.intersection(Region(0, 0, *screen.size))
    strips = screen._compositor.render_strips()  # the whole screen, as drawn
    return [strip.text[region.x : region.right] for strip in strips[region.y : region.bottom]]


@pytest.mark.parametrize("size", [(60, 20), (64, 20), (72, 22), (80, 24), (120, 40)])
async def test_every_legend_key_is_on_screen(session_app: MakeApp, size: tuple[int, int]) -> None:
    app = session_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = _shown(app, "#legend")
        text = "\n".join(rows)
        for key in KEYS:
            assert re.search(re.escape(key).replace(r"\ ", r"\s"), text), (key, rows)
        for row in rows:  # no key split over two rows
            assert not row.rstrip().endswith("["), rows


async def test_the_legend_keeps_its_two_lines_where_they_fit(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = [row.strip() for row in _shown(app, "#legend")]
        assert rows == [" ".join(KEYS[:7]), " ".join(KEYS[7:])]
