"""*Văn bản căn cứ* › Tra cứu: search the catalogue, see a row's status and relations, add it
(or its replacement) to the open plan's Căn cứ, edit or delete the user's own rows.

Each hit says how well it matches (khớp hoàn toàn / khớp rõ / khớp yếu) and why. When no hit
is exact or strong the page says "Không có văn bản khớp" above the weak hits, opens none of
them, and adding a weak hit to Căn cứ asks first. The rows the open plan already cites rank
up. A Căn cứ goes to its place in the expected order (`planner.drafting.bases_order`)."""

from __future__ import annotations

import weakref

import pandas as pd
import streamlit as st

from components import state
from components.catalogue_common import LEVEL_TEXT, K, date_text, edit, flash, select
from components.citation_picker import option_label, outdated_note, status_badge
from components.safe_text import md_escape
from planner.catalogue.citation import (
    base_line,
    find_citations,
    first_citation,
    resolve,
    short_citation,
)
from planner.catalogue.model import (
    ISSUER_LEVEL_LABELS,
    ISSUER_LEVELS,
    MAX_QUERY_CHARS,
    STATUS_LABELS,
    STATUSES,
    Catalogue,
    Directive,
    Hit,
)
from planner.catalogue.user_rows import delete_directive, user_directive_ids
from planner.drafting.bases_order import add_base_in_order
from planner.errors import PlannerError

ANY = "Tất cả"
MATCH_LABELS = {"exact": "khớp hoàn toàn", "strong": "khớp rõ", "weak": "khớp yếu"}
NO_MATCH = (
    "Không có văn bản khớp với “{query}”. Dưới đây chỉ là các văn bản gần giống (khớp yếu): "
    "hãy xem kỹ trước khi dùng, hoặc thêm văn bản mới vào danh mục."
)


def _source_text(source: str) -> str:
    """The row's source for people (the shipped rows name "official publication")."""
    return source.replace("official publication", "văn bản công bố chính thức") or "—"


def _filters(catalogue: Catalogue) -> dict[str, object]:
    # From the catalogue's columns: a pass over every row (a Directive each) would cost the
    # page a second per keystroke at 100,000 rows.
    types = catalogue.doc_types()
    span = catalogue.issue_years()
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
    if span is not None and span[0] < span[1]:
        low, high = c4.slider("Năm ban hành", span[0], span[1], span, key=K + "f.years")
        if (low, high) != span:
            year_from, year_to = low, high
    return {
        "doc_type": None if doc_type == ANY else doc_type,
        "issuer_level": None if level == ANY else level,
        "status": None if status == ANY else status,
        "year_from": year_from,
        "year_to": year_to,
    }


def search_section(catalogue: Catalogue, stored) -> None:  # type: ignore[no-untyped-def]
    """The search box, filters, hits table and the chosen row in detail."""
    query = st.text_input(
        "Tìm văn bản",
        key=K + "query",
        type="search",
        live="300ms",
        placeholder="Ví dụ: 25-NQ/TW · nghi quyet 25 · cai cach hanh chinh · 76/NQ-CP 2021",
        help="Gõ số ký hiệu (viết kiểu nào cũng được), loại văn bản, vài từ trong tên hoặc "
        f"năm ban hành; không cần gõ dấu. Tối đa {MAX_QUERY_CHARS} ký tự.",
        max_chars=MAX_QUERY_CHARS,
    )
    if len(query or "") >= MAX_QUERY_CHARS:
        # The box keeps at most MAX_QUERY_CHARS characters and cuts a longer paste there: a
        # query that long is a paste gone wrong, not something to search for.
        st.error(
            f"Từ khóa tìm kiếm dài quá {MAX_QUERY_CHARS} ký tự (phần dán thêm đã bị cắt). Hãy "
            "gõ số ký hiệu, loại văn bản hoặc vài từ trong tên văn bản.",
            icon=":material/block:",
        )
        return
    filters = _filters(catalogue)
    keep = state.pop(state.CATALOGUE_KEEP, False)  # a link or the URL chose the row
    if state.get(state.CATALOGUE_LAST_QUERY) != (query, filters):
        if not keep:
            state.pop(state.CATALOGUE_SELECTED)  # a new search shows its own top hit
        state.put(state.CATALOGUE_LAST_QUERY, (query, filters))
        state.bump(state.CATALOGUE_SEARCH_NO)
    cited = _cited_ids(stored.plan, catalogue) if stored is not None else set()
    try:
        hits = catalogue.search(query or "", limit=50, cited_ids=cited, **filters)  # type: ignore[arg-type]
    except PlannerError as err:  # a query over the length limit
        st.error(md_escape(str(err)))
        return
    searched = bool((query or "").strip())
    best = hits.best
    if searched and hits and best is None:
        st.warning(NO_MATCH.format(query=md_escape(query.strip())), icon=":material/search_off:")
    if not hits:
        st.info("Không tìm thấy văn bản phù hợp. Hãy thử số ký hiệu hoặc vài từ trong tên.")
        selected = catalogue.get(state.get(state.CATALOGUE_SELECTED, ""))
        if selected is not None:
            detail(catalogue, selected, stored)
        return
    table = pd.DataFrame(
        {
            "Loại": [h.directive.doc_type for h in hits],
            "Số ký hiệu": [h.directive.symbol or "—" for h in hits],
            "Ngày ban hành": [date_text(h.directive) for h in hits],
            "Cơ quan ban hành": [h.directive.issuer for h in hits],
            "Trích yếu": [h.directive.title for h in hits],
            "Hiệu lực": [h.directive.status_label for h in hits],
        }
    )
    if searched:
        table.insert(0, "Mức khớp", [MATCH_LABELS.get(h.match, h.match) for h in hits])
        table.insert(1, "Vì sao", ["; ".join(h.reasons) for h in hits])
    shown = "văn bản" if query else "văn bản mới nhất"
    st.caption(
        f"{len(hits)} {shown}{' (tối đa 50)' if len(hits) == 50 else ''}. "
        "Bấm một dòng để xem chi tiết."
    )
    event = st.dataframe(
        table,
        key=f"{K}table.{state.get(state.CATALOGUE_SEARCH_NO, 0)}",  # new search, no old pick
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
            "Mức khớp": st.column_config.TextColumn(width=110),
            "Vì sao": st.column_config.TextColumn(width=220),
        },
    )
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    picked = hits[rows[0]].directive.id if rows and rows[0] < len(hits) else None
    last = state.get(state.CATALOGUE_LAST_ROW)
    if picked and picked != last:
        state.put(state.CATALOGUE_SELECTED, picked)
    state.put(state.CATALOGUE_LAST_ROW, picked)
    selected = catalogue.get(state.get(state.CATALOGUE_SELECTED, ""))
    if selected is None:
        if searched and best is None:
            st.caption("Bấm một dòng để xem chi tiết văn bản gần giống.")
            return
        selected = (best or hits[0]).directive
    detail(
        catalogue, selected, stored, hit=next((h for h in hits if h.directive == selected), None)
    )


def _links(catalogue: Catalogue, title: str, directives: list[Directive], key: str) -> None:
    if not directives:
        return
    st.markdown(f"**{title}**")
    for d in directives:
        st.button(
            md_escape(option_label(d)),
            key=f"{K}link.{key}.{d.id}",
            type="tertiary",
            icon=":material/link:",
            on_click=select,
            args=(d.id,),
        )


def _mentioned_in(catalogue: Catalogue, directive: Directive) -> list[Directive]:
    """Rows whose title cites `directive` (e.g. a Kết luận continuing a Chỉ thị)."""
    if not directive.symbol or len(catalogue) > 20_000:
        return []
    found = []
    for other in catalogue.with_title_containing(directive.number):
        if other.id == directive.id:
            continue
        for mention in find_citations(other.title):
            if resolve(mention, catalogue) == directive:
                found.append(other)
                break
    return found


def detail(catalogue: Catalogue, d: Directive, stored, hit: Hit | None = None) -> None:  # type: ignore[no-untyped-def]
    """One row: its facts, relations, citations and what can be done with it; `hit` is the
    search hit it was opened from (how well it matches, and why)."""
    st.divider()
    head, badge = st.columns([5, 1])
    head.subheader(md_escape(d.label))
    with badge:
        status_badge(d)
    if hit is not None and hit.reasons and hit.score:
        reasons = md_escape("; ".join(hit.reasons))
        text = f"{MATCH_LABELS.get(hit.match, hit.match).capitalize()}: {reasons}."
        if hit.match == "weak":
            st.warning(text, icon=":material/help:")
        else:
            st.caption(text)
    note = outdated_note(catalogue, d)
    replacement = catalogue.replacement_of(d)
    if note:
        st.warning(md_escape(note), icon=":material/warning:")
    left, right = st.columns([3, 2], gap="large")
    with left:
        facts = {
            "Ngày ban hành": date_text(d),
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
        st.markdown("\n".join(f"- **{k}:** {md_escape(v)}" for k, v in facts.items()))
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
        _plan_actions(d, replacement, stored, weak=hit is not None and hit.match == "weak")
        mine = _user_ids(catalogue)
        b1, b2 = st.columns(2)
        b1.button(
            "Sửa văn bản này",
            key=f"{K}edit.{d.id}",
            icon=":material/edit:",
            on_click=edit,
            args=(d,),
            help="Bản sửa được lưu riêng trong dữ liệu của bạn; danh mục gốc không đổi.",
        )
        if d.id in mine:
            label = "Xóa văn bản" if d.id not in _shipped_ids() else "Khôi phục bản gốc"
            if b2.button(label, key=f"{K}delete.{d.id}", icon=":material/delete:"):
                try:
                    delete_directive(state.get_store(), d.id, now=state.now())
                except PlannerError as err:
                    st.error(md_escape(str(err)))
                else:
                    state.invalidate_catalogue()
                    state.pop(state.CATALOGUE_SELECTED)
                    st.rerun()


# The ids of the user's rows, per catalogue: every change of those rows changes the catalogue
# (`state.get_catalogue` builds a new one), and reading 100,000 ids per keystroke costs the
# page more than its search.
_USER_IDS: weakref.WeakKeyDictionary[Catalogue, set[str]] = weakref.WeakKeyDictionary()


def _user_ids(catalogue: Catalogue) -> set[str]:
    found = _USER_IDS.get(catalogue)
    if found is None:
        try:
            found = _USER_IDS[catalogue] = user_directive_ids(state.get_store())
        except PlannerError:
            return set()
    return found


@st.cache_data(show_spinner=False)
def _shipped_ids() -> set[str]:
    from planner.catalogue.user_rows import SHIPPED_CSV

    return {d.id for d in Catalogue.from_csv(SHIPPED_CSV)}


def _plan_actions(
    d: Directive, replacement: Directive | None, stored, *, weak: bool = False
) -> None:  # type: ignore[no-untyped-def]
    if stored is None:
        st.info("Mở một kế hoạch ở Trang chủ để thêm văn bản này vào phần Căn cứ.")
        return
    plan = stored.plan
    subject = md_escape(plan.meta.subject or stored.title)
    present = _cited_ids(plan, state.get_catalogue())
    if d.id in present:
        st.success(f"Đã có trong Căn cứ của kế hoạch “{subject}”.", icon=":material/check:")
    elif weak and state.get(state.CATALOGUE_WEAK_CONFIRM) == d.id:
        st.warning(
            f"{md_escape(short_citation(d))} chỉ khớp yếu với từ khóa đã tìm. "
            "Đây có đúng là văn bản cần "
            f"trích dẫn vào Căn cứ của kế hoạch “{subject}”?",
            icon=":material/help:",
        )
        yes, no = st.columns(2)
        if yes.button("Đúng, vẫn thêm", key=f"{K}add.yes.{d.id}", type="primary"):
            state.pop(state.CATALOGUE_WEAK_CONFIRM)
            _add_base(stored, d)
        if no.button("Không thêm", key=f"{K}add.no.{d.id}"):
            state.pop(state.CATALOGUE_WEAK_CONFIRM)
            st.rerun()
    else:
        kind = "secondary" if replacement is not None or weak else "primary"
        if st.button(
            "Thêm vào Căn cứ của kế hoạch đang mở" + ("…" if weak else ""),
            key=f"{K}add.{d.id}",
            type=kind,
            icon=":material/playlist_add:",
            help=f"Kế hoạch: {subject}",
        ):
            if weak:
                state.put(state.CATALOGUE_WEAK_CONFIRM, d.id)
                st.rerun()
            _add_base(stored, d)
    if replacement is not None and replacement.id not in present:
        if st.button(
            f"Thêm văn bản thay thế ({md_escape(short_citation(replacement))})",
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
        plan = add_base_in_order(stored.plan, base_line(d), d.id, state.get_catalogue())
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    if state.save_current(plan, note=f"Thêm căn cứ {short_citation(d)}"):
        flash(f"Đã thêm {short_citation(d)} vào phần Căn cứ.")
        st.rerun()
    else:
        state.show_conflict()
