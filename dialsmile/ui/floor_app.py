"""The live floor board: `dialsmile floor` on a terminal, redrawn as outcomes land."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from dialsmile.errors import DialsmileError
from dialsmile.ui.terminal import exit_when_terminal_goes
from dialsmile.ui.widgets.repaint import show

if TYPE_CHECKING:
    from dialsmile.core.board import Board
    from dialsmile.core.stores import FloorChanges

SLICE_S = 1.0  # the longest one wait for a change lasts, so q is never kept waiting
QUIET_S = 30.0  # read the board this often anyway: states age (idle), callbacks come due
# After a read, rest this many times as long as it took: on a busy floor and a long list
# (100,000 leads: about half a second a read) the board reads a quarter of the time at most.
REST_SHARE = 3.0


class BoardRead(Message):
    """A fresh read of the board (or the sentence saying why it could not be read)."""

    def __init__(self, board: Board | None, error: str) -> None:
        super().__init__()
        self.board = board
        self.error = error


class FloorApp(App[None]):
    """The board of one list, read again whenever ``floor_watch`` hears the floor change."""

    TITLE = "dialsmile floor"
    BINDINGS = [("q", "quit", "Quit")]
    CSS = """
    #board { height: 1fr; padding: 0 1; }
    #status { height: auto; max-height: 8; padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        read_board: Callable[[], Board],
        floor_watch: FloorChanges,
        how: str,
        quiet_s: float = QUIET_S,
    ) -> None:
        super().__init__()
        self.read_board = read_board
        self.floor_watch = floor_watch
        self.how = how  # how changes are heard, for the status line
        self.quiet_s = quiet_s
        self.board: Board | None = None
        self.reads = 0

    def compose(self) -> ComposeResult:
        yield Static("Reading the floor…", id="board")
        yield Static("", id="status")

    def on_mount(self) -> None:
        exit_when_terminal_goes(self)
        self.run_worker(self._follow, thread=True, group="follow")

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "follow")

    def _follow(self) -> None:
        """Read the board, then again each time the floor changes (a worker thread)."""
        worker = get_current_worker()
        quiet = 0.0
        self.floor_watch.start()
        rest = self._read()
        try:
            while not worker.is_cancelled:
                if rest > 0:  # changes made meanwhile are heard by the next wait
                    time.sleep(min(rest, SLICE_S))
                    rest -= SLICE_S
                    continue
                changed = self.floor_watch.wait(SLICE_S)
                quiet = 0.0 if changed else quiet + SLICE_S
                if not worker.is_cancelled and (changed or quiet >= self.quiet_s):
                    quiet = 0.0
                    rest = self._read()
        finally:
            self.floor_watch.close()

    def _read(self) -> float:
        """Read the board and post it; how long to rest before reading again."""
        started = time.monotonic()
        try:
            board, error = self.read_board(), ""
        except DialsmileError as exc:
            board, error = None, str(exc)
        self.post_message(BoardRead(board, error))
        return REST_SHARE * (time.monotonic() - started)

    def on_board_read(self, message: BoardRead) -> None:
        self.reads += 1
        status = self.query_one("#status", Static)
        if message.board is None:
            kept = " (the board shown is the last one read)" if self.board else ""
            show(status, Text(f"{message.error}{kept} Trying again…", style="bold red"))
            return
        self.board = message.board
        show(self.query_one("#board", Static), Text("\n".join(message.board.lines())))
        read_at = message.board.local(message.board.at, "%H:%M:%S")
        show(status, Text(f"Read at {read_at} · {self.how} · q quits"))
