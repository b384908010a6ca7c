"""Pictures of each session screen at 80x24 (update with --snapshot-update)."""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import MakeApp

SIZE = (80, 24)


def test_session_screen(snap_compare: Any, session_app: MakeApp) -> None:
    assert snap_compare(session_app(chunk=5), terminal_size=SIZE)


def test_help_screen(snap_compare: Any, session_app: MakeApp) -> None:
    assert snap_compare(session_app(), press=["question_mark"], terminal_size=SIZE)


def test_callback_prompt(snap_compare: Any, session_app: MakeApp) -> None:
    keys = ["c", *"tomorrow 3pm"]
    assert snap_compare(session_app(), press=keys, terminal_size=SIZE)


def test_why_panel(snap_compare: Any, session_app: MakeApp) -> None:
    assert snap_compare(session_app(), press=["w"], terminal_size=SIZE)


def test_nothing_callable(snap_compare: Any, session_app: MakeApp) -> None:
    assert snap_compare(session_app(now="2026-11-25T11:00:00+00:00"), terminal_size=SIZE)


def test_break_screen(snap_compare: Any, session_app: MakeApp) -> None:
    assert snap_compare(session_app(chunk=2), press=["n", "a"], terminal_size=SIZE)


def test_summary_screen(snap_compare: Any, session_app: MakeApp) -> None:
    keys = ["y", "n", "s", "c", *"tomorrow 3pm", "enter", "E"]
    assert snap_compare(session_app(chunk=10), press=keys, terminal_size=SIZE)
