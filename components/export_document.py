"""Xuất văn bản: the options, the Word/PDF/JSON downloads with the thể thức check of the file
just built, and the check of any other .docx. The page (`views/export.py`) lays them out."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import streamlit as st

from components import state
from components.charts_panel import previous_for
from planner.docx.writer import (
    TEMPLATE_PATH,
    check_template,
    docx_to_pdf,
    export_docx,
    soffice_path,
)
from planner.errors import PlannerError
from planner.model import Plan, plan_to_json
from planner.nd30.checker import Finding, check_docx
from planner.store.plans import StoredPlan

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ScheduleRows = list[tuple[str, str, str, str]]


@dataclass(frozen=True)
class Options:
    """What the user chose under *Tùy chọn*."""

    schedule: bool
    charts: bool
    template: bytes | None  # a checked custom template, else None (the program's own)


def _file_stem(plan: Plan) -> str:
    """An ASCII file name: ke-hoach-932-2020, or ke-hoach-du-thao-2021 for a draft."""
    m = plan.meta
    number = re.sub(r"[^0-9A-Za-z]+", "", m.number) or "du-thao"
    folded = unicodedata.normalize("NFKD", m.doc_type.replace("Đ", "D").replace("đ", "d"))
    kind = re.sub(r"[^a-z]+", "-", folded.encode("ascii", "ignore").decode().lower()).strip("-")
    return f"{kind or 'van-ban'}-{number}-{m.year or ''}".rstrip("-")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$])")


def _md(text: str) -> str:
    """Text shown as it is inside Markdown (every Markdown character escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def show_findings(findings: list[Finding]) -> None:
    if not findings:
        st.success(
            "Đúng thể thức theo Nghị định 30/2020: không có lỗi nào.",
            icon=":material/check_circle:",
        )
        return
    st.warning(f"Có {len(findings)} lỗi thể thức cần sửa.", icon=":material/warning:")
    box = st.container(height=420) if len(findings) > 6 else st.container()
    with box:
        for f in findings:
            st.markdown(f"**{_md(f.message)}**  \n:gray[{_md(f.where)} · {_md(f.rule)}]")


def _open_work(plan: Plan) -> str:
    """A reminder of what is still to review (open findings, blocks not yet reviewed)."""
    from planner.drafting.findings import findings_of, review_progress

    try:
        open_findings = sum(f.status == "open" for f in findings_of(plan))
    except PlannerError:
        open_findings = 0
    done, total = review_progress(plan)
    parts = []
    if open_findings:
        parts.append(f"{open_findings} phát hiện chưa xử lý")
    if total and done < total:
        parts.append(f"{total - done}/{total} đoạn chưa rà soát")
    return " và ".join(parts)


def open_work_note(plan: Plan) -> None:
    """A reminder, before printing, of findings not handled and blocks not yet reviewed."""
    todo = _open_work(plan)
    if todo:
        st.info(
            f"Kế hoạch còn {todo}. Văn bản vẫn tạo được, nhưng nên xem lại ở trang Soạn kế hoạch "
            "trước khi trình ký.",
            icon=":material/rule:",
        )


def options_panel(plan: Plan) -> Options:
    """*Tùy chọn*: the schedule table, the charts, a custom Word template."""
    with st.container(border=True):
        st.markdown("**Tùy chọn**")
        c1, c2 = st.columns([1, 1])
        with c1:
            has_tasks = bool(plan.tasks)
            include_schedule = st.checkbox(
                "Thêm bảng *Tiến độ thực hiện*",
                key="export.schedule",
                disabled=not has_tasks,
                help="Bảng Thời gian | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp, "
                "lấy từ danh sách công việc ở trang Tiến độ.",
            )
            include_charts = st.checkbox(
                "Thêm biểu đồ tiến độ vào *Phụ lục*",
                key="export.charts",
                disabled=not has_tasks,
            )
            if not has_tasks:
                st.caption(
                    "Kế hoạch chưa có công việc nào (trang Tiến độ), nên chưa có bảng và biểu đồ."
                )
        with c2:
            upload = st.file_uploader(
                "Tệp mẫu Word riêng (không bắt buộc)",
                type=["docx"],
                key="export.template",
                help="Một tệp .docx có đủ các kiểu (style) ND30 của chương trình; "
                "tải tệp mẫu của chương trình về để sửa.",
            )
            template: bytes | None = None
            if upload is not None:
                data = upload.getvalue()
                try:
                    missing = check_template(data, upload.name)
                except PlannerError as err:
                    st.error(str(err))
                else:
                    if missing:
                        st.error(
                            f"Tệp mẫu “{upload.name}” thiếu các kiểu: {', '.join(missing)}. "
                            "Văn bản sẽ dùng tệp mẫu của chương trình."
                        )
                    else:
                        template = data
                        st.success(f"Dùng tệp mẫu “{upload.name}”.")
            st.download_button(
                "Tải tệp mẫu ND30 của chương trình",
                TEMPLATE_PATH.read_bytes(),
                file_name="mau-ke-hoach-nd30.docx",
                mime=_DOCX,
                icon=":material/description:",
            )
    return Options(bool(include_schedule), bool(include_charts), template)


def schedule_of(plan: Plan, options: Options) -> ScheduleRows:
    """The *Tiến độ thực hiện* table's rows when chosen (and the plan has tasks), else none."""
    if options.schedule and plan.tasks:
        from planner.progress.tasks import schedule_rows

        return schedule_rows(plan)
    return []


def download_panel(stored: StoredPlan, today: date, options: Options, rows: ScheduleRows) -> None:
    """Build the .docx (checked at once), then its download, the PDF, and the plan's .json."""
    plan = stored.plan
    template = options.template
    key = (
        stored.id,
        stored.version,
        options.schedule,
        options.charts,
        hashlib.sha256(template).hexdigest() if template else "",
        today.isoformat(),
    )
    st.subheader("Tải về")
    if st.button("Tạo tệp Word", type="primary", key="export.build", icon=":material/build:"):
        try:
            with st.spinner("Đang tạo văn bản…"):
                charts: list[tuple[str, bytes]] = []
                if options.charts and plan.tasks:
                    from planner.progress.charts import chart_images, previous_plan

                    previous = previous_for(plan) or previous_plan(plan)
                    charts = chart_images(plan, today, previous)
                data = export_docx(
                    plan, today=today, template=template, schedule_rows=rows, charts=charts
                )
                findings = check_docx(data, f"{_file_stem(plan)}.docx")
            built = {"key": key, "docx": data, "findings": findings, "pdf": None}
            state.put(state.EXPORT_BUILT, built)
        except PlannerError as err:
            st.error(str(err))
    built = state.get(state.EXPORT_BUILT)
    if built and built["key"] == key:
        stem = _file_stem(plan)
        st.download_button(
            "Tải văn bản Word (.docx)",
            built["docx"],
            file_name=f"{stem}.docx",
            mime=_DOCX,
            type="primary",
            icon=":material/download:",
            key="export.download_docx",
        )
        st.markdown("**Kiểm tra thể thức của tệp vừa tạo**")
        show_findings(built["findings"])
        if soffice_path():
            if built["pdf"] is None and st.button("Tạo tệp PDF", key="export.pdf"):
                try:
                    with st.spinner("LibreOffice đang chuyển sang PDF…"):
                        built["pdf"] = docx_to_pdf(built["docx"])
                except PlannerError as err:
                    st.error(str(err))
            if built["pdf"] is not None:
                st.download_button(
                    "Tải bản PDF",
                    built["pdf"],
                    file_name=f"{stem}.pdf",
                    mime="application/pdf",
                    icon=":material/picture_as_pdf:",
                    key="export.download_pdf",
                )
        else:
            st.info(
                "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF. Hãy tải tệp Word, "
                "mở bằng Word rồi chọn Lưu thành PDF."
            )
    elif built:
        st.caption("Kế hoạch hoặc tùy chọn đã thay đổi: bấm “Tạo tệp Word” để tạo lại.")
    else:
        st.caption("Bấm “Tạo tệp Word” để tạo văn bản và kiểm tra thể thức trước khi tải về.")
    st.divider()
    st.download_button(
        "Tải kế hoạch (.json)",
        plan_to_json(plan).encode("utf-8"),
        file_name=f"{_file_stem(plan)}.json",
        mime="application/json",
        icon=":material/data_object:",
        key="export.download_json",
        help="Tệp dữ liệu của kế hoạch: mở lại được trong chương trình.",
    )


def check_other_panel() -> None:
    """Check any .docx (another unit's, one edited in Word…) against Nghị định 30."""
    st.caption(
        "Kiểm tra một văn bản Word bất kỳ (của đơn vị khác, bản đã sửa trong Word…) theo thể "
        "thức của Nghị định 30/2020/NĐ-CP."
    )
    other = st.file_uploader("Văn bản cần kiểm tra (.docx)", type=["docx"], key="export.check")
    if other is not None:
        try:
            show_findings(check_docx(other.getvalue(), other.name))
        except PlannerError as err:
            st.error(str(err))
