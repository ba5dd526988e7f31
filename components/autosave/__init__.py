"""Typing is never lost: the editor's text boxes are saved while the user types.

Streamlit's `st.text_area`/`st.text_input` send their value only on blur or Ctrl+Enter, so a
tab closed (or a laptop lid shut) right after typing used to lose the text. `autosave()`
puts a small script in the page (once per browser page, see `autosave.js`) that commits the
editor's boxes (widget keys starting with `editor_session.key`'s "ed.") after `IDLE_MS` of
no typing, and every pending one when the page is hidden or closed; the widgets' own
`on_change` callbacks then save the text as a version, as a blur does.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

IDLE_MS = 800  # a pause in typing this long commits the box
_JS = (Path(__file__).resolve().parent / "autosave.js").read_text(encoding="utf-8")


def autosave_script(idle_ms: int = IDLE_MS) -> str:
    """The script's HTML, with its idle time filled in."""
    return "<script>\n" + _JS.replace("__IDLE_MS__", str(int(idle_ms))) + "</script>"


def autosave() -> None:
    """Install the debounced save of the editor's text boxes in the page (idempotent)."""
    st.html(autosave_script(), unsafe_allow_javascript=True)
