"""Wiring the practice app: its rounds come from the script and the practice history,
and each result is saved at once."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from dialsmile.config import Clock, Settings, local_zone
from dialsmile.core.practice import Mark, PracticeRun, call_steps, objection_steps, waiting_text
from dialsmile.core.scripts import Script, merge_fields
from dialsmile.storage.practice import PracticeRow, PracticeStore
from dialsmile.ui.practice_app import PracticeApp

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db


def make_practice_app(
    db: Db,
    script: Script,
    settings: Settings,
    clock: Clock,
    *,
    drill: str = "objections",
    count: int = 10,
    every: bool = False,
    seed: int | None = None,
    timer: Callable[[], float] = time.monotonic,
) -> PracticeApp:
    """Build the practice app for a script; each result is saved to ``practice`` at once.

    An objection round takes the objections that are due (see
    ``dialsmile.core.practice``), or with ``every`` all of them, up to ``count``.
    """
    store = PracticeStore(db)
    rng = random.Random(seed)
    fields = merge_fields(None, settings.rep_name, settings.rep_company)
    zone = local_zone(settings.rep_timezone)

    def save(mark: Mark) -> None:
        store.record(
            PracticeRow(
                script=script.name,
                script_version=script.version,
                objection=mark.step.title,
                result=mark.result,
                seconds=mark.seconds,
                drill=drill,
                at=clock.now(),
            )
        )

    def new_run() -> PracticeRun:
        now = clock.now()
        history = store.history(script.name)
        if drill == "call":
            return PracticeRun(script, drill, call_steps(script, history, now, rng, fields), save)
        steps, waiting = objection_steps(script, history, now, count, rng, fields, every=every)
        return PracticeRun(script, drill, steps, save, waiting_text(waiting, now, zone))

    return PracticeApp(new_run, timer)
