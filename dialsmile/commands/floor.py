"""The call floor without a screen: `dialsmile next`, `dialsmile log` and `dialsmile floor`.

`next` and `log` drive the same session as the screen (its queue, guard,
cadence and claims), for integrations and scripts; `floor` is the board for
whoever runs the floor.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from dialsmile.commands.completion import complete_lists
from dialsmile.commands.context import Context, pass_ctx, require_terminal
from dialsmile.config import local_zone
from dialsmile.core.models import Outcome
from dialsmile.errors import BadInput, NotFound, StorageError

if TYPE_CHECKING:
    from dialsmile.core.board import Board
    from dialsmile.core.models import LeadView
    from dialsmile.core.session import CallSession

NOTHING_CALLABLE = 3  # `next` found no lead that can be called now


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _session(ctx: Context, list_name: str | None) -> CallSession:
    """The rep's session of the list (resumed if open), headless."""
    from dialsmile.core.session import CallSession
    from dialsmile.storage.db import choose_list

    with ctx.reading() as conn:
        name = choose_list(conn, list_name)
    stores = ctx.stores
    return CallSession(stores, stores.lists.get_list(name), ctx.settings, ctx.clock)


def _lead_json(lead: LeadView, claimed_until: datetime | None, reason: str) -> dict[str, Any]:
    return {
        "lead_id": lead.id,
        "name": lead.name,
        "company": lead.company,
        "phone": lead.phone,
        "extension": lead.extension or None,
        "timezones": list(lead.timezones),
        "status": lead.status,
        "attempts": lead.attempts,
        "notes": lead.notes,
        "reason": reason,
        "claimed_until": _iso(claimed_until),
    }


@click.command("next")
@click.option("--list", "list_name", help="The list to work.", shell_complete=complete_lists)
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@pass_ctx
def next_command(ctx: Context, list_name: str | None, as_json: bool) -> None:
    """Claim the next lead that can be called now, for you, and print it.

    The lead is yours (no other rep is offered it) until you log its call,
    for claim_minutes (default 15). Asked again before you log, it prints
    the lead you hold. Like the session, it reads on through the whole list
    past leads outside their calling hours, however many come first.
    Nothing callable now: exit 3, saying when the first lead can be called
    (with --json: {"lead_id": null, "reason": ..., "next_at": ...}). The
    team's server out of reach: exit 5, nothing claimed; run it again once
    the server is back.

    \b
    Examples:
      dialsmile next --list "Q4 Nordics"
      dialsmile --rep ann next --json | jq .lead_id
      dialsmile next --json > lead.json || jq -r .next_at lead.json   # exit 3: when
    """
    from dialsmile.core.phone import format_for_reading

    session = _session(ctx, list_name)
    offer = session.resume_held() or session.read_on()
    if offer is None:
        soonest = session.soonest()
        reason = soonest.why if soonest else "no open leads left in the list"
        next_at = soonest.next_at if soonest else None
        if as_json:
            click.echo(json.dumps({"lead_id": None, "reason": reason, "next_at": _iso(next_at)}))
        else:
            when = f"; next at {_iso(next_at)}" if next_at else ""
            click.echo(f"Nothing to call now: {reason}{when}.", err=True)
        click.get_current_context().exit(NOTHING_CALLABLE)
    lead = offer.lead
    if as_json:
        click.echo(json.dumps(_lead_json(lead, session.claimed_until, offer.reason)))
        return
    until = session.claimed_until
    if until is not None:  # in the rep's own time, as the session screen says times
        until = until.astimezone(ZoneInfo(local_zone(ctx.settings.rep_timezone)))
    held = f" · yours until {until:%H:%M %Z}" if until else ""
    click.echo(f"{lead.id}  {lead.display_name}  {format_for_reading(lead.phone, lead.extension)}")
    click.echo(f"    {offer.reason}{held}")


@click.command("log")
@click.argument("lead_id", type=int)
@click.argument("outcome", type=click.Choice([o.value for o in Outcome]))
@click.option("--note", default="", help="A note kept with the call.")
@click.option(
    "--callback",
    "callback_text",
    metavar="WHEN",
    help="Book a callback (with outcome callback): 'tomorrow 10am', 'fri 2:30pm', ISO 8601. "
    "Read in the lead's time zone.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@pass_ctx
def log_command(
    ctx: Context,
    lead_id: int,
    outcome: str,
    note: str,
    callback_text: str | None,
    as_json: bool,
) -> None:
    """Log the call to a lead you hold (from `dialsmile next`), as the session key does.

    OUTCOME is one of the export's outcome names. The lead's next call
    follows the cadence; do-not-call puts the number on the internal list
    for every rep; the call can be undone from your session (u). A lead
    another rep holds is refused (exit 4). A lead whose number went on a
    do-not-call list since you took it (any rep's, or a national or state
    copy on a consumer list) is refused too (exit 6), and nothing is
    written: only do-not-call can be logged on it then. The team's server
    out of reach: exit 5, nothing logged; run it again once the server is
    back.

    \b
    Exit codes: 0 logged, 2 bad input, 3 no such lead, 4 held by another
    rep, 5 the server is out of reach, 6 the number is on a do-not-call list.

    \b
    Examples:
      dialsmile log 412 no-answer
      dialsmile log 412 callback --callback "tomorrow 10am" --note "ask for Dana"
      dialsmile log 412 do-not-call --note "asked to be removed"
    """
    from dialsmile.core.session import CallSession
    from dialsmile.core.when import UnreadableTime, parse_when

    chosen = Outcome(outcome)
    if callback_text is not None and chosen is not Outcome.CALLBACK:
        raise BadInput("--callback goes with the outcome callback.")
    stores = ctx.stores
    lead = stores.calls.lead(lead_id)
    if lead is None:
        raise NotFound(f"No lead {lead_id}; see `dialsmile leads`.")
    lead_list = ctx.leads.list_by_id(lead.list_id)
    session = CallSession(stores, lead_list, ctx.settings, ctx.clock)
    session.take(lead, chosen)
    callback_at = None
    if chosen is Outcome.CALLBACK:
        zone = lead.timezones[0] if lead.timezones else local_zone(ctx.settings.rep_timezone)
        try:
            callback_at = parse_when(callback_text or "tomorrow", ctx.clock.now(), zone)
        except UnreadableTime as exc:
            raise BadInput(str(exc)) from None
    session.record(chosen, note=note, callback_at=callback_at)
    after = stores.calls.lead(lead_id)
    assert after is not None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "lead_id": lead_id,
                    "outcome": chosen.value,
                    "status": after.status,
                    "attempts": after.attempts,
                    "next_call_at": _iso(after.next_call_at),
                    "callback_at": _iso(after.callback_at),
                    "rep": ctx.rep,
                }
            )
        )
        return
    click.echo(f"Logged {chosen.value} for lead {lead_id} ({after.status}).")


def board_loader(ctx: Context, list_name: str | None) -> Callable[[], Board]:
    """Reads the board of the list (chosen now, so a wrong name fails before any screen)."""
    from dialsmile.core.board import Board, outside_window
    from dialsmile.core.stats import day_bounds, local_day
    from dialsmile.storage.db import choose_list
    from dialsmile.storage.floor import FloorStore

    with ctx.reading() as conn:
        name = choose_list(conn, list_name)
    lead_list = ctx.leads.get_list(name)
    zone = local_zone(ctx.settings.rep_timezone)

    def load() -> Board:
        now = ctx.clock.now()
        start, end = day_bounds(local_day(now, zone), zone)
        try:
            store = FloorStore(ctx.db)
            return Board.build(
                name,
                now,
                zone,
                store.reps(lead_list.id, start, end, now),
                store.progress(lead_list.id, now),
                outside_window(store.due_groups(lead_list.id, now), lead_list.kind, now),
                ctx.settings.idle_minutes,
            )
        except StorageError:
            ctx.close()  # a server that went away: the next read connects again
            raise

    return load


@click.command("floor")
@click.option("--list", "list_name", help="The list on the board.", shell_complete=complete_lists)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object and exit.")
@click.option("--once", is_flag=True, help="Print the board once and exit.")
@pass_ctx
def floor_command(ctx: Context, list_name: str | None, as_json: bool, once: bool) -> None:
    """The live board of a list's floor today: each rep's state, dials, connects and
    yeses, the lead they hold; team totals, the list's progress, callbacks due and
    leads waiting for their calling window.

    On a terminal the board stays open and is redrawn as outcomes land: on
    PostgreSQL the moment a rep logs a call, claims or lets go of a lead
    (LISTEN/NOTIFY); on SQLite within a second. It is read again every 30
    seconds anyway, as states age. q quits. With --once or --json, or when
    the output is not a terminal, it prints the board once, for scripts.

    Reps are sorted by name, never ranked. A rep is calling while they hold
    a lead or called within idle_minutes; on a break after the last call of
    a chunk; idle since their last call while their session is open; done
    once it ended.

    \b
    Examples:
      dialsmile floor --list "Q4 Nordics"
      dialsmile floor --once > board.txt
      dialsmile floor --json | jq '.reps[] | select(.state == "calling") | .rep'
    """
    load = board_loader(ctx, list_name)
    if as_json or once or not sys.stdout.isatty():
        board = load()
        if as_json:
            click.echo(json.dumps(board.as_json()))
        else:
            click.echo("\n".join(board.lines()))
        return
    require_terminal("floor board")
    from dialsmile.storage.floor import FloorWatch
    from dialsmile.ui.floor_app import FloorApp

    how = (
        "redrawn as each outcome lands"
        if ctx.target.url is not None
        else "checked for new outcomes every second"
    )
    FloorApp(load, FloorWatch(ctx.target), how).run()
