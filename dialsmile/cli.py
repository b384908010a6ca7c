"""The dialsmile command line: parse arguments, call the library, print."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dialsmile import __version__
from dialsmile.commands.completion import complete_lists, complete_sessions
from dialsmile.commands.context import (
    SCRIPT,
    SCRIPTS_DIR,
    Context,
    DialsmileGroup,
    default_db_target,
    pass_ctx,
)
from dialsmile.config import local_zone
from dialsmile.errors import BadInput, NotFound
from dialsmile.text import column

if TYPE_CHECKING:
    from dialsmile.io.crm import CrmFile

# The export formats: dialsmile's own CSV, and each CRM's import (dialsmile.io.crm).
FORMATS = ("csv", "hubspot", "salesforce", "pipedrive")


@click.group(cls=DialsmileGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    metavar="FILE|URL",
    help="The database: a SQLite file, or a team's PostgreSQL server as "
    "postgresql://user@host:5432/dbname. Default: $DIALSMILE_DB, else a file in the "
    "platform's user data dir.",
)
@click.option(
    "--rep",
    metavar="NAME",
    help="Who is calling (sessions, calls and claimed leads are theirs). "
    "Default: $DIALSMILE_REP, else your login name.",
)
@click.version_option(__version__, prog_name="dialsmile")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, rep: str | None) -> None:
    """dialsmile: a call-session coach for reps who cold-call.

    Import the lead list you already have, work it in chunks with one key per
    outcome, and keep the momentum going. Everything stays in one SQLite file
    on your machine, or, for a team, on its PostgreSQL server.

    \b
    Examples:
      dialsmile demo
      dialsmile import contacts.csv --list "Q4 Nordics"
      dialsmile leads --list "Q4 Nordics"
    """
    ctx.obj = Context(default_db_target(db_path), rep)
    ctx.call_on_close(ctx.obj.close)


# leads ----------------------------------------------------------------------


def lead_json(lead: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": lead["id"],
        "list": lead["list"],
        "name": lead["name"],
        "company": lead["company"],
        "title": lead["title"],
        "phone": lead["phone"],
        "extension": lead["extension"] or None,
        "phone_kind": lead["phone_kind"],
        "alt_phones": [p["e164"] for p in lead["alt_phones"]],
        "email": lead["email"],
        "city": lead["city"],
        "state": lead["state"],
        "country": lead["country"],
        "timezones": lead["timezones"],
        "notes": lead["notes"],
        "attempts": lead["attempts"],
        "status": lead["status"],
        "last_outcome": lead["last_outcome"],
        "callback_at": lead["callback_at"],
        "source_file": lead["source_file"],
        "source_row": lead["source_row"],
        "extra": lead["extra"],
        "crm": lead["crm"] or None,
        "crm_id": lead["crm_id"] or None,
    }


@cli.command("leads")
@click.option("--list", "list_name", help="Only this list.", shell_complete=complete_lists)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of lead objects.")
@pass_ctx
def leads_command(ctx: Context, list_name: str | None, as_json: bool) -> None:
    """Show the leads (of one list, or all), in list order.

    \b
    Examples:
      dialsmile leads --list "Q4 Nordics"
      dialsmile leads --json | jq '.[] | select(.status == "new") | .phone'
    """
    from dialsmile.core.phone import format_for_reading

    store = ctx.leads
    if list_name is not None:
        store.get_list(list_name)
    leads = store.iter_leads(list_name)
    if as_json:
        import json

        out = sys.stdout
        out.write("[")
        for n, lead in enumerate(leads):
            out.write(("," if n else "") + "\n" + json.dumps(lead_json(lead), ensure_ascii=False))
        out.write("\n]\n")
        return
    count = 0
    for lead in leads:
        if count == 0:
            click.echo(f"{'id':>6}  {'name':<24} {'company':<22} {'phone':<26} {'status':<8} tries")
        count += 1
        click.echo(
            f"{lead['id']:>6}  {column(lead['name'], 24)} {column(lead['company'], 22)} "
            f"{format_for_reading(lead['phone'], lead['extension']):<26} "
            f"{lead['status']:<8} {lead['attempts']:>5}"
        )
    if count == 0:
        click.echo("No leads yet. Import some with: dialsmile import FILE.csv")


@cli.command("lists")
@pass_ctx
def lists_command(ctx: Context) -> None:
    """Show the lead lists with their sizes."""
    overview = ctx.leads.lists_overview()
    if not overview:
        click.echo("No lists yet. Import some leads with: dialsmile import FILE.csv")
    for item in overview:
        click.echo(
            f"{column(item['name'], 30)} {item['kind']:<9} "
            f"{item['leads']:>8,} leads {item['open']:>8,} open"
        )


# session --------------------------------------------------------------------


@cli.command("session")
@click.option(
    "--list",
    "list_name",
    help="The list to work. Default: the only list, or the last one worked.",
    shell_complete=complete_lists,
)
@click.option(
    "--chunk",
    type=click.IntRange(1, 1000),
    help="Leads per chunk (default 25, or the setting chunk_size).",
)
@SCRIPT
@SCRIPTS_DIR
@pass_ctx
def session_command(
    ctx: Context,
    list_name: str | None,
    chunk: int | None,
    script_name: str,
    scripts_dir: tuple[Path, ...],
) -> None:
    """Work a list: the next prospect, the script, one key per outcome.

    Every outcome is saved the moment you press its key; quit any time with q
    and the next session resumes where you stopped. Press ? in the session
    for all keys. The list and script are checked before the screen opens;
    the session opens and picks its first lead while the screen starts, and
    each next lead while you are on the one before, so a key only saves the
    outcome and checks and holds the lead picked ahead. The screen needs a
    terminal.

    \b
    Examples:
      dialsmile session --list "Q4 Nordics"
      dialsmile session --list "Q4 Nordics" --chunk 10 --script my-pitch
    """
    from dialsmile.commands.session import run_session
    from dialsmile.core.packs import load_checked
    from dialsmile.storage.db import choose_list

    with ctx.reading() as conn:
        name = choose_list(conn, list_name)
    script = load_checked(script_name, scripts_dir)
    zone = local_zone(ctx.settings.rep_timezone)
    session = run_session(ctx, name, script, chunk, zone)
    if session is not None:
        from dialsmile.commands import stats

        stats.print_summary(ctx, session.session_id)


# export ---------------------------------------------------------------------


@cli.group("export")
def export_group() -> None:
    """Write sessions or leads as CSV (spreadsheet-safe; re-importable), or as a
    HubSpot, Salesforce or Pipedrive import file.

    \b
    Examples:
      dialsmile export session latest -o today.csv
      dialsmile export session 12 -o - | head
      dialsmile export session latest --format hubspot -o calls-for-hubspot.csv
      dialsmile export leads --list "Q4 Nordics" -o leads.csv
      dialsmile export leads --list "Q4 Nordics" --format salesforce -o lead-status.csv
    """


excel_option = click.option(
    "--excel",
    is_flag=True,
    help="Start the file with a UTF-8 byte order mark, so Excel opened by a double click "
    "shows Jürgen and 山田 as written (without it Excel guesses the encoding and shows "
    "JÃ¼rgen); tools that read UTF-8 read it either way.",
)


def format_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format csv|hubspot|salesforce|pipedrive``, shared by the export commands."""
    return click.option(
        "--format",
        "file_format",
        type=click.Choice(FORMATS),
        default="csv",
        show_default=True,
        help=help_text,
    )


@export_group.command("session")
@click.argument("session", default="latest", shell_complete=complete_sessions)
@click.option("-o", "--output", required=True, help="CSV file to write, or - for stdout.")
@format_option(
    "csv: dialsmile's own columns. hubspot: a calls import. salesforce: Tasks for "
    "Data Loader. pipedrive: an activities import."
)
@excel_option
@pass_ctx
def export_session(ctx: Context, session: str, output: str, file_format: str, excel: bool) -> None:
    """One row per call of a session: its ID, or latest (the latest with calls).

    Skips are not calls; a session without calls gives only the header row.
    Times are in your zone (setting rep_timezone, else the machine's), ISO
    8601 with their offset: 2026-12-01T12:41:07-06:00.
    With --format hubspot, salesforce or pipedrive, each call is a call activity
    on the lead's record in that CRM (by the record id kept from the CRM's
    export; else by email or name), with its outcome in the CRM's own words.

    \b
    Examples:
      dialsmile export session latest -o today.csv
      dialsmile export session 12 --format salesforce -o tasks.csv
      dialsmile export session latest --excel -o today.csv
    """
    if session != "latest" and not session.isdigit():
        raise BadInput(f"{session!r} is not a session number or 'latest'.")
    from zoneinfo import ZoneInfo

    from dialsmile.io.export import export_session as export_session_csv
    from dialsmile.storage.exports import SessionCalls, find_session, session_calls
    from dialsmile.text import plural

    with ctx.reading() as conn:  # exporting only reads
        wanted = None if session == "latest" else int(session)
        found = None if conn is None else find_session(conn, wanted)
        if conn is None or found is None:
            raise NotFound(
                "No session with calls yet; start one with: dialsmile session"
                if session == "latest"
                else f"No session {session}."
            )
        if file_format == "csv":
            zone = ZoneInfo(local_zone(ctx.settings.rep_timezone))
            count = export_session_csv(output, SessionCalls(conn, found, zone), bom=excel)
        else:
            from dialsmile.io.crm import SESSION_FILES

            count = _write_crm(ctx, SESSION_FILES[file_format], file_format, output,
                               session_calls(conn, found), excel)  # fmt: skip
    if not count:
        click.echo(f"Session {found} has no calls.", err=True)
    elif output != "-":
        click.echo(f"Wrote {plural(count, 'call')} of session {found} to {output}")


@export_group.command("leads")
@click.option("--list", "list_name", help="Only this list.", shell_complete=complete_lists)
@click.option("-o", "--output", required=True, help="CSV file to write, or - for stdout.")
@format_option("csv: every column. hubspot, salesforce, pipedrive: a status update import.")
@excel_option
@pass_ctx
def export_leads(
    ctx: Context, list_name: str | None, output: str, file_format: str, excel: bool
) -> None:
    """Every lead with its status, attempts, last outcome and next callback.

    With --format hubspot, salesforce or pipedrive: an update of each lead's
    status in that CRM (HubSpot Lead Status, Salesforce Lead Status, Pipedrive
    person label), keyed by the record id kept from the CRM's export.

    \b
    Examples:
      dialsmile export leads --list "Q4 Nordics" -o leads.csv
      dialsmile export leads --list "Q4 Nordics" --format hubspot -o status.csv
      dialsmile export leads --list "Q4 Nordics" --excel -o leads.csv
    """
    from dialsmile.text import plural

    store = ctx.leads
    if list_name is not None:
        store.get_list(list_name)
    if file_format == "csv":
        from dialsmile.io.export import export_leads as export_leads_csv

        count = export_leads_csv(output, store.iter_leads(list_name), bom=excel)
    else:
        from dialsmile.io.crm import LEAD_FILES

        count = _write_crm(ctx, LEAD_FILES[file_format], file_format, output,
                           store.iter_leads(list_name), excel)  # fmt: skip
    if output != "-":
        click.echo(f"Wrote {plural(count, 'lead')} to {output}")


def _write_crm(
    ctx: Context,
    crm_file: CrmFile,
    crm: str,
    output: str,
    rows: Iterable[dict[str, Any]],
    bom: bool,
) -> int:
    """Write ``rows`` as ``crm``'s import file; say on stderr how many have no record id."""
    from zoneinfo import ZoneInfo

    from dialsmile.io.crm import CRM_NAMES, UNMATCHED, Unmatched, crm_rows
    from dialsmile.io.export import write_csv
    from dialsmile.text import plural

    zone = ZoneInfo(local_zone(ctx.settings.rep_timezone))
    unmatched = Unmatched()
    count = write_csv(
        output, crm_file.header, crm_rows(crm_file, rows, zone, crm, unmatched), bom=bom
    )
    if unmatched.rows:
        verb = "has" if unmatched.rows == 1 else "have"
        click.echo(
            f"{unmatched.rows:,} of {plural(count, 'row')} {verb} no {CRM_NAMES[crm]} record id "
            f"(their leads came from another file); {UNMATCHED[crm]}.",
            err=True,
        )
    return count


# Feature command groups: each lives in dialsmile/commands/<feature>.py and is
# named here, loaded only when used.
cli.lazy = {
    "demo": "dialsmile.commands.demo:demo_command",
    "import": "dialsmile.commands.importing:import_command",
    "imports": "dialsmile.commands.importing:imports_group",
    "scripts": "dialsmile.commands.scripts:scripts_group",
    "practice": "dialsmile.commands.scripts:practice_command",
    "check": "dialsmile.commands.compliance:check_command",
    "dnc": "dialsmile.commands.compliance:dnc_group",
    "stats": "dialsmile.commands.stats:stats_command",
    "serve": "dialsmile.commands.serve:serve_command",
    "next": "dialsmile.commands.floor:next_command",
    "log": "dialsmile.commands.floor:log_command",
    "floor": "dialsmile.commands.floor:floor_command",
}


def main() -> None:
    """Entry point: run the CLI; anything unexpected still ends in one sentence."""
    try:
        cli.main(prog_name="dialsmile")
    except KeyboardInterrupt:
        click.echo("Interrupted; nothing half-written.", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("DIALSMILE_DEBUG"):
            raise
        click.echo(
            f"dialsmile: internal error ({type(exc).__name__}: {exc}); "
            "run again with DIALSMILE_DEBUG=1 for details and please report it.",
            err=True,
        )
        sys.exit(70)
