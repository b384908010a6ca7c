"""Practice: say the answer out loud, compare with the model, mark how it went."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from dialsmile.core.practice import PracticeRun, Step
from dialsmile.text import clock_text
from dialsmile.ui.text import lit


class PracticeScreen(Screen[None]):
    """One objection (or part of the call) at a time, with a timer per answer."""

    DEFAULT_CSS = """
    PracticeScreen { layout: vertical; }
    #practice-header { height: 1; background: $primary; color: $text; text-style: bold; }
    #prompt { height: auto; border: round $secondary; padding: 0 1; }
    #model-scroll { height: 1fr; border: round $primary; padding: 0 1; }
    #practice-keys { height: 1; color: $text-muted; padding: 0 1; }
    #practice-tally { height: 1; background: $boost; padding: 0 1; }
    """

    BINDINGS = [
        Binding("space", "reveal", "Compare", id="reveal"),
        Binding("n", "mark('nailed')", "Nailed it", id="nailed"),
        Binding("m", "mark('missed')", "Missed it", id="missed"),
        Binding("s", "mark('skipped')", "Skip", id="skip"),
        Binding("r", "again", "Again", show=False, id="again"),
        Binding("q,escape", "end", "End", id="end"),
    ]

    def __init__(self, new_run: Callable[[], PracticeRun], timer: Callable[[], float]) -> None:
        super().__init__()
        self.new_run = new_run
        self.timer = timer
        self.run = new_run()
        self.started = timer()
        self.answered_in: float | None = None
        self.finished = False
        self.hint = ""

    def compose(self) -> ComposeResult:
        yield Static(id="practice-header")
        yield Static(id="prompt")
        with VerticalScroll(id="model-scroll"):
            yield Static(id="model")
        yield Static(id="practice-keys")
        yield Static(id="practice-tally")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#prompt", Static).border_title = "Prospect"
        self.query_one("#model-scroll", VerticalScroll).border_title = "Model answer"
        self._show()
        self.set_interval(0.5, self._render_header)

    # Rendering

    def _elapsed(self) -> float:
        if self.answered_in is not None:
            return self.answered_in
        return self.timer() - self.started

    def _render_header(self) -> None:
        run = self.run
        text = Text(" Practice · ")
        text.append_text(lit(run.script.label))
        kind = "full call" if run.drill == "call" else "objections"
        if self.finished or run.done:
            text.append(f" · {kind} · done")
        else:
            text.append(f" · {kind} · {run.index + 1} of {len(run.steps)}")
            text.append(f"   {clock_text(self._elapsed())}", style="bold")
        self.query_one("#practice-header", Static).update(text)

    def _show(self) -> None:
        self._render_header()
        prompt = self.query_one("#prompt", Static)
        model = self.query_one("#model", Static)
        keys = self.query_one("#practice-keys", Static)
        step = self.run.current
        if self.finished or step is None:
            self._show_summary()
            return
        prompt.border_title = "Prospect" if step.kind == "objection" else "Your turn"
        prompt.update(self._prompt_text(step))
        scroll = self.query_one("#model-scroll", VerticalScroll)
        scroll.border_title = "Model answer" if step.kind == "objection" else f"Model {step.title}"
        if self.answered_in is None:
            model.update(Text("Hidden until you press space.", style="dim italic"))
            keys.update(Text("[space] compare with the model · [s] skip · [q] end"))
        else:
            model.update(lit(step.model))
            keys.update(Text("Did you get it? [n] nailed it · [m] missed it · [s] skip · [q] end"))
        scroll.scroll_home(animate=False)
        self._render_tally()

    def _prompt_text(self, step: Step) -> Text:
        text = Text()
        if step.kind == "objection":
            text.append_text(lit(f'"{step.title}"', "bold yellow"))
        else:
            text.append_text(lit(step.title, "bold"))
        text.append("\n")
        text.append(step.cue + " ")
        text.append("Then press space to compare.", style="dim")
        if self.hint:
            text.append("\n" + self.hint, style="italic yellow")
        return text

    def _render_tally(self) -> None:
        run = self.run
        self.query_one("#practice-tally", Static).update(
            Text(
                f" Nailed {run.count('nailed')} · missed {run.count('missed')} · "
                f"skipped {run.count('skipped')} · practice is never counted as calls"
            )
        )

    def _show_summary(self) -> None:
        run = self.run
        prompt = self.query_one("#prompt", Static)
        prompt.border_title = "Practice done"
        text = Text(run.verdict(), style="bold")
        text.append((" " if text else "") + run.summary()[0])
        prompt.update(text)
        scroll = self.query_one("#model-scroll", VerticalScroll)
        scroll.border_title = "Summary"
        self.query_one("#model", Static).update(Text("\n".join(run.summary()[1:]) or "—"))
        self.query_one("#practice-keys", Static).update(Text("[r] another round · [q] quit"))
        self._render_tally()
        self._render_header()

    # Actions

    def action_reveal(self) -> None:
        if self.finished or self.run.done or self.answered_in is not None:
            return
        self.answered_in = self.timer() - self.started
        self.hint = ""
        self._show()

    def action_mark(self, result: str) -> None:
        if self.finished or self.run.done:
            return
        if result != "skipped" and self.answered_in is None:
            self.hint = "Say it out loud first, then press space to compare."
            self._show()
            return
        self.run.mark(result, self._elapsed())
        self.answered_in = None
        self.hint = ""
        self.started = self.timer()
        self._show()

    def action_again(self) -> None:
        if not (self.finished or self.run.done):
            return
        self.run = self.new_run()
        self.finished = False
        self.answered_in = None
        self.started = self.timer()
        self._show()

    def action_end(self) -> None:
        if self.finished or self.run.done:
            self.app.exit()
            return
        self.finished = True
        self._show()
