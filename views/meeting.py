"""Trình chiếu: the plan for a meeting, one slide at a time, read only.

Arrow keys, PageUp/PageDown, space (or a presenter's clicker) move between slides, F or
*Toàn màn hình* fills the screen; *Tính đến* is the date the figures are counted to.
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.charts_panel import previous_for
from components.slides import SLIDE_CSS, deck_for, presenter_keys, show_slide
from planner.progress.as_of import default_as_of, plan_period

st.html(SLIDE_CSS)

stored = state.require_plan()
plan = stored.plan
first, last = plan_period(plan.meta.year, state.today())


def _move(step: int) -> None:
    state.put(state.MEETING_SLIDE, int(state.get(state.MEETING_SLIDE, 0)) + step)


with st.container(key="meeting_bar"):
    bar = st.columns([2.5, 2, 1.4, 2, 1.2, 2, 2.3], vertical_alignment="center", gap="small")
    bar[0].page_link("views/progress.py", label="Thoát trình chiếu", icon=":material/close:")
    bar[4].html('<p style="text-align:right;margin:0;white-space:nowrap">Tính đến</p>')
    as_of = bar[5].date_input(
        "Tính đến ngày",
        value=default_as_of(plan.meta.year, state.today()),
        min_value=first.replace(year=first.year - 1),
        max_value=last.replace(year=last.year + 1),
        format="DD/MM/YYYY",
        key=state.meeting_as_of_key(stored.id),
        label_visibility="collapsed",
        help="Ngày tính tiến độ: hôm nay nếu đang trong năm của kế hoạch, "
        "nếu không là ngày cuối năm của kế hoạch.",
    )
    with bar[6]:
        viewport = presenter_keys()
as_of = as_of or default_as_of(plan.meta.year, state.today())  # a cleared box: the default

slides = deck_for(plan, as_of, previous_for(plan), viewport)
index = max(0, min(int(state.get(state.MEETING_SLIDE, 0)), len(slides) - 1))
state.put(state.MEETING_SLIDE, index)
bar[1].button(
    "Trang trước",
    icon=":material/arrow_back:",
    disabled=index == 0,
    width="stretch",
    on_click=_move,
    args=(-1,),
    key=state.MEETING_PREV,
)
bar[2].html(
    f'<p class="meeting-page" data-slide="{slides[index].slug}" '
    f'style="text-align:center;margin:0">Trang {index + 1}/{len(slides)}</p>'
)
bar[3].button(
    "Trang sau",
    icon=":material/arrow_forward:",
    icon_position="right",
    disabled=index >= len(slides) - 1,
    width="stretch",
    on_click=_move,
    args=(1,),
    key=state.MEETING_NEXT,
)

show_slide(slides[index], plan, as_of)
