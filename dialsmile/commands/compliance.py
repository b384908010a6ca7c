"""`dialsmile check` and `dialsmile dnc ...`: calling hours and do-not-call lists from the shell."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import click

from dialsmile.commands.context import Context, pass_ctx
from dialsmile.compliance.address import subdivision_of
from dialsmile.compliance.engine import CallTarget, Verdict, number_country
from dialsmile.compliance.zones import local_time, zone_name
from dialsmile.config import parse_instant
from dialsmile.core.guard import counted_calls, guarded, hours_verdict, stale_copy_warning
from dialsmile.core.models import DncEntry
from dialsmile.core.phone import PhoneNormalizer, format_for_reading
from dialsmile.core.places import state_code, state_code_of
from dialsmile.errors import BadInput, NotFound
from dialsmile.io.dncfile import read_dnc_file
from dialsmile.storage.calls import CallStore
from dialsmile.storage.dnc import SOURCES, DncStore
from dialsmile.text import plural, printable

__all__ = ["check_command", "dnc_group"]

NOT_ALLOWED = 1
"""``check``'s exit code when the call is not allowed (0 when it is, 2 for a usage error)."""


def normalize_phone(ctx: Context, raw: str) -> str:
    """``raw`` as E.164 (national formats read with the default_region setting), or BadInput."""
    region = (ctx.settings.default_region or "US").upper()
    found = PhoneNormalizer().parse(raw, region)
    if found is None:
        raise BadInput(
            f"{printable(raw)!r} is not a valid phone number; "
            "write it with its country code, e.g. +1 850 617 2000."
        )
    return found.e164


def _no_national_copy() -> str:
    return (
        "no national do-not-call copy has been imported, so this number was not checked "
        "against one: dialsmile dnc import FILE --source national --as-of DATE"
    )


def verdict_for(
    ctx: Context, phone: str, at: datetime, state: str | None, kind: str | None
) -> Verdict:
    """The full answer at ``at``: rules, the calls of the 400 days before, and DNC lists.

    A number that belongs to a lead here uses that lead's state and list kind
    unless ``state`` (from --state) or ``kind`` are given, and its time zones
    and country (a Canadian lead's 1-800 number follows Canada's rules). Every judgment of
    time is made at ``at``, the national copy's age included.
    """
    dnc = DncStore(ctx.db)
    facts = dnc.lead_facts(phone)
    state_from = "--state"
    if state is None and facts is not None and facts.state:
        state = state_code_of(facts.state)
        state_from = "the lead's State column"
    kind = kind or (facts.kind if facts else "consumer")
    history = counted_calls(partial(CallStore(ctx.db).phone_calls_since, phone), at)
    # A lead's zones and country are the ones its calling session judges it by.
    zones, country = (facts.timezones, facts.country or None) if facts else ((), None)
    target = CallTarget(phone, zones, state, kind, state_from, country)
    verdict = hours_verdict(target, at, history, ctx.settings.min_gap_minutes)
    extra: list[str] = []
    if kind == "consumer":
        copy = dnc.latest_copy("national")
        if copy is None:
            extra.append(_no_national_copy())
        else:
            stale = stale_copy_warning(copy.as_of, at.date())
            if stale:
                extra.append(stale)
    return guarded(verdict, dnc.lookup(phone), kind, extra)


def _zone_times(moment: datetime, zones: list[str]) -> str:
    return ", ".join(local_time(z, moment) for z in zones)


def _rules_used(verdict: Verdict) -> str:
    """``US, US-UT from area code 801``, and ``; US-NY from area code 212 adds none``."""
    used = [
        place if "-" not in place else f"{place} from {verdict.sources.get(place, 'the lead')}"
        for place in verdict.jurisdictions
    ]
    text = ", ".join(used)
    for place, source in verdict.sources.items():
        if place not in verdict.jurisdictions:
            text += f"; {place} from {source} adds none"
    return text


def human_answer(phone: str, verdict: Verdict) -> str:
    """One or two sentences: allowed or not, why, and when next."""
    shown = format_for_reading(phone)
    zones = list(verdict.local_times)
    if verdict.allowed:
        times = _zone_times(verdict.local_times[zones[0]], zones)
        return (
            f"OK to call {shown}: {times} is inside calling hours (rules: {_rules_used(verdict)})."
        )
    reasons = "; ".join(verdict.reasons)
    if verdict.next_allowed_at is None:
        return f"Never call {shown}: {reasons}."
    moment = verdict.next_allowed_at
    return (
        f"Not now: {reasons}. Next allowed: {moment:%Y-%m-%d %H:%M} UTC "
        f"({_zone_times(moment, zones)})."
    )


def verdict_json(phone: str, verdict: Verdict) -> dict[str, Any]:
    """The JSON object of ``dialsmile check --json``."""
    return {
        "phone": phone,
        "allowed": verdict.allowed,
        "jurisdictions": list(verdict.jurisdictions),
        "sources": dict(verdict.sources),
        "reasons": list(verdict.reasons),
        "local_times": {
            z: t.replace(microsecond=0).isoformat() for z, t in verdict.local_times.items()
        },
        "zone_names": {z: zone_name(z, t) for z, t in verdict.local_times.items()},
        "next_allowed_at": verdict.next_allowed_at.isoformat() if verdict.next_allowed_at else None,
        "warnings": list(verdict.warnings),
    }


@click.command("check")
@click.argument("phone")
@click.option(
    "--at",
    "at_text",
    metavar="ISO8601",
    help="The moment to check, e.g. 2026-11-25T13:30:00Z (naive times are UTC). Default: now.",
)
@click.option(
    "--state",
    metavar="XX",
    help="State or province of the person (FL, TX, ON, US-TX; NSW for an Australian number). "
    "Default: the lead's state if the number is a lead here. The area code's state applies "
    "as well; where the two differ, the stricter rule wins. It narrows the time zones of a "
    "toll-free or mobile number to the state's (1-800 with TX: Central and Mountain time).",
)
@click.option(
    "--kind",
    type=click.Choice(["consumer", "business"]),
    help="Consumer (default) or business call; business calls skip consumer-only rules and "
    "the national and state do-not-call lists.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def check_command(
    ctx: Context,
    phone: str,
    at_text: str | None,
    state: str | None,
    kind: str | None,
    as_json: bool,
) -> None:
    """May this number be called now (or --at a moment)? If not, why, and when next?

    Works for any number, in the database or not. It applies the calling hours
    of the country, of the state or province from --state or the lead's State
    column, and of the state or province the number's area code serves (where
    the two differ both apply, the stricter wins); days with no calls and
    public holidays, in every time zone the number may ring in; per-24 h caps
    and Washington's year after a refusal (counting this database's calls);
    your min_gap_minutes setting; and your do-not-call lists (a listed number
    is never callable: next_allowed_at is null). It warns when the national
    do-not-call copy is older than 31 days. With --at, every one of these is
    judged at that moment. Each reason names the rule and where its state
    came from ("Utah (US-UT, from area code 801)"). For a lead's number, the
    lead's country counts as well: a toll-free number of a lead in Canada is
    checked in Canada's zones by Canada's rules, a UK lead's mobile in a
    Jersey range by the UK's.

    Exit code: 0 when the call is allowed, 1 when it is not (with --json
    too), 2 for a usage error (bad number, --at or --state), so scripts can
    use it like `test`.

    This is an aid, not legal advice: the rules come with their sources in
    dialsmile/compliance/rules.toml; check them before relying on them.

    \b
    Examples:
      dialsmile check "+1 850 617 2000" --at 2026-11-25T13:30:00Z
      dialsmile check 512-555-0134 --state TX --kind business
      dialsmile check "+1 800 555 0100" --state TX
      dialsmile check +4722001234 --at 2026-11-28T12:00:00+01:00 --json
      dialsmile check "+1 801 555 0134" && echo "call now"
    """
    e164 = normalize_phone(ctx, phone)
    at = parse_instant(at_text, "--at") if at_text else ctx.clock.now()
    code: str | None = None
    if state is not None:
        found = state_code(state)
        if found is not None:
            code = found[1]
        elif subdivision_of(number_country(e164), state) is not None:
            code = state.strip()  # another country's state, read in the number's country
        else:
            raise BadInput(
                f"{printable(state)!r} is not a US state or Canadian province, nor a state "
                "of the number's country; use a code like FL, TX, ON or NSW."
            )
    verdict = verdict_for(ctx, e164, at, code, kind)
    if as_json:
        click.echo(json.dumps(verdict_json(e164, verdict), ensure_ascii=False))
    else:
        click.echo(human_answer(e164, verdict))
        for warning in verdict.warnings:
            click.echo(f"Warning: {warning}")
    if not verdict.allowed:
        raise SystemExit(NOT_ALLOWED)


# dnc ------------------------------------------------------------------------


def _as_of(text: str | None, today: date) -> date:
    if text is None:
        return today
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"Cannot read --as-of {text!r}: use a date like 2026-11-20.") from None
    if day > today:
        raise BadInput(f"--as-of {day.isoformat()} is in the future; give the copy's date.")
    return day


def _entry_json(entry: DncEntry) -> dict[str, Any]:
    return {
        "phone": entry.phone,
        "source": entry.source,
        "reason": entry.reason,
        "added_at": entry.added_at.isoformat(),
        "as_of": entry.as_of.isoformat() if entry.as_of else None,
    }


def _entry_since(entry: DncEntry) -> str:
    if entry.as_of is not None:
        return f"copy as of {entry.as_of.isoformat()}"
    return f"added {entry.added_at.date().isoformat()}"


@click.group("dnc", invoke_without_command=True)
@click.pass_context
def dnc_group(click_ctx: click.Context) -> None:
    """Your do-not-call lists: national registry copies, state lists, your internal list.

    A number on the internal list is never offered or callable; national and
    state lists apply to consumer lists (business lists skip them). Without a
    subcommand: how many numbers each list holds and how old the copies are.

    \b
    Examples:
      dialsmile dnc
      dialsmile dnc import national-2026-11-20.txt --source national --as-of 2026-11-20
      dialsmile dnc add "+1 512 555 0134" --reason "asked by email"
      dialsmile dnc remove "+1 512 555 0134" --reason "added by mistake"
      dialsmile dnc list --source internal
      dialsmile dnc check 512-555-0134
    """
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: Context = click_ctx.obj
    store = DncStore(ctx.db)
    counts = store.counts()
    today = ctx.clock.now().date()
    for source in SOURCES:
        line = f"{source:<9} {plural(counts.get(source, 0), 'number', width=11)}"
        copy = store.latest_copy(source)
        if copy is not None:
            age = plural((today - copy.as_of).days, "day")
            line += f"  last copy as of {copy.as_of.isoformat()} ({age} old, {copy.file})"
        click.echo(line)
    national = store.latest_copy("national")
    stale = stale_copy_warning(national.as_of if national else None, today)
    if stale:
        click.echo(f"Warning: {stale}")
    elif national is None:
        click.echo("No national copy yet: dialsmile dnc import FILE --source national --as-of DATE")


@dnc_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    required=True,
    help="Which list: national (replaces the previous national copy), state or internal (added).",
)
@click.option(
    "--as-of",
    "as_of_text",
    metavar="DATE",
    help="Date of the copy (YYYY-MM-DD), from the registry download. Default: today.",
)
@click.option("--column", help="The CSV column holding the numbers. Default: found by its name.")
@click.option(
    "--region",
    metavar="CC",
    help="Country for numbers without +country code. Default: the setting default_region (US).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@pass_ctx
def dnc_import(
    ctx: Context,
    file: Path,
    source: str,
    as_of_text: str | None,
    column: str | None,
    region: str | None,
    as_json: bool,
) -> None:
    """Load a do-not-call file: one number a line, a CSV column, or area code + number.

    Numbers are normalized to E.164; lines that are not phone numbers are
    counted and shown. The load is one transaction. A national file replaces
    the previous national copy; state and internal files add to their list.
    Open leads on the list are marked do-not-call: they stay in the database
    and are never offered.

    \b
    Examples:
      dialsmile dnc import 2026-11-20.txt --source national --as-of 2026-11-20
      dialsmile dnc import fl-dnc.csv --source state --column "Phone Number"
      dialsmile dnc import opt-outs.csv --source internal
    """
    now = ctx.clock.now()
    as_of = _as_of(as_of_text, now.date())
    read = read_dnc_file(file, (region or ctx.settings.default_region or "US").upper(), column)
    if not read.numbers:
        example = ""
        if read.examples:
            line, text = read.examples[0]
            example = f", e.g. line {line}: {printable(text)!r}"
        raise BadInput(f"Found no phone numbers in {file}{example}; nothing was changed.")
    store = DncStore(ctx.db)
    result = store.import_copy(source, str(file.name), as_of, read.numbers, now)
    stale = stale_copy_warning(as_of, now.date()) if source == "national" else None
    if as_json:
        report = {
            "file": str(file),
            "source": source,
            "as_of": as_of.isoformat(),
            "lines": read.lines,
            "numbers": result.numbers,
            "invalid": read.invalid,
            "invalid_examples": [{"line": n, "text": t} for n, t in read.examples],
            "replaced": result.replaced,
            "already_listed": result.already,
            "leads_marked": result.leads_marked,
            "warnings": [stale] if stale else [],
        }
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(
        f"Read {printable(file.name)}: {plural(read.lines, 'line')}, "
        f"{plural(result.numbers, 'distinct number')}"
    )
    if read.invalid:
        shown = "; ".join(f"line {n}: {printable(t)!r}" for n, t in read.examples)
        click.echo(f"  {plural(read.invalid, 'line')} skipped (not phone numbers), e.g. {shown}")
    summary = f"The {source} do-not-call list now holds them (copy as of {as_of.isoformat()})"
    if result.replaced:
        summary += f"; it replaces the previous copy's {plural(result.replaced, 'number')}"
    if result.already:
        summary += f"; {result.already:,} were already on it"
    click.echo(summary + ".")
    if result.leads_marked:
        click.echo(
            f"{plural(result.leads_marked, 'open lead')} on it: marked do-not-call, kept, "
            "never offered."
        )
    if stale:
        click.echo(f"Warning: {stale}")


@dnc_group.command("add")
@click.argument("phone")
@click.option("--reason", default="", help="Why (e.g. 'asked by email on 3 Dec').")
@pass_ctx
def dnc_add(ctx: Context, phone: str, reason: str) -> None:
    """Put a number on your internal do-not-call list, for good (logged).

    The same as pressing d in a session. Open leads with this number are
    marked do-not-call and never offered.

    \b
    Examples:
      dialsmile dnc add "+1 512 555 0134" --reason "asked by email"
    """
    e164 = normalize_phone(ctx, phone)
    added, marked = DncStore(ctx.db).add(e164, reason.strip(), ctx.clock.now())
    shown = format_for_reading(e164)
    if not added:
        click.echo(f"{shown} is already on your internal do-not-call list.")
        return
    click.echo(f"Added {shown} to your internal do-not-call list.")
    if marked:
        click.echo(f"{plural(marked, 'open lead')} with this number marked do-not-call.")


@dnc_group.command("remove")
@click.argument("phone")
@click.option("--reason", default="", help="Why it may be called again (required for internal).")
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    default="internal",
    show_default=True,
    help="The list to take it off.",
)
@pass_ctx
def dnc_remove(ctx: Context, phone: str, reason: str, source: str) -> None:
    """Take a number off a do-not-call list; the removal and its reason are logged.

    Leads marked do-not-call for this number become callable again when no
    other list that applies to them holds it.

    \b
    Examples:
      dialsmile dnc remove "+1 512 555 0134" --reason "added by mistake (wrong lead)"
    """
    e164 = normalize_phone(ctx, phone)
    store = DncStore(ctx.db)
    shown = format_for_reading(e164)
    entries = store.lookup(e164)
    if not any(e.source == source for e in entries):
        raise NotFound(_not_on(shown, source, entries))
    reason = reason.strip()
    if source == "internal" and not reason:
        raise BadInput(
            "Removing a number from the internal do-not-call list needs --reason; "
            "it is logged with the time."
        )
    _, restored = store.remove(e164, source, reason, ctx.clock.now())
    click.echo(f"Removed {shown} from the {source} do-not-call list (logged).")
    if restored:
        click.echo(f"{plural(restored, 'lead')} with this number callable again.")


def _not_on(shown: str, source: str, elsewhere: list[DncEntry]) -> str:
    """Why ``dnc remove`` changed nothing: the number is not on ``source``, maybe on others."""
    which = "your internal" if source == "internal" else f"the {source}"
    if not elsewhere:
        return f"{shown} is not on {which} do-not-call list."
    where = " and ".join(f"the {e.source} list ({_entry_since(e)})" for e in elsewhere)
    ways = [
        "a fresh national copy replaces that list: "
        "dialsmile dnc import FILE --source national --as-of DATE"
        if e.source == "national"
        else f'to take it off the {e.source} list: dialsmile dnc remove "{shown}" '
        f"--source {e.source} --reason WHY"
        for e in elsewhere
    ]
    return (
        f"{shown} is not on {which} do-not-call list but on {where}, which this "
        f"command left as it was; {'; '.join(ways)}."
    )


@dnc_group.command("list")
@click.option("--source", type=click.Choice(SOURCES), help="Only this list.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of entries.")
@pass_ctx
def dnc_list(ctx: Context, source: str | None, as_json: bool) -> None:
    """Show the numbers on the do-not-call lists (by list, then number).

    \b
    Examples:
      dialsmile dnc list --source internal
      dialsmile dnc list --json | jq '.[] | select(.source == "internal") | .phone'
    """
    entries = DncStore(ctx.db).entries(source)
    if as_json:
        out = sys.stdout
        out.write("[")
        for n, entry in enumerate(entries):
            out.write(
                ("," if n else "") + "\n" + json.dumps(_entry_json(entry), ensure_ascii=False)
            )
        out.write("\n]\n")
        return
    count = 0
    for entry in entries:
        count += 1
        reason = f"  {printable(entry.reason)}" if entry.reason else ""
        click.echo(
            f"{format_for_reading(entry.phone):<20} {entry.source:<9} {_entry_since(entry)}{reason}"
        )
    if count == 0:
        which = f"the {source} list" if source else "any do-not-call list"
        click.echo(f"No numbers on {which} yet.")


@dnc_group.command("check")
@click.argument("phone")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_ctx
def dnc_check(ctx: Context, phone: str, as_json: bool) -> None:
    """Is a number on a do-not-call list? Which, since when, and why.

    \b
    Examples:
      dialsmile dnc check 512-555-0134
      dialsmile dnc check "+1 512 555 0134" --json
    """
    e164 = normalize_phone(ctx, phone)
    entries = DncStore(ctx.db).lookup(e164)
    if as_json:
        data = {"phone": e164, "on_dnc": bool(entries), "lists": [_entry_json(e) for e in entries]}
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    shown = format_for_reading(e164)
    if not entries:
        click.echo(f"{shown} is not on any do-not-call list here.")
        return
    lists = "; ".join(
        f"{e.source} ({_entry_since(e)}{': ' + printable(e.reason) if e.reason else ''})"
        for e in entries
    )
    click.echo(f"{shown} is on: {lists}.")
    if any(e.source == "internal" for e in entries):
        click.echo("Never call it.")
    else:
        click.echo(
            "Never call it on a consumer list (business lists skip national and state lists)."
        )
