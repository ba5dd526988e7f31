"""Tiến độ › Báo cáo của các đơn vị: report templates to send out, and the units' filled-in
reports read back, matched with the plan's tasks and applied as the user chooses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.progress_tasks import save
from components.safe_text import md_escape
from planner.errors import PlannerError
from planner.progress.reports import (
    ProposedChange,
    apply_reports,
    match_reports,
    read_report,
    report_template_csv,
    report_template_xlsx,
)
from planner.progress.tasks import fmt_date, status_label
from planner.store.plans import StoredPlan


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


def reports_panel(stored: StoredPlan) -> None:
    """The templates' download buttons, then the upload, preview, matching and "Cập nhật"."""
    plan = stored.plan
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
    upload_n = int(state.get(state.PROGRESS_UPLOAD_N, 0))
    uploaded = st.file_uploader(
        "Tệp báo cáo (.xlsx hoặc .csv)",
        type=["xlsx", "csv", "txt"],
        key=f"progress.report.{upload_n}",
        help="Các cột: Đơn vị, Nội dung công việc (hoặc Mã công việc), Trạng thái, "
        "Tỷ lệ hoàn thành (%), Ngày báo cáo, Ghi chú.",
    )
    if uploaded is not None:
        try:
            with st.spinner("Đang đọc tệp báo cáo…"):
                report = read_report(uploaded.getvalue(), uploaded.name)
        except PlannerError as e:
            st.error(md_escape(str(e)))
            report = None
        if report is not None:
            for note in report.notes:
                st.warning(md_escape(note))
            st.markdown(
                f"**Xem trước:** {len(report.rows)} dòng, {len(report.valid_rows)} dòng hợp lệ."
            )
            bad = [e for r in report.rows for e in r.errors]
            if bad:
                more = f"\n\n… và {len(bad) - 15} lỗi khác." if len(bad) > 15 else ""
                st.error(
                    f"{len(bad)} lỗi trong tệp; các dòng có lỗi sẽ không được dùng:\n\n"
                    + "\n".join(f"- {md_escape(e)}" for e in bad[:15])
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
                    st.error(md_escape(str(e)))
                else:
                    state.put(state.PROGRESS_UPLOAD_N, upload_n + 1)
                    save(
                        new,
                        f"Nhập báo cáo {uploaded.name}",
                        f"Đã cập nhật tiến độ từ {len(accepted)} dòng của {uploaded.name}.",
                    )
