"""The editor's working copy: which version this session edits, and autosave of each change.

Every edit goes through `edit(fn, *args)`: `fn` is a pure `planner.drafting.plan_edit`-style
function taking the plan first. The result is saved at once as a new version
(`state.save_current`), so a change is stored within the rerun that follows the text's
commit: blur, Ctrl+Enter, or a pause in typing (`install_autosave`). A refused edit
(PlannerError) is kept and shown on the next run in Vietnamese.

Widget keys: `key(...)` mixes the lead's `state.widget_epoch()` (a restore or another plan)
with this module's structure counter, bumped whenever blocks or sections move, appear or
disappear, or their text is changed by something else than the widget itself (a finding
applied, a copy): no widget ever shows or writes back text that belongs to another block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.auth.access import Action
from planner.auth.guarded import GuardedStore
from planner.auth.model import ROLE_LABELS, Role
from planner.errors import PlannerError
from planner.model import Plan, plan_to_dict
from planner.store.plans import MAX_LABEL, StoredPlan

READ_ONLY_NOTE = (
    "Chế độ chỉ đọc: cơ sở dữ liệu không ghi được nên kế hoạch chỉ để xem, tải về hoặc in; "
    "các nút sửa bị khóa."
)
READ_ONLY_REFUSED = "Cơ sở dữ liệu đang ở chế độ chỉ đọc nên thay đổi này không được lưu."


def writable() -> bool:
    """False when the store refuses every write (read-only, damaged or unavailable) or the
    signed-in account may not edit the open plan (a viewer, a leader, a plan shared to read):
    the editor then shows the plan without editing widgets and `edit` saves nothing."""
    return state.get_store().writable and may_edit()


def may_edit() -> bool:
    """Whether the signed-in account may edit the open plan (always in personal mode)."""
    store = state.get_store()
    plan_id = state.current_plan_id()
    if not isinstance(store, GuardedStore) or plan_id is None:
        return True
    return store.may(plan_id, Action.EDIT)


def read_only_note() -> str:
    """Why the editor shows the plan to read only."""
    user = state.current_user()
    if not state.get_store().writable or user is None:
        return READ_ONLY_NOTE
    role = ROLE_LABELS[user.role]
    note = (
        f"Chỉ xem: tài khoản của bạn (vai trò {role}, đơn vị {md_escape(user.unit)}) không "
        "được sửa kế hoạch này nên các ô sửa bị khóa."
    )
    if user.role is Role.LEADER:
        note += " Lãnh đạo góp ý và duyệt ở khung duyệt kế hoạch phía trên."
    return note


def key(*parts: object) -> str:
    """A widget key that changes when the plan's content is replaced or restructured."""
    return ".".join(
        [
            state.EDITOR_WIDGET,
            str(state.widget_epoch()),
            str(state.get(state.EDITOR_STRUCT, 0)),
            *(str(p) for p in parts),
        ]
    )


def bump_structure() -> None:
    state.bump(state.EDITOR_STRUCT)


def working_plan(stored: StoredPlan | None = None) -> Plan | None:
    """The plan as this session sees it: the version it loaded or last saved.

    Usually the newest; after someone else saved, still this session's version until the
    conflict is resolved, so edits never silently mix in text the user has not seen.
    `stored` is the newest version when the caller has just loaded it (saves a re-read).
    """
    if stored is None:
        stored = state.load_current()
    if stored is None:
        return None
    binned = state.pending_binned_save()
    if binned is not None:
        # The plan went to the bin after this session opened it: the text the user typed
        # since, refused by the store, until they restore the plan or save a copy.
        return binned
    version = state.loaded_version()
    conflict = state.pending_conflict()
    if conflict is not None:
        # The user's own text, kept as a conflict version: further edits build on it, so
        # choosing "Giữ bản của tôi" later keeps all of them.
        version = conflict[1]
    if version is None or version == stored.version:
        return stored.plan
    cached = state.get(state.EDITOR_CACHE)
    if cached and cached[0] == (stored.id, version):
        return cached[1]
    try:
        plan = state.get_store().open_version(stored.id, version)
    except PlannerError:
        return stored.plan
    state.put(state.EDITOR_CACHE, ((stored.id, version), plan))
    return plan


def same(a: Plan, b: Plan) -> bool:
    """True when two plans hold the same content (findings and other extras included).

    Frozen dataclasses compare field by field (quick: an edit shares every untouched section
    with the plan it came from), but their `extra` fields are left out of `==`, and findings,
    review marks and other extensions live there: equal plans are compared once more as
    dicts, so a change that touches only an extension is never taken for no change."""
    if a is b:
        return True
    return a == b and plan_to_dict(a) == plan_to_dict(b)


def save(new: Plan, old: Plan, *, note: str = "", structural: bool = False) -> bool:
    """Store `new` as a version when it differs from `old`; True when saved or unchanged."""
    if same(new, old):
        return True
    ok = state.save_current(new, note=note)
    if structural or not ok:
        bump_structure()
    return ok


def edit(fn: Callable[..., Plan], *args: Any, note: str = "", structural: bool = False,
         notice: str = "", **kwargs: Any) -> None:  # fmt: skip
    """Apply `fn(plan, *args, **kwargs)` to the working plan and save it (a widget callback).
    On a store that cannot be written nothing is tried: the refusal is shown instead."""
    if not writable():
        fail(read_only_note() if state.get_store().writable else READ_ONLY_REFUSED)
        bump_structure()  # widgets go back to the stored text
        return
    plan = working_plan()
    if plan is None:
        return
    try:
        new = fn(plan, *args, **kwargs)
    except PlannerError as e:
        fail(str(e))
        bump_structure()  # widgets go back to the stored text
        return
    if save(new, plan, note=note, structural=structural) and notice:
        state.put(state.EDITOR_NOTICE, notice)


def fail(message: str) -> None:
    state.put(state.EDITOR_ERRORS, [*state.get(state.EDITOR_ERRORS, []), message])


def show_messages() -> None:
    """Errors and notices from the last callbacks (shown once)."""
    for message in state.pop(state.EDITOR_ERRORS, []):
        st.error(md_escape(message))
    notice = state.pop(state.EDITOR_NOTICE)
    if notice:
        st.toast(md_escape(notice), icon=":material/check_circle:")


def install_autosave() -> None:
    """Save the editor's text boxes while the user types (after a short pause), not only
    when they leave the box: see `components.autosave`."""
    from components.autosave import autosave

    autosave()


def seed(widget_key: str, value: Any) -> None:
    """Give a widget its starting value (once): the value lives in session state, so the
    widget's identity never depends on the text and typing is never reset."""
    state.seed(widget_key, value)


def saved_status(stored: StoredPlan) -> str:
    """“Đã lưu lúc hh:mm” for this session's last save, else the stored plan's last change."""
    at = state.last_saved_at()
    version = state.loaded_version()
    tail = f" · phiên bản {version}" if version else ""
    if at is not None:
        return f"Đã lưu lúc {at:%H:%M}{tail}"
    return f"Đã lưu lúc {stored.updated_at:%H:%M} ngày {stored.updated_at:%d/%m/%Y}{tail}"


# ---------------------------------------------------------------- version history


def _restore(version: int) -> None:
    try:
        state.restore_version(version)
    except PlannerError as e:
        fail(str(e))
        return
    bump_structure()
    state.put(state.EDITOR_NOTICE, f"Đã khôi phục phiên bản {version} (lưu thành phiên bản mới).")


def _name_field(plan_id: str, version: int, label: str) -> None:
    """A name for a version: named versions are kept when old history is pruned."""
    name_col, save_col = st.columns([4, 1], vertical_alignment="bottom")
    name = name_col.text_input(
        "Tên phiên bản (phiên bản có tên được giữ khi dọn lịch sử cũ)",
        value=label,
        max_chars=MAX_LABEL,
        key=f"editor.history.name.{version}",
        placeholder="Ví dụ: Bản trình lãnh đạo ngày 15/3",
    )
    if save_col.button("Lưu tên", key=f"editor.history.name.save.{version}",
                       disabled=not writable(), width="stretch"):  # fmt: skip
        try:
            state.get_store().name_version(plan_id, version, name, now=state.now())
        except PlannerError as e:
            st.error(md_escape(str(e)))
        else:
            st.toast(f"Đã đặt tên cho phiên bản {version}.", icon=":material/check_circle:")
            st.rerun()


def version_history(plan_id: str, current: Plan) -> None:
    """Every stored version (newest first); preview one against the current text, restore it."""
    try:
        versions = state.get_store().versions(plan_id)
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return
    rows = [
        {
            "Phiên bản": v.version,
            "Lưu lúc": f"{v.saved_at:%d/%m/%Y %H:%M:%S}",
            "Ghi chú": v.note or "",
            "Tên": v.label,
            "Xung đột": "có" if v.conflict else "",
        }
        for v in versions
    ]
    if state.current_user() is not None:  # server mode: who saved each version (issue #14)
        names = state.display_names()
        for row, v in zip(rows, versions, strict=True):
            row["Người lưu"] = names.get(v.author or "", v.author or "")
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=min(35 * 8 + 38, 35 * len(rows) + 38),
    )
    numbers = [v.version for v in versions]
    k = state.EDITOR_HISTORY_PICK
    if state.get(k) not in numbers:
        state.pop(k)
    picked = st.selectbox(
        "Xem trước phiên bản",
        numbers,
        index=None,
        key=k,
        placeholder="Chọn một phiên bản để xem trước",
        format_func=lambda n: f"Phiên bản {n}",
    )
    if picked is None:
        return
    _name_field(plan_id, picked, next((v.label for v in versions if v.version == picked), ""))
    try:
        old = state.get_store().open_version(plan_id, picked)
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return
    from components.section_editor import diff_html, diff_legend
    from planner.drafting.plan_edit import plan_text, word_diff

    # From the version picked to the current text, as the year-on-year diff reads from last
    # year to this one: red is what was dropped since, green what was added since.
    segments = word_diff(plan_text(old), plan_text(current))
    removed = sum(len(s.text.split()) for s in segments if s.op == "delete")
    added = sum(len(s.text.split()) for s in segments if s.op == "insert")
    if not removed and not added:
        st.caption("Nội dung phiên bản này giống bản hiện tại.")
    else:
        st.caption(
            f"Từ phiên bản {picked} đến bản hiện tại: bỏ {removed} từ, thêm {added} từ. "
            f"Khôi phục phiên bản {picked} thì chữ đỏ trở lại và chữ xanh bị bỏ."
        )
        st.html(diff_legend(f"Từ phiên bản {picked} đến bản hiện tại"))
        with st.container(height=320):
            st.markdown(
                diff_html(segments, old_title=f"Phiên bản {picked}", new_title="Bản hiện tại"),
                unsafe_allow_html=True,
            )
    st.button(
        f"Khôi phục phiên bản {picked}",
        key=key("restore", picked),
        icon=":material/history:",
        type="primary",
        on_click=_restore,
        args=(picked,),
        disabled=not writable(),
    )
