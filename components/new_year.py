"""Trang chủ: “Tạo kế hoạch năm mới từ kế hoạch năm trước”.

The source is a saved plan, a Word file (.docx) or the built-in sample; the target year
defaults to the source's year + 1. The rollover makes the draft and its findings; the draft is
stored, opened, and the editor page shown. Last year's plan is kept in the store too (a .docx
or the sample is saved as its own plan) so that the editor can show it beside the draft.
A bad file gives a Vietnamese message and nothing is saved.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import streamlit as st

from components import state
from components.plan_picker import plan_labels
from planner.errors import PlannerError
from planner.model import Plan, with_extra
from planner.sample import sample_plan

SOURCES = {
    "saved": "Kế hoạch đã lưu",
    "docx": "Tệp Word (.docx)",
    "sample": "Kế hoạch mẫu 2020",
}
EDITOR_PAGE = "views/editor.py"


def _catalogue():  # type: ignore[no-untyped-def]
    from components.header_form import _catalogue as get

    return get()


def _imported(data: bytes, name: str):  # type: ignore[no-untyped-def]
    """Import an uploaded .docx once per file (kept in the session while it stays chosen)."""
    from planner.docx.reader import import_docx

    digest = hashlib.sha256(data).hexdigest()
    cached = state.get(state.NEW_YEAR_IMPORTED)
    if cached and cached[0] == digest:
        return cached[1]
    result = import_docx(data, name)
    state.put(state.NEW_YEAR_IMPORTED, (digest, result))
    return result


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
            st.error(str(e))
            return
        source_id = picked
    elif choice == "docx":
        uploaded = st.file_uploader(
            "Kế hoạch năm trước dạng Word (.docx)", type=["docx"], key="newyear.docx"
        )
        if uploaded is None:
            st.caption("Chọn tệp .docx của kế hoạch năm trước (tệp .doc cũ: hãy mở bằng Word và "
                       "lưu lại dưới dạng .docx).")  # fmt: skip
            return
        try:
            result = _imported(uploaded.getvalue(), uploaded.name)
        except PlannerError as e:
            st.error(str(e))
            return
        source = result.plan
        title = f"{source.title} (nhập từ {uploaded.name})"
        st.success(
            f"Đã đọc “{uploaded.name}”: {source.title}, năm {source.meta.year or '(chưa rõ)'}, "
            f"{sum(1 for _ in source.iter_sections())} mục, {len(source.bases)} căn cứ."
        )
        if result.warnings:
            with st.expander(f"Lưu ý khi đọc tệp ({len(result.warnings)})", expanded=True):
                for w in result.warnings:
                    st.warning(w)
        from components.catalogue_harvest import uncatalogued_notice

        uncatalogued_notice(source, uploaded.name, state.get(state.NEW_YEAR_IMPORTED)[0])
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
            st.error(str(e))
            return
        state.open_plan(new_id)
        # The id goes with the switch, so the editor's URL carries it from its first run.
        st.switch_page(EDITOR_PAGE, query_params={state.PLAN_PARAM: new_id})
