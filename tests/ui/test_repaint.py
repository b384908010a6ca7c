"""The cheap repaint: its line count must be the height Textual itself would measure."""

from __future__ import annotations

import random

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import Static

from dialsmile.ui.widgets.repaint import content_height

# Pieces of lines a lead card or a script holds: words, wide and combining
# characters, emoji, markup-looking brackets, tabs and control characters.
PIECES = [
    "Dana", "Whitfield", "Globex Logistics", " ", "  ", "—", "·", "日本", "Åsa", "é",
    "🙂", "[bold]x[/bold]", "\t", "\x1b", "a-very-long-unbroken-word-for-wrapping",
    "Attempt 1 ▮▯▯", "", "x" * 9, "x" * 10, "x" * 11,
]  # fmt: skip


def texts(seed: int, count: int) -> list[str]:
    """``count`` seeded texts of one to five lines, many of them near 10..40 cells wide."""
    pick = random.Random(seed)
    out = []
    for _ in range(count):
        lines = [
            "".join(pick.choices(PIECES, k=pick.randint(0, 6))) for _ in range(pick.randint(1, 5))
        ]
        out.append("\n".join(lines))
    return out


class One(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="box")


async def test_counted_heights_match_textuals_measure() -> None:
    app = One()
    async with app.run_test(size=(80, 20)):
        box = app.query_one("#box", Static)
        checked = 0
        for text in texts(7, 400):
            for width in (10, 11, 23, 40):
                size = Size(width, 20)
                for content in (Text(text), text):
                    box.update(content, layout=False)
                    measured = box.get_content_height(size, size, width)
                    assert content_height(box, size) == measured, (text, width)
                    checked += 1
        assert checked == 400 * 4 * 2


async def test_a_line_exactly_as_wide_as_the_box_takes_one_line() -> None:
    app = One()
    async with app.run_test(size=(80, 20)):
        box = app.query_one("#box", Static)
        for text, lines in (("x" * 10, 1), ("x" * 11, 2), ("ab\n", 2), ("", 1)):
            box.update(Text(text), layout=False)
            assert content_height(box, Size(10, 5)) == lines, text  # a trailing blank line counts
