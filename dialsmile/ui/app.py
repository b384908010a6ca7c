"""The Textual application: one factory used by the CLI and the tests."""

from __future__ import annotations

from textual.app import App

from dialsmile.core.session import CallSession
from dialsmile.ui.screens.session import SessionScreen


class DialsmileApp(App[None]):
    """A calling session in the terminal."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "dialsmile"

    def __init__(self, session: CallSession, rep_zone: str, banner: str = "") -> None:
        super().__init__()
        self.session = session
        self.rep_zone = rep_zone
        self.banner = banner

    def on_mount(self) -> None:
        self.push_screen(SessionScreen(self.session, self.rep_zone, self.banner))


def make_app(session: CallSession, rep_zone: str, banner: str = "") -> DialsmileApp:
    """Build the app for a session (the CLI and the tests both use this)."""
    return DialsmileApp(session, rep_zone, banner)
