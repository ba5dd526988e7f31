"""The plan's header, Căn cứ list, opening, closing, Nơi nhận and signer: every field autosaves.

Each widget commits on blur (or Ctrl+Enter in a text area) and its callback stores the change
as a new version through `components.editor_session`.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components import editor_session as es
from components import state
from components.safe_text import md_escape
from planner.drafting import plan_edit as pe
from planner.model import SIGNER_PREFIXES, Plan

PREFIX_LABELS = {
    "": "(không có)",
    "KT.": "KT. (ký thay)",
    "TM.": "TM. (thay mặt)",
    "TL.": "TL. (thừa lệnh)",
    "TUQ.": "TUQ. (thừa ủy quyền)",
    "Q.": "Q. (quyền)",
}

META_LABELS = {
    "parent_authority": ("Cơ quan chủ quản", "Ví dụ: UBND THÀNH PHỐ THỦ DẦU MỘT"),
    "authority": ("Cơ quan ban hành", "Ví dụ: PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
    "number": ("Số", "(dự thảo)"),
    "symbol": ("Ký hiệu", "Ví dụ: KH-PGDĐT"),
    "place": ("Địa danh", "Ví dụ: Thủ Dầu Một"),
    "subject": ("Trích yếu", "Ví dụ: Thực hiện công tác dân vận chính quyền năm 2021"),
}
SIGNER_LABELS = {
    "position": ("Chức vụ người ký", "Ví dụ: TRƯỞNG PHÒNG"),
    "deputy_position": ("Chức vụ của người ký thay", "Ví dụ: PHÓ TRƯỞNG PHÒNG"),
    "name": ("Họ và tên người ký", "Ví dụ: Nguyễn Văn A"),
}


# ---------------------------------------------------------------- callbacks


def _on_meta(field: str, k: str) -> None:
    label = META_LABELS.get(field, ("Năm", ""))[0] if field != "issued" else "Ngày ban hành"
    es.edit(pe.set_meta, note=f"Sửa {label.lower()}", **{field: state.widget_value(k)})


def _on_year(k: str) -> None:
    es.edit(pe.set_meta, note="Sửa năm kế hoạch", year=int(state.widget_value(k)))


def _on_signer(field: str, k: str) -> None:
    es.edit(pe.set_signer, note="Sửa phần chữ ký", **{field: state.widget_value(k)})


def _on_recipients(k: str) -> None:
    es.edit(pe.set_recipients, pe.lines_of(state.widget_value(k)), note="Sửa nơi nhận")


def _on_paragraphs(which: str, k: str) -> None:
    fn = pe.set_preamble if which == "preamble" else pe.set_closing
    note = "Sửa phần mở đầu" if which == "preamble" else "Sửa phần kết"
    es.edit(fn, pe.paragraphs_of(state.widget_value(k)), note=note)


def _on_base_text(i: int, k: str) -> None:
    es.edit(pe.set_base_text, i, state.widget_value(k), note=f"Sửa căn cứ {i + 1}")


def _on_add_base_text(k: str) -> None:
    text = state.get(k, "")
    if not text.strip():
        es.fail("Hãy gõ nội dung căn cứ trước khi thêm.")
        return
    es.edit(pe.add_base, text, note="Thêm căn cứ", structural=True, notice="Đã thêm căn cứ.")
    state.put(k, "")


# ---------------------------------------------------------------- header


def header_form(plan: Plan) -> None:
    """Cơ quan, số/ký hiệu, địa danh, ngày, năm, trích yếu."""
    m = plan.meta
    left, right = st.columns(2)
    with left:
        _meta_input("parent_authority", m.parent_authority)
        _meta_input("authority", m.authority)
        num, sym = st.columns([1, 2])
        with num:
            _meta_input("number", m.number)
        with sym:
            _meta_input("symbol", m.symbol)
    with right:
        _meta_input("place", m.place)
        day, year = st.columns(2)
        with day:
            k = es.key("meta.issued")
            es.seed(k, m.issued)
            st.date_input(
                "Ngày ban hành",
                key=k,
                min_value=date(1990, 1, 1),
                max_value=date(2100, 12, 31),
                format="DD/MM/YYYY",
                help="Để trống khi là dự thảo.",
                on_change=_on_meta,
                args=("issued", k),
            )
        with year:
            k = es.key("meta.year")
            es.seed(k, m.year or state.today().year)
            st.number_input(
                "Năm kế hoạch", key=k, min_value=1900, max_value=9999, step=1,
                on_change=_on_year, args=(k,),
            )  # fmt: skip
    _meta_input("subject", m.subject)


def _meta_input(field: str, value: str) -> None:
    label, placeholder = META_LABELS[field]
    k = es.key("meta", field)
    es.seed(k, value)
    help_text = (
        "Để trống khi là dự thảo: văn thư cấp số khi ban hành." if field == "number" else None
    )
    st.text_input(
        label, key=k, placeholder=placeholder, help=help_text, on_change=_on_meta, args=(field, k)
    )


# ---------------------------------------------------------------- Căn cứ


def bases_editor(plan: Plan) -> None:
    """The Căn cứ list: edit, reorder, remove, add from the catalogue or typed."""
    if not plan.bases:
        st.info("Chưa có căn cứ nào. Hãy thêm từ danh mục văn bản hoặc tự gõ bên dưới.")
    n = len(plan.bases)
    for i, base in enumerate(plan.bases):
        text_col, buttons = st.columns([12, 3], vertical_alignment="center")
        with text_col:
            k = es.key("base", i)
            es.seed(k, base.text)
            st.text_area(
                f"Căn cứ {i + 1}",
                key=k,
                height=68,
                on_change=_on_base_text,
                args=(i, k),
                label_visibility="collapsed",
            )
        up, down, remove = buttons.columns(3)
        up.button(
            "", key=es.key("base.up", i), icon=":material/arrow_upward:", help="Đưa lên",
            disabled=i == 0, on_click=es.edit, args=(pe.move_base, i, -1),
            kwargs={"note": "Đổi thứ tự căn cứ", "structural": True},
        )  # fmt: skip
        down.button(
            "", key=es.key("base.down", i), icon=":material/arrow_downward:", help="Đưa xuống",
            disabled=i == n - 1, on_click=es.edit, args=(pe.move_base, i, 1),
            kwargs={"note": "Đổi thứ tự căn cứ", "structural": True},
        )  # fmt: skip
        remove.button(
            "", key=es.key("base.del", i), icon=":material/delete:", help="Xóa căn cứ này",
            on_click=es.edit, args=(pe.remove_base, i),
            kwargs={"note": f"Xóa căn cứ {i + 1}", "structural": True,
                    "notice": "Đã xóa căn cứ (có thể khôi phục trong Lịch sử phiên bản)."},
        )  # fmt: skip
        if base.directive_id:
            text_col.caption(":material/link: Đã liên kết với danh mục văn bản.")
    _sort_button(plan)
    _add_from_catalogue(plan)
    with st.expander("Tự gõ một căn cứ", icon=":material/edit:"):
        k = es.key("base.new")
        st.text_area(
            "Nội dung căn cứ",
            key=k,
            height=68,
            placeholder="Căn cứ Kế hoạch số …/KH-UBND ngày … của … về …;",
        )
        st.button("Thêm căn cứ", key=es.key("base.new.add"), on_click=_on_add_base_text, args=(k,))


def _catalogue():  # type: ignore[no-untyped-def]
    """The catalogue (shipped rows and the user's), cached by components.state."""
    return state.get_catalogue()


def _add_from_catalogue(plan: Plan) -> None:
    from planner.catalogue.citation import base_line
    from planner.drafting.bases_order import add_base_in_order

    with st.expander("Thêm căn cứ từ danh mục văn bản", icon=":material/library_add:"):
        try:
            catalogue = _catalogue()
        except Exception as e:  # a broken catalogue must not take the editor down
            st.error(f"Không đọc được danh mục văn bản: {md_escape(str(e))}")
            return
        picked = _pick(catalogue)
        if picked is None:
            return
        already = any(b.directive_id == picked.id for b in plan.bases)
        line = base_line(picked)
        st.markdown(f"*{md_escape(line)}*")
        if already:
            st.caption("Văn bản này đã có trong danh sách căn cứ.")
        st.button(
            "Thêm vào căn cứ", key=es.key("base.cat.add", picked.id), type="primary",
            icon=":material/add:", on_click=es.edit,
            args=(add_base_in_order, line, picked.id, catalogue),  # at its place in the order
            kwargs={"note": "Thêm căn cứ từ danh mục", "structural": True,
                    "notice": "Đã thêm căn cứ."},
        )  # fmt: skip


def _sort_button(plan: Plan) -> None:
    """*Sắp xếp lại Căn cứ* (components/citation_picker.py)."""
    from components.citation_picker import sort_bases_button

    try:
        catalogue = _catalogue()
    except Exception:  # a broken catalogue: _add_from_catalogue says so
        return
    sort_bases_button(plan, catalogue, key=es.key("base.sort"), edit=es.edit)


def _pick(catalogue):  # type: ignore[no-untyped-def]
    """The catalogue's search-and-pick widget (components/citation_picker.py)."""
    from components.citation_picker import citation_picker

    return citation_picker(catalogue, key="editor.base.picker")


# ---------------------------------------------------------------- opening and closing


def paragraphs_editor(plan: Plan, which: str) -> None:
    """Phần mở đầu or phần kết: one paragraph a line."""
    label = "Phần mở đầu (sau các căn cứ)" if which == "preamble" else "Phần kết"
    items = plan.preamble if which == "preamble" else plan.closing
    k = es.key("para", which)
    es.seed(k, "\n".join(items))
    st.text_area(
        label,
        key=k,
        height=110,
        help="Mỗi dòng là một đoạn văn.",
        on_change=_on_paragraphs,
        args=(which, k),
    )


# ---------------------------------------------------------------- Nơi nhận and signer


def closing_form(plan: Plan) -> None:
    """Nơi nhận (one a line) beside the signer (quyền hạn ký, chức vụ, họ tên)."""
    left, right = st.columns(2)
    with left:
        k = es.key("recipients")
        es.seed(k, "\n".join(plan.recipients))
        st.text_area(
            "Nơi nhận (mỗi dòng một nơi)",
            key=k,
            height=180,
            help="Dòng cuối thường là “Lưu: VT.”",
            on_change=_on_recipients,
            args=(k,),
        )
    with right:
        s = plan.signer
        k = es.key("signer.prefix")
        es.seed(k, s.prefix if s.prefix in SIGNER_PREFIXES else "")
        st.selectbox(
            "Quyền hạn ký",
            SIGNER_PREFIXES,
            key=k,
            format_func=PREFIX_LABELS.__getitem__,
            on_change=_on_signer,
            args=("prefix", k),
        )
        _signer_input("position", s.position, head=s.prefix == "KT.")
        if s.prefix == "KT.":
            _signer_input("deputy_position", s.deputy_position)
        _signer_input("name", s.name)


def _signer_input(field: str, value: str, *, head: bool = False) -> None:
    label, placeholder = SIGNER_LABELS[field]
    if head:
        label = "Chức vụ người đứng đầu (dòng KT.)"
    k = es.key("signer", field)
    es.seed(k, value)
    st.text_input(label, key=k, placeholder=placeholder, on_change=_on_signer, args=(field, k))
