"""After a Word plan is read (Trang chủ › Tạo kế hoạch năm mới › Tệp Word): the documents it
cites that the catalogue lacks, to add in one go.

`uncatalogued_notice(plan, name, digest)` says “N văn bản được trích dẫn chưa có trong danh
mục” with one button; the button opens a table of those documents, prefilled from the citations
(`planner.drafting.harvest.uncatalogued_citations`: type, symbol, date, issuer and title as the
plan writes them, status unknown, the plan and place as the source), each with a tick box and
the issuer, level and title editable. *Thêm vào danh mục* saves the ticked ones as the user's
own rows, in one transaction.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.catalogue.citation import citation_date
from planner.catalogue.model import ISSUER_LEVEL_LABELS, ISSUER_LEVELS, Directive
from planner.catalogue.user_rows import save_directives
from planner.drafting.harvest import uncatalogued_citations
from planner.errors import PlannerError
from planner.model import Plan

_LEVEL_BY_LABEL = {label: key for key, label in ISSUER_LEVEL_LABELS.items()}


def _found(plan: Plan, name: str) -> list[Directive]:
    catalogue = state.get_catalogue()
    return [d for d in uncatalogued_citations(plan, catalogue, name=name) if d.id not in catalogue]


def uncatalogued_notice(plan: Plan, name: str, digest: str) -> None:
    """The count of cited documents the catalogue lacks, and their review table on a click."""
    try:
        rows = _found(plan, name)
    except PlannerError as err:
        st.warning(
            f"Chưa đối chiếu được các văn bản được trích dẫn với danh mục: {md_escape(str(err))}"
        )
        return
    if not rows:
        return
    with st.container(border=True):
        st.markdown(
            f":material/library_add: **{len(rows)} văn bản được trích dẫn chưa có trong danh "
            f"mục** văn bản căn cứ (từ “{md_escape(name)}”)."
        )
        if state.get(state.HARVEST_OPEN) != digest:
            st.button(
                "Xem và thêm vào danh mục",
                key="harvest.open_button",
                icon=":material/fact_check:",
                on_click=state.put,
                args=(state.HARVEST_OPEN, digest),
            )
            return
        _review(rows, name, digest)


def _review(rows: list[Directive], name: str, digest: str) -> None:
    st.caption(
        "Thông tin lấy từ câu trích dẫn trong kế hoạch; hiệu lực để “chưa rõ”. Sửa cơ quan, cấp "
        "hoặc trích yếu nếu cần, bỏ chọn văn bản không muốn thêm."
    )
    table = pd.DataFrame(
        {
            "Thêm": [True] * len(rows),
            "Loại": [d.doc_type for d in rows],
            "Số ký hiệu": [d.symbol for d in rows],
            "Ngày ban hành": [citation_date(d.issued) if d.issued else "" for d in rows],
            "Cơ quan ban hành": [d.issuer for d in rows],
            "Cấp": [ISSUER_LEVEL_LABELS.get(d.issuer_level, "") for d in rows],
            "Trích yếu": [d.title for d in rows],
            "Trích dẫn ở": [d.source for d in rows],
        }
    )
    edited = st.data_editor(
        table,
        key=f"harvest.table.{digest}.{state.get(state.HARVEST_N, 0)}",
        hide_index=True,
        width="stretch",
        disabled=["Loại", "Số ký hiệu", "Ngày ban hành", "Trích dẫn ở"],
        column_config={
            "Thêm": st.column_config.CheckboxColumn(width=60),
            "Cấp": st.column_config.SelectboxColumn(
                options=[ISSUER_LEVEL_LABELS[k] for k in ISSUER_LEVELS]
            ),
            "Trích yếu": st.column_config.TextColumn(width="large"),
        },
    )
    chosen = [
        replace(
            d,
            issuer=str(edited["Cơ quan ban hành"][i] or "").strip(),
            issuer_level=_LEVEL_BY_LABEL.get(str(edited["Cấp"][i] or ""), ""),
            title=str(edited["Trích yếu"][i] or "").strip(),
        )
        for i, d in enumerate(rows)
        if bool(edited["Thêm"][i])
    ]
    add, close = st.columns([2, 1])
    add.button(
        f"Thêm {len(chosen)} văn bản vào danh mục",
        key="harvest.add",
        type="primary",
        icon=":material/add:",
        disabled=not chosen,
        on_click=_add,
        args=(chosen, name),
    )
    close.button("Để sau", key="harvest.close", on_click=state.pop, args=(state.HARVEST_OPEN,))


def _add(chosen: list[Directive], name: str) -> None:
    """The button's callback: save the ticked rows in one transaction; the notice then counts
    what is still missing."""
    try:
        count = save_directives(
            state.get_store(), chosen, now=state.now(), note=f"Thêm từ trích dẫn trong {name}"
        )
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    state.invalidate_catalogue()
    state.pop(state.HARVEST_OPEN)
    state.bump(state.HARVEST_N)
    st.toast(f"Đã thêm {count} văn bản vào danh mục văn bản căn cứ.", icon=":material/check:")
