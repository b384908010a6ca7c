"""`dialsmile stats`: your own numbers per day and per session, a chart, best hours."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import click

from dialsmile.commands.context import Context, pass_ctx
from dialsmile.config import local_zone
from dialsmile.core.coach import summarize_session
from dialsmile.core.stats import (
    BEST_HOURS_MIN_CELL,
    BEST_HOURS_MIN_DIALS,
    CALLER_LIMIT,
    PRIOR_DIALS_PER_YES,
    Momentum,
    Stats,
    period,
    period_days,
)
from dialsmile.storage.stats import StatsStore
from dialsmile.text import plural

CHART_WIDTH = 40


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _num(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.0f}{unit}"


def _row(label: str, s: Stats) -> str:
    return (
        f"{label:<12}{s.dials:>6}{s.connects:>6}{_pct(s.connect_rate):>6}{s.yes:>5}{s.no:>5}"
        f"{s.hang_ups:>6}{s.skips:>6}{_num(s.dials_per_hour):>6}"
        f"{_num(s.median_to_dial_s, ' s'):>9}{s.best_streak:>8}"
    )


HEADER = (
    f"{'':<12}{'dials':>6}{'conn':>6}{'rate':>6}{'yes':>5}{'no':>5}{'hang':>6}{'skips':>6}"
    f"{'/hour':>6}{'to dial':>9}{'streak':>8}"
)


def chart(days: list[tuple[date, Stats]]) -> list[str]:
    """Dials (█) and yeses (■) per day as text bars scaled to the busiest day."""
    top = max((s.dials for _, s in days), default=0)
    lines = []
    for day, s in days:
        width = round(s.dials / top * CHART_WIDTH) if top else 0
        bar = "█" * width if s.dials else "·"
        yes = f"  {'■' * min(s.yes, 10)}{'+' if s.yes > 10 else ''} {s.yes} yes" if s.yes else ""
        lines.append(f"{day:%a %d %b}  {bar} {s.dials}{yes}")
    return lines


@click.command("stats")
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=None,
    help="How many days back, today included. Default: 7 (practice: all).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the same numbers as one JSON object.")
@click.option(
    "--practice",
    is_flag=True,
    help="Practice results instead: nailed/missed per objection, weakest first.",
)
@pass_ctx
def stats_command(ctx: Context, days: int | None, as_json: bool, practice: bool) -> None:
    """Your own numbers: per day and per session, a chart, and your best hours.

    \b
    Definitions:
      dial        every outcome except a skip
      connect     a person picked up: yes, no, hang-up, callback, do-not-call
      rate        connects per dial
      /hour       dials per hour of active time (leads on screen, at most
                  20 min each, minus breaks); shown after 5 active minutes
      to dial     median time from a lead appearing to your dial (space)
                  or to the outcome key
      streak      best run of dials without a skip

    Days are your local days (setting rep_timezone). "About 1 yes per N
    dials" is (your dials + 50) / (your yeses + 1) over your last 5,000
    dials, with a weak prior of 1 yes per 50 dials that your own numbers soon
    outweigh. As in the session it is estimated at your last yes (or the
    start of today, if later) and then kept, so each no counts "to go" down
    instead of pushing the estimate up. It is an average: each dial is its
    own chance, and a yes is never "due". Best hours (connects per dial by hour and
    weekday, your time) appear once the period has 100 dials, ranking only
    cells with 10 or more. Practice is never counted as calls.

    \b
    Examples:
      dialsmile stats
      dialsmile stats --days 30
      dialsmile stats --json | jq '.per_day[] | {date, dials, yes: .outcomes.yes}'
      dialsmile stats --practice
    """
    zone = local_zone(ctx.settings.rep_timezone)
    store = StatsStore(ctx.db)
    now = ctx.clock.now()
    if practice:
        _practice(store, now, days, as_json)
        return
    days = days or 7
    first, today, start, end = period_days(now, days, zone)
    numbers = period(
        store.attempts_between(start, end),
        store.sessions_between(start - timedelta(days=1), end),
        first,
        today,
        zone,
    )
    per_day, per_session, total, hours = (
        numbers.per_day,
        numbers.per_session,
        numbers.total,
        numbers.hours,
    )
    callers = numbers.callers_today(ctx.settings.caller_numbers)
    pace = Momentum(zone, now, store.history(None, now, zone)).pace
    if as_json:
        click.echo(
            json.dumps(
                {
                    "zone": zone,
                    "from": first.isoformat(),
                    "to": today.isoformat(),
                    "days": days,
                    "totals": total.as_json(),
                    "per_day": [{"date": d.isoformat(), **s.as_json()} for d, s in per_day],
                    "per_session": [
                        {
                            "session_id": info.id,
                            "list": info.list_name,
                            "started_at": info.started_at.isoformat(),
                            "ended_at": info.ended_at.isoformat() if info.ended_at else None,
                            **s.as_json(),
                        }
                        for info, s in per_session
                    ],
                    "dials_to_next_yes": {
                        "estimate": pace.per_yes,
                        "to_go": pace.to_go,
                        "banked": pace.banked,
                        "dials": pace.dials,
                        "yes": pace.yeses,
                        "prior_dials_per_yes": PRIOR_DIALS_PER_YES,
                    },
                    "best_hours": hours.as_json(),
                    "callers_today": [
                        {"number": c.number, "dials": c.dials, "level": c.level} for c in callers
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    if not total.dials and not total.skips:
        click.echo(
            f"No dials in the last {days} day{'s' if days > 1 else ''} ({zone}). "
            "Start a session with: dialsmile session"
        )
        return
    click.echo(
        f"Your last {days} day{'s' if days > 1 else ''} ({first:%d %b}-{today:%d %b}, {zone}): "
        f"{plural(total.dials, 'dial')} · {plural(total.connects, 'connect')} "
        f"({_pct(total.connect_rate)}) · "
        f"{total.yes} yes · nos banked: {total.no}"
    )
    click.echo("")
    click.echo(HEADER)
    for d, s in per_day:
        if s.dials or s.skips:
            click.echo(_row(f"{d:%a %d %b}", s))
    click.echo(_row("all", total))
    click.echo("")
    click.echo("Sessions")
    for info, s in per_session:
        begin = info.started_at.astimezone(start.tzinfo)
        click.echo(_row(f"#{info.id} {begin:%d %b}", s) + f"  {info.list_name[:20]}")
    click.echo("")
    click.echo("Dials (█) and yeses (■) per day")
    for line in chart(per_day):
        click.echo(line)
    click.echo("")
    ahead = (
        f"~{pace.to_go} to go"
        if pace.to_go
        else "past that average, and each dial is still its own chance"
    )
    click.echo(
        f"About 1 yes per {plural(pace.per_yes, 'dial')} at your rate as of "
        f"{'your last yes' if pace.yeses else 'the start of today'} "
        f"({plural(pace.dials, 'dial')}, {pace.yeses} yes, with a prior of 1 yes per "
        f"{PRIOR_DIALS_PER_YES} dials): {plural(pace.banked, 'dial')} banked, {ahead}."
    )
    click.echo(hours.describe())
    if hours.enough:
        click.echo(f"  (cells with at least {BEST_HOURS_MIN_CELL} dials; your local time)")
    elif hours.dials >= BEST_HOURS_MIN_DIALS:
        click.echo("  Try `--days 30` for more data.")
    for c in callers:
        warn = {"ok": "", "near": " · nearing the ~100/day vendors advise", "over": " · rest it"}
        click.echo(
            f"Caller {c.number}: {plural(c.dials, 'dial')} today{warn[c.level]} "
            f"(limit ~{CALLER_LIMIT})"
        )


PRACTICE_HEADS = {"objection": "objection", "section": "part of the call drill"}


def _practice(store: StatsStore, now: datetime, days: int | None, as_json: bool) -> None:
    since = now - timedelta(days=days) if days else None
    rows = store.practice(since)
    if as_json:
        out: list[dict[str, Any]] = [
            {
                "script": r.script,
                "kind": r.kind,
                "objection": r.objection,
                "nailed": r.nailed,
                "missed": r.missed,
                "skipped": r.skipped,
                "last_at": r.last_at.isoformat() if r.last_at else None,
            }
            for r in rows
        ]
        click.echo(json.dumps({"practice": out}, ensure_ascii=False))
        return
    if not rows:
        click.echo("No practice yet. Drill objections with: dialsmile practice")
        return
    click.echo(
        "Practice (never counted as calls), weakest first: lowest share nailed, then most answered."
    )
    click.echo("Each pack's versions are counted together.")
    heading = None
    for r in rows:
        if (r.script, r.kind) != heading:
            if heading is None or r.script != heading[0]:
                click.echo(f"\n{r.script}")
            heading = (r.script, r.kind)
            click.echo(f"  {PRACTICE_HEADS[r.kind]:<44}{'nailed':>7}{'missed':>7}{'skipped':>8}")
        tried = r.nailed + r.missed
        share = f"  {r.nailed / tried:.0%} nailed" if tried else ""
        click.echo(f"  {r.objection[:43]:<44}{r.nailed:>7}{r.missed:>7}{r.skipped:>8}{share}")


def print_summary(
    ctx: Context, session_id: int, *, kept: bool = True, zone: str | None = None
) -> None:
    """The end-of-session summary as plain text (after the app closes).

    ``kept`` False (the demo) leaves out the hint to export.
    """
    zone = zone or local_zone(ctx.settings.rep_timezone)
    summary = summarize_session(StatsStore(ctx.db), session_id, ctx.clock.now(), zone)
    if summary is None:
        return
    for line in summary.lines(zone, export_hint=kept):
        click.echo(line)
