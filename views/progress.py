"""Tiến độ: the plan's tasks (suggested, edited, filtered, added), figures, charts and units'
reports.

The page lays out components: `progress_tasks` (figures, suggestions, task grid and add form),
`charts_panel` and `progress_reports`. Figures, overdue marks and charts count to the plan's
"tính đến" date (`planner.progress.as_of.default_as_of`, as Trình chiếu does): today within
the plan's year, else that year's end (or start), so a past plan is not years overdue.
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.charts_panel import charts_panel, previous_for
from components.progress_reports import reports_panel
from components.progress_tasks import show_figures, show_flash, suggestions_panel, task_table
from components.safe_text import md_escape
from planner.model import Plan
from planner.progress.as_of import default_as_of
from planner.progress.tasks import fmt_date, summarize

st.title("Tiến độ thực hiện")
state.show_conflict()
stored = state.require_plan()
plan: Plan = stored.plan
today = state.today()
as_of = default_as_of(plan.meta.year, today)
epoch = state.widget_epoch()
head, link = st.columns([5, 1], vertical_alignment="center")
if as_of == today:
    counted = f"tính đến hôm nay, {fmt_date(today)}"
else:
    counted = (
        f"tính đến ngày {fmt_date(as_of)} ({'cuối' if as_of < today else 'đầu'} năm "
        f"{as_of.year} của kế hoạch; hôm nay là {fmt_date(today)})"
    )
head.caption(f"{md_escape(stored.title)} · số liệu của các công việc đã lưu, {counted}")
link.page_link("views/meeting.py", label="Trình chiếu", icon=":material/slideshow:")

show_figures(st.container(), summarize(plan.tasks, as_of))
show_flash()
suggestions_panel(plan, epoch)

tab_tasks, tab_charts, tab_reports = st.tabs(
    ["Danh sách công việc", "Biểu đồ", "Báo cáo của các đơn vị"]
)
with tab_tasks:
    task_table(stored, as_of, epoch)
with tab_charts:
    charts_panel(
        plan,
        as_of,
        previous_for(plan),
        key="progress.charts",
        today_label="Hôm nay" if as_of == today else "Tính đến",
    )
with tab_reports:
    reports_panel(stored)
