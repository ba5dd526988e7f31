"""Trang chủ: “Tạo kế hoạch năm mới từ kế hoạch năm trước”.

The source is a saved plan, a Word file (.docx) or the built-in sample; the target year
defaults to the source's year + 1. The rollover makes the draft and its findings; the draft is
stored, opened, and the editor page shown. Last year's plan is kept in the store too (the
sample is saved as its own plan) so that the editor can show it beside the draft.

A Word file is first read and its import report shown (`planner.docx.reader.import_report`):
header, Căn cứ, preamble, sections with their depth, tables, appendices, signer, suggested
tasks and what was not understood, quoted. Nothing is saved until *Tiếp tục*, which saves the
file's plan and opens it (the documents it cites that the catalogue lacks are offered then);
*Hủy* drops the file. A bad file, or a refused document type, gives a Vietnamese message
naming the file, and nothing is saved.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import streamlit as st

from components import state
from components.plan_picker import plan_labels
from components.safe_text import md_escape
from planner.docx.reader import ImportResult
from planner.errors import NotFoundError, PlannerError
from planner.model import Plan, with_extra
from planner.sample import sample_plan

SOURCES = {
    "saved": "Kế hoạch đã lưu",
    "docx": "Tệp Word (.docx)",
    "sample": "Kế hoạch mẫu 2020",
}
EDITOR_PAGE = "views/editor.py"
INDENT = "\u2003\u2003"  # two em spaces per level of a section in the report


def _catalogue():  # type: ignore[no-untyped-def]
    from components.header_form import _catalogue as get

    return get()


def _imported(data: bytes, name: str) -> tuple[str, ImportResult]:
    """Import an uploaded .docx once per file (kept in the session while it stays chosen);
    (the file's digest, the result)."""
    from planner.docx.reader import import_docx

    digest = hashlib.sha256(data).hexdigest()
    cached = state.get(state.NEW_YEAR_IMPORTED)
    if cached and cached[0] == digest:
        return digest, cached[1]
    result = import_docx(data, name)
    state.put(state.NEW_YEAR_IMPORTED, (digest, result))
    return digest, result


# ---------------------------------------------------------------- the import report


def _md_list(items: list[str], empty: str) -> str:
    """User lines as a Markdown list, each escaped; `empty` (our text) when there is none."""
    if not items:
        return f"_{empty}_"
    return "\n".join(f"- {md_escape(x)}" for x in items)


def _date_text(iso: str | None) -> str:
    if not iso:
        return "chưa có ngày"
    y, m, d = iso.split("-")
    return f"ngày {d}/{m}/{y}"


def _header_part(report: dict[str, Any]) -> None:
    h = report["header"]
    number = f"{h['number'] or '…'}/{h['symbol']}" if h["symbol"] else "(chưa có số)"
    rows = [
        ("Loại văn bản", report["doc_type"]),
        ("Cơ quan chủ quản", h["parent_authority"] or "(không có)"),
        ("Cơ quan ban hành", h["authority"] or "(chưa rõ)"),
        ("Số, ký hiệu", number),
        ("Địa danh, ngày", f"{h['place'] or '(chưa rõ địa danh)'}, {_date_text(h['issued'])}"),
        ("Năm", str(h["year"] or "(chưa rõ)")),
        ("Trích yếu", h["subject"] or "(không có)"),
    ]
    rows += [("Dòng dưới trích yếu", x) for x in h["subtitles"]]
    st.markdown("  \n".join(f"{label}: **{md_escape(value)}**" for label, value in rows))


def _sections_part(report: dict[str, Any]) -> None:
    if not report["sections"]:
        st.markdown("_Không nhận ra mục nào: nội dung nằm ở lời mở đầu._")
        return
    st.markdown(
        "  \n".join(
            f"{INDENT * (x['depth'] - 1)}**{md_escape(x['path'])}.** {md_escape(x['title'])} "
            f"· cấp {x['depth']} · {x['blocks']} đoạn/bảng"
            for x in report["sections"]
        )
    )


def _tables_part(report: dict[str, Any]) -> None:
    st.markdown(
        _md_list(
            [
                f"{t['where'][:1].upper()}{t['where'][1:]}: {t['rows']} hàng × {t['columns']} "
                f"cột, {t['header_rows']} hàng tiêu đề, {t['merged']} ô gộp; hàng đầu: "
                + " | ".join(t["first_row"])
                for t in report["tables"]
            ],
            "Không có bảng.",
        )
    )


def _appendices_part(report: dict[str, Any]) -> None:
    st.markdown(
        _md_list(
            [
                (a["title"] or "(không tiêu đề)")
                + (f" — {'; '.join(a['subtitles'])}" if a["subtitles"] else "")
                + f": {a['blocks']} đoạn/bảng ({a['tables']} bảng)"
                + (", trang ngang" if a["landscape"] else "")
                for a in report["appendices"]
            ],
            "Không có phụ lục sau chỗ ký.",
        )
    )


def _closing_part(report: dict[str, Any]) -> None:
    signer = report["signer"]
    st.markdown(
        "Người ký: **"
        + (md_escape(" / ".join(signer["lines"])) or "(chưa rõ chức vụ)")
        + "** — "
        + (md_escape(signer["name"]) or "(chưa rõ tên)")
    )
    st.markdown("Nơi nhận:")
    st.markdown(_md_list(report["recipients"], "Không đọc được danh sách nơi nhận."))


def _task_lines(plan: Plan) -> tuple[str, str, list[str]]:
    """(expander label, caption, one line per task): the tasks read from the file's schedule
    table, or else the tasks `suggest_tasks` proposes from the plan's text."""
    from planner.progress.tasks import suggest_tasks

    def line(title: str, lead: str, due: object) -> str:
        return title + (f" — {lead}" if lead else "") + (f" — hạn {due:%d/%m/%Y}" if due else "")

    if plan.tasks:
        return (
            f"Công việc đọc từ bảng tiến độ ({len(plan.tasks)})",
            "Đọc từ bảng “Tiến độ thực hiện” của tệp; được lưu cùng kế hoạch.",
            [line(t.title, t.lead, t.due) for t in plan.tasks],
        )
    found = suggest_tasks(plan)
    return (
        f"Công việc gợi ý ({len(found)})",
        "Gợi ý từ mục “Tổ chức thực hiện” và các bảng lịch; chưa thêm vào kế hoạch: chọn ở "
        "trang Tiến độ sau khi lưu.",
        [line(x.task.title, x.task.lead, x.task.due) for x in found],
    )


def import_report_view(result: ImportResult, name: str) -> None:
    """What the file gave, part by part, every piece of its text escaped."""
    from planner.docx.reader import import_report

    report = import_report(result)
    plan = result.plan
    n_sections = len(report["sections"])
    st.success(
        f"Đã đọc “{md_escape(name)}”: {md_escape(plan.title)}, năm "
        f"{plan.meta.year or '(chưa rõ)'}, {n_sections} mục, {len(plan.bases)} căn cứ."
    )
    st.markdown(
        "**Báo cáo đọc tệp** — chưa lưu gì. Kiểm tra những gì chương trình đọc được, rồi bấm "
        "**Tiếp tục** để lưu thành kế hoạch hoặc **Hủy** để bỏ tệp này."
    )
    unknown = report["not_understood"]
    if unknown:
        st.warning(
            f"**Chưa hiểu {len(unknown)} dòng** (đã giữ nguyên văn trong kế hoạch, hãy xem lại "
            "sau khi lưu):  \n" + "  \n".join(f"“{md_escape(x)}”" for x in unknown)
        )
    for x in report["skipped"]:
        st.info(f"Bỏ qua: {md_escape(x)}")
    with st.expander("Phần đầu văn bản", expanded=True):
        _header_part(report)
    with st.expander(f"Căn cứ ({len(report['bases'])})"):
        st.markdown(_md_list(report["bases"], "Không có căn cứ."))
    with st.expander(f"Lời mở đầu ({len(report['preamble'])} đoạn)"):
        st.markdown(_md_list(report["preamble"], "Không có lời mở đầu."))
    with st.expander(f"Các mục ({n_sections})", expanded=True):
        _sections_part(report)
    with st.expander(f"Bảng ({len(report['tables'])})"):
        _tables_part(report)
    with st.expander(f"Phụ lục sau chỗ ký ({len(report['appendices'])})"):
        _appendices_part(report)
    with st.expander("Nơi nhận và người ký"):
        _closing_part(report)
    label, caption, lines = _task_lines(plan)
    with st.expander(label):
        st.caption(caption)
        st.markdown(_md_list(lines, "Không có công việc nào."))
    if result.warnings:
        with st.expander(f"Lưu ý khi đọc tệp ({len(result.warnings)})"):
            st.markdown(_md_list(list(result.warnings), ""))


def _docx_source() -> tuple[Plan, str] | None:
    """The Word branch: the uploader, the report with Tiếp tục / Hủy; once Tiếp tục saved the
    file's plan, (that plan, its id) for the rollover, else None."""
    flash = state.pop(state.NEW_YEAR_FLASH)
    if flash:
        st.info(flash)
    uploaded = st.file_uploader(
        "Kế hoạch năm trước dạng Word (.docx)", type=["docx"], key=state.new_year_upload_key()
    )
    if uploaded is None:
        st.caption("Chọn tệp .docx của kế hoạch năm trước (tệp .doc cũ: hãy mở bằng Word và "
                   "lưu lại dưới dạng .docx).")  # fmt: skip
        return None
    name = uploaded.name
    try:
        digest, result = _imported(uploaded.getvalue(), name)
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return None
    store = state.get_store()
    saved = state.get(state.NEW_YEAR_SAVED)
    if saved and saved[0] == digest:
        try:
            stored = store.open(saved[1])
        except NotFoundError:
            state.pop(state.NEW_YEAR_SAVED)  # deleted since: read the file again
        except PlannerError as e:
            st.error(md_escape(str(e)))
            return None
        else:
            st.success(
                f"Đã lưu “{md_escape(name)}” thành kế hoạch **{md_escape(stored.plan.title)}** "
                f"(năm {stored.plan.meta.year}); kế hoạch này đang mở."
            )
            from components.catalogue_harvest import uncatalogued_notice

            uncatalogued_notice(stored.plan, name, digest)
            return stored.plan, saved[1]
    plan = result.plan
    with st.container(border=True):
        import_report_view(result, name)
        if not plan.meta.year:
            st.warning("Không đọc được năm của kế hoạch trong tệp: hãy cho biết năm của nó.")
            year = st.number_input(
                "Năm của kế hoạch trong tệp",
                min_value=1900,
                max_value=9999,
                value=state.today().year - 1,
                step=1,
                key=f"newyear.fileyear.{digest}",
            )
            plan = replace(plan, meta=replace(plan.meta, year=int(year)))
        buttons = st.container(horizontal=True)
        if buttons.button(
            "Tiếp tục",
            type="primary",
            icon=":material/save:",
            key=state.NEW_YEAR_CONTINUE,
            disabled=not store.writable,
            help="Lưu kế hoạch đọc được từ tệp và mở nó",
        ):
            try:
                new_id = store.create(plan, now=state.now(), title=f"{plan.title} (nhập từ {name})")
            except PlannerError as e:
                st.error(md_escape(str(e)))
                return None
            state.put(state.NEW_YEAR_SAVED, (digest, new_id))
            state.open_plan(new_id)
            st.rerun()
        if buttons.button("Hủy", icon=":material/close:", key=state.NEW_YEAR_CANCEL):
            state.pop(state.NEW_YEAR_IMPORTED)
            state.bump(state.NEW_YEAR_UPLOAD_N)
            state.put(
                state.NEW_YEAR_FLASH,
                f"Đã hủy: không lưu gì từ tệp “{md_escape(name)}”.",
            )
            st.rerun()
    return None


def create_next_year(
    source: Plan, year: int, *, previous_id: str | None = None, previous_title: str | None = None
) -> str:
    """Roll `source` over to `year`, store last year's plan (when not stored yet) and the
    draft; return the draft's id. Nothing is stored when the rollover fails."""
    from planner.drafting.rollover import rollover

    store = state.get_store()
    # The rollover runs first: if it refuses (a bad year), nothing has been saved.
    result = rollover(
        source, year, catalogue=_catalogue(), today=state.today(), previous_id=previous_id
    )
    draft = result.plan
    if previous_id is None:
        # Last year's plan gets its own place in the store; the draft points at it.
        stored_id = store.create(source, now=state.now(), title=previous_title)
        draft = with_extra(draft, previous_plan_id=stored_id, previous_plan=None)
    return store.create(draft, now=state.now())


def new_year_form() -> None:
    """The new-year flow: choose last year's plan and the year, then create and open."""
    store = state.get_store()
    choice = st.radio(
        "Kế hoạch năm trước lấy từ",
        list(SOURCES),
        format_func=SOURCES.__getitem__,
        horizontal=True,
        key="newyear.source",
    )
    source: Plan | None = None
    source_id: str | None = None
    title: str | None = None
    if choice == "saved":
        plans = store.list_plans()
        if not plans:
            st.info("Chưa có kế hoạch nào được lưu. Hãy chọn tệp Word hoặc kế hoạch mẫu.")
            return
        ids = [p.id for p in plans]
        labels = plan_labels(plans)
        current = state.current_plan_id()
        picked = st.selectbox(
            "Kế hoạch năm trước",
            ids,
            index=ids.index(current) if current in ids else 0,
            format_func=labels.__getitem__,
            key="newyear.saved",
        )
        try:
            source = store.open(picked).plan
        except PlannerError as e:
            st.error(md_escape(str(e)))
            return
        source_id = picked
    elif choice == "docx":
        found = _docx_source()
        if found is None:
            return
        source, source_id = found
    else:
        source = sample_plan()
        title = f"{source.title} (kế hoạch mẫu)"
        st.caption("Kế hoạch số 932/KH-PGDĐT ngày 14/7/2020 về công tác dân vận chính quyền.")
    assert source is not None
    if not source.meta.year:
        st.warning("Không đọc được năm của kế hoạch năm trước: hãy cho biết năm của nó.")
        old_year = st.number_input(
            "Năm của kế hoạch năm trước",
            min_value=1900,
            max_value=9999,
            value=state.today().year - 1,
            step=1,
            key=f"newyear.oldyear.{choice}",
        )
        source = replace(source, meta=replace(source.meta, year=int(old_year)))
    base_year = source.meta.year
    year_col, button_col = st.columns([1, 2], vertical_alignment="bottom")
    year = year_col.number_input(
        "Năm của kế hoạch mới",
        min_value=1900,
        max_value=9999,
        value=base_year + 1,
        step=1,
        key=f"newyear.year.{choice}.{base_year}",
    )
    if button_col.button(
        f"Tạo kế hoạch năm {int(year)}",
        type="primary",
        icon=":material/event_repeat:",
        key="newyear.create",
    ):
        try:
            with st.spinner("Đang tạo kế hoạch năm mới và rà soát các chỗ cần sửa…"):
                new_id = create_next_year(
                    source, int(year), previous_id=source_id, previous_title=title
                )
        except PlannerError as e:
            st.error(md_escape(str(e)))
            return
        state.open_plan(new_id)
        # The id goes with the switch, so the editor's URL carries it from its first run.
        st.switch_page(EDITOR_PAGE, query_params={state.PLAN_PARAM: new_id})
