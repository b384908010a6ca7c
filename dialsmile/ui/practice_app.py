"""The practice application: rounds of drills, each made by the ``new_run`` it is given."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App

from dialsmile.core.practice import PracticeRun
from dialsmile.ui.screens.practice import PracticeScreen
from dialsmile.ui.terminal import exit_when_terminal_goes


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
