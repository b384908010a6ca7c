"""The practice application: one factory used by the CLI and the tests."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from dialsmile.config import Clock, Settings, local_zone
from dialsmile.core.practice import Mark, PracticeRun, call_steps, objection_steps, waiting_text
from dialsmile.core.scripts import Script, merge_fields
from dialsmile.storage.practice import PracticeRow, PracticeStore
from dialsmile.ui.screens.practice import PracticeScreen
from dialsmile.ui.terminal import exit_when_terminal_goes

if TYPE_CHECKING:
    import sqlite_utils


class PracticeApp(App[None]):
    """Objection drills and full-call drills in the terminal."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "dialsmile practice"

    def __init__(
        self, new_run: Callable[[], PracticeRun], timer: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.new_run = new_run
        self.timer = timer
        self.runs: list[PracticeRun] = []
        self._first: PracticeRun | None = None

    def first_round(self) -> PracticeRun:
        """The round the screen opens with, made now so a caller can look at it first."""
        if self._first is None:
            self._first = self.new_run()
        return self._first

    def _track(self) -> PracticeRun:
        run = self.first_round() if not self.runs else self.new_run()
        self.runs.append(run)
        return run

    def on_mount(self) -> None:
        exit_when_terminal_goes(self)
        self.push_screen(PracticeScreen(self._track, self.timer))


def make_practice_app(
    db: sqlite_utils.Database,
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
