"""Typing is never lost: the editor's text boxes are saved while the user types.

Streamlit's `st.text_area`/`st.text_input` send their value only on blur or Ctrl+Enter, so a
tab closed (or a laptop lid shut) right after typing used to lose the text. `autosave()`
puts a small script in the page (once per browser page, see `autosave.js`) that commits the
editor's boxes (widget keys starting with `editor_session.key`'s "ed.") after `IDLE_MS` of
no typing, and every pending one when the page is closed or hidden (on `beforeunload`, while
the connection is still open: `tests/e2e/test_typing_kept.py`); the widgets' own
`on_change` callbacks then save the text as a version, as a blur does.

`focus(key)` is its companion for an editor that answers: a section or block just added is
scrolled into view with the caret in its text box.
"""

from __future__ import annotations

import json
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


_FOCUS_JS = """
<script>
(() => {
  // Scroll the widget whose key is KEY into the middle of the view and put the caret in it
  // (the text selected, so typing replaces a placeholder such as "Mục mới").
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const cls = "st-key-" + __KEY__.trim().replace(/[^a-zA-Z0-9_-]/g, "-");
  let tries = 0;
  const go = () => {
    const box = doc.querySelector(`.${cls} textarea, .${cls} input`);
    if (!box) { if (++tries < 60) setTimeout(go, 100); return; }
    box.scrollIntoView({ block: "center" });
    box.focus({ preventScroll: true });
    try { box.select(); } catch (e) { /* not a text box */ }
    doc.documentElement.dataset.planFocused = __KEY__;
  };
  go();
})();
</script>
"""


def focus_script(widget_key: str) -> str:
    """A script that scrolls the widget with key `widget_key` into view and focuses it."""
    return _FOCUS_JS.replace("__KEY__", json.dumps(widget_key))


def focus(widget_key: str) -> None:
    """Bring the widget with key `widget_key` into view with the caret in it (once: the
    caller draws this only on the run after the action that created the widget)."""
    st.html(focus_script(widget_key), unsafe_allow_javascript=True)
