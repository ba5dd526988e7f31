"""Xuất văn bản: whether the plan is ready to sign, preview, build and download the ND30
document (a draft carries DỰ THẢO); check any .docx's thể thức.

The page lays out `components/export_document.py`'s panels beside the preview."""

from __future__ import annotations

import streamlit as st

from components import state
from components.export_document import (
    check_other_panel,
    download_panel,
    options_panel,
    readiness_of,
    readiness_panel,
    schedule_of,
)
from components.review_panel import approval_note, readiness_with_comments
from components.safe_text import md_escape
from planner.docx.preview import preview_html
from planner.model import Plan

st.title("Xuất văn bản")
state.show_conflict()
stored = state.require_plan()
plan: Plan = stored.plan
today = state.today()
st.caption(
    f"{md_escape(stored.title)} · văn bản Word theo thể thức Nghị định 30/2020/NĐ-CP, "
    "kiểm tra trước khi tải về"
)
approval_note(stored)  # server mode: Đã duyệt bởi … lúc …
readiness = readiness_with_comments(stored, readiness_of(plan, today))  # + open góp ý
readiness_panel(plan, readiness)
options = options_panel(plan)
rows = schedule_of(plan, options)

tab_doc, tab_check = st.tabs(["Văn bản của kế hoạch", "Kiểm tra thể thức văn bản khác"])
with tab_doc:
    left, right = st.columns([2, 1], gap="large")
with tab_doc, right:
    download_panel(stored, today, options, rows, readiness)
with tab_doc, left:
    st.subheader("Xem trước")
    st.html(preview_html(plan, schedule_rows=rows))
with tab_check:
    check_other_panel()
