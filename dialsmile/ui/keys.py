"""The session screen's keys, in one table: its bindings, the legend and the help screen.

Adding a key means adding a row here; the three views cannot drift apart. This module
imports nothing heavier than Textual and Rich: the opening frame paints the legend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from dialsmile.core.models import Outcome

LEGEND_LINES = 2
HELP_COLUMN = 13  # the width of a key's name in the help screen


@dataclass(frozen=True)
class Key:
    """One key of the session screen.

    ``action`` is the Textual action it runs ("" when a widget handles the key
    itself); ``group`` is its legend line (1 or 2; 0 keeps it off the legend);
    ``footer`` shows it in the footer too; ``inline`` writes it inside its name in
    the legend (``[y]es``) instead of before it (``[e] note``).
    """

    key: str
    action: str
    name: str
    description: str
    group: int = 0
    footer: bool = False
    inline: bool = False
    display: str = ""
    outcome: Outcome | None = None  # the outcome it saves, if it saves one

    @property
    def shown(self) -> str:
        """The key as the rep reads it: ``y``, ``space``, ``?``."""
        return self.display or self.key


def _outcome(
    key: str, outcome: Outcome, name: str, description: str, group: int, *, inline: bool = True
) -> Key:
    action = f"outcome('{outcome.value}')"
    return Key(key, action, name, description, group, inline=inline, outcome=outcome)


# A retry outcome's description says "{retry}": the help screen fills in the
# rep's own cadence for it.
SESSION_KEYS: tuple[Key, ...] = (
    _outcome("y", Outcome.YES, "yes", "a meeting or real interest: the lead is won", 1),
    _outcome("n", Outcome.NO, "no", "not interested: the lead is closed (every no is progress)", 1),
    _outcome("h", Outcome.HANG_UP, "hang-up", "they hung up early: {retry}", 1),
    _outcome("a", Outcome.NO_ANSWER, "no answer", "{retry}", 1, inline=False),
    _outcome("v", Outcome.VOICEMAIL, "voicemail", "{retry}", 1),
    _outcome("b", Outcome.BUSY, "busy", "{retry}", 1),
    _outcome(
        "x",
        Outcome.BAD_NUMBER,
        "bad number",
        "this number does not work: try the next number, else closed",
        1,
        inline=False,
    ),
    Key(
        "c",
        "callback",
        "callback",
        'book a time they asked for ("tomorrow 3pm", "in 2h")',
        2,
        inline=True,
    ),
    _outcome(
        "d",
        Outcome.DO_NOT_CALL,
        "do-not-call",
        "the number goes on your internal do-not-call list, for good",
        2,
    ),
    _outcome(
        "s", Outcome.SKIP, "skip", "not a call; the lead stays for later (counted as a skip)", 2
    ),
    Key("u", "undo", "undo", "take back the last outcome of this session", 2, inline=True),
    Key("e", "note", "note", "edit research notes or add a note for this call", 2),
    Key("space", "dial", "dial", "start the call timer (and the dial command, if set)", 2),
    Key("p", "pause", "break", "pause the clock; any key resumes", 2, footer=True),
    Key("w", "why", "why", "leads waiting and when each can be called", 2, footer=True),
    Key(
        "o",
        "override",
        "override",
        "call a blocked lead anyway, with a logged reason (if enabled;\nnever for do-not-call)",
    ),
    Key(
        "slash",
        "",
        "objection",
        "type what they said: jump to the model answer (Esc closes)",
        display="/",
    ),
    Key(
        "m",
        "intro_email",
        "intro email",
        "copy the filled intro email, save it to a file, mark it sent",
    ),
    Key("question_mark", "help", "help", "this screen", footer=True, display="?"),
    Key(
        "E",
        "end_session",
        "end session",
        "the session summary: export it as CSV, then quit",
        footer=True,
    ),
    Key("q", "quit", "quit", "at once: nothing is lost, everything is already saved", footer=True),
)


def bindings(keys: Sequence[Key] = SESSION_KEYS) -> list[BindingType]:
    """Textual bindings for every key with an action; footer keys are labelled there."""
    return [
        Binding(
            k.key,
            k.action,
            k.name.capitalize() if k.footer else k.name,
            show=k.footer,
            key_display=k.display or None,
            id=k.outcome.value if k.outcome else k.action,
        )
        for k in keys
        if k.action
    ]


def legend(keys: Sequence[Key] = SESSION_KEYS, width: int | None = None) -> str:
    """The legend under the lead: ``[y]es [n]o … [a] no answer``, one line per group.

    Where a group's line is wider than ``width``, the keys flow onto as many
    lines as that width needs, never splitting one: every key stays in sight
    on a 60-column terminal.
    """

    def entry(k: Key) -> str:
        if k.inline:
            return f"[{k.shown}]{k.name[len(k.shown) :]}"
        return f"[{k.shown}] {k.name}"

    groups = [[entry(k) for k in keys if k.group == line] for line in range(1, LEGEND_LINES + 1)]
    lines = [" ".join(group) for group in groups]
    if width is None or all(len(line) <= width for line in lines):
        return "\n".join(lines)
    flowed: list[str] = []
    for text in (text for group in groups for text in group):
        if flowed and len(flowed[-1]) + 1 + len(text) <= width:
            flowed[-1] += " " + text
        else:
            flowed.append(text)
    return "\n".join(flowed)


def help_keys(retry: Callable[[Outcome], str], keys: Sequence[Key] = SESSION_KEYS) -> str:
    """The key list of the help screen; ``retry`` says when an outcome brings the lead back."""
    indent = " " * (2 + 1 + 2 + HELP_COLUMN)
    lines = []
    for k in keys:
        text = k.description.format(retry=retry(k.outcome)) if k.outcome else k.description
        text = text.replace("\n", "\n" + indent)
        lines.append(f"  {k.shown}  {k.name:<{HELP_COLUMN - len(k.shown) + 1}}{text}")
    return "\n".join(lines)
