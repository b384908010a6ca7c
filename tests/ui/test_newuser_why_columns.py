"""The why panel's columns line up for leads whose names take two terminal cells a letter."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from dialsmile.ui.screens.modals import WhyScreen
from tests.ui.conftest import MakeApp

LEADS = """\
Name,Company,Phone,State
Dana Whitfield,Globex,(512) 555-0134,TX
山田 太郎,山田商事,(808) 555-0110,HI
Emma 🚀 Stone,Acme,(808) 555-0111,HI
一二三四五六七八九十一二三四五六七八九十,Long,(808) 555-0112,HI
"""


async def test_why_panel_columns_line_up_for_wide_names(session_app: MakeApp) -> None:
    app = session_app(text=LEADS)  # 10:15 in Chicago, 06:15 in Honolulu: Hawaii waits
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        text = str(app.screen.query(Static).first().render())
        rows = [line for line in text.splitlines() if "+1 808" in line]
        assert len(rows) == 3
        assert {cell_len(row[: row.index("+1 808")]) for row in rows} == {23}


async def test_why_panel_on_a_narrow_terminal_puts_when_and_why_under_each_lead(
    session_app: MakeApp,
) -> None:
    app = session_app(text=LEADS)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        lines = str(app.screen.query(Static).first().render()).splitlines()
        assert "Callable from" not in "\n".join(lines)  # no table header to wrap
        at = lines.index("山田 太郎  +1 808-555-0110")
        assert lines[at + 1].startswith(
            "  12:00 (in 1 h 45 min): outside calling hours: it is 06:15"
        )
