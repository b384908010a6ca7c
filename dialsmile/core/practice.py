"""Practice mode without a screen: what to drill next, and how a drill went.

A small spaced-repetition schedule decides which objections a round takes:
an objection is due when it was never practised, was missed last time, or
has waited long enough since it was nailed (1, 3, 7, then 21 days for 1, 2,
3, then 4 or more nailed in a row). Results are saved through a callback
and are never calls.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dialsmile.core.scripts import CLOSE, DISCOVERY, OPENING, PITCH, Objection, Script
from dialsmile.text import clock_text, moment_text, plural

# Days to wait after 1, 2, 3 and 4+ nailed answers in a row.
INTERVALS_DAYS = (1, 3, 7, 21)
DRILLS = ("objections", "call")
CALL_OBJECTIONS = 2
History = Mapping[str, Sequence[tuple[str, datetime]]]


@dataclass(frozen=True)
class Standing:
    """Where one objection stands in the schedule, from its past results."""

    objection: Objection
    due_at: datetime | None
    """None if never answered; the time of the miss if missed last; else the end of its wait."""
    misses: int
    """Misses among the last five answers when the last one was a miss, else 0."""
    streak: int
    """Nailed answers in a row, newest first (0 after a miss)."""

    def is_due(self, now: datetime) -> bool:
        return self.due_at is None or self.due_at <= now


def standing(objection: Objection, results: Sequence[tuple[str, datetime]]) -> Standing:
    """The schedule of one objection from its results, newest first (skips do not count)."""
    graded = [(r, at) for r, at in results if r in ("nailed", "missed")]
    if not graded:
        return Standing(objection, None, 0, 0)
    last, last_at = graded[0]
    if last == "missed":
        return Standing(objection, last_at, sum(r == "missed" for r, _ in graded[:5]), 0)
    streak = next((n for n, (r, _) in enumerate(graded) if r != "nailed"), len(graded))
    wait = INTERVALS_DAYS[min(streak, len(INTERVALS_DAYS)) - 1]
    return Standing(objection, last_at + timedelta(days=wait), 0, streak)


def schedule(
    objections: Sequence[Objection], history: History, now: datetime, rng: random.Random
) -> list[Standing]:
    """Every objection in the order to practise them.

    Due ones first: missed last time (more misses in the last five first), then
    never practised, then those past their wait (shorter streak, then longer
    overdue first). Then the ones still waiting, soonest due first. Ties come
    in random order.
    """
    standings = [standing(o, history.get(o.prompt, ())) for o in objections]
    rng.shuffle(standings)

    def order(s: Standing) -> tuple[int, int, datetime]:
        if s.due_at is None:
            return (1, 0, now)
        if not s.is_due(now):
            return (3, 0, s.due_at)
        if s.misses:
            return (0, -s.misses, s.due_at)
        return (2, s.streak, s.due_at)

    return sorted(standings, key=order)


def waiting_text(waiting: Sequence[Standing], now: datetime, zone: str) -> str:
    """One sentence on the objections left out because they are not due yet ("" for none)."""
    if not waiting:
        return ""
    first = waiting[0]
    assert first.due_at is not None  # an objection that waits has a due time
    return (
        f"{plural(len(waiting), 'objection')} not due yet; the next, "
        f'"{first.objection.prompt}", is due {moment_text(first.due_at, zone, now=now)}.'
    )


@dataclass(frozen=True)
class Step:
    """One thing to say out loud: a prompt, and the model to compare with."""

    kind: str  # "objection" or "section"
    title: str  # the prospect's words, or the section name
    cue: str  # what the screen asks the rep to do
    model: str  # the model answer or section text (filled)


def _objection_step(script: Script, objection: Objection, fields: Mapping[str, str]) -> Step:
    return Step(
        "objection",
        objection.prompt,
        "Say your answer out loud.",
        script.fill(objection.answer, fields),
    )


def objection_steps(
    script: Script,
    history: History,
    now: datetime,
    count: int,
    rng: random.Random,
    fields: Mapping[str, str],
    *,
    every: bool = False,
) -> tuple[list[Step], list[Standing]]:
    """An objection drill: up to ``count`` due objections, weakest and most overdue
    first; and the objections left out because they are not due yet, soonest first.

    With ``every`` the schedule only sets the order: objections not yet due come
    after the due ones and none is left out for that.
    """
    order = schedule(script.objections, history, now, rng)
    taken = [s for s in order if every or s.is_due(now)]
    waiting = [s for s in order if not (every or s.is_due(now))]
    return [_objection_step(script, s.objection, fields) for s in taken[: max(0, count)]], waiting


CALL_PARTS = (
    (OPENING, "Open the call: who you are, your company, that it is a sales call."),
    (PITCH, "Give your pitch: why you are calling them."),
    (DISCOVERY, "Ask your discovery questions."),
)
CALL_SECTIONS = (OPENING, PITCH, DISCOVERY, CLOSE)
"""The parts of the call a call drill practises besides its objections."""


def call_steps(
    script: Script,
    history: History,
    now: datetime,
    rng: random.Random,
    fields: Mapping[str, str],
) -> list[Step]:
    """A full-call drill: opening, pitch, questions, two objections, close.

    The two objections are the first two of the schedule: due ones first, else
    the ones due soonest, so every call drill has its objections.
    """
    steps = [
        Step("section", title, cue, script.fill(script.section(title), fields))
        for title, cue in CALL_PARTS
        if script.section(title)
    ]
    order = schedule(script.objections, history, now, rng)
    steps += [_objection_step(script, s.objection, fields) for s in order[:CALL_OBJECTIONS]]
    if script.section(CLOSE):
        steps.append(
            Step(
                "section",
                CLOSE,
                "Close: ask for the meeting.",
                script.fill(script.section(CLOSE), fields),
            )
        )
    return steps


@dataclass(frozen=True)
class Mark:
    """How one step went."""

    step: Step
    result: str  # nailed, missed, skipped
    seconds: float


@dataclass
class PracticeRun:
    """A drill in progress: the steps, where the rep is, and the marks so far.

    ``waiting`` is a sentence on the objections the round left out because
    they are not due yet ("" when none were).
    """

    script: Script
    drill: str
    steps: list[Step]
    save: Callable[[Mark], None] = lambda mark: None
    waiting: str = ""
    index: int = 0
    marks: list[Mark] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def current(self) -> Step | None:
        return None if self.done else self.steps[self.index]

    def mark(self, result: str, seconds: float) -> None:
        """Grade the current step, save it, and move on."""
        step = self.current
        if step is None:
            return
        mark = Mark(step, result, max(0.0, seconds))
        self.save(mark)
        self.marks.append(mark)
        self.index += 1

    def count(self, result: str) -> int:
        return sum(1 for m in self.marks if m.result == result)

    def verdict(self) -> str:
        """Closing words that fit how the round went ("" before any answer)."""
        nailed, missed = self.count("nailed"), self.count("missed")
        if not nailed + missed:
            return ""
        if not missed:
            return "Well practised."
        if nailed >= missed:
            return "Good progress."
        return "Keep at it." if nailed else "A tough round."

    def summary(self) -> list[str]:
        """A few lines on how the drill went, or why there was nothing to practise."""
        if not self.steps:
            return [
                f"Nothing in {self.script.label} is due now.",
                *([self.waiting] if self.waiting else []),
                "To practise anyway, run practice again with --all (every objection, due or not).",
            ]
        answered = [m for m in self.marks if m.result != "skipped"]
        lines = [
            f"{len(self.marks)} of {len(self.steps)} done · {self.count('nailed')} nailed · "
            f"{self.count('missed')} missed · {self.count('skipped')} skipped"
        ]
        if answered:
            median = statistics.median(m.seconds for m in answered)
            lines.append(f"Median {clock_text(median)} to answer")
        missed = [m.step.title for m in self.marks if m.result == "missed"]
        if missed:
            lines.append("Work on: " + " · ".join(f'"{t}"' for t in missed))
            lines.append("Missed ones stay due: they come back in your next round.")
        elif answered:
            lines.append(
                "Nothing missed. Nailed objections wait longer each time (1, 3, 7, then 21 days)."
            )
        if self.waiting:
            lines.append(self.waiting)
        return lines
