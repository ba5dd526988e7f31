"""The last resort for an error nobody foresaw: the user reads Vietnamese and a reference to
quote, the server's log keeps the traceback under that reference. Never English, never a
server path on screen (`client.showErrorDetails = "none"` covers what runs outside a page).

`PLANNER_DEBUG=1` lets the error through as Streamlit shows it (the tests set it, so a page
that breaks fails its test instead of passing behind this message)."""

from __future__ import annotations

import logging
import os
import uuid
from typing import Protocol

import streamlit as st

LOG = logging.getLogger("soan_ke_hoach")


class _Page(Protocol):
    def run(self) -> None: ...


def crash_message(reference: str) -> str:
    return (
        "Đã xảy ra lỗi ngoài dự kiến nên trang này chưa hiện được. Những gì đã lưu trước đó vẫn "
        f"còn nguyên. Hãy tải lại trang; nếu lỗi lặp lại, báo cho người quản trị mã lỗi "
        f"**{reference}**."
    )


def run_guarded(page: _Page) -> None:
    """Run the page; an unexpected error becomes a Vietnamese message with a reference."""
    if os.environ.get("PLANNER_DEBUG") == "1":
        page.run()
        return
    try:
        page.run()
    except Exception:  # every unforeseen error: logged with its traceback, shown in Vietnamese
        reference = uuid.uuid4().hex[:8].upper()
        LOG.exception("Lỗi ngoài dự kiến, mã %s", reference)
        st.error(crash_message(reference), icon=":material/error:")
