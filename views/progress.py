"""Tiến độ: the plan's tasks (suggested, edited, filtered), figures, charts and units' reports."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from components import state
from components.charts_panel import charts_panel, previous_for
from planner.errors import PlannerError
from planner.model import STATUS_LABELS, TASK_STATUSES, Plan, Task
from planner.progress.reports import (
    ProposedChange,
    apply_reports,
    match_reports,
    read_report,
    report_template_csv,
    report_template_xlsx,
)
from planner.progress.tasks import (
    Summary,
    accept_suggestions,
    filter_tasks,
    fmt_date,
    status_label,
    suggest_tasks,
    summarize,
    tasks_from_rows,
    tasks_to_rows,
    units_of,
)

_UPLOAD_N = "progress.upload_n"  # bumped after reports are applied: a fresh uploader

st.title("Tiến độ thực hiện")
state.show_conflict()
stored = state.require_plan()
plan: Plan = stored.plan
today = state.today()
epoch = state.widget_epoch()
head, link = st.columns([5, 1], vertical_alignment="center")
head.caption(f"{stored.title} · số liệu tính đến hôm nay, {fmt_date(today)}")
link.page_link("views/meeting.py", label="Trình chiếu", icon=":material/slideshow:")

figures = st.container()


def show_figures(s: Summary, *, unsaved: bool) -> None:
    with figures:
        cols = st.columns(5)
        cols[0].metric("Tổng số công việc", s.total, border=True)
        cols[1].metric("Hoàn thành", s.done, border=True)
        cols[2].metric("Đang thực hiện", s.in_progress, border=True)
        cols[3].metric("Quá hạn", s.overdue, border=True)
        cols[4].metric("Tiến độ trung bình", f"{s.mean_progress:.0f}%", border=True)
        if unsaved:
            st.caption("Số liệu tính cả các thay đổi chưa lưu trong bảng công việc.")


def save(new_plan: Plan, note: str, done_message: str) -> None:
    if state.save_current(new_plan, note=note):
        st.session_state["progress.flash"] = done_message
        state.bump_epoch()
        st.rerun()


flash = st.session_state.pop("progress.flash", None)
if flash:
    st.success(flash)

# ---------------------------------------------------------------- suggestions

if not plan.tasks:
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

tab_tasks, tab_charts, tab_reports = st.tabs(
    ["Danh sách công việc", "Biểu đồ", "Báo cáo của các đơn vị"]
)

# ---------------------------------------------------------------- task table

current_tasks: list[Task] = list(plan.tasks)
unsaved = False
with tab_tasks:
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

show_figures(summarize(current_tasks, today), unsaved=unsaved)

# ---------------------------------------------------------------- charts

with tab_charts:
    charts_panel(plan, today, previous_for(plan), key="progress.charts")

# ---------------------------------------------------------------- units' reports


def _change_rows(changes: list[ProposedChange]) -> pd.DataFrame:
    out = []
    for c in changes:
        old = (
            f"{status_label(c.old_status)} {c.old_progress}%" if c.matched and c.old_status else ""
        )
        new_status = status_label(c.new_status) if c.new_status else ""
        new_progress = "" if c.new_progress is None else f" {c.new_progress}%"
        how = {"mã": "theo mã", "nội dung": f"theo nội dung ({c.score:.0f}%)"}.get(c.how, "")
        out.append(
            {
                "accept": c.matched and not c.message,
                "row": c.row.row,
                "unit": c.row.unit,
                "task": c.task_title or c.row.task or c.row.task_id,
                "before": old,
                "after": f"{new_status}{new_progress}",
                "how": how,
                "note": c.message,
            }
        )
    return pd.DataFrame(out)


with tab_reports:
    st.subheader("Mẫu báo cáo gửi các đơn vị")
    st.write(
        "Tải mẫu có sẵn danh sách công việc, gửi các trường điền trạng thái và tỷ lệ hoàn "
        "thành, rồi nhận lại và tải lên ở dưới."
    )
    d1, d2, _ = st.columns([2, 2, 4])
    d1.download_button(
        "Tải mẫu Excel (.xlsx)",
        data=lambda: report_template_xlsx(plan),
        file_name=f"mau-bao-cao-tien-do-{plan.meta.year}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="progress.template.xlsx",
        icon=":material/download:",
        on_click="ignore",
        disabled=not plan.tasks,
    )
    d2.download_button(
        "Tải mẫu CSV",
        data=lambda: report_template_csv(plan),
        file_name=f"mau-bao-cao-tien-do-{plan.meta.year}.csv",
        mime="text/csv",
        key="progress.template.csv",
        icon=":material/download:",
        on_click="ignore",
        disabled=not plan.tasks,
    )
    st.subheader("Nhập báo cáo của đơn vị")
    upload_n = int(st.session_state.get(_UPLOAD_N, 0))
    uploaded = st.file_uploader(
        "Tệp báo cáo (.xlsx hoặc .csv)",
        type=["xlsx", "csv", "txt"],
        key=f"progress.report.{upload_n}",
        help="Các cột: Đơn vị, Nội dung công việc (hoặc Mã công việc), Trạng thái, "
        "Tỷ lệ hoàn thành (%), Ngày báo cáo, Ghi chú.",
    )
    if uploaded is not None:
        try:
            report = read_report(uploaded.getvalue(), uploaded.name)
        except PlannerError as e:
            st.error(str(e))
            report = None
        if report is not None:
            for note in report.notes:
                st.warning(note)
            st.markdown(
                f"**Xem trước:** {len(report.rows)} dòng, {len(report.valid_rows)} dòng hợp lệ."
            )
            bad = [e for r in report.rows for e in r.errors]
            if bad:
                more = f"\n\n… và {len(bad) - 15} lỗi khác." if len(bad) > 15 else ""
                st.error(
                    f"{len(bad)} lỗi trong tệp; các dòng có lỗi sẽ không được dùng:\n\n"
                    + "\n".join(f"- {e}" for e in bad[:15])
                    + more
                )
            preview = pd.DataFrame(
                [
                    {
                        "Dòng": r.row,
                        "Kiểm tra": "Lỗi" if r.errors else "Hợp lệ",
                        "Đơn vị": r.unit,
                        "Trạng thái": status_label(r.status) if r.status else "",
                        "Hoàn thành (%)": r.progress,
                        "Ngày báo cáo": fmt_date(r.date),
                        "Mã": r.task_id,
                        "Nội dung công việc": r.task,
                        "Ghi chú": r.note,
                    }
                    for r in report.rows
                ]
            )
            st.dataframe(
                preview,
                hide_index=True,
                width="stretch",
                column_config={"Nội dung công việc": st.column_config.TextColumn(width="medium")},
            )
            changes = match_reports(plan, report)
            st.markdown("**Ghép với công việc của kế hoạch** — đánh dấu những dòng muốn nhận:")
            table = st.data_editor(
                _change_rows(changes),
                key=f"progress.report.match.{upload_n}.{stored.version}",
                hide_index=True,
                width="stretch",
                disabled=["row", "unit", "task", "how", "before", "after", "note"],
                column_config={
                    "accept": st.column_config.CheckboxColumn("Nhận"),
                    "row": st.column_config.NumberColumn("Dòng", format="%d"),
                    "unit": "Đơn vị báo cáo",
                    "task": st.column_config.TextColumn("Công việc", width="medium"),
                    "how": "Ghép",
                    "before": "Hiện tại",
                    "after": "Theo báo cáo",
                    "note": st.column_config.TextColumn("Lưu ý", width="large"),
                },
            )
            accepted = [
                c
                for c, ok in zip(changes, table["accept"].tolist(), strict=True)
                if ok and c.matched
            ]
            skipped = sum(1 for c, ok in zip(changes, table["accept"], strict=True) if ok) - len(
                accepted
            )
            if skipped:
                st.caption(f"{skipped} dòng không ghép được với công việc nào nên sẽ bỏ qua.")
            if st.button(
                f"Cập nhật tiến độ từ {len(accepted)} dòng đã chọn",
                type="primary",
                disabled=not accepted,
                key="progress.report.apply",
                icon=":material/task_alt:",
            ):
                try:
                    new = apply_reports(plan, accepted)
                except PlannerError as e:
                    st.error(str(e))
                else:
                    st.session_state[_UPLOAD_N] = upload_n + 1
                    save(
                        new,
                        f"Nhập báo cáo {uploaded.name}",
                        f"Đã cập nhật tiến độ từ {len(accepted)} dòng của {uploaded.name}.",
                    )
