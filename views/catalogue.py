"""Văn bản căn cứ: search the directive catalogue, see a directive's status and relations, add
it to the open plan's Căn cứ, and keep the user's own rows (add, edit, paste a citation, import
a file, export). The user's rows live in storage; the shipped CSV is never rewritten."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from components import state
from components.citation_picker import option_label, outdated_note, status_badge
from planner.catalogue.citation import (
    base_line,
    citation_date,
    directive_from_citation,
    find_citations,
    first_citation,
    resolve,
    short_citation,
)
from planner.catalogue.files import (
    apply_mapping,
    check_catalogue,
    export_csv,
    export_xlsx,
    guess_mapping,
    prepare_import,
    read_table,
)
from planner.catalogue.model import (
    COLUMNS,
    DOC_TYPES,
    ISSUER_LEVEL_LABELS,
    ISSUER_LEVELS,
    STATUS_LABELS,
    STATUSES,
    Catalogue,
    Directive,
    make_id,
)
from planner.catalogue.user_rows import (
    delete_directive,
    save_directive,
    save_directives,
    user_directive_ids,
)
from planner.drafting import plan_edit
from planner.errors import PlannerError

K = "catalogue."  # every session key of this page starts with this
SELECTED = K + "selected"
SECTION = K + "section"
DRAFT = K + "draft"  # a Directive to prefill the add/edit form
SECTIONS = {
    "search": "Tra cứu",
    "edit": "Thêm / sửa văn bản",
    "paste": "Thêm từ trích dẫn",
    "import": "Nhập từ tệp",
    "export": "Xuất danh mục",
}
ANY = "Tất cả"
LEVEL_TEXT = {"": "—", **ISSUER_LEVEL_LABELS}


def _select(directive_id: str) -> None:
    st.session_state[SELECTED] = directive_id
    st.session_state[K + "keep"] = True
    st.session_state[SECTION] = "search"


def _edit(directive: Directive | None) -> None:
    st.session_state[DRAFT] = directive
    st.session_state[SECTION] = "edit"
    st.session_state[K + "form_epoch"] = st.session_state.get(K + "form_epoch", 0) + 1


def _go(section: str) -> None:
    """Switch section on the next run (for code that runs after the switcher is drawn)."""
    st.session_state[K + "pending"] = section


def _source_text(source: str) -> str:
    """The row's source for people (the shipped rows name "official publication")."""
    return source.replace("official publication", "văn bản công bố chính thức") or "—"


def _date_text(d: Directive) -> str:
    return citation_date(d.issued) if d.issued else "chưa rõ"


# --------------------------------------------------------------------------- search
def _filters(catalogue: Catalogue) -> dict[str, object]:
    types = sorted({d.doc_type for d in catalogue if d.doc_type})
    years = [d.issued.year for d in catalogue if d.issued]
    c1, c2, c3, c4 = st.columns([1, 1, 1, 1.4])
    doc_type = c1.selectbox("Loại văn bản", [ANY, *types], key=K + "f.type")
    level = c2.selectbox(
        "Cấp ban hành",
        [ANY, *ISSUER_LEVELS],
        key=K + "f.level",
        format_func=lambda v: ISSUER_LEVEL_LABELS.get(v, v),
    )
    status = c3.selectbox(
        "Hiệu lực",
        [ANY, *STATUSES],
        key=K + "f.status",
        format_func=lambda v: STATUS_LABELS.get(v, v),
    )
    year_from = year_to = None
    if years and min(years) < max(years):
        low, high = c4.slider(
            "Năm ban hành", min(years), max(years), (min(years), max(years)), key=K + "f.years"
        )
        if (low, high) != (min(years), max(years)):
            year_from, year_to = low, high
    return {
        "doc_type": None if doc_type == ANY else doc_type,
        "issuer_level": None if level == ANY else level,
        "status": None if status == ANY else status,
        "year_from": year_from,
        "year_to": year_to,
    }


def search_section(catalogue: Catalogue, stored) -> None:  # type: ignore[no-untyped-def]
    query = st.text_input(
        "Tìm văn bản",
        key=K + "query",
        type="search",
        live="300ms",
        placeholder="Ví dụ: 25-NQ/TW · nghi quyet 25 · cai cach hanh chinh · 76/NQ-CP 2021",
        help="Gõ số ký hiệu (viết kiểu nào cũng được), loại văn bản, vài từ trong tên hoặc "
        "năm ban hành; không cần gõ dấu.",
    )
    filters = _filters(catalogue)
    keep = st.session_state.pop(K + "keep", False)  # a link or the URL chose the row
    if st.session_state.get(K + "last_query") != (query, filters):
        if not keep:
            st.session_state.pop(SELECTED, None)  # a new search shows its own top hit
        st.session_state[K + "last_query"] = (query, filters)
        st.session_state[K + "search_no"] = st.session_state.get(K + "search_no", 0) + 1
    hits = catalogue.search(query or "", limit=50, **filters)  # type: ignore[arg-type]
    if not hits:
        st.info("Không tìm thấy văn bản phù hợp. Hãy thử số ký hiệu hoặc vài từ trong tên.")
        selected = catalogue.get(st.session_state.get(SELECTED, ""))
        if selected is not None:
            detail(catalogue, selected, stored)
        return
    table = pd.DataFrame(
        {
            "Loại": [h.directive.doc_type for h in hits],
            "Số ký hiệu": [h.directive.symbol or "—" for h in hits],
            "Ngày ban hành": [_date_text(h.directive) for h in hits],
            "Cơ quan ban hành": [h.directive.issuer for h in hits],
            "Trích yếu": [h.directive.title for h in hits],
            "Hiệu lực": [h.directive.status_label for h in hits],
        }
    )
    shown = "văn bản" if query else "văn bản mới nhất"
    st.caption(
        f"{len(hits)} {shown}{' (tối đa 50)' if len(hits) == 50 else ''}. "
        "Bấm một dòng để xem chi tiết."
    )
    event = st.dataframe(
        table,
        key=f"{K}table.{st.session_state.get(K + 'search_no', 0)}",  # new search, no old pick
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        width="stretch",
        height=min(38 + 35 * len(hits), 330),
        column_config={
            "Loại": st.column_config.TextColumn(width=90),
            "Số ký hiệu": st.column_config.TextColumn(width=140),
            "Ngày ban hành": st.column_config.TextColumn(width=110),
            "Cơ quan ban hành": st.column_config.TextColumn(width=170),
            "Trích yếu": st.column_config.TextColumn(width="medium"),
            "Hiệu lực": st.column_config.TextColumn(width=135),
        },
    )
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    picked = hits[rows[0]].directive.id if rows and rows[0] < len(hits) else None
    last = st.session_state.get(K + "last_row")
    if picked and picked != last:
        st.session_state[SELECTED] = picked
    st.session_state[K + "last_row"] = picked
    selected = catalogue.get(st.session_state.get(SELECTED, "")) or hits[0].directive
    detail(catalogue, selected, stored)


def _links(catalogue: Catalogue, title: str, directives: list[Directive], key: str) -> None:
    if not directives:
        return
    st.markdown(f"**{title}**")
    for d in directives:
        st.button(
            option_label(d),
            key=f"{K}link.{key}.{d.id}",
            type="tertiary",
            icon=":material/link:",
            on_click=_select,
            args=(d.id,),
        )


def _mentioned_in(catalogue: Catalogue, directive: Directive) -> list[Directive]:
    """Rows whose title cites `directive` (e.g. a Kết luận continuing a Chỉ thị)."""
    if not directive.symbol or len(catalogue) > 20_000:
        return []
    found = []
    for other in catalogue:
        if other.id == directive.id or directive.number not in other.title:
            continue
        for mention in find_citations(other.title):
            if resolve(mention, catalogue) == directive:
                found.append(other)
                break
    return found


def detail(catalogue: Catalogue, d: Directive, stored) -> None:  # type: ignore[no-untyped-def]
    st.divider()
    head, badge = st.columns([5, 1])
    head.subheader(d.label)
    with badge:
        status_badge(d)
    note = outdated_note(catalogue, d)
    replacement = catalogue.replacement_of(d)
    if note:
        st.warning(note, icon=":material/warning:")
    left, right = st.columns([3, 2], gap="large")
    with left:
        facts = {
            "Ngày ban hành": _date_text(d),
            "Cơ quan ban hành": d.issuer or "chưa rõ",
            "Cấp ban hành": LEVEL_TEXT.get(d.issuer_level, d.issuer_level),
            "Trích yếu": d.title or "chưa rõ",
            "Hiệu lực": d.status_label,
        }
        if d.aliases:
            facts["Cách ghi khác"] = "; ".join(d.aliases)
        if d.topics:
            facts["Chủ đề"] = "; ".join(d.topics)
        facts["Nguồn thông tin"] = _source_text(d.source)
        st.markdown("\n".join(f"- **{k}:** {v}" for k, v in facts.items()))
        _links(catalogue, "Được thay thế bởi", [x for x in [catalogue.replaced_by(d)] if x], "rb")
        _links(catalogue, "Thay thế cho", catalogue.replaces(d), "rp")
        _links(catalogue, "Sửa đổi, bổ sung văn bản", catalogue.amends(d), "am")
        _links(catalogue, "Được sửa đổi, bổ sung bởi", catalogue.amended_by(d), "ab")
        linked = {x.id for x in [*catalogue.replaces(d), *catalogue.amended_by(d)]}
        mentioned = [x for x in _mentioned_in(catalogue, d) if x.id not in linked]
        _links(catalogue, "Được nhắc đến trong", mentioned, "mi")
    with right:
        st.markdown("**Trích dẫn lần đầu** (bấm biểu tượng để sao chép)")
        st.code(first_citation(d), language=None, wrap_lines=True)
        st.markdown("**Trích dẫn các lần sau**")
        st.code(short_citation(d), language=None, wrap_lines=True)
        _plan_actions(d, replacement, stored)
        user_ids = _user_ids()
        b1, b2 = st.columns(2)
        b1.button(
            "Sửa văn bản này",
            key=f"{K}edit.{d.id}",
            icon=":material/edit:",
            on_click=_edit,
            args=(d,),
            help="Bản sửa được lưu riêng trong dữ liệu của bạn; danh mục gốc không đổi.",
        )
        if d.id in user_ids:
            label = "Xóa văn bản" if d.id not in _shipped_ids() else "Khôi phục bản gốc"
            if b2.button(label, key=f"{K}delete.{d.id}", icon=":material/delete:"):
                try:
                    delete_directive(state.get_store(), d.id, now=state.now())
                except PlannerError as err:
                    st.error(str(err))
                else:
                    state.invalidate_catalogue()
                    st.session_state.pop(SELECTED, None)
                    st.rerun()


def _plan_actions(d: Directive, replacement: Directive | None, stored) -> None:  # type: ignore[no-untyped-def]
    if stored is None:
        st.info("Mở một kế hoạch ở Trang chủ để thêm văn bản này vào phần Căn cứ.")
        return
    plan = stored.plan
    subject = plan.meta.subject or stored.title
    present = _cited_ids(plan, state.get_catalogue())
    if d.id in present:
        st.success(f"Đã có trong Căn cứ của kế hoạch “{subject}”.", icon=":material/check:")
    else:
        kind = "secondary" if replacement is not None else "primary"
        if st.button(
            "Thêm vào Căn cứ của kế hoạch đang mở",
            key=f"{K}add.{d.id}",
            type=kind,
            icon=":material/playlist_add:",
            help=f"Kế hoạch: {subject}",
        ):
            _add_base(stored, d)
    if replacement is not None and replacement.id not in present:
        if st.button(
            f"Thêm văn bản thay thế ({short_citation(replacement)})",
            key=f"{K}add_rep.{d.id}",
            type="primary",
            icon=":material/swap_horiz:",
        ):
            _add_base(stored, replacement)


def _cited_ids(plan, catalogue: Catalogue) -> set[str]:  # type: ignore[no-untyped-def]
    """Rows the plan's Căn cứ already cite: linked ones, and those its text names."""
    found = {b.directive_id for b in plan.bases if b.directive_id}
    for base in plan.bases:
        for mention in find_citations(base.text)[:1]:  # the line's own document
            row = resolve(mention, catalogue)
            if row is not None:
                found.add(row.id)
    return found


def _add_base(stored, d: Directive) -> None:  # type: ignore[no-untyped-def]
    try:
        plan = plan_edit.add_base(stored.plan, base_line(d), d.id)
    except PlannerError as err:
        st.error(str(err))
        return
    if state.save_current(plan, note=f"Thêm căn cứ {short_citation(d)}"):
        st.session_state[K + "flash"] = f"Đã thêm {short_citation(d)} vào phần Căn cứ."
        st.rerun()
    else:
        state.show_conflict()


# --------------------------------------------------------------------------- add / edit
def _user_ids() -> set[str]:
    try:
        return user_directive_ids(state.get_store())
    except PlannerError:
        return set()


@st.cache_data(show_spinner=False)
def _shipped_ids() -> set[str]:
    from planner.catalogue.user_rows import SHIPPED_CSV

    return {d.id for d in Catalogue.from_csv(SHIPPED_CSV)}


def _ref_label(catalogue: Catalogue, directive_id: str) -> str:
    if not directive_id:
        return "— không —"
    d = catalogue.get(directive_id)
    if d is None:
        return directive_id
    when = f" ({d.issued.year})" if d.issued else ""
    return f"{short_citation(d)}{when}"


def edit_form(catalogue: Catalogue, draft: Directive | None, *, key: str) -> None:
    """The add/edit form; `draft` prefills it (an existing row is edited under its own id)."""
    existing = catalogue.get(draft.id) if draft is not None else None
    editing = existing is not None and draft is not None and existing.id == draft.id
    if editing:
        st.markdown(f"Đang sửa: **{draft.label}**. Bản sửa được lưu trong dữ liệu của bạn.")
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
        (x.id for x in catalogue if x.id != d.id), key=lambda i: _ref_label(catalogue, i)
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
            format_func=lambda i: _ref_label(catalogue, i),
        )
        amends = c8.multiselect(
            "Sửa đổi, bổ sung văn bản",
            others,
            default=[i for i in d.amends if i in others],
            placeholder="Chọn văn bản",
            format_func=lambda i: _ref_label(catalogue, i),
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
                f"({_date_text(same[0])}). Hãy sửa văn bản đó thay vì thêm mới."
            )
    if problems:
        st.error("Chưa lưu được:\n\n" + "\n".join(f"- {p}" for p in problems))
        return
    from planner.catalogue.model import directive_from_row

    try:
        directive = directive_from_row(row)
        save_directive(state.get_store(), directive, now=state.now())
    except (PlannerError, ValueError) as err:
        st.error(f"Chưa lưu được: {err}")
        return
    state.invalidate_catalogue()
    st.session_state.pop(DRAFT, None)
    st.session_state[SELECTED] = directive.id
    _go("search")
    st.session_state[K + "flash"] = f"Đã lưu {short_citation(directive)} vào danh mục."
    st.rerun()


def edit_section(catalogue: Catalogue) -> None:
    draft = st.session_state.get(DRAFT)
    if draft is None:
        st.caption("Thêm một văn bản mới vào danh mục. Các ô có dấu * là bắt buộc.")
    else:
        st.button("Bỏ, thêm văn bản mới", key=K + "new", on_click=_edit, args=(None,))
    edit_form(catalogue, draft, key=f"{K}form.{st.session_state.get(K + 'form_epoch', 0)}")


# --------------------------------------------------------------------------- paste a citation
def paste_section(catalogue: Catalogue) -> None:
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
        st.error(str(err))
        return
    for mention in find_citations(text)[:1]:
        known = resolve(mention, catalogue)
        if known is not None:
            st.info(
                f"Văn bản này đã có trong danh mục: {short_citation(known)} ({_date_text(known)})."
            )
            st.button("Xem văn bản", key=K + "paste.view", on_click=_select, args=(known.id,))
            return
    st.session_state[DRAFT] = draft
    st.session_state[K + "form_epoch"] = st.session_state.get(K + "form_epoch", 0) + 1
    _go("edit")
    st.rerun()


# --------------------------------------------------------------------------- import
def import_section(catalogue: Catalogue) -> None:
    st.caption(
        "Nhận tệp CSV (UTF-8, có hoặc không BOM; dấu phẩy, dấu chấm phẩy hoặc tab), “Unicode Text” "
        "của Excel (UTF-16) và Excel .xlsx. Bạn xem trước, ghép cột và kiểm tra trước khi nhập; "
        "dữ liệu được lưu riêng, danh mục gốc không đổi."
    )
    upload = st.file_uploader(
        "Tệp danh mục", type=["csv", "txt", "tsv", "xlsx"], key=K + "import.file"
    )
    if upload is None:
        return
    try:
        table = read_table(upload.getvalue(), upload.name)
    except PlannerError as err:
        st.error(str(err))
        return
    if table.note:
        st.warning(table.note)
    st.markdown(
        f"Đọc được **{len(table.rows)}** dòng, **{len(table.headers)}** cột ({table.encoding})."
    )
    guessed = guess_mapping(table.headers)
    skip = "— bỏ qua —"
    with st.expander(
        "Ghép cột của tệp với cột của danh mục",
        expanded=not all(guessed[c] for c in ("symbol", "title", "issued")),
    ):
        mapping: dict[str, str | None] = {}
        cols = st.columns(4)
        labels = {
            "id": "Mã (id)", "doc_type": "Loại văn bản", "number": "Số", "symbol": "Số ký hiệu",
            "aliases": "Cách ghi khác", "issued": "Ngày ban hành", "issuer": "Cơ quan ban hành",
            "issuer_level": "Cấp ban hành", "title": "Trích yếu", "status": "Hiệu lực",
            "replaced_by": "Được thay thế bởi", "amends": "Sửa đổi văn bản", "topics": "Chủ đề",
            "source": "Nguồn thông tin",
        }  # fmt: skip
        options = [skip, *table.headers]
        for n, column in enumerate(COLUMNS):
            guess = guessed.get(column)
            choice = cols[n % 4].selectbox(
                labels[column],
                options,
                index=options.index(guess) if guess in options else 0,
                key=f"{K}map.{upload.name}.{column}",
            )
            mapping[column] = None if choice == skip else choice
    rows = apply_mapping(table, mapping)
    preview = prepare_import(rows, catalogue, source=f"Nhập từ tệp {upload.name}")
    st.markdown("**Xem trước**")
    shown = [c for c in COLUMNS if mapping.get(c)]
    sample = pd.DataFrame([{c: _preview_cell(c, r[c]) for c in shown} for r in rows[:200]])
    st.dataframe(
        sample.rename(columns=labels),
        hide_index=True,
        height=min(38 + 35 * len(sample), 260),
        width="stretch",
    )
    if preview.findings:
        st.error(
            f"Tệp “{upload.name}”: {len(preview.blocked_rows)} dòng có lỗi sẽ không được nhập. "
            "Hãy sửa tệp rồi tải lên lại nếu cần."
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "Dòng": [f.row for f in preview.findings],
                    "Cột": [labels.get(f.column, f.column) for f in preview.findings],
                    "Vấn đề": [f.message for f in preview.findings],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    duplicates = {new_id: old_id for _row, new_id, old_id in preview.duplicates}
    overwrite = False
    if duplicates:
        st.warning(f"{len(duplicates)} văn bản trong tệp đã có trong danh mục.")
        st.dataframe(
            pd.DataFrame(
                {
                    "Dòng": [r for r, _n, _o in preview.duplicates],
                    "Trùng với văn bản trong danh mục": [
                        _ref_label(catalogue, o) for _r, _n, o in preview.duplicates
                    ],
                }
            ),
            hide_index=True,
        )
        overwrite = st.radio(
            "Với các văn bản trùng",
            [False, True],
            format_func=lambda v: (
                "Ghi đè bằng dữ liệu trong tệp" if v else "Bỏ qua, giữ bản đang có"
            ),
            key=K + "import.overwrite",
            horizontal=True,
        )
    ready = []
    for d in preview.directives:
        if d.id in duplicates:
            if not overwrite:
                continue
            d = replace(d, id=duplicates[d.id])
        ready.append(d)
    if not ready:
        st.info(f"Tệp “{upload.name}” không có văn bản nào mới để nhập.")
        return
    if st.button(
        f"Nhập {len(ready)} văn bản", type="primary", key=K + "import.go", icon=":material/upload:"
    ):
        try:
            count = save_directives(state.get_store(), ready, now=state.now())
        except PlannerError as err:
            st.error(str(err))
            return
        state.invalidate_catalogue()
        st.session_state[K + "flash"] = f"Đã nhập {count} văn bản từ tệp “{upload.name}”."
        _go("search")
        st.rerun()


def _preview_cell(column: str, value: str) -> str:
    if column == "issued" and value:
        try:
            return citation_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


# --------------------------------------------------------------------------- export
def export_section(catalogue: Catalogue) -> None:
    rows = list(catalogue)
    mine = _user_ids()
    which = st.radio(
        "Xuất",
        ["all", "mine"],
        format_func=lambda v: (
            f"Toàn bộ danh mục ({len(rows)} văn bản)"
            if v == "all"
            else f"Chỉ văn bản tôi thêm hoặc sửa ({len(mine)})"
        ),
        key=K + "export.which",
        horizontal=True,
    )
    chosen = rows if which == "all" else [d for d in rows if d.id in mine]
    st.caption(
        "Tệp CSV mở đúng tiếng Việt trong Excel (UTF-8 có BOM); ô bắt đầu bằng =, +, -, @ được "
        "thêm dấu ' để Excel không chạy như công thức."
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Tải về CSV",
        lambda: export_csv(chosen),  # made when the button is pressed
        file_name="danh-muc-van-ban-can-cu.csv",
        mime="text/csv",
        icon=":material/download:",
        key=K + "export.csv",
        on_click="ignore",
        disabled=not chosen,
    )
    c2.download_button(
        "Tải về Excel (.xlsx)",
        lambda: export_xlsx(chosen),
        file_name="danh-muc-van-ban-can-cu.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=K + "export.xlsx",
        on_click="ignore",
        disabled=not chosen,
    )


# --------------------------------------------------------------------------- page
st.title("Văn bản căn cứ")
st.caption(
    "Danh mục văn bản để trích dẫn vào phần Căn cứ của kế hoạch: tìm theo số ký hiệu, tên hoặc "
    "năm (không cần gõ dấu), xem còn hiệu lực hay không, rồi thêm vào kế hoạch đang mở."
)
try:
    catalogue = state.get_catalogue()
except PlannerError as err:
    st.error(str(err))
    st.stop()
stored = state.load_current()
state.show_conflict()
flash = st.session_state.pop(K + "flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")
wanted = st.query_params.get("van_ban")
if wanted and catalogue.get(wanted) is not None and st.session_state.get(K + "from_url") != wanted:
    st.session_state[K + "from_url"] = wanted
    _select(wanted)
pending = st.session_state.pop(K + "pending", None)
if pending:
    st.session_state[SECTION] = pending
if SECTION not in st.session_state:
    st.session_state[SECTION] = "search"
section = st.segmented_control(
    "Chức năng",
    list(SECTIONS),
    format_func=SECTIONS.__getitem__,
    key=SECTION,
    label_visibility="collapsed",
)
if section == "edit":
    edit_section(catalogue)
elif section == "paste":
    paste_section(catalogue)
elif section == "import":
    import_section(catalogue)
elif section == "export":
    export_section(catalogue)
else:
    search_section(catalogue, stored)
