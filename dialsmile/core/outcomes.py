"""What each outcome does to a lead: pure rules, no database."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from dialsmile.core.models import LeadStatus, Outcome
from dialsmile.errors import BadInput

_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"m": 1, "min": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}


def parse_duration(text: str) -> relativedelta:
    """'15m', '4h', '1d', '3d', '2w' as a relativedelta.

    relativedelta carries whole days over from minutes ('1d', 1440 minutes, is
    ``days=1``), so the help screen says "next day" and "3 days".
    """
    match = _DURATION.match(text)
    if not match:
        raise BadInput(f"Cannot read the cadence step {text!r}; use e.g. 15m, 4h, 1d or 2w.")
    amount, unit = int(match.group(1)), match.group(2).lower()
    return relativedelta(minutes=amount * _UNITS[unit])


@dataclass(frozen=True)
class Cadence:
    """When a lead comes back after an outcome that leaves it open."""

    steps: Mapping[str, Sequence[relativedelta]]

    @classmethod
    def from_settings(cls, cadence: Mapping[str, Sequence[str]]) -> Cadence:
        steps: dict[str, list[relativedelta]] = {}
        for outcome, texts in cadence.items():
            if outcome not in {o.value for o in Outcome}:
                raise BadInput(f"Unknown outcome {outcome!r} in the cadence setting.")
            steps[outcome] = [parse_duration(t) for t in texts] or [relativedelta(days=1)]
        return cls(steps)

    def next_call(self, outcome: Outcome, previous_attempts: int, now: datetime) -> datetime:
        """The moment the lead may be offered again: step k for its k-th try."""
        steps = self._steps(outcome)
        return now + steps[min(previous_attempts, len(steps) - 1)]

    def retry_text(self, outcome: Outcome) -> str:
        """When ``outcome`` brings the lead back, for the help screen:
        "retried tomorrow", "retried in 15 min", "retried per cadence (4 h, next day, 3 days)"."""
        steps = self._steps(outcome)
        if len(steps) == 1:
            step = steps[0]
            return "retried " + (
                "tomorrow" if step == relativedelta(days=1) else f"in {_step(step)}"
            )
        return f"retried per cadence ({', '.join(_step(s) for s in steps)})"

    def _steps(self, outcome: Outcome) -> Sequence[relativedelta]:
        return self.steps.get(outcome.value) or [relativedelta(days=1)]


def _step(step: relativedelta) -> str:
    """One cadence step as the help screen says it: "15 min", "4 h", "next day", "3 days"."""
    if step.days:
        return "next day" if step.days == 1 else f"{step.days} days"
    return " ".join(
        part
        for part in (
            f"{step.hours} h" if step.hours else "",
            f"{step.minutes} min" if step.minutes else "",
        )
        if part
    )


def lead_changes(
    *,
    outcome: Outcome,
    attempts: int,
    alt_phones: Sequence[Mapping[str, str]],
    now: datetime,
    cadence: Cadence,
    callback_at: datetime | None = None,
    alt_zones: Sequence[str] = (),
) -> dict[str, Any]:
    """The lead columns to change for ``outcome`` (empty for a skip)."""
    if outcome is Outcome.SKIP:
        return {}
    changes: dict[str, Any] = {
        "attempts": attempts + 1,
        "last_outcome": outcome.value,
        "last_called_at": now,
        "next_call_at": None,
        "callback_at": None,
    }
    if outcome is Outcome.YES:
        changes["status"] = LeadStatus.WON.value
    elif outcome is Outcome.NO:
        changes["status"] = LeadStatus.CLOSED.value
    elif outcome is Outcome.DO_NOT_CALL:
        changes["status"] = LeadStatus.DNC.value
    elif outcome is Outcome.CALLBACK:
        if callback_at is None:
            raise ValueError("a callback needs a time")
        changes["status"] = LeadStatus.CALLBACK.value
        changes["callback_at"] = callback_at
    elif outcome is Outcome.BAD_NUMBER:
        if alt_phones:
            # Move on to the next number at once; the queue keeps it out of this chunk.
            nxt, *rest = alt_phones
            changes.update(
                status=LeadStatus.RETRY.value,
                next_call_at=now,
                phone=nxt["e164"],
                extension=nxt.get("extension", ""),
                phone_kind=nxt.get("kind", ""),
                alt_phones=_json(list(rest)),
                timezones=_json(list(alt_zones)),
            )
        else:
            changes["status"] = LeadStatus.CLOSED.value
    else:
        changes["status"] = LeadStatus.RETRY.value
        changes["next_call_at"] = cadence.next_call(outcome, attempts, now)
    return changes


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
