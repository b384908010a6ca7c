"""`dialsmile demo`: a session on bundled leads and script, in a throwaway database."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from dialsmile.commands.context import Context
from dialsmile.commands.session import run_session
from dialsmile.config import Clock, Settings
from dialsmile.core.scripts import load_script

# demo -----------------------------------------------------------------------


def demo_leads_path() -> Path:
    """The bundled demo leads (``assets/demo/`` in the repository)."""
    from dialsmile.config import asset

    return asset("demo", "leads.csv")


DEMO_ZONE = "America/Chicago"
DEMO_LIST = "Demo leads"


def demo_start(today: datetime) -> datetime:
    """A weekday late morning in US Central time (not a US holiday), on or before ``today``."""
    import holidays

    local = today.astimezone(ZoneInfo(DEMO_ZONE))
    day = local.date()
    us_holidays = holidays.country_holidays("US", years=range(day.year - 1, day.year + 1))
    while day.weekday() >= 5 or day in us_holidays:
        day -= timedelta(days=1)
    return datetime.combine(day, dtime(11, 0), ZoneInfo(DEMO_ZONE)).astimezone(UTC)


@click.command("demo")
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
        if ctx.settings.rep_name == Settings().rep_name:
            ctx.settings.rep_name = "Sam"
        if ctx.settings.rep_company == Settings().rep_company:
            ctx.settings.rep_company = "Dialsmile Demo Co"

        def import_demo_leads() -> None:
            from dialsmile.commands.importing import import_file
            from dialsmile.io.importer import ImportOptions

            options = ImportOptions(list_name=DEMO_LIST)
            import_file(ctx.leads, demo_leads_path(), options, ctx.clock.now())

        script = load_script("saas-discovery")
        session = run_session(
            ctx, DEMO_LIST, script, None, DEMO_ZONE, banner, prepare=import_demo_leads
        )
        if session is not None:
            from dialsmile.commands import stats

            stats.print_summary(ctx, session.session_id, kept=False, zone=DEMO_ZONE)
        click.echo(
            "This was the demo: its database is gone. Import your own list with: dialsmile import FILE.csv"
        )
