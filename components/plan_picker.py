"""The sidebar's current-plan picker: which plan is open, and a quick switch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import streamlit as st

from components import state
from planner.errors import PlannerError
from planner.store.plans import PlanSummary


def plan_labels(plans: Sequence[PlanSummary]) -> dict[str, str]:
    """A label per plan id, unique even for plans with the same title and year.

    Streamlit's selectbox tells options apart by their label in the browser, so two plans
    labelled alike would open the wrong one: duplicates get their last change and short id.
    """
    base = {p.id: f"{p.title} (năm {p.year})" for p in plans}
    seen = Counter(base.values())
    return {
        p.id: base[p.id]
        if seen[base[p.id]] == 1
        else f"{base[p.id]} · sửa {p.updated_at:%d/%m %H:%M} · mã {p.id[:6]}"
        for p in plans
    }


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
    labels = plan_labels(plans)
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
