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
"""

from __future__ import annotations

import streamlit as st

from components import state
from planner.catalogue.citation import citation_date, short_citation
from planner.catalogue.model import Catalogue, Directive

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
    st.badge(directive.status_label, color=colour)


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
    )
    override_key = state.citation_override_key(key)
    if not (query or "").strip():
        state.pop(override_key)
        return None
    hits = catalogue.search(query, limit=limit)
    if not hits:
        st.caption("Không tìm thấy văn bản phù hợp. Hãy thử số ký hiệu hoặc vài từ trong tên.")
        return None
    options = [h.directive.id for h in hits]
    chosen_id = st.radio(
        "Kết quả",
        options,
        key=f"{key}.choice.{query}",
        format_func=lambda i: option_label(catalogue.get(i)) if catalogue.get(i) else i,
    )
    override = state.get(override_key)
    if override and override[0] == chosen_id and catalogue.get(override[1]) is not None:
        chosen_id = override[1]
    chosen = catalogue.get(chosen_id) if chosen_id else None
    if chosen is None:
        return None
    note = outdated_note(catalogue, chosen)
    if note and offer_replacement:
        st.warning(note, icon=":material/warning:")
        replacement = catalogue.replacement_of(chosen)
        if replacement is not None:
            st.button(
                f"Dùng {short_citation(replacement)} thay thế",
                key=f"{key}.use_replacement.{chosen.id}",
                icon=":material/swap_horiz:",
                on_click=_use_replacement,
                args=(override_key, chosen_id, replacement.id),
            )
    elif override and override[1] == chosen.id:
        st.caption(f"Đã chọn văn bản thay thế: {short_citation(chosen)}.")
    return chosen


def _use_replacement(override_key: str, original_id: str, replacement_id: str) -> None:
    state.put(override_key, (original_id, replacement_id))
