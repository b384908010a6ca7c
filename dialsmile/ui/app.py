"""The Textual application: one class used by the CLI and the tests."""

from __future__ import annotations

import contextlib
import importlib
import time
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from dialsmile.core.opening import Working
from dialsmile.ui.screens.layout import OpeningScreen
from dialsmile.ui.terminal import exit_when_terminal_goes

if TYPE_CHECKING:
    from dialsmile.core.session import CallSession

OPENING_WAIT_S = 0.5  # how long the first frame waits for a session open that is waiting
OPENING_MAX_WAIT_S = 2.0  # how long it waits for one still computing (a busy machine)
OPENING_STEP_S = 0.1  # how often it looks whether the open is still computing


def wait_for_open(opening: Future[CallSession]) -> None:
    """Wait for the session to open: up to ``OPENING_WAIT_S``, and on, up to
    ``OPENING_MAX_WAIT_S``, while its thread is still computing.

    Painting the opening frame and then the session screen costs more than the
    last moments of most opens. An open that computes (a local file, the first
    pick) finishes sooner than a frame painted meanwhile would help, even when
    a busy machine stretches it past half a second; one that waits (a locked
    file, a server far away) gets the opening frame.
    """
    started = time.monotonic()
    used = opening.cpu_s() if isinstance(opening, Working) else None
    while True:
        with contextlib.suppress(TimeoutError):
            opening.exception(timeout=OPENING_STEP_S)
        waited = time.monotonic() - started
        if opening.done() or waited >= OPENING_MAX_WAIT_S:
            return
        before, used = used, opening.cpu_s() if isinstance(opening, Working) else None
        computing = before is not None and used is not None and used > before
        if waited >= OPENING_WAIT_S and not computing:
            return


class DialsmileApp(App[None]):
    """A calling session in the terminal.

    Given an open session, the app shows it at once. Given a session still
    opening in a thread (as the CLI starts one, see
    ``dialsmile.commands.session.open_in_background``), the first frame waits
    for it (see ``wait_for_open``) and shows its first lead; an open waiting on
    a busy database or a team's server far away gets the session layout
    first, and the lead follows as soon as the session is open. A failure to open
    ends the app; ``failure`` holds it for the caller.
    """

    CSS_PATH = "styles/app.tcss"
    TITLE = "dialsmile"

    def __init__(
        self,
        session: CallSession | Future[CallSession],
        rep_zone: str,
        banner: str = "",
        *,
        list_name: str = "",
        now: datetime | None = None,
    ) -> None:
        super().__init__()
        self.session: CallSession | None = None
        self.opening: Future[CallSession] | None = None
        if isinstance(session, Future):
            self.opening = session
        else:
            self.session = session
        self.rep_zone = rep_zone
        self.banner = banner
        self.list_name = list_name
        self.now = now
        self.failure: Exception | None = None  # raised again once the terminal is back

    def get_default_screen(self) -> Screen[None]:
        opening = self.opening
        if opening is not None:
            wait_for_open(opening)
            if opening.done() and opening.exception() is None:
                self.session = opening.result()  # open: the first frame shows the lead
        if self.session is not None:
            return self._session_screen(self.session)
        assert self.now is not None
        return OpeningScreen(self.list_name, self.now, self.rep_zone, self.banner)

    async def _on_resize(self, event: events.Resize) -> None:
        """Pass a resize on to the screen only when the terminal's size changed.

        At start the terminal's size arrives three times (the app's first
        measure, the driver's, the terminal's answer to the in-band query), all
        the same; Textual's own handler (which runs after this one unless
        prevented) passes each on to the screen, and every one cost the
        session screen a full layout just after its first frame.
        """
        if event.size == self._size:
            event.prevent_default()
            event.stop()

    def on_mount(self) -> None:
        exit_when_terminal_goes(self)
        if self.session is None:
            self.run_worker(self._open, thread=True)

    def _open(self) -> CallSession | Exception:
        """Wait for the session to open (off the UI thread), then load its screen."""
        assert self.opening is not None
        try:
            session = self.opening.result()
        except Exception as exc:  # a database's own error too: the command words it
            return exc
        importlib.import_module("dialsmile.ui.screens.session")  # here, off the UI thread
        return session

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.SUCCESS:
            return
        opened = event.worker.result
        if isinstance(opened, Exception):
            self.failure = opened
            self.exit(return_code=1)
        elif opened is not None:
            self._show(opened)

    def _session_screen(self, session: CallSession) -> Screen[None]:
        from dialsmile.ui.screens.session import SessionScreen

        return SessionScreen(session, self.rep_zone, self.banner)

    def _show(self, session: CallSession) -> None:
        self.session = session
        self.push_screen(self._session_screen(session))  # over the opening frame, for good


def make_app(session: CallSession, rep_zone: str, banner: str = "") -> DialsmileApp:
    """Build the app for an open session (the tests and benchmarks use this)."""
    return DialsmileApp(session, rep_zone, banner)
