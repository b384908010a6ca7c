"""Running counts for a session: dials, connects, outcomes, streaks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from dialsmile.core.models import Outcome


@dataclass
class Tally:
    """Counts that update with each outcome (a skip breaks the streak)."""

    outcomes: Counter[str] = field(default_factory=Counter)
    streak: int = 0
    best_streak: int = 0

    @classmethod
    def of(cls, outcomes: Iterable[str]) -> Tally:
        tally = cls()
        for outcome in outcomes:
            tally.add(outcome)
        return tally

    def add(self, outcome: str) -> None:
        self.outcomes[outcome] += 1
        if outcome == Outcome.SKIP.value:
            self.streak = 0
        else:
            self.streak += 1
            self.best_streak = max(self.best_streak, self.streak)

    @property
    def dials(self) -> int:
        return sum(n for o, n in self.outcomes.items() if o != Outcome.SKIP.value)

    @property
    def connects(self) -> int:
        return sum(n for o, n in self.outcomes.items() if Outcome(o).is_connect)

    def count(self, outcome: Outcome) -> int:
        return self.outcomes[outcome.value]
