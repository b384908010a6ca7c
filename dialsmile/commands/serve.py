"""`dialsmile serve`: the demo, a session or practice in a web browser, via textual-serve.

Each browser tab runs its own `dialsmile` process with Textual's web driver,
on the same database as the command line, so what is done in the browser is
saved as it is in a terminal.
"""

from __future__ import annotations

import ipaddress
import os
import platform
import shlex
import sys

import click

from dialsmile.commands.context import Context, pass_ctx
from dialsmile.errors import BadInput

SERVABLE = ("demo", "session", "practice")


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.1, ::1, localhost)."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _public_url(host: str, port: int, given: str | None) -> str:
    """The address browsers use: --url, else this host (this machine's name for 0.0.0.0)."""
    if given:
        return given.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        host = platform.node()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@click.command(
    "serve",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("app_args", nargs=-1, type=click.UNPROCESSED, metavar="[demo|session|practice]...")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port."
)
@click.option(
    "--public",
    is_flag=True,
    help="Allow a --host other machines can reach. Anyone who reaches the port can use "
    "the app and your leads: there is no password.",
)
@click.option("--url", help="The address browsers reach this machine by (with --public).")
@click.pass_context
@pass_ctx
def serve_command(
    ctx: Context,
    click_ctx: click.Context,
    app_args: tuple[str, ...],
    host: str,
    port: int,
    public: bool,
    url: str | None,
) -> None:
    """Serve the demo, a session or practice in a web browser.

    Without a command it serves the demo. Give `session` or `practice` with
    their own options after serve's. Every browser tab gets its own run, on
    this database. Listens on this machine only (127.0.0.1) unless --public.
    Needs the serve extra: pip install 'dialsmile[serve]'.

    \b
    Examples:
      dialsmile serve                                   # the demo on http://127.0.0.1:8000
      dialsmile serve --port 8080 session --list "Q4 Nordics"
      dialsmile serve practice --script fa-prospecting --count 5
      dialsmile serve --host 0.0.0.0 --public demo      # a training room: every machine can reach it
    """
    what, *rest = app_args or ("demo",)
    if what not in SERVABLE:
        raise BadInput(f"dialsmile serve serves demo, session or practice, not {what!r}.")
    if not is_loopback(host) and not public:
        raise BadInput(
            f"--host {host} lets other machines reach the app, and anyone who does can use it "
            "and your leads; add --public to serve it anyway."
        )
    root = click_ctx.find_root()
    command = root.command
    assert isinstance(command, click.Group)
    app_command = command.get_command(root, what)
    assert app_command is not None
    # Bad options and a missing list are refused now, not in every browser tab.
    with app_command.make_context(what, list(rest), parent=root) as app_ctx:
        if what == "session":
            from dialsmile.storage.db import choose_list

            with ctx.reading() as conn:
                choose_list(conn, app_ctx.params["list_name"])
    try:
        from textual_serve.server import Server
    except ImportError:
        raise BadInput(
            "dialsmile serve needs textual-serve; install it with: pip install 'dialsmile[serve]'"
        ) from None
    if not is_loopback(host):
        click.echo(
            f"Warning: anyone who can reach port {port} of this machine can use dialsmile and "
            "the leads in its database; there is no password.",
            err=True,
        )
    # A server's URL goes by environment, not argv: its password stays out of `ps`.
    os.environ["DIALSMILE_REP"] = ctx.rep
    where = []
    if ctx.target.url is not None:
        os.environ["DIALSMILE_DB"] = ctx.target.url
    else:
        where = ["--db", ctx.target.given]
    argv = [sys.executable, "-m", "dialsmile", *where, what, *rest]
    server = Server(
        shlex.join(argv), host=host, port=port, title=f"dialsmile {what}",
        public_url=_public_url(host, port, url),
    )  # fmt: skip
    server.serve()
