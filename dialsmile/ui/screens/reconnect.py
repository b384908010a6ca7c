"""A team's server that went away mid-session: the header says the session is
reconnecting, an outcome keyed meanwhile is held, and saved once the server is back.

Only a PostgreSQL floor raises ``ServerGone``; a SQLite session never waits here.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, Protocol, TypeVar

from dialsmile.errors import ServerGone

if TYPE_CHECKING:
    from textual.screen import Screen

    from dialsmile.core.session import CallSession, Keyed
    from dialsmile.core.stats import Attempt

RECONNECTING = "Reconnecting to the floor…"
NOT_SAVED_YET = " (your last key is not saved yet)"
AWAY = "The server is away: this waits until it is back."
BACK = "The server is back."
FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 15.0
P = ParamSpec("P")

# What the screen does once the server is back: shown the held key's attempt (None:
# not saved, or no key was held) and one sentence saying what became of it.
Back = Callable[["Attempt | None", str], None]


class Reconnect:
    """Tries the server again, waiting longer each time (1 s doubling to 15 s, jittered
    so a floor of reps does not knock at once), until the held key is saved.

    While it waits (``waiting``) the screen reads nothing from the server: the tries
    run in a worker thread, the only one using the connection then.
    """

    def __init__(
        self, screen: Screen[None], session: CallSession, back: Back, shown: Callable[[], None]
    ) -> None:
        self.screen = screen
        self.session = session
        self.back = back
        self.shown = shown  # paints ``status``
        self.waiting = False
        self.held: Keyed | None = None
        self.wait_s = FIRST_WAIT_S
        self.quit_warned = False

    @property
    def status(self) -> str:
        """The header's line while the server is away ("" when it is here)."""
        if not self.waiting:
            return ""
        return RECONNECTING + (NOT_SAVED_YET if self.held is not None else "")

    def lost(self, held: Keyed | None = None) -> None:
        """The server went away; ``held`` (a key that met it) is saved once it is back."""
        if held is not None:
            self.held = held
        if not self.waiting:
            self.waiting = True
            self.wait_s = FIRST_WAIT_S
            self._later()
        self.shown()

    def guarded(self, work: Callable[P, None]) -> Callable[P, None]:
        """``work`` (which reads or writes the server), or, while the server is away, a
        note that it waits; a server found gone on the way starts the reconnecting."""

        @functools.wraps(work)
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            if self.waiting:
                self.screen.notify(AWAY, severity="warning")
                return
            try:
                work(*args, **kwargs)
            except ServerGone:
                self.lost()
                self.screen.notify(AWAY, severity="warning")

        return run

    def may_quit(self) -> bool:
        """False (saying why) the first time the rep quits with a key still held."""
        if self.held is None or self.quit_warned:
            return True
        self.quit_warned = True
        self.screen.notify(
            f"Your {self.held.record.outcome} is not saved yet: press q again to quit "
            "without it, or wait for the server.",
            severity="warning",
        )
        return False

    def _later(self) -> None:
        self.screen.set_timer(self.wait_s * random.uniform(0.8, 1.2), self._try)

    def _try(self) -> None:
        # In a thread: reaching a server that is out of reach can take seconds, and the
        # screen keeps answering keys meanwhile (reading nothing from the server).
        self.screen.run_worker(self._attempt, thread=True, group="reconnect")

    def _attempt(self) -> None:
        held = self.held
        try:
            if held is not None:
                attempt, said = self.session.save_late(held)
            else:
                attempt, said = None, self.session.reclaim() or BACK
        except ServerGone:
            self.screen.app.call_from_thread(self._again)
            return
        self.screen.app.call_from_thread(self._done, held, attempt, said)

    def _again(self) -> None:
        self.wait_s = min(self.wait_s * 2, LONGEST_WAIT_S)
        self._later()

    def _done(self, tried: Keyed | None, attempt: Attempt | None, said: str) -> None:
        if self.held is not tried:  # a key came while the server answered: save it now
            self._try()
            return
        self.waiting = False
        self.held = None
        self.quit_warned = False
        self.back(attempt, said)


class _Linked(Protocol):
    link: Reconnect


L = TypeVar("L", bound=_Linked)


def needs_server(action: Callable[Concatenate[L, P], None]) -> Callable[Concatenate[L, P], None]:
    """A screen's action that reads or writes the server, run through ``link.guarded``."""

    @functools.wraps(action)
    def run(screen: L, /, *args: P.args, **kwargs: P.kwargs) -> None:
        screen.link.guarded(functools.partial(action, screen))(*args, **kwargs)

    return run
