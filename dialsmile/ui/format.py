"""Turning session data into rich Text for the screens (lead text is never markup)."""

from __future__ import annotations

import functools
from datetime import datetime

from rich.text import Text

from dialsmile.compliance.zones import local_time
from dialsmile.core.models import LeadView, Outcome
from dialsmile.core.phone import format_for_reading
from dialsmile.core.scripts import MERGE_FIELD, Objection, Script
from dialsmile.core.stats import MOST_REPS_STOP_AT
from dialsmile.ui.text import lit

BUYER_ATTEMPTS = 18
SHORT = {o.value: o.code for o in Outcome}


def place(lead: LeadView) -> str:
    return " ".join(p for p in (lead.city, lead.state, lead.country) if p)


def attempt_meter(attempts: int, width: int = BUYER_ATTEMPTS) -> Text:
    """Attempt k against the ~18 attempts buyers often need."""
    done = min(attempts, width)
    text = Text("▮" * done, style="bold green")
    text.append("▯" * (width - done), style="dim")
    return text


def lead_card(
    lead: LeadView, now: datetime, verdict_ok: bool, reasons: list[str], caution: str = ""
) -> Text:
    """The lead card; the status is green (open), amber (``caution``) or red (``reasons``)."""
    out = Text()
    out.append_text(lit(lead.display_name, "bold"))
    role = ", ".join(p for p in (lead.title, lead.company) if p)
    if role and lead.name:
        out.append(" — ")
        out.append_text(lit(role))
    out.append("\n")
    out.append(format_for_reading(lead.phone, lead.extension), style="bold cyan")
    if lead.phone_kind:
        out.append(f" {lead.phone_kind}", style="dim")
    out.append("\n")
    where = place(lead)
    if where:
        out.append_text(lit(where))
        out.append(" · ")
    if lead.timezones:
        out.append(" · ".join(local_time(z, now) for z in lead.timezones[:3]))
        if len(lead.timezones) > 3:
            out.append(f" +{len(lead.timezones) - 3} zones")
    else:
        out.append("time zone unknown")
    if verdict_ok and caution:
        out.append(f" ! open · {caution}", style="bold yellow")
    elif verdict_ok:
        out.append(" ✓ open", style="bold green")
    else:
        out.append(" ✗ " + "; ".join(reasons), style="bold red")
    out.append("\n")
    number = lead.attempts + 1
    out.append(f"Attempt {number} ", style="bold")
    out.append_text(attempt_meter(number))
    out.append(f"\nbuyers often need ~{BUYER_ATTEMPTS} attempts\n", style="dim")
    if number > MOST_REPS_STOP_AT:
        out.append(
            f"most reps stop at {MOST_REPS_STOP_AT} attempts; you keep going\n",
            style="italic green",
        )
    if lead.history:
        past = " · ".join(f"{when:%m-%d} {SHORT.get(o, o)}" for when, o, _ in lead.history[:5])
        out.append(f"History: {past}\n")
        last_note = next((n for _, _, n in lead.history if n), "")
        if last_note:
            out.append("Last call note: ", style="dim")
            out.append_text(lit(last_note))
            out.append("\n")
    if lead.alt_phones:
        alts = ", ".join(
            format_for_reading(p["e164"], p.get("extension", ""))
            + (f" ({p['kind']})" if p.get("kind") else "")
            for p in lead.alt_phones
        )
        out.append(f"Other numbers: {alts}\n", style="dim")
    if lead.email:
        out.append("Email: ", style="dim")
        out.append_text(lit(lead.email))
        out.append("\n")
    return out


def notes_text(lead: LeadView) -> Text:
    if not lead.notes.strip():
        return Text("No research notes yet. Press e to add some.", style="dim italic")
    return lit(lead.notes)


def script_blocks(
    script: Script | None, fields: dict[str, str], highlight: Objection | None = None
) -> list[Text]:
    """The script with fields filled, in blocks; ``highlight`` marks one objection.

    Every line with a merge field is a block of its own and the lines
    between them are grouped, so the blocks that differ from one lead to the
    next are as few and as short as can be. A block's trailing newline is
    the blank line that ends a paragraph.
    """
    if script is None:
        return [Text("No script loaded. Start with --script NAME.", style="dim italic")]
    out: list[Text] = []
    for title, body in script.sections.items():
        if title.lower() == "objections":
            continue
        out.append(_title(title))
        out.extend(_block(script.fill(chunk, fields)) for chunk in _chunks(body))
        if title.lower().startswith("discovery") and script.objections:
            out.extend(_objections(script, fields, highlight))
    if script.objections and not any(t.lower().startswith("discovery") for t in script.sections):
        out.extend(_objections(script, fields, highlight))
    return out


# Blocks are cached by their text: most of a script reads the same for every
# lead, and the panel compares blocks by identity before comparing text.
# They are shared, so they must never be changed in place.
@functools.lru_cache(maxsize=4096)
def _title(title: str) -> Text:
    return Text(title, style="bold underline")


@functools.lru_cache(maxsize=4096)
def _block(text: str) -> Text:
    return lit(text)


@functools.lru_cache(maxsize=4096)
def _objection_block(prompt: str, answer: str, marked: bool) -> Text:
    block = Text()
    block.append(f'"{prompt}"\n', "bold black on yellow" if marked else "bold yellow")
    block.append_text(lit("  → " + answer, "reverse" * marked))
    block.append("\n")
    return block


@functools.lru_cache(maxsize=256)
def _chunks(body: str) -> tuple[str, ...]:
    """``body`` split so each line with a merge field stands alone (see ``script_blocks``)."""
    out: list[str] = []
    for paragraph in body.split("\n\n"):
        lines = paragraph.strip("\n").split("\n")
        if not any(line.strip() for line in lines):
            continue
        plain: list[str] = []
        for line in lines:
            if MERGE_FIELD.search(line):
                if plain:
                    out.append("\n".join(plain))
                    plain = []
                out.append(line)
            else:
                plain.append(line)
        if plain:
            out.append("\n".join(plain))
        out[-1] += "\n"
    return tuple(out)


def _objections(script: Script, fields: dict[str, str], highlight: Objection | None) -> list[Text]:
    return [_title("Objections")] + [
        _objection_block(o.prompt, script.fill(o.answer, fields), o == highlight)
        for o in script.objections
    ]
