"""Trình chiếu: the plan's key figures and charts, one large screen at a time, read only."""

from __future__ import annotations

from html import escape

import streamlit as st

from components import state
from components.charts_panel import chart_specs, previous_for, show_chart
from planner.progress.tasks import fmt_date, summarize

st.html(
    """
<style>
/* projector: big type, no chrome, no sidebar (the exit link leads back) */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 3.5rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 3.6rem !important; line-height: 1.1; }
[data-testid="stMetricLabel"] p { font-size: 1.6rem !important; }
.meeting-title { font-size: 2.6rem; font-weight: 700; line-height: 1.25; margin: 0 0 .4rem 0; }
.meeting-sub { font-size: 1.5rem; color: #333; margin-bottom: 1.2rem; }
.meeting-page { font-size: 1.3rem; color: #444; text-align: center; }
table.meeting-late { width: 100%; border-collapse: collapse; font-size: 1.45rem; }
table.meeting-late th { text-align: left; border-bottom: 3px solid #000; padding: .4rem .6rem;
  white-space: nowrap; }
table.meeting-late td { border-bottom: 1px solid #bbb; padding: .45rem .6rem; vertical-align: top; }
table.meeting-late td.due { color: #B33F00; font-weight: 700; white-space: nowrap; }
</style>
"""
)

stored = state.require_plan()
plan = stored.plan
today = state.today()
summary = summarize(plan.tasks, today)
charts = [c for c in chart_specs(plan, today, previous_for(plan)) if not c.empty]
overdue = sorted(
    (t for t in plan.tasks if t.is_overdue(today)), key=lambda t: (t.due or today, t.title)
)
slides = ["figures", *(["overdue"] if overdue else []), *(c.key for c in charts)]
by_key = {c.key: c for c in charts}
MAX_OVERDUE_ROWS = 8


def _move(step: int) -> None:
    state.put(state.MEETING_SLIDE, int(state.get(state.MEETING_SLIDE, 0)) + step)


index = max(0, min(int(state.get(state.MEETING_SLIDE, 0)), len(slides) - 1))
state.put(state.MEETING_SLIDE, index)

exit_col, prev_col, page_col, next_col = st.columns([2, 2, 4, 2], vertical_alignment="center")
exit_col.page_link("views/progress.py", label="Thoát trình chiếu", icon=":material/close:")
prev_col.button(
    "Trang trước",
    icon=":material/arrow_back:",
    disabled=index == 0,
    width="stretch",
    on_click=_move,
    args=(-1,),
)
page_col.html(f'<div class="meeting-page">Trang {index + 1}/{len(slides)}</div>')
next_col.button(
    "Trang sau",
    icon=":material/arrow_forward:",
    icon_position="right",
    disabled=index >= len(slides) - 1,
    width="stretch",
    on_click=_move,
    args=(1,),
)

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
elif slides[index] == "overdue":
    st.html(
        f'<div class="meeting-title">Công việc quá hạn ({len(overdue)})</div>'
        f'<div class="meeting-sub">Tính đến ngày {fmt_date(today)}, hạn sớm nhất trước</div>'
    )
    body = "".join(
        "<tr>"
        f"<td>{escape(t.title if len(t.title) <= 110 else t.title[:107] + '…')}</td>"
        f"<td>{escape(t.lead)}</td>"
        f'<td class="due">{fmt_date(t.due)}</td>'
        f"<td>{t.progress}%</td>"
        "</tr>"
        for t in overdue[:MAX_OVERDUE_ROWS]
    )
    more = (
        f'<div class="meeting-sub">… và {len(overdue) - MAX_OVERDUE_ROWS} công việc khác '
        "(xem trang Tiến độ).</div>"
        if len(overdue) > MAX_OVERDUE_ROWS
        else ""
    )
    st.html(
        '<table class="meeting-late"><thead><tr><th>Công việc</th><th>Đơn vị chủ trì</th>'
        f"<th>Hạn</th><th>Hoàn thành</th></tr></thead><tbody>{body}</tbody></table>{more}"
    )
else:
    show_chart(by_key[slides[index]])
