"""Running a session screen: shared by `dialsmile session` and `dialsmile demo`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dialsmile.commands.context import Context, require_terminal

if TYPE_CHECKING:
    from dialsmile.core.scripts import Script
    from dialsmile.core.session import CallSession


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

    The session layout paints first; ``prepare`` (if any), the list and the
    session open behind it. A failure there ends the app and is raised here,
    after the terminal is restored.
    """
    from dialsmile.ui.app import DialsmileApp

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
    require_terminal("session screen")
    app = DialsmileApp(open_session, rep_zone, banner, list_name=list_name, now=ctx.clock.now())
    app.run()
    if app.failure is not None:
        raise app.failure
    return app.session
