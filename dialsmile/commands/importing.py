"""`dialsmile import` and `dialsmile imports`: CSV exports and workbooks in, import batches listed and undone."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dialsmile.commands.completion import complete_lists
from dialsmile.commands.context import Context, pass_ctx
from dialsmile.core.places import region_for_country, supported_region
from dialsmile.errors import BadInput
from dialsmile.io.headers import TARGETS
from dialsmile.text import column, one_line, printable

if TYPE_CHECKING:
    from datetime import datetime

    from dialsmile.io.importer import ImportOptions, ImportReport
    from dialsmile.storage.leads import LeadStore


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


def _region(given: str | None, default: str) -> str:
    """The region for national numbers: --region, else the setting; refused unless known."""
    text = default if given is None else given
    code = supported_region(text)
    if code is not None:
        return code
    where = "--region" if given is not None else "The default_region setting"
    quoted = printable(repr(text))
    country = region_for_country(text)
    hint = f" (for {quoted}: {country})" if country else ""
    raise BadInput(
        f"{where} {quoted} is not a country code dialsmile knows; give an "
        f"ISO 3166 two-letter code such as US, GB, DE or NO{hint}."
    )


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--list",
    "list_name",
    help="List to add the leads to. Default: the file's name.",
    shell_complete=complete_lists,
)
@click.option(
    "--region",
    metavar="CC",
    help="Country for numbers written without +country code (ISO 3166 code like US, GB, NO). "
    "A row's own Country column wins. Default: the Country column's most common country, "
    "else the country the file's numbers, addresses, states and postcodes point to, "
    "else the setting default_region (US).",
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
@click.option(
    "--sheet",
    metavar="NAME",
    help="For a workbook (.xlsx, .xlsm, .xls, .ods): the sheet to read. "
    "Default: the first sheet whose header has a phone column.",
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
    sheet: str | None,
    dry_run: bool,
    as_json: bool,
    max_cell: int,
) -> None:
    """Import leads from a CSV export (HubSpot, Salesforce, Apollo, Outlook, Google...)
    or a workbook (.xlsx, .xlsm, .xls, .ods).

    Encoding (UTF-8 with or without BOM, Windows-1252, both in one file,
    UTF-16 from Excel's "Unicode Text") and delimiter (comma, semicolon, tab,
    pipe) are detected, and garbled accents ("JÃ¼rgen") repaired; headers of common
    exports and of sheets made by hand in several languages ("Nome",
    "Empresa", "Ville", "Notiz", "電話番号") are recognised, and a column of
    phone numbers is found by its cells when no header names it. Country
    cells may be codes or names in any language ("ARG", "Österreich"); State
    cells US and Canadian codes or names, also in French or Spanish
    ("Québec"), or old abbreviations ("Calif."). A single place column
    (Sales Navigator's "Location": "Austin, Texas, United States";
    "primary_address_summary", "City, State") fills a row's empty Country
    and State; parts naming nothing known are ignored. Placeholder cells
    ("N/A", "-", "TBD") count as blank.
    With no Country column the file's country is inferred from its Locations,
    numbers,
    e-mail and web domains, states and postcodes; when two countries fit
    alike, the import stops and asks for --region. With several phone columns
    the best callable one is chosen (direct or work, then mobile, then home,
    then the company switchboard) and the others are kept as alternates.
    Every row ends up imported, duplicate or rejected with a reason; the
    import is one transaction.
    In a workbook, the first sheet whose header has a phone column is read
    (or the one named with --sheet); numbers and dates read as they show.

    \b
    Examples:
      dialsmile import hubspot-contacts.csv --list "Q4 Nordics"
      dialsmile import outlook.csv --region NO --rejects fix-me.csv
      dialsmile import leads.csv --map "Tel. privat=phone" --map "Firma=company"
      dialsmile import apollo.csv --dry-run --json
      dialsmile import au-500.csv        # no Country column: read as Australia
      dialsmile import zoominfo.xlsx --sheet "Contacts" --list "Q1 West"
    dialsmile import sales-navigator.csv  # Location "Toronto, Ontario, Canada"
    """
    from dialsmile.io.importer import ImportOptions

    options = ImportOptions(
        list_name=list_name or file.stem,
        region=_region(region, ctx.settings.default_region),
        region_given=region is not None,
        overrides=_parse_maps(maps),
        kind=kind,
        dry_run=dry_run,
        max_cell=max_cell,
        sheet=sheet,
    )
    with _progress_bar(file) as progress:
        report = import_file(ctx.leads, file, options, ctx.clock.now(), progress)
    if rejects_path is not None:
        report.write_rejects(rejects_path)
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        _print_import(report, rejects_path)


def import_file(
    store: LeadStore,
    path: Path,
    options: ImportOptions,
    now: datetime,
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Read ``path`` and store its leads in one transaction (nothing on any error).

    The file is read in batches of rows as the store writes them, so memory
    stays flat however long it is.
    """
    from dialsmile.io.importer import read_leads
    from dialsmile.io.sniff import DELIMITER_NAMES
    from dialsmile.storage.leads import ImportTarget

    reading = read_leads(path, options, progress)
    report = reading.report
    target = ImportTarget(
        list_name=options.list_name,
        kind=options.kind,
        file=str(path),
        encoding=report.encoding,
        delimiter=DELIMITER_NAMES[report.delimiter],
        dry_run=options.dry_run,
    )
    report.batch = store.import_leads(target, reading.batches, report, now)
    return report


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
    _print_reading(report)
    if report.rejected:
        if rejects_path is not None:
            click.echo(f"Rejected rows with reasons written to {rejects_path}")
        else:
            for reject in report.first_rejects:
                who = f" ({one_line(reject.who, 30)})" if reject.who else ""
                click.echo(f"    row {reject.row}{who}: {printable(reject.reason)}")
            if report.rejected > 5:
                click.echo(f"    ... and {report.rejected - 5:,} more")
            click.echo("Rejected rows with reasons: add --rejects rejects.csv")
    if report.hint:
        click.echo(report.hint)
    if report.batch is not None:
        click.echo(f"Batch {report.batch} · undo with: dialsmile imports undo {report.batch}")


def _print_reading(report: ImportReport) -> None:
    """How the file was read: phone columns, the region, countries, repaired text."""
    from dialsmile.core.places import country_name

    phones = [line for line in report.mapping if " phone <- " in line]
    click.echo("Phone columns: " + printable("; ".join(phones)))
    if report.region_sentence:
        click.echo(printable(report.region_sentence))
    unread = report.unread_countries
    if unread:
        shown = ", ".join(
            repr(one_line(value, 30)) + (f" ({n:,})" if n > 1 else "")
            for value, n in unread.most_common(5)
        )
        more = f" and {len(unread) - 5:,} more" if len(unread) > 5 else ""
        click.echo(
            f"  {sum(unread.values()):>6,} rows with a Country cell not read as a country "
            f"({printable(shown)}{more}): numbers read as {country_name(report.region)}"
        )
    if report.read_in_main_region:
        click.echo(
            f"  {report.read_in_main_region:>6,} rows with numbers not valid in their own "
            f"country but valid in {country_name(report.region)}: read there"
        )
    if report.repaired_cells:
        click.echo(
            f"  {report.repaired_cells:>6,} cells with garbled accents repaired "
            f"(e.g. {printable(one_line(report.repaired_example, 60))})"
        )


# imports --------------------------------------------------------------------


@click.group("imports", invoke_without_command=True)
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
        batches = ctx.leads.batches()
        if not batches:
            click.echo("No imports yet. Start with: dialsmile import FILE.csv")
            return
        for b in batches:
            state = f"undone {b.undone_at}" if b.undone_at else f"{b.leads_left:,} leads"
            click.echo(
                f"{b.id:>4}  {b.created_at[:16].replace('T', ' ')}  "
                f"{column(b.list_name, 20)} {column(Path(b.file).name, 28)} "
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
    removed = ctx.leads.undo_batch(batch, force=force, now=ctx.clock.now())
    click.echo(f"Removed {removed:,} leads of import batch {batch}.")
