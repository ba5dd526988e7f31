"""Tiến độ: the figures, the suggested tasks and the task grid (filter, edit, add, save).

The page (`views/progress.py`) lays these out; the units' reports are `progress_reports`.
The grid is a fragment: a cell edit reruns only the grid (it keeps its scroll position), and
edits are applied only by *Lưu thay đổi*. While edits are pending the filters are locked, so
a filter change never drops them.
"""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import state
from components.safe_text import md_escape
from planner.errors import PlannerError
from planner.model import STATUS_LABELS, TASK_STATUSES, Plan, Task
from planner.progress.tasks import (
    Summary,
    accept_suggestions,
    add_task,
    filter_tasks,
    fmt_date,
    settle_progress,
    split_units,
    status_label,
    suggest_tasks,
    tasks_from_rows,
    tasks_to_rows,
    units_of,
)
from planner.store.plans import StoredPlan

# Grid columns sized so that all of them fit the main area at 1366 px with the sidebar open.
_WIDTHS = {
    "title": 188,
    "lead": 104,
    "support": 104,
    "start": 86,
    "due": 86,
    "status": 112,
    "progress": 52,
    "overdue": 56,
    "remove": 56,
}
CSV_HEADERS = {
    "id": "Mã",
    "title": "Nội dung công việc",
    "lead": "Đơn vị chủ trì",
    "support": "Đơn vị phối hợp",
    "start": "Bắt đầu",
    "due": "Hạn hoàn thành",
    "status": "Trạng thái",
    "progress": "Tỷ lệ hoàn thành (%)",
    "section": "Mục",
}


def show_figures(box: DeltaGenerator, s: Summary) -> None:
    """The five key figures of the saved tasks, drawn into `box` (placed above the tabs)."""
    with box:
        cols = st.columns(5)
        cols[0].metric("Tổng số công việc", s.total, border=True)
        cols[1].metric("Hoàn thành", s.done, border=True)
        cols[2].metric("Đang thực hiện", s.in_progress, border=True)
        cols[3].metric("Quá hạn", s.overdue, border=True)
        cols[4].metric("Tiến độ trung bình", f"{s.mean_progress:.0f}%", border=True)


def save(new_plan: Plan, note: str, done_message: str) -> None:
    """Save the plan; on success show `done_message` on the (whole-page) rerun that follows."""
    if state.save_current(new_plan, note=note):
        state.put(state.PROGRESS_FLASH, done_message)
        state.bump_epoch()
        st.rerun(scope="app")


def show_flash() -> None:
    message = state.pop(state.PROGRESS_FLASH)
    if message:
        st.success(md_escape(message))


def suggestions_panel(plan: Plan, epoch: int) -> None:
    """A plan without tasks: the tasks suggested from *Tổ chức thực hiện*, to accept or not."""
    if plan.tasks:
        return
    suggestions = suggest_tasks(plan)
    if suggestions:
        with st.container(border=True):
            st.subheader("Gợi ý công việc")
            st.write(
                "Kế hoạch chưa có danh sách công việc. Từ mục *Tổ chức thực hiện* và các bảng "
                "tiến độ của kế hoạch, chương trình "
                f"gợi ý {len(suggestions)} công việc. Chọn những công việc muốn thêm, rồi bấm "
                "nút bên dưới; không có gì được thêm nếu bạn không đồng ý."
            )
            chosen = []
            for i, s in enumerate(suggestions):
                t = s.task
                label = t.title if len(t.title) <= 160 else t.title[:157] + "…"
                if st.checkbox(md_escape(label), value=True, key=f"progress.sugg.{epoch}.{i}"):
                    chosen.append(s)
                details = [f"Chủ trì: {t.lead}"]
                if t.support:
                    details.append("phối hợp: " + "; ".join(t.support))
                if t.due:
                    details.append(f"hạn {fmt_date(t.due)} (theo “{s.deadline}”)")
                elif s.recurrence:
                    details.append(f"thời gian: {s.recurrence.lower()}, không có hạn cụ thể")
                st.caption(md_escape(" · ".join(details)))
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
                    st.error(md_escape(str(e)))
                else:
                    save(new, "Nhận gợi ý công việc", f"Đã thêm {len(chosen)} công việc.")
    else:
        st.info("Kế hoạch chưa có công việc nào. Bấm **Thêm công việc** bên dưới bảng để thêm.")


def tasks_csv(tasks: list[Task]) -> bytes:
    """The tasks as a CSV Excel opens with its accents (UTF-8 with BOM), Vietnamese headers."""
    rows = [
        {
            **r,
            "start": fmt_date(t.start) if t.start else "",
            "due": fmt_date(t.due) if t.due else "",
            "section": t.section or "",
        }
        for r, t in zip(tasks_to_rows(tasks), tasks, strict=True)
    ]
    df = pd.DataFrame(rows, columns=list(CSV_HEADERS)).rename(columns=CSV_HEADERS)
    return df.to_csv(index=False).encode("utf-8-sig")


def _grid_frame(shown: list[Task], today: date) -> pd.DataFrame:
    rows = tasks_to_rows(shown)
    for r, t in zip(rows, shown, strict=True):
        r["overdue"] = t.is_overdue(today)
        r["remove"] = False
    columns = ["id", *_WIDTHS]
    df = pd.DataFrame(rows, columns=columns)
    for c in ("start", "due"):
        df[c] = pd.to_datetime(df[c])  # NaT shows as an empty cell
    df["progress"] = df["progress"].astype("Int64")
    df["overdue"] = df["overdue"].astype("boolean")
    df["remove"] = df["remove"].astype("boolean")
    return df


def _column_config() -> dict[str, Any]:
    w = _WIDTHS
    return {
        "title": st.column_config.TextColumn(
            "Nội dung công việc", width=w["title"], required=True, max_chars=2000
        ),
        "lead": st.column_config.TextColumn("Chủ trì", width=w["lead"], help="Đơn vị chủ trì"),
        "support": st.column_config.TextColumn(
            "Phối hợp",
            width=w["support"],
            help="Đơn vị phối hợp; nhiều đơn vị cách nhau bằng dấu chấm phẩy (;)",
        ),
        "start": st.column_config.DateColumn("Bắt đầu", format="DD/MM/YYYY", width=w["start"]),
        "due": st.column_config.DateColumn(
            "Hạn", format="DD/MM/YYYY", width=w["due"], help="Hạn hoàn thành"
        ),
        "status": st.column_config.SelectboxColumn(
            "Trạng thái",
            options=[STATUS_LABELS[s] for s in TASK_STATUSES],
            required=True,
            width=w["status"],
        ),
        "progress": st.column_config.NumberColumn(
            "%",
            min_value=0,
            max_value=100,
            step=1,
            format="%d%%",
            width=w["progress"],
            help="Tỷ lệ hoàn thành (%)",
        ),
        "overdue": st.column_config.CheckboxColumn(
            "Quá hạn", width=w["overdue"], help="Tính đến ngày ghi ở đầu trang"
        ),
        "remove": st.column_config.CheckboxColumn(
            "Xóa", width=w["remove"], help="Đánh dấu để xóa công việc khi bấm Lưu thay đổi"
        ),
    }


def _filters(plan: Plan, today: date, locked: bool) -> list[Task]:
    f_unit, f_status, f_over = st.columns([4, 4, 2], vertical_alignment="bottom")
    units = f_unit.multiselect(
        "Lọc theo đơn vị",
        units_of(plan.tasks),
        key=state.PROGRESS_FILTER_UNITS,
        placeholder="Tất cả đơn vị",
        disabled=locked,
    )
    labels = f_status.multiselect(
        "Lọc theo trạng thái",
        [STATUS_LABELS[s] for s in TASK_STATUSES],
        key=state.PROGRESS_FILTER_STATUS,
        placeholder="Tất cả trạng thái",
        disabled=locked,
    )
    overdue_only = f_over.checkbox(
        "Chỉ việc quá hạn", key=state.PROGRESS_FILTER_OVERDUE, disabled=locked
    )
    label_to_key = {v: k for k, v in STATUS_LABELS.items()}
    return filter_tasks(
        plan.tasks,
        units=units,
        statuses=[label_to_key[x] for x in labels],
        overdue_only=overdue_only,
        today=today,
    )


def _grid_key(stored: StoredPlan, epoch: int) -> str:
    """A new grid per saved version, wholesale replacement, dropped edits and filter values."""
    filters = repr(
        (
            state.get(state.PROGRESS_FILTER_UNITS, []),
            state.get(state.PROGRESS_FILTER_STATUS, []),
            state.get(state.PROGRESS_FILTER_OVERDUE, False),
        )
    )
    n = int(state.get(state.PROGRESS_GRID_N, 0))
    digest = zlib.crc32(filters.encode())
    return f"{state.PROGRESS_GRID}.{stored.id}.{stored.version}.{epoch}.{n}.{digest}"


def merge_edits(
    plan: Plan, shown: list[Task], records: list[dict[str, Any]]
) -> tuple[list[Task], list[str]]:
    """The plan's whole task list with the grid's rows applied: rows ticked *Xóa* removed,
    status and percentage settled (`settle_progress`) against the saved task. Also one line
    per task the rule changed, to tell the user. Raises PlannerError on a bad row."""
    kept = [r for r in records if not bool(r.get("remove"))]
    removed = {str(r.get("id")) for r in records if bool(r.get("remove"))}
    saved = {t.id: t for t in plan.tasks}
    edited = tasks_from_rows(
        [{k: v for k, v in r.items() if k != "remove"} for r in kept], plan.tasks
    )
    settled: list[Task] = []
    notes: list[str] = []
    for t in edited:
        s = settle_progress(t, before=saved.get(t.id))
        if (s.status, s.progress) != (t.status, t.progress):
            notes.append(f"“{_short(t.title)}”: {status_label(s.status)}, {s.progress}%")
        settled.append(s)
    shown_ids = {t.id for t in shown}
    by_id = {t.id: t for t in settled}
    merged = [
        by_id.get(t.id, t)
        for t in plan.tasks
        if t.id not in removed and (t.id not in shown_ids or t.id in by_id)
    ]
    return merged, notes


def count_changes(before: tuple[Task, ...], after: list[Task]) -> int:
    """Tasks added, removed or changed (a change to what the grid does not show counts too)."""
    old = {t.id: t for t in before}
    new = {t.id: t for t in after}
    changed = sum(
        1 for i, t in new.items() if i in old and (t != old[i] or t.extra != old[i].extra)
    )
    return changed + len(new.keys() - old.keys()) + len(old.keys() - new.keys())


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@st.fragment
def task_table(stored: StoredPlan, today: date, epoch: int) -> None:
    """The filters, the task grid, *Lưu thay đổi* / *Bỏ thay đổi* / *Tải CSV* and the
    *Thêm công việc* form. A fragment: a cell edit reruns only this part of the page."""
    plan = stored.plan
    key = _grid_key(stored, epoch)
    pending = state.grid_pending(key)
    shown = _filters(plan, today, locked=pending > 0)
    note = st.empty()  # always here, so the grid below never moves in the page's layout
    if pending:
        note.caption(
            "Bộ lọc tạm khóa khi bảng có thay đổi chưa lưu: hãy **Lưu thay đổi** hoặc "
            "**Bỏ thay đổi** trước khi đổi bộ lọc."
        )
    elif len(shown) != len(plan.tasks):
        note.caption(f"Đang hiện {len(shown)}/{len(plan.tasks)} công việc theo bộ lọc.")
    edited = st.data_editor(
        _grid_frame(shown, today),
        key=key,
        num_rows="fixed",
        hide_index=True,
        width="stretch",
        placeholder="—",
        column_order=list(_WIDTHS),
        disabled=["id", "overdue"],
        column_config=_column_config(),
    )
    records: list[dict[str, Any]] = edited.drop(columns=["overdue"]).to_dict("records")
    merged: list[Task] | None
    try:
        merged, notes = merge_edits(plan, shown, records)
    except PlannerError as e:
        st.error(f"{md_escape(str(e))} Chưa lưu được: hãy sửa lại dòng này hoặc bấm Bỏ thay đổi.")
        merged, notes = None, []
    changes = count_changes(plan.tasks, merged) if merged is not None else 0
    if changes:
        removing = sum(1 for r in records if bool(r.get("remove")))
        text = f"Có {changes} công việc thay đổi chưa lưu"
        text += f" (trong đó {removing} công việc sẽ bị xóa)." if removing else "."
        st.warning(text, icon=":material/edit_note:")
    if notes:
        st.info(
            "Trạng thái và tỷ lệ hoàn thành sẽ được lưu cho khớp nhau:\n\n"
            + "\n".join(f"- {md_escape(n)}" for n in notes)
        )
    b_save, b_drop, b_csv, _ = st.columns([2, 2, 2, 4])
    if b_save.button(
        "Lưu thay đổi",
        type="primary",
        disabled=not changes,
        key="progress.save",
        icon=":material/save:",
    ):
        assert merged is not None  # the button is disabled otherwise
        save(replace(plan, tasks=tuple(merged)), "Sửa danh sách công việc", "Đã lưu.")
    b_drop.button(  # a new, unedited grid on the rerun the click starts
        "Bỏ thay đổi",
        disabled=not pending,
        key="progress.discard",
        icon=":material/undo:",
        on_click=state.bump,
        args=(state.PROGRESS_GRID_N,),
    )
    b_csv.download_button(
        "Tải CSV",
        tasks_csv(list(plan.tasks)),
        file_name=f"cong-viec-{plan.meta.year or 'ke-hoach'}.csv",
        mime="text/csv",
        key="progress.csv",
        icon=":material/download:",
        help="Danh sách công việc đã lưu, mở được bằng Excel",
    )
    add_task_form(plan, merged, changes)


def _section_options(plan: Plan) -> dict[str, str]:
    options = {"": "— Không gắn với mục nào —"}
    for path, s in plan.iter_sections():
        options[path] = _short(f"{path}. {s.title}", 90)
    return options


def add_task_form(plan: Plan, merged: list[Task] | None, changes: int) -> None:
    """*Thêm công việc*: name, lead and supporting units, start, due and the plan's section."""
    n = int(state.get(state.PROGRESS_ADD_N, 0))
    with st.expander("Thêm công việc", icon=":material/add_task:", expanded=not plan.tasks):
        with st.form(f"{state.PROGRESS_ADD}.{n}", border=False):
            title = st.text_area("Nội dung công việc", max_chars=2000, height=68)
            c1, c2 = st.columns(2)
            lead = c1.text_input("Đơn vị chủ trì")
            support = c2.text_input(
                "Đơn vị phối hợp", help="Nhiều đơn vị cách nhau bằng dấu chấm phẩy (;)"
            )
            c3, c4, c5 = st.columns([1, 1, 2])
            start = c3.date_input("Bắt đầu (ngày/tháng/năm)", value=None, format="DD/MM/YYYY")
            due = c4.date_input("Hạn hoàn thành (ngày/tháng/năm)", value=None, format="DD/MM/YYYY")
            sections = _section_options(plan)
            section = c5.selectbox("Thuộc mục", list(sections), format_func=sections.__getitem__)
            if changes:
                st.caption(f"Các thay đổi chưa lưu trong bảng ({changes}) sẽ được lưu cùng.")
            submitted = st.form_submit_button(
                "Thêm công việc", type="primary", icon=":material/add:"
            )
    if not submitted:
        return
    if merged is None:
        st.error("Bảng công việc đang có lỗi: hãy sửa hoặc bỏ thay đổi trước khi thêm.")
        return
    if not title.strip():
        st.error("Hãy nhập nội dung công việc trước khi bấm Thêm công việc.")
        return
    task = Task(
        id="",
        title=" ".join(title.split()),
        lead=lead.strip(),
        support=split_units(support),
        start=start,
        due=due,
        section=section or None,
    )
    try:
        new = add_task(replace(plan, tasks=tuple(merged)), task)
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return
    state.bump(state.PROGRESS_ADD_N)
    state.bump(state.PROGRESS_GRID_N)
    save(new, "Thêm công việc", f"Đã thêm công việc “{_short(task.title)}”.")
