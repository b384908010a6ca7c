"""Practice mode without a screen: what to drill next, and how a drill went.

Objections the rep missed come back more often; ones nailed several times in
a row wait longer (a small spaced-repetition schedule). Results are saved
through a callback and are never calls.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dialsmile.core.scripts import CLOSE, DISCOVERY, OPENING, PITCH, Objection, Script

# Days to wait after 1, 2, 3 and 4+ nailed answers in a row.
INTERVALS_DAYS = (1, 3, 7, 21)
DRILLS = ("objections", "call")
History = Mapping[str, Sequence[tuple[str, datetime]]]


def weight(results: Sequence[tuple[str, datetime]], now: datetime) -> float:
    """How strongly an objection should come up, from its past results (newest first).

    Never practised: 2. Missed last time: 4 plus 1 for each other miss of the
    last five (at most 6). Nailed ``k`` times in a row: 1.5 once its interval
    (1, 3, 7, 21 days) has passed, else 0.5/k. Skips do not count.
    """
    graded = [(r, at) for r, at in results if r in ("nailed", "missed")]
    if not graded:
        return 2.0
    if graded[0][0] == "missed":
        misses = sum(1 for r, _ in graded[1:5] if r == "missed")
        return min(4.0 + misses, 6.0)
    streak = 0
    for result, _ in graded:
        if result != "nailed":
            break
        streak += 1
    interval = timedelta(days=INTERVALS_DAYS[min(streak, len(INTERVALS_DAYS)) - 1])
    if now - graded[0][1] >= interval:
        return 1.5
    return 0.5 / streak


def pick_objections(
    objections: Sequence[Objection],
    history: History,
    now: datetime,
    count: int,
    rng: random.Random,
) -> list[Objection]:
    """Up to ``count`` different objections, drawn at random in proportion to their weight."""
    keyed = []
    for objection in objections:
        w = weight(history.get(objection.prompt, ()), now)
        keyed.append((rng.random() ** (1.0 / w), objection))
    keyed.sort(key=lambda k: k[0], reverse=True)
    return [o for _, o in keyed[: max(0, count)]]


@dataclass(frozen=True)
class Step:
    """One thing to say out loud: a prompt, and the model to compare with."""

    kind: str  # "objection" or "section"
    title: str  # the prospect's words, or the section name
    cue: str  # what the screen asks the rep to do
    model: str  # the model answer or section text (filled)


def objection_steps(
    script: Script,
    history: History,
    now: datetime,
    count: int,
    rng: random.Random,
    fields: Mapping[str, str],
) -> list[Step]:
    """An objection drill: random objections, weak ones more often."""
    return [
        Step("objection", o.prompt, "Say your answer out loud.", script.fill(o.answer, fields))
        for o in pick_objections(script.objections, history, now, count, rng)
    ]


CALL_PARTS = (
    (OPENING, "Open the call: who you are, your company, that it is a sales call."),
    (PITCH, "Give your pitch: why you are calling them."),
    (DISCOVERY, "Ask your discovery questions."),
)


def call_steps(
    script: Script,
    history: History,
    now: datetime,
    rng: random.Random,
    fields: Mapping[str, str],
) -> list[Step]:
    """A full-call drill: opening, pitch, questions, two objections, close."""
    steps = [
        Step("section", title, cue, script.fill(script.section(title), fields))
        for title, cue in CALL_PARTS
        if script.section(title)
    ]
    steps += objection_steps(script, history, now, 2, rng, fields)
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
    """A drill in progress: the steps, where the rep is, and the marks so far."""

    script: Script
    drill: str
    steps: list[Step]
    save: Callable[[Mark], None] = lambda mark: None
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

    def summary(self) -> list[str]:
        """A few lines on how the drill went."""
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
            lines.append("Missed ones come up more often next time.")
        elif answered:
            lines.append("Nothing missed. Nailed ones come back less often, so they stay fresh.")
        return lines


def clock_text(seconds: float) -> str:
    """``m:ss``."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
