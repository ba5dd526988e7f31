"""The section tree: this year's sections beside last year's, every change autosaved.

One level-1 section (with its sub-sections) is shown at a time, chosen in a list, so the page
stays quick with a long plan. In it: rename and renumber, move, add and delete sections and
blocks, edit text, change a block's kind, tick *Đã rà soát*. Beside it, last year's plan
(`plan.extra["previous_plan_id"]` in the store, or the `previous_plan` dict kept in the plan)
with one-click copy of a section or a block, and a word diff of each section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from components import editor_session as es
from components import state
from components.autosave import focus
from components.safe_text import html_escape, md_escape
from planner.drafting import plan_edit as pe
from planner.errors import PlannerError
from planner.model import BLOCK_KINDS, MAX_SECTION_DEPTH, Block, Plan, Section, plan_from_dict

KIND_LABELS = {
    "paragraph": "Đoạn văn",
    "dash": "Gạch đầu dòng (-)",
    "plus": "Dấu cộng (+)",
    "table": "Bảng",
}


def _ref_key(idx: pe.Index) -> str:
    return "-".join(str(i) for i in idx)


# ---------------------------------------------------------------- last year's plan


def previous_plan(plan: Plan) -> Plan | None:
    """Last year's plan: from the store by `previous_plan_id`, else the kept dict; or None."""
    prev_id = plan.extra.get("previous_plan_id")
    raw = plan.extra.get("previous_plan")
    cache_key: Any = (
        ("id", prev_id) if prev_id else ("dict", state.current_plan_id(), len(str(raw)))
    )
    cached = state.get(state.EDITOR_PREVIOUS)
    if cached and cached[0] == cache_key:
        return cached[1]
    found: Plan | None = None
    try:
        if isinstance(prev_id, str) and prev_id:
            found = state.get_store().open(prev_id).plan
        elif isinstance(raw, dict):
            found = plan_from_dict(raw, "kế hoạch năm trước")
    except PlannerError as e:
        st.warning(f"Không mở được kế hoạch năm trước: {md_escape(str(e))}")
        found = None
    state.put(state.EDITOR_PREVIOUS, (cache_key, found))
    return found


# ---------------------------------------------------------------- callbacks


def _go(idx: pe.Index) -> None:
    """Edit section `idx` next (remembered per plan)."""
    state.put(state.EDITOR_AT, (state.current_plan_id(), tuple(int(i) for i in idx)))


def _current(plan: Plan) -> pe.Index:
    """The section being edited, remembered per plan (another plan starts at its first);
    one that no longer exists falls back to its nearest parent, else the last level-1."""
    kept = state.get(state.EDITOR_AT)
    idx: pe.Index = (0,)
    if isinstance(kept, tuple) and kept[0] == state.current_plan_id() and kept[1]:
        idx = kept[1]
    idx = (max(0, min(idx[0], len(plan.sections) - 1)), *idx[1:])
    while len(idx) > 1:
        try:
            pe.section_at(plan, idx)
            break
        except PlannerError:
            idx = idx[:-1]
    return idx


def _on_pick(k: str) -> None:
    _go(state.widget_value(k))


# Section titles longer than this are edited in a text area (they wrap, all of them seen).
LONG_TITLE = 80


def _want_focus(part: str, idx: pe.Index, block: int | None = None) -> None:
    """After an addition: the next run scrolls to the new widget `part` and focuses it."""
    state.put(state.EDITOR_FOCUS, (state.current_plan_id(), part, tuple(idx), block))


def _focus_if_wanted(part: str, idx: pe.Index, block: int | None, widget_key: str) -> None:
    """Draw the focusing script by the widget `widget_key` when it is the one just added."""
    if state.get(state.EDITOR_FOCUS) == (state.current_plan_id(), part, tuple(idx), block):
        state.pop(state.EDITOR_FOCUS)
        focus(widget_key)


def _add_top(plan_len: int) -> None:
    es.edit(
        pe.add_section, None, "MỤC MỚI", note="Thêm mục", structural=True,
        notice="Đã thêm mục lớn mới ở cuối kế hoạch: gõ tên mục.",
    )  # fmt: skip
    _go((plan_len,))
    _want_focus("title", (plan_len,))


def _on_title(idx: pe.Index, k: str) -> None:
    title = " ".join(str(state.widget_value(k) or "").splitlines())  # one line, as printed
    es.edit(pe.rename_section, idx, title=title, note="Đổi tên mục")


def _on_number(idx: pe.Index, k: str) -> None:
    es.edit(pe.rename_section, idx, number=state.widget_value(k), note="Đổi số thứ tự mục")


def _move_section(idx: pe.Index, delta: int, n_siblings: int) -> None:
    es.edit(pe.move_section, idx, delta, note="Chuyển vị trí mục", structural=True)
    _go((*idx[:-1], max(0, min(idx[-1] + delta, n_siblings - 1))))


def _add_child(idx: pe.Index, n_children: int) -> None:
    es.edit(
        pe.add_section, idx, "Mục mới", note="Thêm mục con", structural=True,
        notice="Đã thêm mục con mới: gõ tên mục.",
    )  # fmt: skip
    _go((*idx, n_children))
    _want_focus("title", (*idx, n_children))


def _add_block(idx: pe.Index, n_blocks: int, path: str) -> None:
    es.edit(
        pe.add_block, idx, note=f"Thêm đoạn vào mục {path}", structural=True,
        notice=f"Đã thêm đoạn mới ở cuối mục {path}: gõ nội dung.",
    )  # fmt: skip
    _want_focus("text", idx, n_blocks)


def _delete_section(idx: pe.Index) -> None:
    es.edit(
        pe.delete_section, idx, note="Xóa mục", structural=True,
        notice="Đã xóa mục (có thể khôi phục trong Lịch sử phiên bản).",
    )  # fmt: skip
    _go(idx[:-1] if len(idx) > 1 else (max(0, idx[0] - 1),))


def _on_text(idx: pe.Index, i: int, k: str, where: str) -> None:
    es.edit(pe.set_block, idx, i, text=state.widget_value(k), note=f"Sửa {where}")


def _on_kind(idx: pe.Index, i: int, k: str) -> None:
    es.edit(pe.change_kind, idx, i, state.widget_value(k), note="Đổi kiểu đoạn", structural=True)


def _on_reviewed(idx: pe.Index, i: int, k: str) -> None:
    es.edit(pe.set_reviewed, idx, i, bool(state.widget_value(k)), note="Đánh dấu rà soát")


@dataclass(frozen=True)
class CopyAsk:
    """A copy from last year waiting for the user's choice (its section or block exists)."""

    plan_id: str | None
    src: pe.Index
    block: int | None  # None: the whole section
    parent: pe.Index | None  # a section copy: where it would go
    at: int | None
    target: pe.Index | None  # a block copy: this year's section it goes into


def _copy_section(previous: Plan, src: pe.Index, parent: pe.Index | None, at: int | None) -> None:
    """*Chép* of a section: straight in when it is new this year, else ask first."""
    plan = es.working_plan()
    if plan is None:
        return
    try:
        exists = pe.check_section_copy(plan, previous, src, parent).exists
    except PlannerError as e:
        es.fail(str(e))
        return
    if exists:
        state.put(
            state.EDITOR_COPY_ASK, CopyAsk(state.current_plan_id(), src, None, parent, at, None)
        )
        return
    es.edit(
        pe.copy_section_from, previous, src, parent, at, note="Chép mục từ năm trước",
        structural=True, notice="Đã chép mục từ kế hoạch năm trước.",
    )  # fmt: skip
    if at is not None:
        _go((*(parent or ()), at))


def _copy_block(previous: Plan, src: pe.Index, i: int, target: pe.Index) -> None:
    """*Chép* of a block: straight in when this year's section lacks it, else ask first."""
    plan = es.working_plan()
    if plan is None:
        return
    try:
        exists = pe.check_block_copy(plan, previous, src, i, target).exists
    except PlannerError as e:
        es.fail(str(e))
        return
    if exists:
        state.put(
            state.EDITOR_COPY_ASK, CopyAsk(state.current_plan_id(), src, i, None, None, target)
        )
        return
    es.edit(
        pe.copy_block_from, previous, src, i, target, note="Chép đoạn từ năm trước",
        structural=True, notice="Đã chép đoạn từ kế hoạch năm trước.",
    )  # fmt: skip


def _forget_copy() -> None:
    state.pop(state.EDITOR_COPY_ASK)


COPY_BUTTONS = {
    "replace": "Thay thế bản năm nay",
    "beside": "Thêm bên cạnh",
}


@st.dialog("Đã có trong kế hoạch năm nay", width="large", on_dismiss=_forget_copy)
def _copy_dialog(plan: Plan, previous: Plan, ask: CopyAsk) -> None:
    """Replace, add beside or cancel, with the words replacing would change."""
    try:
        if ask.block is None:
            check = pe.check_section_copy(plan, previous, ask.src, ask.parent)
            src = pe.section_at(previous, ask.src)
            what = f"Mục “{src.number}. {src.title}” của năm trước"
        else:
            assert ask.target is not None
            check = pe.check_block_copy(plan, previous, ask.src, ask.block, ask.target)
            what = f"Đoạn {ask.block + 1} của mục {pe.section_path(previous, ask.src)} năm trước"
    except PlannerError as e:
        st.error(md_escape(str(e)))
        check = None
    if check is not None and check.existing is not None:
        if check.existing_block is None:
            where = f"mục {pe.section_path(plan, check.existing)}"
        else:
            where = (
                f"đoạn {check.existing_block + 1} của mục {pe.section_path(plan, check.existing)}"
            )
        st.markdown(f"{md_escape(what)} đã có trong kế hoạch năm nay ({md_escape(where)}).")
        removed, added = pe.diff_counts(check.segments)
        if check.identical:
            st.info("Nội dung năm trước giống hệt bản năm nay: không cần chép lại.")
        else:
            st.caption(f"Nếu thay thế: bỏ {removed} từ của năm nay, thêm {added} từ của năm trước.")
            st.html(diff_legend("Nếu thay thế bản năm nay bằng bản năm trước"))
            with st.container(height=260):
                st.markdown(
                    diff_html(check.segments, old_title="Năm nay", new_title="Năm trước"),
                    unsafe_allow_html=True,
                )
        st.caption(
            "Thay thế: bản năm trước thay vào chỗ bản năm nay (chưa rà soát). "
            "Thêm bên cạnh: giữ bản năm nay và chép bản năm trước ngay sau nó."
        )
    elif check is not None:
        st.markdown(
            f"{md_escape(what)} không còn trùng với phần nào của năm nay: chép bình thường."
        )
    replace_col, beside_col, cancel_col = st.columns(3)
    chosen = None
    if replace_col.button(
        COPY_BUTTONS["replace"],
        key=es.key("copy.replace"),
        type="primary",
        icon=":material/swap_horiz:",
        width="stretch",
        disabled=check is None,
    ):
        chosen = "replace"
    if beside_col.button(
        COPY_BUTTONS["beside"],
        key=es.key("copy.beside"),
        icon=":material/add:",
        width="stretch",
        disabled=check is None,
    ):
        chosen = "beside"
    cancel = cancel_col.button("Hủy", key=es.key("copy.cancel"), width="stretch")
    if chosen is not None:
        if ask.block is None:
            es.edit(
                pe.apply_section_copy,
                previous,
                ask.src,
                ask.parent,
                ask.at,
                chosen,
                note="Chép mục từ năm trước",
                structural=True,
                notice="Đã chép mục từ kế hoạch năm trước.",
            )
            existing = check.existing if check is not None else None
            if existing is not None:
                _go(existing if chosen == "replace" else (*existing[:-1], existing[-1] + 1))
        else:
            es.edit(
                pe.apply_block_copy,
                previous,
                ask.src,
                ask.block,
                ask.target,
                chosen,
                note="Chép đoạn từ năm trước",
                structural=True,
                notice="Đã chép đoạn từ kế hoạch năm trước.",
            )
    if chosen is not None or cancel:
        _forget_copy()
        st.rerun()


# ---------------------------------------------------------------- the editor


# A level-1 section this small is shown whole (its sub-sections one under another); a larger
# one a section at a time, chosen in a second list: the page's widgets (and Streamlit's work
# per widget, which grows with their number) stay bounded however long the plan is.
WHOLE_MAX_SECTIONS = 6
WHOLE_MAX_BLOCKS = 14


def shown_whole(section: Section) -> bool:
    """True when a level-1 section is drawn with all its sub-sections at once."""
    n_sections = n_blocks = 0
    for _, _, s in pe.iter_indexed((section,)):
        n_sections += 1
        n_blocks += len(s.blocks)
        if n_sections > WHOLE_MAX_SECTIONS or n_blocks > WHOLE_MAX_BLOCKS:
            return False
    return True


def section_editor(plan: Plan) -> None:
    """This year's sections (one level-1 section, or one section of a long one, at a time)
    beside last year's."""
    previous = previous_plan(plan)
    if not plan.sections:
        st.info("Kế hoạch chưa có mục nào.")
        st.button(
            "Thêm mục đầu tiên", key=es.key("top.add"), type="primary", icon=":material/add:",
            on_click=_add_top, args=(0,),
        )  # fmt: skip
        return
    n = len(plan.sections)
    at = _current(plan)
    top = at[0]
    pick, add, opts = st.columns([6, 2, 3], vertical_alignment="bottom")
    with pick:
        k = es.key("top.pick")
        state.put(k, (top,))
        st.selectbox(
            "Mục đang soạn",
            [(i,) for i in range(n)],
            key=k,
            format_func=lambda i: _top_label(plan.sections[i[0]]),
            on_change=_on_pick,
            args=(k,),
        )
    add.button(
        "Thêm mục lớn", key=es.key("top.add"), icon=":material/add:",
        on_click=_add_top, args=(n,), width="stretch",
    )  # fmt: skip
    with opts:
        show_prev = previous is not None and st.toggle(
            "Hiện kế hoạch năm trước", value=True, key="editor.show_prev"
        )
        show_diff = previous is not None and st.toggle(
            "So sánh với năm trước", value=False, key="editor.show_diff"
        )
    whole = shown_whole(plan.sections[top])
    shown = (top,) if whole else at
    if not whole:
        _sub_picker(plan, top, at)
    if previous is None:
        st.caption("Kế hoạch này không có kế hoạch năm trước đi kèm nên không so sánh được.")
    if show_prev and previous is not None:
        mine, theirs = st.columns([3, 2], gap="medium")
        with mine:
            st.markdown(f"##### Năm nay ({plan.meta.year or '…'})")
            _section(plan, shown, previous if show_diff else None, whole)
        with theirs:
            st.markdown(f"##### Năm trước ({previous.meta.year or '…'})")
            _previous_column(plan, previous, shown)
    else:
        _section(plan, shown, previous if show_diff else None, whole)
    ask = state.get(state.EDITOR_COPY_ASK)
    if isinstance(ask, CopyAsk) and previous is not None:
        if ask.plan_id == state.current_plan_id():
            _copy_dialog(plan, previous, ask)
        else:
            _forget_copy()


def _top_label(s: Section) -> str:
    title = s.title if len(s.title) <= 70 else s.title[:69] + "…"
    return f"{s.number}. {title}" if s.number else title or "(chưa có tên)"


def _sub_picker(plan: Plan, top: int, at: pe.Index) -> None:
    """A long level-1 section: which of its sections is edited, the one before and after,
    and its outline (read-only) for the rest."""
    head = plan.sections[top]
    entries = list(pe.iter_indexed(head.children, (top,), head.number))
    order: list[pe.Index] = [(top,), *(idx for idx, _, _ in entries)]
    labels: dict[pe.Index, str] = {(top,): f"{head.number}. (phần chung, trước các mục con)"}
    labels.update(
        {idx: "\u2003" * (len(idx) - 2) + f"{path}. {s.title}" for idx, path, s in entries}
    )
    pos = order.index(at) if at in order else 0
    pick, back, fwd = st.columns([8, 1, 1], vertical_alignment="bottom")
    with pick:
        k = es.key("sub.pick", top)
        state.put(k, order[pos])
        st.selectbox(
            f"Mục con đang soạn (mục {md_escape(head.number)} có {len(entries)} mục con)",
            order,
            key=k,
            format_func=lambda i: labels[i] if len(labels[i]) <= 110 else labels[i][:109] + "…",
            on_change=_on_pick,
            args=(k,),
        )
    back.button(
        "", key=es.key("sub.prev"), icon=":material/navigate_before:", help="Mục con trước",
        disabled=pos == 0, on_click=_go, args=(order[max(0, pos - 1)],), width="stretch",
    )  # fmt: skip
    fwd.button(
        "", key=es.key("sub.next"), icon=":material/navigate_next:", help="Mục con sau",
        disabled=pos == len(order) - 1, on_click=_go,
        args=(order[min(len(order) - 1, pos + 1)],), width="stretch",
    )  # fmt: skip
    with st.expander(
        f"Dàn ý mục {md_escape(head.number)} ({len(entries)} mục con)", icon=":material/list:"
    ):
        lines = []
        for idx in order:
            text = md_escape(labels[idx])
            lines.append(f"**{text}**" if idx == at else text)
        with st.container(height=min(360, 26 * len(lines) + 20), border=False):
            st.markdown("  \n".join(lines))


def _section(plan: Plan, idx: pe.Index, previous: Plan | None, whole: bool = True) -> None:
    s = pe.section_at(plan, idx)
    rk = _ref_key(idx)
    depth = len(idx)
    siblings = pe.section_at(plan, idx[:-1]).children if depth > 1 else plan.sections
    with st.container(border=True):
        num, title, tools = st.columns([1.1, 7, 3.2], vertical_alignment="bottom")
        with num:
            k = es.key("num", rk)
            es.seed(k, s.number)
            st.text_input("Số", key=k, on_change=_on_number, args=(idx, k))
        with title:
            label = "Tên mục" if depth == 1 else f"Tên mục con (cấp {depth})"
            short, long = es.key("title", rk), es.key("title.long", rk)
            # A long title wraps in a text area, all of it in view. The box being typed in
            # stays the same kind while its key lives (an autosave while typing past the
            # limit would otherwise swap it and take the caret away).
            if state.has(long) or (len(s.title) > LONG_TITLE and not state.has(short)):
                k = long
                es.seed(k, s.title)
                st.text_area(
                    label, key=k, on_change=_on_title, args=(idx, k),
                    height=max(68, 26 * (len(s.title) // 70 + 1) + 16),
                )  # fmt: skip
            else:
                k = short
                es.seed(k, s.title)
                st.text_input(label, key=k, on_change=_on_title, args=(idx, k))
            _focus_if_wanted("title", idx, None, k)
        with tools:
            up, down, child, delete = st.columns(4)
            up.button(
                "", key=es.key("s.up", rk), icon=":material/arrow_upward:", help="Đưa mục lên",
                disabled=idx[-1] == 0, on_click=_move_section, args=(idx, -1, len(siblings)),
            )  # fmt: skip
            down.button(
                "", key=es.key("s.down", rk), icon=":material/arrow_downward:",
                help="Đưa mục xuống", disabled=idx[-1] == len(siblings) - 1,
                on_click=_move_section, args=(idx, 1, len(siblings)),
            )  # fmt: skip
            child.button(
                "", key=es.key("s.child", rk), icon=":material/subdirectory_arrow_right:",
                help="Thêm mục con", disabled=depth >= MAX_SECTION_DEPTH, on_click=_add_child,
                args=(idx, len(s.children)),
            )  # fmt: skip
            with delete.popover("", icon=":material/delete:", help="Xóa mục này"):
                n_blocks = sum(len(x.blocks) for _, _, x in pe.iter_indexed((s,)))
                st.warning(
                    f"Xóa mục “{md_escape(f'{s.number}. {s.title}')}” cùng {n_blocks} đoạn văn "
                    "và các mục con? "
                    "Có thể khôi phục trong Lịch sử phiên bản."
                )
                st.button(
                    "Xóa mục", key=es.key("s.del", rk), type="primary",
                    on_click=_delete_section, args=(idx,),
                )  # fmt: skip
        path = pe.section_path(plan, idx)
        for i, b in enumerate(s.blocks):
            _block(idx, rk, path, i, b, len(s.blocks))
        add, review = st.columns(2)
        add.button(
            "Thêm đoạn", key=es.key("b.add", rk), icon=":material/add:", on_click=_add_block,
            args=(idx, len(s.blocks), path),
        )  # fmt: skip
        subtree = [b for _, _, x in pe.iter_indexed((s,)) for b in x.blocks]
        if subtree and not all(b.reviewed is True for b in subtree):
            review.button(
                "Đánh dấu cả mục đã rà soát", key=es.key("s.rev", rk),
                icon=":material/done_all:", on_click=es.edit,
                args=(pe.set_section_reviewed, idx, True),
                kwargs={"note": f"Đánh dấu mục {path} đã rà soát", "structural": True},
                help="Đánh dấu mọi đoạn của mục này và các mục con là đã rà soát",
            )  # fmt: skip
        if previous is not None:
            _diff(previous, plan, idx)
        if not whole:
            if s.children:
                st.caption(
                    f"Mục này có {len(s.children)} mục con: chọn ở ô “Mục con đang soạn” "
                    "hoặc bấm nút mũi tên để sang mục con sau."
                )
            return
        for c in range(len(s.children)):
            _section(plan, (*idx, c), previous)


def _block(idx: pe.Index, rk: str, path: str, i: int, b: Block, n: int) -> None:
    bk = f"{rk}.{i}"
    kind, reviewed, tools = st.columns([3, 3, 3], vertical_alignment="center")
    with kind:
        k = es.key("b.kind", bk)
        es.seed(k, b.kind)
        st.selectbox(
            f"Kiểu đoạn {i + 1}", BLOCK_KINDS, key=k, format_func=KIND_LABELS.__getitem__,
            on_change=_on_kind, args=(idx, i, k), label_visibility="collapsed",
        )  # fmt: skip
    with reviewed:
        k = es.key("b.rev", bk)
        es.seed(k, b.reviewed is True)
        st.checkbox("Đã rà soát", key=k, on_change=_on_reviewed, args=(idx, i, k))
    with tools:
        up, down, delete = st.columns(3)
        up.button(
            "", key=es.key("b.up", bk), icon=":material/arrow_upward:", help="Đưa đoạn lên",
            disabled=i == 0, on_click=es.edit, args=(pe.move_block, idx, i, -1),
            kwargs={"note": "Chuyển vị trí đoạn", "structural": True},
        )  # fmt: skip
        down.button(
            "", key=es.key("b.down", bk), icon=":material/arrow_downward:",
            help="Đưa đoạn xuống", disabled=i == n - 1, on_click=es.edit,
            args=(pe.move_block, idx, i, 1),
            kwargs={"note": "Chuyển vị trí đoạn", "structural": True},
        )  # fmt: skip
        delete.button(
            "", key=es.key("b.del", bk), icon=":material/delete:", help="Xóa đoạn này",
            on_click=es.edit, args=(pe.delete_block, idx, i),
            kwargs={"note": f"Xóa đoạn {i + 1} của mục {path}", "structural": True,
                    "notice": "Đã xóa đoạn (có thể khôi phục trong Lịch sử phiên bản)."},
        )  # fmt: skip
    where = f"mục {path}, đoạn {i + 1}"
    if b.kind == "table":
        _table(idx, i, b, bk, where)
        return
    k = es.key("b.text", bk)
    es.seed(k, b.text)
    st.text_area(
        f"Nội dung {md_escape(where)}",
        key=k,
        height=max(68, min(300, 24 * (len(b.text) // 95 + b.text.count("\n") + 2))),
        on_change=_on_text,
        args=(idx, i, k, where),
        label_visibility="collapsed",
    )
    _focus_if_wanted("text", idx, i, k)


def _grid(b: Block) -> list[list[str]]:
    """A table block's rows padded to one width (at least one empty cell)."""
    width = max((len(r) for r in b.rows), default=1)
    return [list(r) + [""] * (width - len(r)) for r in b.rows] or [[""]]


def apply_grid_changes(rows: list[list[str]], changes: dict) -> tuple[tuple[str, ...], ...]:
    """Apply st.data_editor's recorded changes (edited, deleted, added rows) to `rows`."""
    width = len(rows[0]) if rows else 1
    out = [list(r) for r in rows]

    def col(name: object) -> int | None:
        text = str(name)
        if text.startswith("Cột ") and text[4:].isdigit():
            c = int(text[4:]) - 1
            return c if 0 <= c < width else None
        return None

    def cell(value: object) -> str:
        return "" if value is None or (isinstance(value, float) and value != value) else str(value)

    for r, values in (changes.get("edited_rows") or {}).items():
        r = int(r)
        if 0 <= r < len(out):
            for name, value in values.items():
                c = col(name)
                if c is not None:
                    out[r][c] = cell(value)
    for r in sorted({int(x) for x in changes.get("deleted_rows") or []}, reverse=True):
        if 0 <= r < len(out):
            del out[r]
    for values in changes.get("added_rows") or []:
        row = [""] * width
        for name, value in values.items():
            c = col(name)
            if c is not None:
                row[c] = cell(value)
        out.append(row)
    return tuple(tuple(r) for r in out)


def _on_table(idx: pe.Index, i: int, k: str, where: str) -> None:
    plan = es.working_plan()
    if plan is None:
        return
    try:
        block = pe.section_at(plan, idx).blocks[i]
    except (PlannerError, IndexError):
        es.bump_structure()
        return
    rows = apply_grid_changes(_grid(block), dict(state.get(k) or {}))
    # A new key afterwards: the grid starts again from the stored rows.
    es.edit(pe.set_block, idx, i, rows=rows, note=f"Sửa bảng ở {where}", structural=True)


def _table(idx: pe.Index, i: int, b: Block, bk: str, where: str) -> None:
    rows = _grid(b)
    width = len(rows[0])
    df = pd.DataFrame(rows, columns=[f"Cột {c + 1}" for c in range(width)], dtype="string")
    k = es.key("b.table", bk)
    st.data_editor(
        df, key=k, num_rows="dynamic", hide_index=True, width="stretch",
        on_change=_on_table, args=(idx, i, k, where),
    )  # fmt: skip
    st.caption("Dòng đầu là dòng tiêu đề của bảng. Thêm dòng ở cuối bảng; chọn dòng để xóa.")


# ---------------------------------------------------------------- diff


def _diff(previous: Plan, plan: Plan, idx: pe.Index) -> None:
    match = pe.match_section(previous, plan, idx)
    old = match[1] if match else None
    segments = pe.section_diff(old, pe.section_at(plan, idx))
    removed, added = pe.diff_counts(segments)
    if old is None:
        st.caption("Năm trước không có mục tương ứng.")
        return
    if not removed and not added:
        st.caption(":material/check: Giống hệt năm trước.")
        return
    with st.expander(f"So sánh với năm trước: bỏ {removed} từ, thêm {added} từ"):
        st.html(diff_legend("Từ năm trước sang năm nay"))
        st.markdown(diff_html(segments), unsafe_allow_html=True)


# One meaning everywhere a diff is shown (year on year, the version history, a copy from
# last year): struck through in red, words that go (bị bỏ); in green, words that come in
# (thêm mới), reading from the earlier text to the later one (or to what an action makes).
DEL_STYLE = "background:#fde2e2;color:#9b1c1c"
INS_STYLE = "background:#dcfce7;color:#14532d;text-decoration:none"


def diff_legend(direction: str) -> str:
    """The colours' legend, as HTML: `direction` says from which text to which one."""
    return (
        '<div class="plan-diff-legend" style="font-size:0.875rem;margin:0 0 0.3rem">'
        f"{html_escape(direction)}: "
        f'<del style="{DEL_STYLE}">đỏ gạch ngang</del> là chữ bị bỏ; '
        f'<ins style="{INS_STYLE}">xanh</ins> là chữ thêm mới.</div>'
    )


def diff_html(
    segments: tuple[pe.DiffSegment, ...], old_title: str = "Năm trước", new_title: str = "Năm nay"
) -> str:
    """The diff as HTML: removed words struck through in red, added words in green (the
    legend: `diff_legend`); the titles name where each comes from (shown on hover)."""
    out = []
    for seg in segments:
        text = html_escape(seg.text)
        if seg.op == "delete":
            out.append(f'<del style="{DEL_STYLE}" title="{html_escape(old_title)}">{text}</del>')
        elif seg.op == "insert":
            out.append(f'<ins style="{INS_STYLE}" title="{html_escape(new_title)}">{text}</ins>')
        else:
            out.append(text)
    return '<div style="line-height:1.6">' + "".join(out) + "</div>"


# ---------------------------------------------------------------- last year's column


def _previous_column(plan: Plan, previous: Plan, shown: pe.Index) -> None:
    """Last year's section matching the one edited (any other can be chosen), read-only,
    with *Chép* for it and for each of its blocks."""
    entries = list(pe.iter_indexed(previous.sections))
    if not entries:
        st.caption("Kế hoạch năm trước không có mục nào.")
        return
    match = pe.match_section(previous, plan, shown)
    default = match[0] if match else entries[min(shown[0], len(entries) - 1)][0]
    options = [idx for idx, _, _ in entries]
    labels = {idx: ("\u2003" * (len(idx) - 1)) + f"{path}. {s.title}" for idx, path, s in entries}
    k = es.key("prev.pick", _ref_key(shown))
    es.seed(k, default if default in options else options[0])
    chosen = st.selectbox(
        "Mục năm trước", options, key=k,
        format_func=lambda i: labels[i] if len(labels[i]) <= 110 else labels[i][:109] + "…",
    )  # fmt: skip
    whole = shown_whole(pe.section_at(previous, chosen))
    with st.container(height=720, border=False):
        _previous_section(plan, previous, chosen, shown, whole)


def _previous_section(
    plan: Plan, previous: Plan, idx: pe.Index, shown: pe.Index, whole: bool
) -> None:
    s = pe.section_at(previous, idx)
    path = pe.section_path(previous, idx)
    rk = _ref_key(idx)
    with st.container(border=True):
        head, copy = st.columns([3, 2], vertical_alignment="center")
        head.markdown(f"**{md_escape(_top_label(s))}**")
        parent, at = _copy_target(plan, previous, idx)
        copy.button(
            "Chép", key=es.key("prev.copy", rk), icon=":material/content_copy:",
            help=f"Chép mục {md_escape(path)} (cả các mục con) sang năm nay",
            on_click=_copy_section, args=(previous, idx, parent, at),
        )  # fmt: skip
        target = _block_target(plan, path, shown)
        where = pe.section_path(plan, target) if target else ""
        for i, b in enumerate(s.blocks):
            text, btn = st.columns([6, 1], vertical_alignment="top")
            text.markdown(_block_html(b), unsafe_allow_html=True)
            btn.button(
                "", key=es.key("prev.copyb", rk, i), icon=":material/content_copy:",
                help=f"Chép đoạn này vào cuối mục {md_escape(where)} của năm nay",
                disabled=target is None, on_click=_copy_block, args=(previous, idx, i, target),
            )  # fmt: skip
        if not whole:
            if s.children:
                st.caption(f"Mục này có {len(s.children)} mục con: chọn ở ô “Mục năm trước”.")
            return
        for c in range(len(s.children)):
            _previous_section(plan, previous, (*idx, c), shown, whole)


def _block_target(plan: Plan, path: str, shown: pe.Index) -> pe.Index | None:
    """This year's section a block of last year's section `path` is copied into: the one
    with the same path, else the section being edited."""
    try:
        return pe.section_index(plan, path)
    except PlannerError:
        try:
            return pe.section_index(plan, shown)
        except PlannerError:
            return None


def _copy_target(plan: Plan, previous: Plan, idx: pe.Index) -> tuple[pe.Index | None, int | None]:
    """Where a copy of last year's section goes: under this year's section with its parent's
    path (else under the first level-1 section), at the position it had last year."""
    if len(idx) == 1:
        return None, min(idx[0], len(plan.sections))
    parent_path = pe.section_path(previous, idx[:-1])
    try:
        parent = pe.section_index(plan, parent_path)
    except PlannerError:
        return ((0,), None) if plan.sections else (None, None)
    kids = pe.section_at(plan, parent).children
    return parent, min(idx[-1], len(kids))


def _block_html(b: Block) -> str:
    """Last year's block, read-only, a little smaller than the editor's text."""
    style = "font-size:0.9rem;line-height:1.5;margin-bottom:0.4rem"
    if b.kind == "table":
        cells = "".join(
            "<tr>" + "".join(f"<td>{html_escape(c)}</td>" for c in row) + "</tr>" for row in b.rows
        )
        return f'<table style="{style}">{cells}</table>' if b.rows else ""
    mark = {"dash": "- ", "plus": "+ "}.get(b.kind, "")
    text = html_escape(mark + b.text)
    return f'<div style="{style}">{text}</div>'
