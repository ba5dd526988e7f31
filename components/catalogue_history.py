"""*Văn bản căn cứ* › Thêm / sửa văn bản: a user row's versions and the conflict of a save
made over someone else's newer edit.

Every save, deletion and restore of a user row is a version (`planner.catalogue.user_rows`).
The edit form opens a row at its newest version (`row_head_version`); a save from an older one
is kept as a version of its own and `ConflictError` names both. This module shows the list of
versions (time, author when known, what was done), lets the user restore an older one (which
becomes a new version: nothing is lost) and, after a conflict, shows both versions side by side
with the choice: keep mine, or keep the newest.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.catalogue_common import K, edit, flash
from components.safe_text import md_escape
from planner.catalogue.model import Directive
from planner.catalogue.user_rows import (
    RowVersion,
    open_row_version,
    restore_row_version,
    row_history,
)
from planner.errors import ConflictError, NotFoundError, PlannerError

FIELDS = {
    "doc_type": "Loại văn bản",
    "symbol": "Số ký hiệu",
    "aliases": "Cách ghi khác",
    "issued": "Ngày ban hành",
    "issuer": "Cơ quan ban hành",
    "issuer_level": "Cấp ban hành",
    "title": "Trích yếu",
    "status": "Hiệu lực",
    "replaced_by": "Được thay thế bởi",
    "amends": "Sửa đổi văn bản",
    "topics": "Chủ đề",
    "source": "Nguồn thông tin",
}


def base_version(directive_id: str) -> int | None:
    """The version the open form started from (None: not known, the save is made from the
    newest)."""
    opened = state.get(state.CATALOGUE_DRAFT_BASE)
    return opened[1] if opened and opened[0] == directive_id else None


def remember_conflict(err: ConflictError, directive_id: str) -> None:
    state.put(
        state.CATALOGUE_ROW_CONFLICT, (directive_id, err.theirs_version, err.mine_version, str(err))
    )


def _name(author: str) -> str:
    """An author's display name on the office server (the account name otherwise)."""
    if state.current_user() is None:
        return author
    return state.display_names().get(author, author)


def _when(v: RowVersion) -> str:
    return f"{v.saved_at:%d/%m/%Y %H:%M}"


def _what(v: RowVersion) -> str:
    if v.conflict:
        return f"Bản lưu trùng lúc (giữ riêng, dựa trên phiên bản {v.based_on})"
    if v.deleted:
        return "Đã xóa"
    return v.note or "Sửa"


def _cells(d: Directive) -> dict[str, str]:
    row = d.to_row()
    return {label: row.get(column, "") for column, label in FIELDS.items()}


def _compare(left: tuple[str, Directive], right: tuple[str, Directive]) -> None:
    """The fields where two versions differ, side by side (all of them when none differ)."""
    a, b = _cells(left[1]), _cells(right[1])
    changed = [f for f in a if a[f] != b[f]] or list(a)
    st.dataframe(
        pd.DataFrame(
            {
                "Thông tin": changed,
                left[0]: [a[f] for f in changed],
                right[0]: [b[f] for f in changed],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def conflict_panel() -> bool:
    """After a save over a newer edit: the message, both versions and the choice. True when
    a conflict is shown (the form waits for the choice)."""
    conflict = state.get(state.CATALOGUE_ROW_CONFLICT)
    if not conflict:
        return False
    ident, theirs, mine, message = conflict
    store = state.get_store()
    try:
        newest = open_row_version(store, ident, theirs)
        kept = open_row_version(store, ident, mine)
    except PlannerError as err:
        state.pop(state.CATALOGUE_ROW_CONFLICT)
        st.error(md_escape(str(err)))
        return False
    st.error(md_escape(message), icon=":material/sync_problem:")
    who = f" ({_name(newest.author)})" if newest.author else ""
    _compare(
        (f"Bản mới nhất{who}, {_when(newest)}", newest.directive),
        (f"Bản của bạn, {_when(kept)}", kept.directive),
    )
    keep_mine, keep_theirs = st.columns(2)
    keep_mine.button(
        "Giữ bản của tôi",
        key=f"{K}conflict.mine",
        type="primary",
        on_click=_keep,
        args=(ident, mine, "Đã giữ bản của bạn; bản kia vẫn còn trong lịch sử văn bản."),
    )
    keep_theirs.button(
        "Dùng bản mới nhất",
        key=f"{K}conflict.theirs",
        on_click=_keep,
        args=(ident, None, "Đã dùng bản mới nhất; bản của bạn vẫn còn trong lịch sử văn bản."),
    )
    return True


def _keep(ident: str, version: int | None, message: str) -> None:
    """A button's callback: make `version` the newest (None: keep the newest as it is), then
    reopen the form on the row as it now stands."""
    if version is not None:
        try:
            restore_row_version(state.get_store(), ident, version, now=state.now())
        except PlannerError as err:
            st.error(md_escape(str(err)))
            return
    state.pop(state.CATALOGUE_ROW_CONFLICT)
    state.invalidate_catalogue()
    edit(state.get_catalogue().get(ident))
    flash(message)


def history_panel(directive: Directive) -> None:
    """The row's versions, newest first, and the restore of an older one."""
    try:
        versions = row_history(state.get_store(), directive.id)
    except NotFoundError:
        return  # a shipped row never edited: no versions yet
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    with st.expander(f"Lịch sử văn bản ({len(versions)} phiên bản)", icon=":material/history:"):
        st.dataframe(
            pd.DataFrame(
                {
                    "Phiên bản": [v.version for v in versions],
                    "Thời gian": [_when(v) for v in versions],
                    "Người sửa": [_name(v.author) if v.author else "—" for v in versions],
                    "Nội dung": [_what(v) for v in versions],
                    "Số ký hiệu": [v.directive.symbol for v in versions],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        older = versions[1:]
        if not older:
            st.caption("Chưa có phiên bản cũ hơn.")
            return
        by_number = {v.version: v for v in older}
        picked = st.selectbox(
            "Xem phiên bản",
            list(by_number),
            format_func=lambda n: f"Phiên bản {n} — {_when(by_number[n])} — {_what(by_number[n])}",
            key=f"{K}history.{directive.id}",
        )
        chosen = by_number[picked]
        _compare((f"Phiên bản {picked}", chosen.directive), ("Hiện tại", versions[0].directive))
        st.button(
            f"Khôi phục phiên bản {picked}",
            key=f"{K}history.restore.{directive.id}",
            icon=":material/restore:",
            help="Phiên bản được khôi phục thành phiên bản mới nhất; không phiên bản nào bị mất.",
            on_click=_restore,
            args=(directive.id, picked),
        )


def _restore(ident: str, version: int) -> None:
    """A button's callback: restore `version` as a new version and reopen the form on it."""
    try:
        new = restore_row_version(state.get_store(), ident, version, now=state.now())
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    state.invalidate_catalogue()
    edit(state.get_catalogue().get(ident))
    flash(f"Đã khôi phục phiên bản {version} (lưu thành phiên bản {new}).")
