"""Xuất văn bản: the options, the Word/PDF/JSON downloads with the thể thức check of the file
just built, and the check of any other .docx. The page (`views/export.py`) lays them out.

The .docx (with its check) and then the PDF are built in the background as soon as the page
opens, while the user reads the preview: a job per session in a small shared thread pool,
keyed by the plan's version and the options, polled by a fragment until it is done. The jobs
get plain values only (no Streamlit call in a thread), and each session keeps its own
futures in its own state, so nothing passes from one session to another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from components import state
from components.charts_panel import previous_for
from components.review_panel import approval_line
from components.safe_text import md_escape
from planner.docx.writer import (
    TEMPLATE_PATH,
    check_template,
    docx_to_pdf,
    export_docx,
    soffice_path,
)
from planner.drafting.readiness import (
    KIND_LABELS,
    KINDS,
    Readiness,
    ReadinessItem,
    check_readiness,
)
from planner.errors import PlannerError
from planner.model import Plan, Section, plan_to_json
from planner.nd30.checker import Finding, check_docx
from planner.review.model import Approval
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


def show_findings(findings: list[Finding], open_items: int = 0) -> None:
    """The thể thức check's result; `open_items` readiness items keep the success message from
    saying there is nothing left (the form is right, the content is not finished)."""
    if not findings:
        if open_items:
            st.success(
                "Đúng thể thức trình bày theo Nghị định 30/2020 (bố cục, phông chữ, lề). "
                f"Nội dung còn {open_items} điểm chưa xử lý: xem mục “Sẵn sàng trình ký”.",
                icon=":material/check_circle:",
            )
        else:
            st.success(
                "Đúng thể thức theo Nghị định 30/2020: không có lỗi nào.",
                icon=":material/check_circle:",
            )
        return
    st.warning(f"Có {len(findings)} lỗi thể thức cần sửa.", icon=":material/warning:")
    box = st.container(height=420) if len(findings) > 6 else st.container()
    with box:
        for f in findings:
            st.markdown(
                f"**{md_escape(f.message)}**  \n:gray[{md_escape(f.where)} · {md_escape(f.rule)}]"
            )


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


# ---------------------------------------------------------------- Sẵn sàng trình ký

EDITOR_PAGE = "views/editor.py"
PROGRESS_PAGE = "views/progress.py"
PER_KIND = 30  # items listed per kind; the rest are counted
_VIEW_NAMES = {
    "content": "Nội dung các mục",
    "header": "Phần đầu và căn cứ",
    "closing": "Phần kết, nơi nhận, chữ ký",
    "findings": "Phát hiện cần xem",
}


@dataclass(frozen=True)
class Target:
    """Where a readiness item is fixed: a page, the editor's part and section (index path)."""

    page: str
    view: str | None
    at: tuple[int, ...] | None
    label: str  # Vietnamese, for the button's help


def section_index(plan: Plan, section_path: object) -> tuple[int, ...] | None:
    """The index path ((1, 0) for `II.1`) of the section at `section_path`, or None."""
    if not isinstance(section_path, str):
        return None

    def walk(
        sections: tuple[Section, ...], prefix: str, at: tuple[int, ...]
    ) -> tuple[int, ...] | None:
        for i, s in enumerate(sections):
            path = f"{prefix}.{s.number}" if prefix else s.number
            if path == section_path:
                return (*at, i)
            if section_path.startswith(f"{path}."):
                found = walk(s.children, path, (*at, i))
                if found is not None:
                    return found
        return None

    return walk(plan.sections, "", ())


def target_of(item: ReadinessItem, plan: Plan) -> Target:
    """Where the user fixes `item`: open findings in the editor's findings part, texts of a
    section in that section, header and Căn cứ in the header part, the closing, Nơi nhận and
    signer in the closing part, tasks on Tiến độ."""
    area = item.path.get("area")
    if area == "task":
        return Target(PROGRESS_PAGE, None, None, "trang Tiến độ")
    at = section_index(plan, item.path.get("section")) if area == "section" else None
    if item.kind == "finding":
        view = "findings"
    elif area == "section":
        view = "content"
    elif area in ("meta", "bases", "preamble"):
        view = "header"
    else:
        view = "closing"
    where = _VIEW_NAMES[view]
    if view == "content" and at is not None:
        where = f"Mục {item.path.get('section')}"
    return Target(EDITOR_PAGE, view, at, f"trang Soạn kế hoạch, phần “{where}”")


def readiness_of(plan: Plan, today: date) -> Readiness | None:
    """The plan's readiness check (None, with the message shown, when it cannot be made)."""
    try:
        return check_readiness(plan, state.get_catalogue(), today=today)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return None


def readiness_panel(plan: Plan, readiness: Readiness | None) -> None:
    """*Sẵn sàng trình ký*: every item left, by kind, with its place and a button that opens
    the editor (or Tiến độ) right there."""
    with st.container(border=True):
        st.markdown("**Sẵn sàng trình ký**")
        if readiness is None:
            return
        if readiness.ready:
            st.success(
                "Sẵn sàng trình ký: không còn điểm nào cần xử lý. Văn bản xuất ra là bản chính "
                "thức (không có dấu DỰ THẢO).",
                icon=":material/verified:",
            )
        else:
            st.warning(md_escape(readiness.summary()), icon=":material/pending_actions:")
            open_work_note(plan)
        for note in readiness.notes:
            st.caption(md_escape(note))
        few = len(readiness.items) <= 6
        for kind in KINDS:
            items = [(n, i) for n, i in enumerate(readiness.items) if i.kind == kind]
            if not items:
                continue
            with st.expander(f"{KIND_LABELS[kind]} ({len(items)})", expanded=few):
                for n, item in items[:PER_KIND]:
                    _item_row(n, item, plan)
                if len(items) > PER_KIND:
                    st.caption(
                        f"Còn {len(items) - PER_KIND} điểm khác cùng loại: xem và xử lý trong "
                        "trang Soạn kế hoạch."
                    )


def _item_row(n: int, item: ReadinessItem, plan: Plan) -> None:
    target = target_of(item, plan)
    text, action = st.columns([6, 1], vertical_alignment="center")
    text.markdown(f"**{md_escape(item.place)}** · {md_escape(item.message)}")
    if action.button(
        "Sửa",
        key=f"export.goto.{n}",
        icon=":material/edit:",
        help=f"Mở {md_escape(target.label)}",
        width="stretch",
    ):
        if target.view is not None:
            state.open_editor_at(target.view, target.at)
        st.switch_page(target.page)


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
                    st.error(md_escape(str(err)))
                else:
                    if missing:
                        st.error(
                            f"Tệp mẫu “{md_escape(upload.name)}” thiếu các kiểu: "
                            f"{md_escape(', '.join(missing))}. "
                            "Văn bản sẽ dùng tệp mẫu của chương trình."
                        )
                    else:
                        template = data
                        st.success(f"Dùng tệp mẫu “{md_escape(upload.name)}”.")
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


def final_choice(readiness: Readiness | None) -> bool:
    """True when the document is built without the DỰ THẢO mark: the plan is ready, or the
    user confirmed *Xuất bản chính thức* knowing how many items are still open."""
    if readiness is not None and readiness.ready:
        return True
    status = (
        f"Kế hoạch còn {len(readiness.items)} điểm chưa xử lý (xem “Sẵn sàng trình ký”)"
        if readiness is not None
        else "Chưa kiểm tra được kế hoạch đã sẵn sàng trình ký hay chưa"
    )
    final = st.checkbox(
        "Xuất bản chính thức",
        key=state.EXPORT_FINAL,
        help="Văn bản không có dấu DỰ THẢO ở đầu trang dù kế hoạch chưa sẵn sàng trình ký.",
    )
    if final:
        st.warning(
            f"{status}. Văn bản sẽ không có dấu DỰ THẢO: chỉ xuất bản chính thức khi đã kiểm "
            "tra kỹ và chắc chắn.",
            icon=":material/warning:",
        )
    else:
        st.caption(f"{status}, nên văn bản là bản dự thảo: đầu mỗi trang có dấu DỰ THẢO.")
    return bool(final)


# The background builds of every session share these few threads (a build is CPU work and
# LibreOffice a process of its own): more would only slow each other down.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="export")
POLL_S = 0.7  # how often a page waiting for a build looks again


@dataclass(frozen=True)
class BuildInput:
    """Everything a build needs, read in the script's thread (a job never calls Streamlit)."""

    plan: Plan
    today: date
    template: bytes | None
    rows: ScheduleRows
    charts: bool
    previous: Plan | None
    draft: bool
    approval: Approval | None = None  # the approval in force, recorded in the file


def build_docx(job: BuildInput) -> dict[str, Any]:
    """The .docx and its thể thức findings (raises PlannerError, shown by the page)."""
    plan = job.plan
    charts: list[tuple[str, bytes]] = []
    if job.charts and plan.tasks:
        from planner.progress.charts import chart_images, previous_plan

        charts = chart_images(plan, job.today, job.previous or previous_plan(plan))
    data = export_docx(
        plan,
        today=job.today,
        template=job.template,
        schedule_rows=job.rows,
        charts=charts,
        draft_mark=job.draft,
        approval=job.approval,
    )
    findings = check_docx(data, f"{_file_stem(plan)}.docx")
    return {"docx": data, "findings": findings, "pdf": None, "draft": job.draft}


def _job(name: str) -> tuple[Any, Future[Any]] | None:
    job = state.get(name)
    return job if isinstance(job, tuple) and len(job) == 2 else None


def _start_docx(key: tuple[Any, ...], job: BuildInput) -> Future[Any]:
    """This session's .docx job for `key`: the running one, else a new one."""
    running = _job(state.EXPORT_JOB)
    if running is not None and running[0] == key:
        return running[1]
    if running is not None:
        running[1].cancel()  # built for an older version or other options: not wanted now
    future = _POOL.submit(build_docx, job)
    state.put(state.EXPORT_JOB, (key, future))
    return future


def _start_pdf(key: tuple[Any, ...], docx: bytes) -> Future[Any]:
    running = _job(state.EXPORT_PDF_JOB)
    if running is not None and running[0] == key:
        return running[1]
    future = _POOL.submit(docx_to_pdf, docx)
    state.put(state.EXPORT_PDF_JOB, (key, future))
    return future


def _harvest(key: tuple[Any, ...], wait: bool = False, wait_pdf: bool = False) -> None:
    """Move a finished job's result into EXPORT_BUILT (a failure into its Vietnamese
    message); with `wait` (`wait_pdf`), wait for a running .docx (PDF) job first. The PDF
    job follows the .docx."""
    job = _job(state.EXPORT_JOB)
    if job is not None and job[0] == key and (wait or job[1].done()):
        state.pop(state.EXPORT_JOB)
        try:
            built = {"key": key, **job[1].result()}
        except PlannerError as err:
            state.put(state.EXPORT_BUILT, {"key": key, "error": str(err)})
        else:
            state.put(state.EXPORT_BUILT, built)
            if soffice_path():
                _start_pdf(key, built["docx"])
    built = state.get(state.EXPORT_BUILT)
    pdf = _job(state.EXPORT_PDF_JOB)
    if pdf is not None and pdf[0] == key and built and built.get("key") == key:
        if wait_pdf or pdf[1].done():
            state.pop(state.EXPORT_PDF_JOB)
            try:
                built["pdf"] = pdf[1].result()
            except PlannerError as err:
                built["pdf_error"] = str(err)


def _pending(key: tuple[Any, ...]) -> str | None:
    """What is still being built for `key` ("docx", "pdf"), or None."""
    for name, what in ((state.EXPORT_JOB, "docx"), (state.EXPORT_PDF_JOB, "pdf")):
        job = _job(name)
        if job is not None and job[0] == key:
            return what
    return None


@st.fragment(run_every=POLL_S)
def _poll(key: tuple[Any, ...]) -> None:
    """While a build runs: a Vietnamese progress line, looked at again every POLL_S; the
    whole page is redrawn once it is done (its downloads appear)."""
    what = _pending(key)
    if what is None:
        return
    job = _job(state.EXPORT_JOB if what == "docx" else state.EXPORT_PDF_JOB)
    if job is not None and job[1].done():
        st.rerun(scope="app")
    if what == "docx":
        st.info("Đang tạo tệp Word và kiểm tra thể thức…", icon=":material/hourglass_top:")
    else:
        st.caption(":material/hourglass_top: LibreOffice đang tạo bản PDF…")


def download_panel(
    stored: StoredPlan,
    today: date,
    options: Options,
    rows: ScheduleRows,
    readiness: Readiness | None,
) -> None:
    """The .docx (checked at once) and its PDF, built in the background as soon as the page
    opens (or at once with *Tạo tệp Word*), their downloads, and the plan's .json.

    A plan not ready to sign is built with the DỰ THẢO mark unless the user confirms
    *Xuất bản chính thức*."""
    plan = stored.plan
    template = options.template
    st.subheader("Tải về")
    draft = not final_choice(readiness)
    open_items = len(readiness.items) if readiness is not None else 0
    approval = approval_line(stored.id)
    key = (
        stored.id,
        stored.version,
        options.schedule,
        options.charts,
        hashlib.sha256(template).hexdigest() if template else "",
        today.isoformat(),
        draft,
        approval,
    )
    built = state.get(state.EXPORT_BUILT)
    if not (built and built.get("key") == key) and _pending(key) is None:
        previous = previous_for(plan) if options.charts and plan.tasks else None
        job = BuildInput(plan, today, template, rows, options.charts, previous, draft, approval)
        _start_docx(key, job)
    _harvest(key)
    done = bool((state.get(state.EXPORT_BUILT) or {}).get("key") == key)
    if st.button(
        "Tạo tệp Word",
        type="secondary" if done else "primary",
        key="export.build",
        icon=":material/build:",
        help="Tạo lại tệp Word và PDF ngay" if done else "Tạo tệp Word ngay và chờ đến khi xong",
    ):
        # Now, not in a while: wait for the running job, else build (again) and wait.
        if _pending(key) != "docx":
            state.pop(state.EXPORT_BUILT)
            previous = previous_for(plan) if options.charts and plan.tasks else None
            _start_docx(
                key, BuildInput(plan, today, template, rows, options.charts, previous, draft)
            )
        with st.spinner("Đang tạo văn bản…"):
            _harvest(key, wait=_pending(key) == "docx")
    built = state.get(state.EXPORT_BUILT)
    if built and built.get("key") != key and _pending(key) == "docx":
        st.caption("Kế hoạch hoặc tùy chọn đã thay đổi: đang tạo lại tệp Word…")
    _poll(key)
    if built and built["key"] == key and built.get("error"):
        st.error(md_escape(built["error"]))
    elif built and built["key"] == key:
        stem = _file_stem(plan)
        if built.get("draft"):
            st.caption(":material/draft: Bản dự thảo: đầu mỗi trang có dấu DỰ THẢO.")
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
        show_findings(built["findings"], open_items)
        if soffice_path():
            if built.get("pdf_error"):
                st.error(md_escape(built["pdf_error"]))
            if built["pdf"] is None and st.button("Tạo tệp PDF", key="export.pdf"):
                built.pop("pdf_error", None)
                _start_pdf(key, built["docx"])
                with st.spinner("LibreOffice đang chuyển sang PDF…"):
                    _harvest(key, wait_pdf=True)
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
            with st.spinner("Đang kiểm tra thể thức văn bản…"):
                findings = check_docx(other.getvalue(), other.name)
            show_findings(findings)
        except PlannerError as err:
            st.error(md_escape(str(err)))
