"""Work started in its own thread: its future result, and whether it is still working."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


class Working(Future[T]):
    """The future of ``work`` run in a thread started now, which can tell computing from
    waiting: the thread's CPU time grows only while it computes, not while it waits
    for a disk, a server or a lock. Where the platform has no per-thread CPU clock,
    the work never counts as computing.
    """

    def __init__(self, work: Callable[[], T], name: str) -> None:
        super().__init__()
        self._clock: int | None = None  # set by the thread as it starts
        threading.Thread(target=self._run, args=(work,), name=name, daemon=True).start()

    def _run(self, work: Callable[[], T]) -> None:
        clock_of = getattr(time, "pthread_getcpuclockid", None)
        if clock_of is not None:
            self._clock = clock_of(threading.get_ident())
        try:
            result = work()
        except BaseException as exc:  # the caller words it
            self.set_exception(exc)
        else:
            self.set_result(result)

    def cpu_s(self) -> float | None:
        """CPU seconds the thread has used so far; None before it starts, once it has
        ended, or where the platform cannot tell."""
        if self._clock is None or self.done():
            return None
        try:
            return time.clock_gettime(self._clock)
        except OSError:  # the thread ended meanwhile
            return None
