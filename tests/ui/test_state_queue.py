"""The session queue with no State column: the area code's state decides what is offered.

For each state with its own hours or closed days (tests/nanp.py, written from
calling-rules.md), a lead whose file has no State column is offered exactly
when the law allows, and the why panel names the rule and "from area code NNN".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from textual.widgets import Static

from dialsmile.core.session import CallSession
from dialsmile.ui.app import make_app
from dialsmile.ui.screens.modals import WhyScreen
from tests.nanp import LAWS, boundaries, source_label, valid_number

MakeSession = Callable[..., CallSession]

CASES = [
    pytest.param(code, moment, allowed, id=name)
    for code, law in LAWS.items()
    for name, moment, allowed in boundaries(code, law)
]


def leads_without_state(code: str) -> str:
    phone = valid_number(LAWS[code].npa)
    assert phone is not None
    return f"Name,Company,Phone\nKim Ortiz,Acme,{phone}\n"


@pytest.mark.parametrize(("code", "moment", "allowed"), CASES)
def test_lead_is_offered_only_when_its_area_codes_state_allows(
    make_session: MakeSession, code: str, moment: datetime, allowed: bool
) -> None:
    law = LAWS[code]
    now = moment.astimezone(UTC).isoformat()
    session = make_session(text=leads_without_state(code), now=now)
    offer = session.advance()
    assert (offer is not None) is allowed
    if not allowed:
        (item,) = session.waiting()
        assert law.name in item.why and source_label(code, law.npa) in item.why, item.why


async def test_why_panel_names_the_rule_and_the_area_code(make_session: MakeSession) -> None:
    sunday = datetime(2026, 12, 6, 19, 0, tzinfo=UTC)  # 12:00 in Salt Lake City
    session = make_session(text=leads_without_state("US-UT"), now=sunday.isoformat())
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        text = str(app.screen.query(Static).first().render())
        assert "Kim Ortiz" in text
        assert "12:00 Mountain time (MST): Utah (US-UT, from area code 801) allows no" in text
