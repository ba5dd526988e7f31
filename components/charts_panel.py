"""The progress charts on screen, each with PNG and SVG downloads.

Chart specs are built once per plan content and day (cached), so a rerun of the page does not
rebuild them; images are rendered only when a download button is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from components.safe_text import md_escape
from planner.errors import PlannerError
from planner.model import Plan, plan_from_json, plan_to_json
from planner.progress.charts import all_charts, chart_png, chart_svg, slide_size


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    spec: dict[str, Any]
    empty: bool


@st.cache_data(show_spinner=False, max_entries=16)
def _specs(
    plan_json: str, today_iso: str, previous_json: str | None, today_label: str = "Hôm nay"
) -> list[ChartSpec]:
    plan = plan_from_json(plan_json)
    previous = plan_from_json(previous_json) if previous_json else None
    charts = all_charts(plan, date.fromisoformat(today_iso), previous, today_label=today_label)
    return [ChartSpec(c.key, c.title, c.chart.to_dict(), c.empty) for c in charts]


def chart_specs(
    plan: Plan, today: date, previous: Plan | None = None, today_label: str = "Hôm nay"
) -> list[ChartSpec]:
    """The plan's charts as Vega-Lite dicts, counted to `today` (its line and subtitle
    labelled `today_label`: "Tính đến" when it is not the real today); cached."""
    prev = plan_to_json(previous) if previous is not None else None
    return _specs(plan_to_json(plan), today.isoformat(), prev, today_label)


@st.cache_data(show_spinner=False, max_entries=8)
def _slide_specs(
    plan_json: str, as_of_iso: str, previous_json: str | None, width: int, height: int
) -> list[ChartSpec]:
    plan = plan_from_json(plan_json)
    previous = plan_from_json(previous_json) if previous_json else None
    as_of = date.fromisoformat(as_of_iso)
    size = slide_size(width, height)
    charts = all_charts(plan, as_of, previous, size=size, today_label="Tính đến")
    return [ChartSpec(c.key, c.title, c.chart.to_dict(), c.empty) for c in charts]


def slide_chart_specs(
    plan: Plan, as_of: date, previous: Plan | None, width: int, height: int
) -> list[ChartSpec]:
    """The plan's charts filling a slide of `width` × `height` px, as of `as_of` (cached)."""
    prev = plan_to_json(previous) if previous is not None else None
    return _slide_specs(plan_to_json(plan), as_of.isoformat(), prev, width, height)


def show_chart(spec: ChartSpec) -> None:
    """A page's chart: as wide as its container (the spec's width is "container")."""
    st.vega_lite_chart(
        spec.spec,
        theme=None,  # keep the charts' own large fonts and colour-blind-safe colours
        width="stretch",
    )


def _png(spec: dict[str, Any]) -> bytes:
    try:
        return chart_png(spec, scale=2)
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return b""


def charts_panel(
    plan: Plan,
    today: date,
    previous: Plan | None = None,
    *,
    key: str = "charts",
    today_label: str = "Hôm nay",
) -> None:
    """Every chart counted to `today` (labelled `today_label`), one under the other, with
    its download buttons."""
    with st.spinner("Đang vẽ biểu đồ…"):  # the first time for this content and day
        specs = chart_specs(plan, today, previous, today_label)
    stem = f"bieu-do-{plan.meta.year}"
    for spec in specs:
        with st.container(border=True):
            show_chart(spec)
            if spec.empty:
                continue
            png, svg, _ = st.columns([2, 2, 6])
            png.download_button(
                "Tải ảnh PNG",
                data=lambda s=spec.spec: _png(s),
                file_name=f"{stem}-{spec.key}.png",
                mime="image/png",
                key=f"{key}.png.{spec.key}",
                icon=":material/image:",
                on_click="ignore",
            )
            svg.download_button(
                "Tải ảnh SVG",
                data=lambda s=spec.spec: chart_svg(s),
                file_name=f"{stem}-{spec.key}.svg",
                mime="image/svg+xml",
                key=f"{key}.svg.{spec.key}",
                icon=":material/draw:",
                on_click="ignore",
            )


def previous_for(plan: Plan) -> Plan | None:
    """Last year's plan when this one was rolled over from a stored plan (else None; a plan
    dict kept in `extra["previous_plan"]` is read by planner.progress.charts itself)."""
    from components import state

    prev_id = plan.extra.get("previous_plan_id")
    if not isinstance(prev_id, str) or not prev_id:
        return None
    try:
        return state.get_store().open(prev_id).plan
    except PlannerError:
        return None
