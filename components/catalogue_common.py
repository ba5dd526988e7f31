"""What the sub-pages of *Văn bản căn cứ* share: the switcher between them, the row shown in
detail, the one-off success message, and a few labels.

The sub-pages are `catalogue_search` (Tra cứu), `catalogue_form` (Thêm / sửa văn bản and
Thêm từ trích dẫn), `catalogue_import` (Nhập từ tệp) and `catalogue_export` (Xuất danh mục).
Their session keys are declared in `components.state` (`CATALOGUE_*`).
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.catalogue.citation import citation_date, short_citation
from planner.catalogue.model import ISSUER_LEVEL_LABELS, Catalogue, Directive
from planner.catalogue.user_rows import row_head_version, user_directive_ids
from planner.errors import NotFoundError, PlannerError

K = state.CATALOGUE  # every widget key of the page starts with this
SECTIONS = {
    "search": "Tra cứu",
    "edit": "Thêm / sửa văn bản",
    "paste": "Thêm từ trích dẫn",
    "import": "Nhập từ tệp",
    "export": "Xuất danh mục",
}
LEVEL_TEXT = {"": "—", **ISSUER_LEVEL_LABELS}


def select(directive_id: str) -> None:
    """Show `directive_id` in detail on Tra cứu (a link, the URL, "Xem văn bản")."""
    state.put(state.CATALOGUE_SELECTED, directive_id)
    state.put(state.CATALOGUE_KEEP, True)
    state.put(state.CATALOGUE_SECTION, "search")


def edit(directive: Directive | None) -> None:
    """Open the add/edit form on `directive` (None: an empty form for a new row), at the
    newest version of its user row (0: none yet, a shipped row edited for the first time), so
    that a save over someone else's newer edit becomes a conflict (`catalogue_history`)."""
    base: int | None = None
    if directive is not None:
        try:
            base = row_head_version(state.get_store(), directive.id)
        except NotFoundError:
            base = 0
        except PlannerError:
            base = None
    state.open_catalogue_draft(directive, base_version=base)


def go(section: str) -> None:
    """Switch section on the next run (for code that runs after the switcher is drawn)."""
    state.put(state.CATALOGUE_PENDING, section)


def flash(message: str) -> None:
    """A success message shown once, at the top of the page, on the next run (plain text:
    it is shown escaped, so a row's own text in it stays text)."""
    state.put(state.CATALOGUE_FLASH, message)


def show_flash() -> None:
    message = state.pop(state.CATALOGUE_FLASH)
    if message:
        st.success(md_escape(message), icon=":material/check_circle:")


def select_from_url(catalogue: Catalogue) -> None:
    """A link with `?van_ban=<id>` shows that row (once: the user may then search on)."""
    wanted = state.wanted_directive()
    if (
        wanted
        and catalogue.get(wanted) is not None
        and state.get(state.CATALOGUE_FROM_URL) != wanted
    ):
        state.put(state.CATALOGUE_FROM_URL, wanted)
        select(wanted)


def section_switcher() -> str | None:
    """The row of sub-page buttons; the chosen sub-page ("search", "edit", …)."""
    pending = state.pop(state.CATALOGUE_PENDING)
    if pending:
        state.put(state.CATALOGUE_SECTION, pending)
    if not state.has(state.CATALOGUE_SECTION):
        state.put(state.CATALOGUE_SECTION, "search")
    return st.segmented_control(
        "Chức năng",
        list(SECTIONS),
        format_func=SECTIONS.__getitem__,
        key=state.CATALOGUE_SECTION,
        label_visibility="collapsed",
    )


def date_text(d: Directive) -> str:
    return citation_date(d.issued) if d.issued else "chưa rõ"


def ref_label(catalogue: Catalogue, directive_id: str) -> str:
    """A short name for a row in a list of choices: its citation and year."""
    if not directive_id:
        return "— không —"
    d = catalogue.get(directive_id)
    if d is None:
        return directive_id
    when = f" ({d.issued.year})" if d.issued else ""
    return f"{short_citation(d)}{when}"


def user_ids() -> set[str]:
    """Ids of the rows the user added or edited (kept in storage)."""
    try:
        return user_directive_ids(state.get_store())
    except PlannerError:
        return set()
