"""Tiến độ: the figures, the suggested tasks and the task table (filter, edit, save).

The page (`views/progress.py`) lays these out; the units' reports are `progress_reports`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import state
from planner.errors import PlannerError
from planner.model import STATUS_LABELS, TASK_STATUSES, Plan, Task
from planner.progress.tasks import (
    Summary,
    accept_suggestions,
    filter_tasks,
    fmt_date,
    suggest_tasks,
    tasks_from_rows,
    tasks_to_rows,
    units_of,
)
from planner.store.plans import StoredPlan


def show_figures(box: DeltaGenerator, s: Summary, *, unsaved: bool) -> None:
    """The five key figures, drawn into `box` (a container placed above the tabs)."""
    with box:
        cols = st.columns(5)
        cols[0].metric("Tổng số công việc", s.total, border=True)
        cols[1].metric("Hoàn thành", s.done, border=True)
        cols[2].metric("Đang thực hiện", s.in_progress, border=True)
        cols[3].metric("Quá hạn", s.overdue, border=True)
        cols[4].metric("Tiến độ trung bình", f"{s.mean_progress:.0f}%", border=True)
        if unsaved:
            st.caption("Số liệu tính cả các thay đổi chưa lưu trong bảng công việc.")


def save(new_plan: Plan, note: str, done_message: str) -> None:
    """Save the plan; on success show `done_message` on the rerun that follows."""
    if state.save_current(new_plan, note=note):
        state.put(state.PROGRESS_FLASH, done_message)
        state.bump_epoch()
        st.rerun()


def show_flash() -> None:
    message = state.pop(state.PROGRESS_FLASH)
    if message:
        st.success(message)


def suggestions_panel(plan: Plan, epoch: int) -> None:
    """A plan without tasks: the tasks suggested from *Tổ chức thực hiện*, to accept or not."""
    if plan.tasks:
        return
    suggestions = suggest_tasks(plan)
    if suggestions:
        with st.container(border=True):
            st.subheader("Gợi ý công việc")
            st.write(
                "Kế hoạch chưa có danh sách công việc. Từ mục *Tổ chức thực hiện*, chương trình "
                f"gợi ý {len(suggestions)} công việc. Chọn những công việc muốn thêm, rồi bấm "
                "nút bên dưới; không có gì được thêm nếu bạn không đồng ý."
            )
            chosen = []
            for i, s in enumerate(suggestions):
                t = s.task
                label = t.title if len(t.title) <= 160 else t.title[:157] + "…"
                if st.checkbox(label, value=True, key=f"progress.sugg.{epoch}.{i}"):
                    chosen.append(s)
                details = [f"Chủ trì: {t.lead}"]
                if t.support:
                    details.append("phối hợp: " + "; ".join(t.support))
                if t.due:
                    details.append(f"hạn {fmt_date(t.due)} (theo “{s.deadline}”)")
                st.caption(" · ".join(details))
            if st.button(
                f"Thêm {len(chosen)} công việc đã chọn",
                type="primary",
                disabled=not chosen,
                key="progress.sugg.accept",
                icon=":material/playlist_add:",
            ):
                try:
                    new = accept_suggestions(plan, chosen)
                except PlannerError as e:
                    st.error(str(e))
                else:
                    save(new, "Nhận gợi ý công việc", f"Đã thêm {len(chosen)} công việc.")
    else:
        st.info(
            "Kế hoạch chưa có công việc nào. Thêm công việc vào bảng bên dưới "
            "(bấm dấu + ở cuối bảng)."
        )


def task_table(stored: StoredPlan, today: date, epoch: int) -> tuple[list[Task], bool]:
    """The filters and the editable task table with its save button; the tasks to count in
    the figures (edited ones included) and whether they hold unsaved changes."""
    plan = stored.plan
    current_tasks: list[Task] = list(plan.tasks)
    unsaved = False
    f_unit, f_status, f_over = st.columns([4, 4, 2], vertical_alignment="bottom")
    units = f_unit.multiselect(
        "Lọc theo đơn vị",
        units_of(plan.tasks),
        key="progress.filter.units",
        placeholder="Tất cả đơn vị",
    )
    labels = f_status.multiselect(
        "Lọc theo trạng thái",
        [STATUS_LABELS[s] for s in TASK_STATUSES],
        key="progress.filter.status",
        placeholder="Tất cả trạng thái",
    )
    overdue_only = f_over.checkbox("Chỉ việc quá hạn", key="progress.filter.overdue")
    label_to_key = {v: k for k, v in STATUS_LABELS.items()}
    shown = filter_tasks(
        plan.tasks,
        units=units,
        statuses=[label_to_key[x] for x in labels],
        overdue_only=overdue_only,
        today=today,
    )
    filtered = len(shown) != len(plan.tasks)
    if filtered:
        st.caption(f"Đang hiện {len(shown)}/{len(plan.tasks)} công việc theo bộ lọc.")
    rows = tasks_to_rows(shown)
    for r, t in zip(rows, shown, strict=True):
        r["overdue"] = t.is_overdue(today)
    columns = ["id", "title", "lead", "support", "start", "due", "status", "progress", "overdue"]
    df = pd.DataFrame(rows, columns=columns)
    for c in ("start", "due"):
        df[c] = pd.to_datetime(df[c])  # NaT shows as an empty cell
    df["progress"] = df["progress"].astype("Int64")
    df["overdue"] = df["overdue"].astype("boolean")
    filter_key = abs(hash((tuple(units), tuple(labels), overdue_only))) % 10**8
    edited = st.data_editor(
        df,
        key=f"progress.editor.{stored.id}.{stored.version}.{epoch}.{filter_key}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        placeholder="—",
        disabled=["id", "overdue"],
        column_config={
            "id": st.column_config.TextColumn("Mã", width="small"),
            "title": st.column_config.TextColumn(
                "Nội dung công việc", width="large", required=True, max_chars=2000
            ),
            "lead": st.column_config.TextColumn("Đơn vị chủ trì", width="medium"),
            "support": st.column_config.TextColumn(
                "Đơn vị phối hợp", help="Nhiều đơn vị cách nhau bằng dấu chấm phẩy (;)"
            ),
            "start": st.column_config.DateColumn("Bắt đầu", format="DD/MM/YYYY"),
            "due": st.column_config.DateColumn("Hạn hoàn thành", format="DD/MM/YYYY"),
            "status": st.column_config.SelectboxColumn(
                "Trạng thái",
                options=[STATUS_LABELS[s] for s in TASK_STATUSES],
                default=STATUS_LABELS["planned"],
                required=True,
            ),
            "progress": st.column_config.NumberColumn(
                "Hoàn thành (%)", min_value=0, max_value=100, step=1, format="%d%%", default=0
            ),
            "overdue": st.column_config.CheckboxColumn("Quá hạn", help="Tính theo hôm nay"),
        },
    )
    records: list[dict[str, Any]] = edited.drop(columns=["overdue"]).to_dict("records")
    try:
        edited_tasks = tasks_from_rows(records, plan.tasks)
    except PlannerError as e:
        st.error(f"{e} Chưa lưu được: hãy sửa lại dòng này.")
        edited_tasks = None
    if edited_tasks is not None:
        shown_ids = {t.id for t in shown}
        by_id = {t.id: t for t in edited_tasks}
        merged = [by_id.get(t.id, t) for t in plan.tasks if t.id not in shown_ids or t.id in by_id]
        merged += [t for t in edited_tasks if t.id not in {x.id for x in plan.tasks}]
        changed = merged != list(plan.tasks) or any(
            a.extra != b.extra for a, b in zip(merged, plan.tasks, strict=False)
        )
        if changed:
            current_tasks, unsaved = merged, True
            st.warning("Có thay đổi chưa lưu.", icon=":material/edit_note:")
        if st.button(
            "Lưu thay đổi",
            type="primary",
            disabled=not changed,
            key="progress.save",
            icon=":material/save:",
        ):
            save(replace(plan, tasks=tuple(merged)), "Sửa danh sách công việc", "Đã lưu.")
    return current_tasks, unsaved
