"""Notice when the terminal goes away (its window closed, its ssh link dropped)."""

from __future__ import annotations

import select
import sys

from textual.app import App

CHECK_EVERY_S = 2.0


def hung_up(fd: int) -> bool:
    """True once the terminal on ``fd`` has hung up or ``fd`` is no longer open."""
    poll = getattr(select, "poll", None)
    if poll is None:  # no poll() here: rely on the hang-up signal alone
        return False
    poller = poll()
    poller.register(fd, select.POLLIN)
    return any(mask & (select.POLLHUP | select.POLLNVAL) for _, mask in poller.poll(0))


def exit_when_terminal_goes(app: App[None]) -> None:
    """End ``app`` when its terminal hangs up, instead of reading nothing for ever.

    Every outcome is committed as it is recorded, so ending loses nothing.
    Headless runs (tests) have no terminal to watch.
    """
    if app.is_headless or sys.__stdin__ is None:
        return
    fd = sys.__stdin__.fileno()

    def check() -> None:
        if hung_up(fd):
            app.exit()

    app.set_interval(CHECK_EVERY_S, check)
