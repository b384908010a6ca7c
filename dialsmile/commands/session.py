"""Running a session screen: shared by `dialsmile session` and `dialsmile demo`."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

from dialsmile.commands.context import Context, require_terminal
from dialsmile.core.opening import Working

if TYPE_CHECKING:
    from dialsmile.core.scripts import Script
    from dialsmile.core.session import CallSession


def open_in_background(open_session: Callable[[], CallSession]) -> Working[CallSession]:
    """Open a session and pick its first lead in a thread started now; the future holds
    the session, or what went wrong, and tells whether the open is still computing.

    Started before Textual loads, so the database, the stores, the calling rules
    and the first lead's pick overlap with the terminal's setup. The thread
    loads no Textual module: two threads importing the same modules at once can
    deadlock where those modules import each other.
    """

    def run() -> CallSession:
        session = open_session()
        session.advance()
        return session

    return Working(run, "open-session")


def run_session(
    ctx: Context,
    list_name: str,
    script: Script,
    chunk: int | None,
    rep_zone: str,
    banner: str = "",
    prepare: Callable[[], None] | None = None,
) -> CallSession | None:
    """Run a session on list ``list_name``; None if the rep quit before it opened.

    ``prepare`` (if any), the list and the session open in a thread from the
    start, while Textual loads. When they are ready by the first frame, that
    frame shows the first lead; else the session layout paints first and the
    lead follows. A failure there ends the app and is raised here, after the
    terminal is restored. Quitting lets go of the rep's claims.
    """

    def open_session() -> CallSession:
        from dialsmile.core.session import CallSession

        if prepare is not None:
            prepare()
        stores = ctx.stores
        lead_list = stores.lists.get_list(list_name)
        return CallSession(
            stores, lead_list, ctx.settings, ctx.clock, chunk_size=chunk, script=script
        )

    if ctx.target.url is not None:
        # On a team's database the header says who is calling on which floor.
        banner = " · ".join(filter(None, [f"{ctx.rep} @ {ctx.target.floor}", banner]))
    require_terminal("session screen")  # before anything is opened or written
    # What loads before the first lead (Textual, the rules, the phone metadata: about
    # 70k objects) lives as long as the session; collections walking it as it grew
    # cost about 60 ms of a start. The screen turns the collector back on once the
    # first lead is painted (see ui/screens/session.py); here it is back on whatever
    # happens.
    gc.disable()
    try:
        opening = open_in_background(open_session)
        from dialsmile.ui.app import DialsmileApp  # Textual loads while the session opens

        app = DialsmileApp(opening, rep_zone, banner, list_name=list_name, now=ctx.clock.now())
        app.run()
    finally:
        gc.enable()
    if app.failure is not None:
        raise app.failure
    if app.session is not None:
        app.session.let_go()  # the rep quit: the lead on screen returns to the floor
    return app.session
