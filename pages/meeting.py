"""Trình chiếu: the plan's key figures and charts, one large screen at a time, read only."""

from __future__ import annotations

from html import escape

import streamlit as st

from components import state
from components.charts_panel import chart_specs, previous_for, show_chart
from planner.tasks import fmt_date, summarize

_SLIDE = "meeting.slide"

st.html(
    """
<style>
/* projector: big type, no chrome */
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 4.2rem !important; line-height: 1.1; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
.meeting-title { font-size: 2.6rem; font-weight: 700; line-height: 1.25; margin: 0 0 .4rem 0; }
.meeting-sub { font-size: 1.5rem; color: #333; margin-bottom: 1.2rem; }
.meeting-page { font-size: 1.3rem; color: #444; text-align: center; }
</style>
"""
)

stored = state.require_plan()
plan = stored.plan
today = state.today()
summary = summarize(plan.tasks, today)
charts = [c for c in chart_specs(plan, today, previous_for(plan)) if not c.empty]
slides = ["figures", *(c.key for c in charts)]
index = min(int(st.session_state.get(_SLIDE, 0)), len(slides) - 1)

prev_col, page_col, next_col = st.columns([2, 6, 2], vertical_alignment="center")
if prev_col.button(
    "Trang trước", icon=":material/arrow_back:", disabled=index == 0, width="stretch"
):
    index -= 1
if next_col.button(
    "Trang sau",
    icon=":material/arrow_forward:",
    icon_position="right",
    disabled=index >= len(slides) - 1,
    width="stretch",
):
    index += 1
st.session_state[_SLIDE] = index
page_col.html(f'<div class="meeting-page">Trang {index + 1}/{len(slides)}</div>')

if slides[index] == "figures":
    authority = escape(plan.meta.authority.upper())
    title = escape(f"{plan.meta.doc_type.capitalize()}: {plan.title}")
    st.html(
        f'<div class="meeting-sub">{authority}</div>'
        f'<div class="meeting-title">{title}</div>'
        f'<div class="meeting-sub">Tình hình thực hiện đến ngày {fmt_date(today)}</div>'
    )
    if not plan.tasks:
        st.info("Kế hoạch chưa có công việc nào; hãy lập danh sách ở trang Tiến độ.")
    row1 = st.columns(3)
    row1[0].metric("Tổng số công việc", summary.total, border=True)
    row1[1].metric("Hoàn thành", summary.done, border=True)
    row1[2].metric("Đang thực hiện", summary.in_progress, border=True)
    row2 = st.columns(3)
    row2[0].metric("Chưa bắt đầu", summary.planned, border=True)
    row2[1].metric("Quá hạn", summary.overdue, border=True)
    row2[2].metric("Tiến độ trung bình", f"{summary.mean_progress:.0f}%", border=True)
else:
    chart = charts[index - 1]
    show_chart(chart, stretch=True)
