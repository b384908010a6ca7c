"""The dialsmile command line: parse arguments, call the library, print."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import click
import sqlite_utils

from dialsmile import __version__
from dialsmile.config import Clock, Settings, default_db_path
from dialsmile.core.phone import format_for_reading
from dialsmile.core.text import one_line, printable
from dialsmile.errors import DialsmileError
from dialsmile.io.headers import TARGETS
from dialsmile.io.importer import ImportOptions, ImportReport, import_file
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore


class Context:
    """What every command needs: the database path, settings and the clock."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.settings = Settings.load()
        self.clock = Clock.from_env()
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = open_db(self.db_path)
        return self._db


pass_ctx = click.make_pass_decorator(Context)


class DialsmileGroup(click.Group):
    """A click group that turns dialsmile errors into one sentence on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DialsmileError as exc:
            click.echo(f"dialsmile: {exc}", err=True)
            ctx.exit(exc.exit_code)


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
                click.echo(f"    row {reject.row}: {printable(reject.reason)}")
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


# demo -----------------------------------------------------------------------


def demo_leads_path() -> Path:
    return Path(str(resources.files("dialsmile") / "assets" / "demo" / "leads.csv"))


@cli.command("demo")
@click.pass_context
def demo_command(click_ctx: click.Context) -> None:
    """Try dialsmile on bundled demo leads in a throwaway database."""
    with tempfile.TemporaryDirectory(prefix="dialsmile-demo-") as tmp:
        db_path = Path(tmp) / "demo.db"
        click_ctx.obj = Context(db_path)
        click_ctx.invoke(import_command, file=demo_leads_path(), list_name="Demo leads")
        click.echo()
        click_ctx.invoke(leads_command, list_name="Demo leads")


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
