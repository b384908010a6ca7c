"""The momentum coach inside a session: the stats bar, the break and the summary.

``MomentumPanel`` keeps today's numbers current from the session's own
outcomes (today's totals are read once, when the session starts), so the
per-key path never reads the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from dialsmile.core.coach import Coach, break_text
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.core.stats import Attempt, Momentum
from dialsmile.ui.widgets.stats_bar import BarState, StatsBar


class MomentumPanel:
    """Keeps the stats bar, the break screen and the summary in step with a session."""

    def __init__(self, screen: Screen[None], session: CallSession, zone: str) -> None:
        self.screen = screen
        self.session = session
        self.zone = zone
        now = session.clock.now()
        self.resumed = now
        self.coach = Coach.load()
        self.momentum = Momentum(
            zone,
            now,
            session.history(zone),
            session.attempts(),
            goal=session.settings.daily_goal,
            callers=session.settings.caller_numbers,
        )
        self.message = self.coach.problem
        self.nudges = 0
        self._was_idle = False
        session.caller = self.momentum.caller()

    # The per-key path: memory only

    def add(self, attempt: Attempt) -> None:
        """Count an attempt that was just saved (as ``CallSession.record`` returned it),
        and say something about it."""
        self.momentum.roll_over(attempt.ended_at)
        self.momentum.add(attempt)
        self.message = self.coach.after(Outcome(attempt.outcome), self.momentum)
        self.session.caller = self.momentum.caller()

    def undo(self) -> None:
        """The session's last outcome was taken back."""
        self.momentum.undo()
        self.message = self.coach.say("undo", 0, {})
        self.session.caller = self.momentum.caller()

    def paused(self, seconds: float) -> None:
        """A break of ``seconds`` ended."""
        self.momentum.add_pause(seconds)
        self.resumed = self.session.clock.now()

    def render(self) -> None:
        """Redraw the stats bar."""
        s = self.session
        now = s.clock.now()
        if self.momentum.roll_over(now):
            self.message = ""
        today = self.momentum.today
        last = today.last_dial_at
        idle_since = max(last, self.resumed) if last is not None else self.resumed
        if s.chunk_done and s.current is None:
            done = size = s.chunk_size
        else:
            done, size = s.position - 1, s.chunk_length
        bar = self.screen.query_one("#stats", StatsBar)
        state = BarState(
            now=now,
            zone=self.zone,
            chunk_done=done,
            chunk_size=size,
            idle_since=idle_since if s.current is not None else None,
            on_call_since=s.dialed_at,
            idle_minutes=s.settings.idle_minutes,
            message=self.message,
            nudge=self.coach.idle(self.nudges, self.momentum),
        )
        bar.show(self.momentum, state)
        if bar.idle and not self._was_idle:
            self.nudges += 1
        self._was_idle = bar.idle

    # Between chunks and at the end

    def show_break(self, next_chunk: Callable[[], None], quit_now: Callable[[], None]) -> None:
        """The break screen after a chunk: [enter] next chunk, [E] the summary, [q] quit."""
        s = self.session
        done = s.chunk - 1 if s.chunk_done else s.chunk
        self.render()
        lines, minutes = break_text(self.momentum, done, s.chunks)
        text = Text(lines[0] + "\n", style="bold")
        for line in lines[1:]:
            text.append(line + "\n", style="italic" if line.startswith('"') else "")
        text.append(f"Take {minutes} minutes: stand up, stretch, drink some water.", style="bold")
        text.append(f"\n{self.coach.say('chunk', done, {})}", style="dim")

        def chosen(choice: str | None) -> None:
            if choice == "end":
                self.end_session(on_back=next_chunk)
            elif choice == "quit":
                quit_now()
            else:
                self.resumed = s.clock.now()
                next_chunk()

        from dialsmile.ui.screens.modals import BreakScreen

        self.screen.app.push_screen(BreakScreen(text), chosen)

    def end_session(self, on_back: Callable[[], None] | None = None) -> None:
        """Show the session summary; [q] ends the session and quits, [esc] goes back."""
        s = self.session
        summary = s.summary(self.zone)
        if summary is None:
            return

        def chosen(choice: str | None) -> None:
            if choice == "quit":
                s.end()
                self.screen.app.exit()
            elif on_back is not None:
                on_back()

        from dialsmile.ui.screens.summary import SummaryScreen

        self.screen.app.push_screen(SummaryScreen(summary, self.zone, s.export), chosen)


class MomentumCommands(Provider):
    """Command palette entries of the momentum coach."""

    def _commands(self) -> Iterable[tuple[str, str, Callable[[], None]]]:
        screen = self.screen
        end = getattr(screen, "action_end_session", None)
        if callable(end):
            yield (
                "End session",
                "Show the session summary, export it, then quit",
                end,
            )

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
