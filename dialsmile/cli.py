"""The dialsmile command line: parse arguments, call the library, print."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from dialsmile import __version__
from dialsmile.commands.context import Context, DialsmileGroup, pass_ctx
from dialsmile.config import Clock, Settings, default_db_path, local_zone
from dialsmile.core.phone import format_for_reading
from dialsmile.core.scripts import load_script
from dialsmile.core.text import one_line, printable
from dialsmile.errors import BadInput, NotFound
from dialsmile.io.headers import TARGETS
from dialsmile.storage.calls import CallStore
from dialsmile.storage.leads import LeadList, LeadStore

if TYPE_CHECKING:
    from dialsmile.core.scripts import Script
    from dialsmile.core.session import CallSession
    from dialsmile.io.importer import ImportReport


@click.group(cls=DialsmileGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The database file. Default: $DIALSMILE_DB, else the platform's user data dir.",
)
@click.version_option(__version__, prog_name="dialsmile")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """dialsmile: a call-session coach for reps who cold-call.

    Import the lead list you already have, work it in chunks with one key per
    outcome, and keep the momentum going. Everything stays in one SQLite file
    on your machine.

    \b
    Examples:
      dialsmile demo
      dialsmile import contacts.csv --list "Q4 Nordics"
      dialsmile leads --list "Q4 Nordics"
    """
    ctx.obj = Context(db_path or default_db_path())


# import ---------------------------------------------------------------------


def _parse_maps(values: tuple[str, ...]) -> dict[str, str]:
    maps: dict[str, str] = {}
    for value in values:
        header, sep, target = value.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise click.BadParameter(
                f'{value!r} is not HEADER=field, e.g. "Tel. privat=phone".', param_hint="--map"
            )
        maps[header.strip()] = target.strip()
    return maps


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--list", "list_name", help="List to add the leads to. Default: the file's name.")
@click.option(
    "--region",
    metavar="CC",
    help="Country for numbers written without +country code (ISO code like US, NO). "
    "A row's own Country column wins. Default: the setting default_region (US).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADER=FIELD",
    help='Say what a column holds, e.g. --map "Tel. privat=phone". Repeatable. '
    f"Fields: {', '.join(TARGETS)}.",
)
@click.option(
    "--kind",
    type=click.Choice(["consumer", "business"]),
    default="consumer",
    show_default=True,
    help="Who the list calls (for a new list); business lists skip consumer-only rules.",
)
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write rejected rows, with a reject_reason column, to this CSV to fix and re-import.",
)
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--max-cell",
    type=click.IntRange(100, 10_000_000),
    default=20_000,
    show_default=True,
    help="Refuse files with a cell longer than this many characters.",
)
@pass_ctx
def import_command(
    ctx: Context,
    file: Path,
    list_name: str | None,
    region: str | None,
    maps: tuple[str, ...],
    kind: str,
    rejects_path: Path | None,
    dry_run: bool,
    as_json: bool,
    max_cell: int,
) -> None:
    """Import leads from a CSV export (HubSpot, Salesforce, Apollo, Outlook, Google...).

    Encoding (UTF-8 with or without BOM, Windows-1252) and delimiter (comma,
    semicolon, tab) are detected; headers of common exports are recognised.
    With several phone columns the best callable one is chosen (direct or work,
    then mobile, then home, then the company switchboard) and the others are
    kept as alternates. Every row ends up imported, duplicate or rejected with a
    reason; the import is one transaction.

    \b
    Examples:
      dialsmile import hubspot-contacts.csv --list "Q4 Nordics"
      dialsmile import outlook.csv --region NO --rejects fix-me.csv
      dialsmile import leads.csv --map "Tel. privat=phone" --map "Firma=company"
      dialsmile import apollo.csv --dry-run --json
    """
    from dialsmile.io.importer import ImportOptions, import_file

    options = ImportOptions(
        list_name=list_name or file.stem,
        region=(region or ctx.settings.default_region).upper(),
        overrides=_parse_maps(maps),
        kind=kind,
        dry_run=dry_run,
        max_cell=max_cell,
    )
    with _progress_bar(file) as progress:
        report = import_file(LeadStore(ctx.db), file, options, ctx.clock.now(), progress)
    if rejects_path is not None:
        report.write_rejects(rejects_path)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        _print_import(report, rejects_path)


@contextmanager
def _progress_bar(file: Path) -> Iterator[Callable[[float], None] | None]:
    big = file.is_file() and file.stat().st_size > 2_000_000
    if not (big and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"Importing {file.name}", total=1.0)
        yield lambda share: bar.update(task, completed=share)


def _print_import(report: ImportReport, rejects_path: Path | None) -> None:
    head = "Would import" if report.dry_run else "Read"
    click.echo(
        f"{head} {printable(Path(report.file).name)} ({report.description}, {report.rows:,} rows)"
    )
    verb = "would be imported" if report.dry_run else "imported"
    click.echo(f"  {report.imported:>6,} {verb} into list {printable(report.list_name)!r}")
    if report.on_dnc:
        click.echo(f"  {report.on_dnc:>6,} of them on a do-not-call list: kept, never offered")
    click.echo(
        f"  {report.duplicates:>6,} duplicates (same number as an earlier row or a lead already here)"
    )
    if report.rejected:
        reasons = ", ".join(f"{n:,} {reason}" for reason, n in report.reasons.most_common())
        click.echo(f"  {report.rejected:>6,} rejected: {reasons}")
    else:
        click.echo(f"  {0:>6} rejected")
    if report.skipped_blank:
        click.echo(f"  {report.skipped_blank:>6,} blank rows skipped")
    if report.rejected:
        if rejects_path is not None:
            click.echo(f"Rejected rows with reasons written to {rejects_path}")
        else:
            for reject in report.rejects[:5]:
                who = f" ({one_line(reject.who, 30)})" if reject.who else ""
                click.echo(f"    row {reject.row}{who}: {printable(reject.reason)}")
            if report.rejected > 5:
                click.echo(f"    ... and {report.rejected - 5:,} more")
            click.echo("Rejected rows with reasons: add --rejects rejects.csv")
    if report.batch is not None:
        click.echo(f"Batch {report.batch} · undo with: dialsmile imports undo {report.batch}")


# imports --------------------------------------------------------------------


@cli.group("imports", invoke_without_command=True)
@click.pass_context
def imports_group(click_ctx: click.Context) -> None:
    """List import batches; undo one with `dialsmile imports undo BATCH`.

    \b
    Examples:
      dialsmile imports
      dialsmile imports undo 7
    """
    if click_ctx.invoked_subcommand is None:
        ctx: Context = click_ctx.obj
        batches = LeadStore(ctx.db).batches()
        if not batches:
            click.echo("No imports yet. Start with: dialsmile import FILE.csv")
            return
        for b in batches:
            state = f"undone {b.undone_at}" if b.undone_at else f"{b.leads_left:,} leads"
            click.echo(
                f"{b.id:>4}  {b.created_at[:16].replace('T', ' ')}  "
                f"{one_line(b.list_name, 20):<20} {one_line(Path(b.file).name, 28):<28} "
                f"{b.rows:>7,} rows {b.imported:>7,} imported {b.duplicates:>6,} dup "
                f"{b.rejected:>6,} rej  {state}"
            )


@imports_group.command("undo")
@click.argument("batch", type=int)
@click.option("--force", is_flag=True, help="Remove leads even if they have call attempts.")
@pass_ctx
def imports_undo(ctx: Context, batch: int, force: bool) -> None:
    """Remove the leads an import batch added.

    Refuses when any of them has call attempts, unless --force.
    """
    removed = LeadStore(ctx.db).undo_batch(batch, force=force, now=ctx.clock.now())
    click.echo(f"Removed {removed:,} leads of import batch {batch}.")


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
    }


@cli.command("leads")
@click.option("--list", "list_name", help="Only this list.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of lead objects.")
@pass_ctx
def leads_command(ctx: Context, list_name: str | None, as_json: bool) -> None:
    """Show the leads (of one list, or all), in list order.

    \b
    Examples:
      dialsmile leads --list "Q4 Nordics"
      dialsmile leads --json | jq '.[] | select(.status == "new") | .phone'
    """
    store = LeadStore(ctx.db)
    if list_name is not None:
        store.get_list(list_name)
    leads = store.iter_leads(list_name)
    if as_json:
        out = sys.stdout
        out.write("[")
        for n, lead in enumerate(leads):
            out.write(("," if n else "") + "\n" + json.dumps(lead_json(lead), ensure_ascii=False))
        out.write("\n]\n")
        return
    count = 0
    for lead in leads:
        if count == 0:
            click.echo(f"{'id':>6}  {'name':<24} {'company':<22} {'phone':<22} {'status':<8} tries")
        count += 1
        click.echo(
            f"{lead['id']:>6}  {one_line(lead['name'], 24):<24} {one_line(lead['company'], 22):<22} "
            f"{format_for_reading(lead['phone'], lead['extension']):<22} "
            f"{lead['status']:<8} {lead['attempts']:>5}"
        )
    if count == 0:
        click.echo("No leads yet. Import some with: dialsmile import FILE.csv")


@cli.command("lists")
@pass_ctx
def lists_command(ctx: Context) -> None:
    """Show the lead lists with their sizes."""
    overview = LeadStore(ctx.db).lists_overview()
    if not overview:
        click.echo("No lists yet. Import some leads with: dialsmile import FILE.csv")
    for item in overview:
        click.echo(
            f"{one_line(item['name'], 30):<30} {item['kind']:<9} "
            f"{item['leads']:>8,} leads {item['open']:>8,} open"
        )


# session --------------------------------------------------------------------


def _pick_list(store: LeadStore, calls: CallStore, name: str | None) -> LeadList:
    if name is not None:
        return store.get_list(name)
    names = store.list_names()
    if not names:
        raise NotFound("There are no leads yet; import some with: dialsmile import FILE.csv")
    if len(names) == 1:
        return store.get_list(names[0])
    latest = calls.get_session(None)
    if latest is not None and latest.list_id is not None:
        for item in names:
            found = store.get_list(item)
            if found.id == latest.list_id:
                return found
    raise BadInput(f"Several lists here ({', '.join(names)}); choose one with --list.")


def run_session(
    ctx: Context,
    lead_list: LeadList,
    chunk: int | None,
    script: Script | None,
    rep_zone: str,
    banner: str = "",
) -> CallSession:
    from dialsmile.core.session import CallSession
    from dialsmile.ui.app import make_app

    session = CallSession(
        ctx.db, lead_list, ctx.settings, ctx.clock, chunk_size=chunk, script=script
    )
    make_app(session, rep_zone, banner).run()
    return session


@cli.command("session")
@click.option(
    "--list", "list_name", help="The list to work. Default: the only list, or the last one worked."
)
@click.option(
    "--chunk",
    type=click.IntRange(1, 1000),
    help="Leads per chunk (default 25, or the setting chunk_size).",
)
@click.option(
    "--script",
    "script_name",
    default="saas-discovery",
    show_default=True,
    help="Script name or path to a .md script.",
)
@click.option(
    "--scripts-dir",
    type=click.Path(file_okay=False, path_type=Path),
    multiple=True,
    help="Another folder of scripts.",
)
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
    for all keys.

    \b
    Examples:
      dialsmile session --list "Q4 Nordics"
      dialsmile session --list "Q4 Nordics" --chunk 10 --script my-pitch
    """
    store = LeadStore(ctx.db)
    lead_list = _pick_list(store, CallStore(ctx.db), list_name)
    script = load_script(script_name, scripts_dir)
    session = run_session(ctx, lead_list, chunk, script, local_zone(ctx.settings.rep_timezone))
    from dialsmile.commands import stats

    stats.print_summary(ctx, session.session_id)


# demo -----------------------------------------------------------------------


def demo_leads_path() -> Path:
    return Path(str(resources.files("dialsmile") / "assets" / "demo" / "leads.csv"))


DEMO_ZONE = "America/Chicago"


def demo_start(today: datetime) -> datetime:
    """A weekday late morning in US Central time (not a US holiday), on or before ``today``."""
    import holidays

    local = today.astimezone(ZoneInfo(DEMO_ZONE))
    day = local.date()
    us_holidays = holidays.country_holidays("US", years=range(day.year - 1, day.year + 1))
    while day.weekday() >= 5 or day in us_holidays:
        day -= timedelta(days=1)
    return datetime.combine(day, dtime(11, 0), ZoneInfo(DEMO_ZONE)).astimezone(UTC)


@cli.command("demo")
@click.pass_context
def demo_command(click_ctx: click.Context) -> None:
    """Try a session on bundled demo leads and script, in a throwaway database.

    Unless $DIALSMILE_NOW is set, the demo clock starts on a weekday at 11:00
    US Central time so its leads are inside calling hours; the header says so.
    Nothing you do in the demo is kept.
    """
    with tempfile.TemporaryDirectory(prefix="dialsmile-demo-") as tmp:
        ctx = Context(Path(tmp) / "demo.db")
        banner = ""
        if not os.environ.get("DIALSMILE_NOW"):
            ctx.clock = Clock(demo_start(datetime.now(UTC)))
            local = ctx.clock.now().astimezone(ZoneInfo(DEMO_ZONE))
            banner = f"demo clock from {local:%a %d %b %H:%M} CT"
        from dialsmile.io.importer import ImportOptions, import_file

        store = LeadStore(ctx.db)
        options = ImportOptions(list_name="Demo leads")
        import_file(store, demo_leads_path(), options, ctx.clock.now())
        if ctx.settings.rep_name == Settings().rep_name:
            ctx.settings.rep_name = "Sam"
        if ctx.settings.rep_company == Settings().rep_company:
            ctx.settings.rep_company = "Dialsmile Demo Co"
        session = run_session(
            ctx,
            store.get_list("Demo leads"),
            None,
            load_script("saas-discovery"),
            DEMO_ZONE,
            banner,
        )
        from dialsmile.commands import stats

        stats.print_summary(ctx, session.session_id, kept=False, zone=DEMO_ZONE)
        click.echo(
            "This was the demo: its database is gone. Import your own list with: dialsmile import FILE.csv"
        )


# export ---------------------------------------------------------------------


@cli.group("export")
def export_group() -> None:
    """Write sessions or leads as CSV (spreadsheet-safe; re-importable).

    \b
    Examples:
      dialsmile export session latest -o today.csv
      dialsmile export session 12 -o - | head
      dialsmile export leads --list "Q4 Nordics" -o leads.csv
    """


@export_group.command("session")
@click.argument("session", default="latest")
@click.option("-o", "--output", required=True, help="CSV file to write, or - for stdout.")
@pass_ctx
def export_session(ctx: Context, session: str, output: str) -> None:
    """One row per call of a session (ID, or latest). Skips are not calls."""
    calls = CallStore(ctx.db)
    if session != "latest" and not session.isdigit():
        raise BadInput(f"{session!r} is not a session number or 'latest'.")
    row = calls.get_session(None if session == "latest" else int(session))
    if row is None:
        raise NotFound(
            "No such session yet; start one with: dialsmile session"
            if session == "latest"
            else f"No session {session}."
        )
    from dialsmile.io.export import export_session as export_session_csv

    count = export_session_csv(calls, row.id, output)
    if output != "-":
        click.echo(f"Wrote {count:,} calls of session {row.id} to {output}")


@export_group.command("leads")
@click.option("--list", "list_name", help="Only this list.")
@click.option("-o", "--output", required=True, help="CSV file to write, or - for stdout.")
@pass_ctx
def export_leads(ctx: Context, list_name: str | None, output: str) -> None:
    """Every lead with its status, attempts, last outcome and next callback."""
    store = LeadStore(ctx.db)
    if list_name is not None:
        store.get_list(list_name)

    def rows() -> Iterator[tuple[object, ...]]:
        for lead in store.iter_leads(list_name):
            yield (
                lead["id"], lead["list"], lead["name"], lead["first_name"], lead["last_name"],
                lead["company"], lead["title"], lead["email"], lead["phone"], lead["extension"],
                "; ".join(p["e164"] for p in lead["alt_phones"]), lead["city"], lead["state"],
                lead["country"], " ".join(lead["timezones"]), lead["notes"], lead["status"],
                lead["attempts"], lead["last_outcome"], lead["last_called_at"],
                lead["next_call_at"], lead["callback_at"],
            )  # fmt: skip

    from dialsmile.io.export import LEADS_HEADER, write_csv

    count = write_csv(output, LEADS_HEADER, rows())
    if output != "-":
        click.echo(f"Wrote {count:,} leads to {output}")


# Feature command groups: each lives in dialsmile/commands/<feature>.py and is
# named here, loaded only when used.
cli.lazy = {
    "scripts": "dialsmile.commands.scripts:scripts_group",
    "practice": "dialsmile.commands.scripts:practice_command",
    "check": "dialsmile.commands.compliance:check_command",
    "dnc": "dialsmile.commands.compliance:dnc_group",
    "stats": "dialsmile.commands.stats:stats_command",
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
