"""Script tools inside the session: the objection finder (``/``) and the intro email (``m``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import events
from textual.screen import Screen

from dialsmile.core.models import LeadView
from dialsmile.core.scripts import Objection, Script, merge_fields
from dialsmile.core.session import CallSession
from dialsmile.ui.format import script_blocks
from dialsmile.ui.widgets.objection_finder import ObjectionFinder
from dialsmile.ui.widgets.script_panel import ScriptPanel

if TYPE_CHECKING:
    from dialsmile.ui.screens.modals import CallbackScreen


Filled = tuple[Script | None, tuple[str, ...], Objection | None]
"""What a script panel's words are filled from: the script, its fields' values, the highlight."""


def _same(a: Filled, b: Filled) -> bool:
    return all(x is y or x == y for x, y in zip(a, b, strict=True))


def intro_email_path(folder: str, lead_id: int) -> Path:
    """Where ``m`` writes a lead's intro email: ``intro-email-<id>.txt`` in ``folder`` (or here)."""
    base = Path(folder).expanduser() if folder else Path.cwd()
    return base / f"intro-email-{lead_id}.txt"


class ScriptTools(Screen[None]):
    """Session-screen behaviour for the script panel: find an objection, send the intro email."""

    session: CallSession
    rep_zone: str
    message: str
    found: tuple[int, Objection] | None = None
    script_for: int | None = None  # the lead whose script the panel shows
    # What the panel's words were filled from: the script, its fields' values, the highlight.
    script_filled: Filled | None = None
    script_ready: tuple[Filled, list[Text]] | None = None  # blocks filled ahead (prepare_script)
    callback_box: CallbackScreen | None = None  # the last callback screen opened

    def action_callback(self) -> None:
        raise NotImplementedError

    def _render_lead(self) -> None:
        raise NotImplementedError

    def _fields(self, lead: LeadView | None) -> dict[str, str]:
        settings = self.session.settings
        return merge_fields(lead, settings.rep_name, settings.rep_company)

    def render_script(self, lead: LeadView | None) -> None:
        """Fill the script panel for ``lead``, highlighting the objection found for it.

        A new lead's script starts at the top, wherever the last one was scrolled.
        """
        filled, fields = self._words(lead)
        script, _, highlight = filled
        lead_id = lead.id if lead is not None else None
        panel = self.query_one(ScriptPanel)
        if self.script_filled is not None and _same(filled, self.script_filled):
            # The same words as on screen: nothing to fill or repaint, only scroll home.
            if lead_id != self.script_for:
                panel.home()
            self.script_for = lead_id
            return
        ready = self.script_ready
        if ready is not None and _same(filled, ready[0]):
            blocks, self.script_ready = ready[1], None
        else:
            blocks = script_blocks(script, fields, highlight)
        focus = None
        if highlight is not None:
            marker = f'"{highlight.prompt}"\n'
            focus = next((i for i, b in enumerate(blocks) if b.plain.startswith(marker)), None)
        panel.show(blocks, focus, home=lead_id != self.script_for)
        self.script_for = lead_id
        self.script_filled = filled

    def _words(self, lead: LeadView | None) -> tuple[Filled, dict[str, str]]:
        """What the panel's words for ``lead`` are filled from, and its fields' values."""
        highlight = None
        if lead is not None and self.found is not None and self.found[0] == lead.id:
            highlight = self.found[1]
        script, fields = self.session.script, self._fields(lead)
        return (script, script.filled_by(fields) if script else (), highlight), fields

    def prepare_script(self, lead: LeadView) -> None:
        """Fill the script's blocks for ``lead`` (the lead read ahead) while the rep is on
        the one before, so showing it only paints them; nothing when they read the same."""
        filled, fields = self._words(lead)
        if self.script_filled is None or not _same(filled, self.script_filled):
            self.script_ready = (filled, script_blocks(filled[0], fields, filled[2]))

    def intro_line(self, lead: LeadView) -> Text:
        """``Intro email sent ...`` for the card, or nothing."""
        sent = self.session.intro_email_sent_at(lead.id)
        if sent is None:
            return Text()
        local = sent.astimezone(ZoneInfo(self.rep_zone))
        return Text(f"✉ Intro email sent {local:%a %d %b %H:%M}\n", style="green")

    def action_find_objection(self) -> None:
        """Open the objection finder under the panels."""
        if self.session.current is None:
            return
        self.query_one(ObjectionFinder).open(self.session.script)

    def on_key(self, event: events.Key) -> None:
        # A fast typist's "/budg" or "c in 2h" arrives before the box has
        # focus, and bindings run after every queued key has been seen here.
        # So "/" and "c" open their box here, and the keys after them go into
        # it, never to an outcome binding.
        finder = self.query_one(ObjectionFinder)
        callback = self.callback_box
        if callback is not None and not callback.ready:
            callback.type_ahead(event.key, event.character)
        elif finder.is_open and event.is_printable and event.character:
            finder.type(event.character)
        elif event.key == "slash" and not finder.is_open:
            self.action_find_objection()
        elif event.key == "c" and not finder.is_open and self.session.current is not None:
            self.action_callback()
        else:
            return
        event.stop()
        event.prevent_default()

    def on_objection_finder_selected(self, event: ObjectionFinder.Selected) -> None:
        offer = self.session.current
        if offer is None:
            return
        self.found = (offer.lead.id, event.objection) if event.objection else None
        self.render_script(offer.lead)

    def on_objection_finder_closed(self, event: ObjectionFinder.Closed) -> None:
        self.set_focus(None)

    def action_intro_email(self) -> None:
        """Copy the filled intro email to the clipboard, save it to a file, mark it sent."""
        offer = self.session.current
        script = self.session.script
        if offer is None:
            return
        email = script.intro_email() if script is not None else None
        if script is None or email is None:
            self.message = "This script has no # Intro email section with a Subject: line."
            self._render_lead()
            return
        lead = offer.lead
        fields = self._fields(lead)
        head = f"To: {lead.email}\n" if lead.email else ""
        text = (
            f"{head}Subject: {script.fill(email.subject, fields)}\n\n"
            f"{script.fill(email.body, fields)}\n"
        )
        self.app.copy_to_clipboard(text)
        path = intro_email_path(self.session.settings.intro_email_dir, lead.id)
        from dialsmile.io.export import write_private

        try:
            write_private(path, text)
            saved = f" and saved to {path}"
        except OSError as exc:
            saved = f"; could not save {path}: {exc.strerror or exc}"
        self.session.mark_intro_email_sent(lead.id)
        no_address = "" if lead.email else " (no email address on file)"
        self.message = f"Intro email copied to the clipboard{saved}{no_address}."
        self._render_lead()
