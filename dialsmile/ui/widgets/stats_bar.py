"""The momentum bar under the session: today's dials, goal, chunk, streak, the next yes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from dialsmile.core.phone import format_for_reading
from dialsmile.core.stats import (
    CALLER_LIMIT,
    Momentum,
    YesPace,
    hour_window,
    sparkline,
)
from dialsmile.text import plural
from dialsmile.ui.widgets import repaint

BAR = 8


def meter(share: float, width: int = BAR, style: str = "bold green") -> Text:
    """A bar of ``width`` cells, ``share`` (0..1) of them filled."""
    done = max(0, min(width, round(share * width)))
    text = Text("▰" * done, style=style)
    text.append("▱" * (width - done), style="dim")
    return text


def clock(delta: timedelta) -> str:
    """``m:ss``, or ``h:mm:ss`` past an hour."""
    seconds = max(int(delta.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{rest // 60}:{rest % 60:02d}"


def ago(delta: timedelta) -> str:
    """``just now`` under a minute, then ``4 min``, then ``1 h 05``."""
    minutes = max(int(delta.total_seconds()), 0) // 60
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"


def pace_text(pace: YesPace) -> str:
    """The yes estimate, counted down by each dial; past it, no number at all."""
    if pace.to_go:
        return f"~1 yes in {pace.per_yes} · ~{pace.to_go} to go"
    return f"~1 yes in {pace.per_yes} · each dial a fresh chance"


@dataclass(frozen=True)
class BarState:
    """What the bar shows besides the numbers: where the rep is and what was said."""

    now: datetime
    zone: str
    chunk_done: int
    chunk_size: int
    idle_since: datetime | None
    on_call_since: datetime | None = None
    idle_minutes: int = 5
    message: str = ""
    nudge: str = ""


class StatsBar(Static):
    """Three lines of momentum: counts, progress, and the next yes with a coach line."""

    DEFAULT_CSS = """
    StatsBar {
        height: 3;
        background: $boost;
        padding: 0 1;
    }
    """

    idle = False
    """True while the time since the last dial is past the idle setting."""

    def show(self, momentum: Momentum, state: BarState) -> None:
        """Redraw from the current numbers."""
        repaint.show(self, self.render_text(momentum, state))

    def render_text(self, momentum: Momentum, state: BarState) -> Text:
        """The bar's text (kept separate so it can be checked without a screen)."""
        today = momentum.today
        first = Text("Today ")
        first.append(plural(today.dials, "dial"), style="bold")
        first.append(
            f" · {plural(today.connects, 'connect')} · {today.yes} yes · {today.no} no"
            f" · {plural(today.hang_ups, 'hang-up')}"
        )
        per_hour = today.dials_per_hour
        first.append(f" · {per_hour:.0f}/h" if per_hour is not None else " · -/h")
        first.append(f" · streak {today.streak}", style="bold" if today.streak else "")

        second = Text("Goal ")
        goal = momentum.goal
        if goal:
            reached = today.dials >= goal
            second.append_text(meter(today.dials / goal, style="bold green" if reached else "cyan"))
            second.append(f" {today.dials}/{goal}")
        else:
            second.append("off", style="dim")
        second.append(" · Chunk ")
        size = max(state.chunk_size, 1)
        second.append_text(meter(state.chunk_done / size, style="magenta"))
        second.append(f" {state.chunk_done}/{size}")
        local_hour = state.now.astimezone(ZoneInfo(state.zone)).hour
        start, values = hour_window(today.by_hour, local_hour)
        if today.dials:
            second.append(f" · {start:02d}h ", style="dim")
            second.append(sparkline(values), style="cyan")
        self.idle = False
        if state.on_call_since is not None:
            second.append(
                f" · on call {clock(state.now - state.on_call_since)}", style="bold green"
            )
        elif state.idle_since is not None:
            waited = state.now - state.idle_since
            self.idle = waited >= timedelta(minutes=max(state.idle_minutes, 1))
            label = "last dial" if today.last_dial_at is not None else "ready"
            second.append(f" · {label} {ago(waited)}", style="bold yellow" if self.idle else "")

        pace = momentum.pace
        third = Text(pace_text(pace) + " ")
        third.append_text(meter(pace.banked / max(pace.per_yes, 1), style="green"))
        third.append(f" {pace.banked} banked")
        pick = momentum.caller()
        for load in momentum.callers():
            if load.number != pick:
                continue
            colour = {"ok": "", "near": "bold yellow", "over": "bold red"}[load.level]
            digits = "".join(c for c in format_for_reading(load.number) if c.isdigit())
            third.append(f" · from …{digits[-4:]} {load.dials}/{CALLER_LIMIT}", style=colour)
            if load.level != "ok":
                third.append(" slow down" if load.level == "near" else " rest it", style=colour)
        said = state.nudge if self.idle and state.nudge else state.message
        if said:
            third.append(" · ")
            third.append(said, style="italic yellow" if self.idle else "italic")
        out = Text("\n", no_wrap=True, overflow="ellipsis").join([first, second, third])
        out.no_wrap = True
        out.overflow = "ellipsis"
        return out
