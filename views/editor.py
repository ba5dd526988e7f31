"""Soạn kế hoạch: the header, the Căn cứ, the section tree beside last year's, the findings.

Every change is saved as a version at once (autosave); the version history restores any one.
"""

from __future__ import annotations

import streamlit as st

from components import editor_session as es
from components import state
from components.comments import section_comments
from components.findings_panel import findings_panel, findings_summary, review_bar
from components.header_form import bases_editor, closing_form, header_form, paragraphs_editor
from components.review_panel import review_panel
from components.safe_text import md_escape
from components.section_editor import section_editor
from planner.docx.preview import preview_html

VIEWS = {
    "content": "Nội dung các mục",
    "header": "Phần đầu và căn cứ",
    "closing": "Phần kết, nơi nhận, chữ ký",
    "findings": "Phát hiện cần xem",
}

st.title("Soạn kế hoạch")
state.show_conflict()
stored = state.require_plan()
state.show_load_notes(stored)
es.show_messages()
es.install_autosave()  # text boxes saved as typed, not only on leaving them
plan = es.working_plan(stored) or stored.plan

head, saved = st.columns([3, 2], vertical_alignment="bottom")
head.markdown(f"**{md_escape(stored.title)}** · năm {plan.meta.year or '(chưa ghi năm)'}")
saved.caption(f":material/cloud_done: {es.saved_status(stored)}")
review_bar(plan)
review_panel(stored, plan)  # server mode: Trình duyệt / Duyệt / Trả lại, góp ý

state.take_editor_goto()  # a link from Xuất văn bản's readiness list opens a given place
view = None
if es.writable():
    view = st.radio(
        "Phần đang soạn",
        list(VIEWS),
        format_func=VIEWS.__getitem__,
        horizontal=True,
        key=state.EDITOR_VIEW,
        label_visibility="collapsed",
    )
else:  # a store that cannot be written: the plan to read, no editing widgets
    st.info(es.read_only_note(), icon=":material/lock:")
    tab_doc, tab_found = st.tabs(["Văn bản (chỉ xem)", findings_summary(plan)])
    with tab_doc:
        st.html(preview_html(plan))
    with tab_found:
        findings_panel(plan)
if view == "content":
    section_editor(plan)
    section_comments(stored, plan)  # server mode: góp ý on this section's blocks
elif view == "header":
    st.subheader("Phần đầu văn bản")
    header_form(plan)
    st.subheader("Căn cứ")
    bases_editor(plan)
    paragraphs_editor(plan, "preamble")
elif view == "closing":
    paragraphs_editor(plan, "closing")
    closing_form(plan)
elif view == "findings":
    findings_panel(plan)

with st.expander("Lịch sử phiên bản", icon=":material/history:"):
    es.version_history(stored.id, plan)
