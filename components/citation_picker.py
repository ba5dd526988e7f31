"""A reusable search-and-pick widget for the directive catalogue.

    citation_picker(
        catalogue: Catalogue,
        *,
        key: str,
        limit: int = 8,
        label: str = "Tìm văn bản",
        placeholder: str = "Ví dụ: 25-NQ/TW, nghi quyet 25, cai cach hanh chinh 2021",
        offer_replacement: bool = True,
    ) -> Directive | None

Shows a search box that answers as you type (no diacritics needed, any spelling of a symbol),
the hits as a list to choose from, and returns the chosen directive (None until one is
chosen). When the chosen directive is expired or replaced and `offer_replacement` is True, it
warns and offers a button that switches the choice to the catalogue's replacement.
All session keys start with `key`.

    status_badge(directive) -> None   # a coloured badge with the Vietnamese status label
    outdated_note(catalogue, directive) -> str | None   # the warning text, or None

Each hit in the list says how well it matches (khớp hoàn toàn / khớp rõ / khớp yếu); when no
hit is exact or strong the picker says “Không có văn bản khớp” and chooses none of them.
The editor's Căn cứ part adds a picked directive at its place in the expected order and offers
*Sắp xếp lại Căn cứ* (`planner.drafting.bases_order`; `sort_bases_button`).
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.catalogue.citation import citation_date, short_citation
from planner.catalogue.model import MAX_QUERY_CHARS, Catalogue, Directive
from planner.drafting.bases_order import order_bases
from planner.errors import PlannerError
from planner.model import Plan

MATCH_LABELS = {"exact": "khớp hoàn toàn", "strong": "khớp rõ", "weak": "khớp yếu"}

_BADGE_COLOURS = {
    "in_force": "green",
    "expired": "red",
    "replaced": "red",
    "partly_amended": "orange",
    "unknown": "gray",
}


def status_badge(directive: Directive) -> None:
    """The directive's status as a small coloured badge."""
    colour = _BADGE_COLOURS.get(directive.status, "gray")
    st.badge(md_escape(directive.status_label), color=colour)


def option_label(directive: Directive) -> str:
    """One line for a list of hits: symbol, date, and the start of the title."""
    when = f" ngày {citation_date(directive.issued)}" if directive.issued else ""
    title = directive.title if len(directive.title) <= 90 else directive.title[:88] + "…"
    marker = " ⚠" if directive.is_outdated else ""
    return f"{short_citation(directive)}{when}{marker} — {title}".rstrip(" —")


def outdated_note(catalogue: Catalogue, directive: Directive) -> str | None:
    """A Vietnamese warning when `directive` is expired or replaced, else None."""
    if not directive.is_outdated:
        return None
    replacement = catalogue.replacement_of(directive)
    what = "đã hết hiệu lực" if directive.status == "expired" else "đã được thay thế"
    if directive.status not in ("expired", "replaced"):
        what = "đã có văn bản thay thế"
    text = f"{short_citation(directive)} {what}."
    if replacement is not None:
        when = f" ngày {citation_date(replacement.issued)}" if replacement.issued else ""
        text += f" Văn bản thay thế: {short_citation(replacement)}{when}."
    return text


def citation_picker(
    catalogue: Catalogue,
    *,
    key: str,
    limit: int = 8,
    label: str = "Tìm văn bản",
    placeholder: str = "Ví dụ: 25-NQ/TW, nghi quyet 25, cai cach hanh chinh 2021",
    offer_replacement: bool = True,
) -> Directive | None:
    """Search the catalogue and pick one directive (see the module docstring)."""
    query = st.text_input(
        label,
        key=f"{key}.query",
        placeholder=placeholder,
        type="search",
        live="300ms",
        help="Gõ số ký hiệu, loại văn bản, tên hoặc năm; không dấu cũng được.",
        max_chars=MAX_QUERY_CHARS,
    )
    override_key = state.citation_override_key(key)
    if not (query or "").strip():
        state.pop(override_key)
        return None
    try:
        hits = catalogue.search(query, limit=limit)
    except PlannerError as err:  # over the length limit
        st.caption(md_escape(str(err)))
        return None
    if not hits:
        st.caption("Không tìm thấy văn bản phù hợp. Hãy thử số ký hiệu hoặc vài từ trong tên.")
        return None
    if hits.best is None:
        st.caption("Không có văn bản khớp; các văn bản dưới đây chỉ gần giống (khớp yếu).")
    grade = {h.directive.id: MATCH_LABELS.get(h.match, h.match) for h in hits}
    options = [h.directive.id for h in hits]
    chosen_id = st.radio(
        "Kết quả",
        options,
        index=0 if hits.best is not None else None,
        key=f"{key}.choice.{query}",
        format_func=lambda i: md_escape(
            f"{option_label(catalogue.get(i))} · {grade[i]}" if catalogue.get(i) else i
        ),
    )
    override = state.get(override_key)
    if override and override[0] == chosen_id and catalogue.get(override[1]) is not None:
        chosen_id = override[1]
    chosen = catalogue.get(chosen_id) if chosen_id else None
    if chosen is None:
        return None
    note = outdated_note(catalogue, chosen)
    if note and offer_replacement:
        st.warning(md_escape(note), icon=":material/warning:")
        replacement = catalogue.replacement_of(chosen)
        if replacement is not None:
            st.button(
                f"Dùng {md_escape(short_citation(replacement))} thay thế",
                key=f"{key}.use_replacement.{chosen.id}",
                icon=":material/swap_horiz:",
                on_click=_use_replacement,
                args=(override_key, chosen_id, replacement.id),
            )
    elif override and override[1] == chosen.id:
        st.caption(f"Đã chọn văn bản thay thế: {md_escape(short_citation(chosen))}.")
    return chosen


def _use_replacement(override_key: str, original_id: str, replacement_id: str) -> None:
    state.put(override_key, (original_id, replacement_id))


def sort_bases_button(plan: Plan, catalogue: Catalogue, *, key: str, edit) -> None:  # type: ignore[no-untyped-def]
    """*Sắp xếp lại Căn cứ*: `edit(fn, *args, note=…, structural=…, notice=…)` is the editor's
    apply-and-save callback (`editor_session.edit`). Disabled when the list is in order."""
    in_order = order_bases(plan, catalogue) is plan
    st.button(
        "Sắp xếp lại Căn cứ",
        key=key,
        icon=":material/sort:",
        disabled=len(plan.bases) < 2 or in_order,
        help="Xếp theo cấp ban hành (Trung ương, tỉnh, huyện, đơn vị), văn bản của Đảng trước "
        "văn bản nhà nước, theo hiệu lực pháp lý rồi theo ngày ban hành. Căn cứ chưa liên kết "
        "danh mục đứng cuối cấp của nó."
        + (" Danh sách đã đúng thứ tự." if in_order and len(plan.bases) > 1 else ""),
        on_click=edit,
        args=(order_bases, catalogue),
        kwargs={
            "note": "Sắp xếp lại căn cứ",
            "structural": True,
            "notice": "Đã sắp xếp lại căn cứ theo cấp ban hành và hiệu lực pháp lý.",
        },
    )
