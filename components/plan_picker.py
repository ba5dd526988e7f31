"""The sidebar's current-plan picker: which plan is open, and a quick switch."""

from __future__ import annotations

import streamlit as st

from components import state
from planner.errors import PlannerError


def sidebar_plan_picker() -> None:
    """Show the open plan in the sidebar and let the user switch to another saved plan."""
    try:
        plans = state.get_store().list_plans()
    except PlannerError as e:
        st.error(str(e))
        return
    current = state.current_plan_id()
    if not plans:
        st.caption("Chưa có kế hoạch nào được lưu.")
        return
    ids = [p.id for p in plans]
    labels = {p.id: f"{p.title} ({p.year})" for p in plans}
    if current not in labels:
        ids = ["", *ids]
        labels[""] = "— Chưa mở kế hoạch —"
    chosen = st.selectbox(
        "Kế hoạch đang mở",
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=labels.__getitem__,
        key=f"sidebar.plan.{current}",
    )
    if chosen and chosen != current:
        state.open_plan(chosen)
        st.rerun()
