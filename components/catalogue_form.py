"""*Văn bản căn cứ* › Thêm / sửa văn bản and Thêm từ trích dẫn: the add/edit form for one row
of the user's own (kept in storage; the shipped catalogue is never rewritten), and a pasted
citation parsed into a prefilled form."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components import state
from components.catalogue_common import (
    LEVEL_TEXT,
    K,
    date_text,
    edit,
    flash,
    go,
    ref_label,
    select,
)
from components.catalogue_history import (
    base_version,
    conflict_panel,
    history_panel,
    remember_conflict,
)
from components.safe_text import md_escape
from planner.catalogue.citation import (
    directive_from_citation,
    find_citations,
    resolve,
    short_citation,
)
from planner.catalogue.files import check_catalogue
from planner.catalogue.model import (
    DOC_TYPES,
    ISSUER_LEVELS,
    STATUS_LABELS,
    STATUSES,
    Catalogue,
    Directive,
    make_id,
)
from planner.catalogue.user_rows import save_directive
from planner.errors import ConflictError, PlannerError


def edit_section(catalogue: Catalogue) -> None:
    """The form, empty or prefilled with the draft a button or a pasted citation left."""
    if conflict_panel():
        return  # the user first chooses which version to keep
    draft = state.get(state.CATALOGUE_DRAFT)
    if draft is None:
        st.caption("Thêm một văn bản mới vào danh mục. Các ô có dấu * là bắt buộc.")
    else:
        st.button("Bỏ, thêm văn bản mới", key=K + "new", on_click=edit, args=(None,))
    edit_form(catalogue, draft, key=f"{K}form.{state.get(state.CATALOGUE_FORM_EPOCH, 0)}")
    if draft is not None and draft.id in catalogue:
        history_panel(draft)


def edit_form(catalogue: Catalogue, draft: Directive | None, *, key: str) -> None:
    """The add/edit form; `draft` prefills it (an existing row is edited under its own id)."""
    existing = catalogue.get(draft.id) if draft is not None else None
    editing = existing is not None and draft is not None and existing.id == draft.id
    if editing:
        st.markdown(
            f"Đang sửa: **{md_escape(draft.label)}**. Bản sửa được lưu trong dữ liệu của bạn."
        )
    elif draft is not None:
        st.info(
            "Xem lại các thông tin đã tách từ trích dẫn, sửa nếu cần, rồi bấm **Lưu văn bản**.",
            icon=":material/fact_check:",
        )
    d = draft or Directive(id="", doc_type="Kế hoạch", number="", symbol="")
    types = list(DOC_TYPES)
    if d.doc_type and d.doc_type not in types:
        types.append(d.doc_type)
    others = sorted(
        (x.id for x in catalogue if x.id != d.id), key=lambda i: ref_label(catalogue, i)
    )
    with st.form(key, border=True):
        c1, c2, c3 = st.columns([1.2, 1.4, 1])
        doc_type = c1.selectbox(
            "Loại văn bản *", types, index=types.index(d.doc_type) if d.doc_type in types else 0
        )
        symbol = c2.text_input(
            "Số ký hiệu *", d.symbol, placeholder="25-NQ/TW, 16/CT-TTg, 30/2020/NĐ-CP"
        )
        issued = c3.date_input(
            "Ngày ban hành",
            value=d.issued,
            min_value=date(1945, 1, 1),
            max_value=date(2100, 12, 31),
            format="DD/MM/YYYY",
            help="Để trống nếu không có văn bản nào cho biết ngày.",
        )
        c4, c5 = st.columns([2, 1])
        issuer = c4.text_input(
            "Cơ quan ban hành", d.issuer, placeholder="Bộ Chính trị, UBND tỉnh Bình Dương…"
        )
        level = c5.selectbox(
            "Cấp ban hành",
            ["", *ISSUER_LEVELS],
            index=(
                ["", *ISSUER_LEVELS].index(d.issuer_level) if d.issuer_level in ISSUER_LEVELS else 0
            ),
            format_func=lambda v: LEVEL_TEXT.get(v, v),
        )
        title = st.text_area("Trích yếu", d.title, height=80, placeholder="về …")
        c6, c7, c8 = st.columns(3)
        status = c6.selectbox(
            "Hiệu lực",
            list(STATUSES),
            index=list(STATUSES).index(d.status) if d.status in STATUSES else len(STATUSES) - 1,
            format_func=lambda v: STATUS_LABELS[v],
        )
        replaced_by = c7.selectbox(
            "Được thay thế bởi",
            ["", *others],
            index=(["", *others].index(d.replaced_by) if d.replaced_by in others else 0),
            format_func=lambda i: ref_label(catalogue, i),
        )
        amends = c8.multiselect(
            "Sửa đổi, bổ sung văn bản",
            others,
            default=[i for i in d.amends if i in others],
            placeholder="Chọn văn bản",
            format_func=lambda i: ref_label(catalogue, i),
        )
        c9, c10 = st.columns(2)
        aliases = c9.text_input("Cách ghi số ký hiệu khác (cách nhau bằng ;)", "; ".join(d.aliases))
        topics = c10.text_input("Chủ đề (cách nhau bằng ;)", "; ".join(d.topics))
        source = st.text_input(
            "Nguồn thông tin *",
            d.source,
            placeholder="Văn bản hoặc trang nào cho biết các thông tin trên",
            help="Danh mục không ghi thông tin đoán: hãy ghi rõ lấy từ đâu.",
        )
        submitted = st.form_submit_button("Lưu văn bản", type="primary", icon=":material/save:")
    if not submitted:
        return
    row = {
        "id": d.id if editing else make_id(doc_type, symbol.strip(), issued, title),
        "doc_type": doc_type,
        "number": "",
        "symbol": symbol.strip(),
        "aliases": aliases,
        "issued": issued.isoformat() if issued else "",
        "issuer": issuer.strip(),
        "issuer_level": level,
        "title": title.strip(),
        "status": status,
        "replaced_by": replaced_by,
        "amends": "; ".join(amends),
        "topics": topics,
        "source": source.strip(),
    }
    _save_row(catalogue, row, editing=editing)


def _save_row(catalogue: Catalogue, row: dict[str, str], *, editing: bool) -> None:
    problems = []
    if not row["symbol"]:
        problems.append("Hãy nhập số ký hiệu.")
    if not row["source"]:
        problems.append("Hãy ghi nguồn thông tin (văn bản nào cho biết các thông tin này).")
    if not editing and row["id"] in catalogue:
        base = row["id"]
        n = 2
        while f"{base}-{n}" in catalogue:
            n += 1
        row["id"] = f"{base}-{n}"
    findings = check_catalogue([row], known_ids=[d.id for d in catalogue])
    problems += [
        f.message[:1].upper() + f.message[1:] + f" (cột {f.column})."
        for f in findings
        if f.column != "number"
    ]
    if row["symbol"] and not problems:
        from planner.catalogue.model import parse_date

        issued = parse_date(row["issued"])
        same = [
            x
            for x in catalogue.by_symbol(row["symbol"])
            if x.issued == issued and x.id != row["id"]
        ]
        if same:
            problems.append(
                f"Đã có văn bản cùng số ký hiệu và ngày ban hành: {short_citation(same[0])} "
                f"({date_text(same[0])}). Hãy sửa văn bản đó thay vì thêm mới."
            )
    if problems:
        st.error("Chưa lưu được:\n\n" + "\n".join(f"- {md_escape(p)}" for p in problems))
        return
    from planner.catalogue.model import directive_from_row

    try:
        directive = directive_from_row(row)
        save_directive(
            state.get_store(),
            directive,
            now=state.now(),
            base_version=base_version(directive.id) if editing else None,
        )
    except ConflictError as err:
        remember_conflict(err, directive.id)
        state.invalidate_catalogue()
        st.rerun()
    except (PlannerError, ValueError) as err:
        st.error(f"Chưa lưu được: {md_escape(str(err))}")
        return
    state.invalidate_catalogue()
    state.pop(state.CATALOGUE_DRAFT)
    state.put(state.CATALOGUE_SELECTED, directive.id)
    go("search")
    flash(f"Đã lưu {short_citation(directive)} vào danh mục.")
    st.rerun()


def paste_section(catalogue: Catalogue) -> None:
    """A pasted citation: the row it names when known, else a prefilled form to check."""
    st.caption(
        "Dán một câu trích dẫn, ví dụ “Căn cứ Kế hoạch số 106/KH-UBND, ngày 08/7/2020 của Ủy ban "
        "nhân dân thành phố Thủ Dầu Một về …”. Chương trình tách loại, số ký hiệu, ngày, cơ quan "
        "và trích yếu để bạn xem lại rồi lưu."
    )
    text = st.text_area("Câu trích dẫn", key=K + "paste.text", height=100)
    if not st.button("Phân tích trích dẫn", key=K + "paste.go", icon=":material/manage_search:"):
        return
    try:
        draft = directive_from_citation(text)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    for mention in find_citations(text)[:1]:
        known = resolve(mention, catalogue)
        if known is not None:
            st.info(
                f"Văn bản này đã có trong danh mục: {md_escape(short_citation(known))} "
                f"({date_text(known)})."
            )
            st.button("Xem văn bản", key=K + "paste.view", on_click=select, args=(known.id,))
            return
    state.put(state.CATALOGUE_DRAFT, draft)
    state.bump(state.CATALOGUE_FORM_EPOCH)
    go("edit")
    st.rerun()
