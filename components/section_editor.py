"""The section tree: this year's sections beside last year's, every change autosaved.

One level-1 section (with its sub-sections) is shown at a time, chosen in a list, so the page
stays quick with a long plan. In it: rename and renumber, move, add and delete sections and
blocks, edit text, change a block's kind, tick *Đã rà soát*. Beside it, last year's plan
(`plan.extra["previous_plan_id"]` in the store, or the `previous_plan` dict kept in the plan)
with one-click copy of a section or a block, and a word diff of each section.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from components import editor_session as es
from components import state
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
        st.warning(f"Không mở được kế hoạch năm trước: {e}")
        found = None
    state.put(state.EDITOR_PREVIOUS, (cache_key, found))
    return found


# ---------------------------------------------------------------- callbacks


def _set_top(i: int) -> None:
    state.put(state.EDITOR_TOP, (state.current_plan_id(), int(i)))


def _get_top() -> int:
    """The level-1 section shown, remembered per plan (another plan starts at its first)."""
    kept = state.get(state.EDITOR_TOP)
    if isinstance(kept, tuple) and kept[0] == state.current_plan_id():
        return max(0, kept[1])
    return 0


def _on_top_change(k: str) -> None:
    _set_top(state.widget_value(k))


def _add_top(plan_len: int) -> None:
    es.edit(pe.add_section, None, "MỤC MỚI", note="Thêm mục", structural=True)
    _set_top(plan_len)


def _on_title(idx: pe.Index, k: str) -> None:
    es.edit(pe.rename_section, idx, title=state.widget_value(k), note="Đổi tên mục")


def _on_number(idx: pe.Index, k: str) -> None:
    es.edit(pe.rename_section, idx, number=state.widget_value(k), note="Đổi số thứ tự mục")


def _move_section(idx: pe.Index, delta: int) -> None:
    es.edit(pe.move_section, idx, delta, note="Chuyển vị trí mục", structural=True)
    if len(idx) == 1:
        _set_top(max(0, idx[0] + delta))


def _delete_section(idx: pe.Index) -> None:
    es.edit(
        pe.delete_section, idx, note="Xóa mục", structural=True,
        notice="Đã xóa mục (có thể khôi phục trong Lịch sử phiên bản).",
    )  # fmt: skip
    if len(idx) == 1:
        _set_top(max(0, idx[0] - 1))


def _on_text(idx: pe.Index, i: int, k: str, where: str) -> None:
    es.edit(pe.set_block, idx, i, text=state.widget_value(k), note=f"Sửa {where}")


def _on_kind(idx: pe.Index, i: int, k: str) -> None:
    es.edit(pe.change_kind, idx, i, state.widget_value(k), note="Đổi kiểu đoạn", structural=True)


def _on_reviewed(idx: pe.Index, i: int, k: str) -> None:
    es.edit(pe.set_reviewed, idx, i, bool(state.widget_value(k)), note="Đánh dấu rà soát")


def _copy_section(previous: Plan, src: pe.Index, parent: pe.Index | None, at: int | None) -> None:
    es.edit(
        pe.copy_section_from, previous, src, parent, at, note="Chép mục từ năm trước",
        structural=True, notice="Đã chép mục từ kế hoạch năm trước.",
    )  # fmt: skip
    if parent is None and at is not None:
        _set_top(at)


def _copy_block(previous: Plan, src: pe.Index, i: int, target: pe.Index) -> None:
    es.edit(
        pe.copy_block_from, previous, src, i, target, note="Chép đoạn từ năm trước",
        structural=True, notice="Đã chép đoạn từ kế hoạch năm trước.",
    )  # fmt: skip


# ---------------------------------------------------------------- the editor


def section_editor(plan: Plan) -> None:
    """This year's sections (one level-1 section at a time) beside last year's."""
    previous = previous_plan(plan)
    if not plan.sections:
        st.info("Kế hoạch chưa có mục nào.")
        st.button(
            "Thêm mục đầu tiên", key=es.key("top.add"), type="primary", icon=":material/add:",
            on_click=_add_top, args=(0,),
        )  # fmt: skip
        return
    n = len(plan.sections)
    top = min(_get_top(), n - 1)
    pick, add, opts = st.columns([6, 2, 3], vertical_alignment="bottom")
    with pick:
        k = es.key("top.pick")
        state.put(k, top)
        st.selectbox(
            "Mục đang soạn",
            list(range(n)),
            key=k,
            format_func=lambda i: _top_label(plan.sections[i]),
            on_change=_on_top_change,
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
    if previous is None:
        st.caption("Kế hoạch này không có kế hoạch năm trước đi kèm nên không so sánh được.")
    if show_prev and previous is not None:
        mine, theirs = st.columns([3, 2], gap="medium")
        with mine:
            st.markdown(f"##### Năm nay ({plan.meta.year or '…'})")
            _section(plan, (top,), previous if show_diff else None)
        with theirs:
            st.markdown(f"##### Năm trước ({previous.meta.year or '…'})")
            _previous_column(plan, previous, top)
    else:
        _section(plan, (top,), previous if show_diff else None)


def _top_label(s: Section) -> str:
    title = s.title if len(s.title) <= 70 else s.title[:69] + "…"
    return f"{s.number}. {title}" if s.number else title or "(chưa có tên)"


def _section(plan: Plan, idx: pe.Index, previous: Plan | None) -> None:
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
            k = es.key("title", rk)
            es.seed(k, s.title)
            label = "Tên mục" if depth == 1 else f"Tên mục con (cấp {depth})"
            st.text_input(label, key=k, on_change=_on_title, args=(idx, k))
        with tools:
            up, down, child, delete = st.columns(4)
            up.button(
                "", key=es.key("s.up", rk), icon=":material/arrow_upward:", help="Đưa mục lên",
                disabled=idx[-1] == 0, on_click=_move_section, args=(idx, -1),
            )  # fmt: skip
            down.button(
                "", key=es.key("s.down", rk), icon=":material/arrow_downward:",
                help="Đưa mục xuống", disabled=idx[-1] == len(siblings) - 1,
                on_click=_move_section, args=(idx, 1),
            )  # fmt: skip
            child.button(
                "", key=es.key("s.child", rk), icon=":material/subdirectory_arrow_right:",
                help="Thêm mục con", disabled=depth >= MAX_SECTION_DEPTH, on_click=es.edit,
                args=(pe.add_section, idx, "Mục mới"),
                kwargs={"note": "Thêm mục con", "structural": True},
            )  # fmt: skip
            with delete.popover("", icon=":material/delete:", help="Xóa mục này"):
                n_blocks = sum(len(x.blocks) for _, _, x in pe.iter_indexed((s,)))
                st.warning(
                    f"Xóa mục “{s.number}. {s.title}” cùng {n_blocks} đoạn văn và các mục con? "
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
            "Thêm đoạn", key=es.key("b.add", rk), icon=":material/add:", on_click=es.edit,
            args=(pe.add_block, idx), kwargs={"note": f"Thêm đoạn vào mục {path}",
                                              "structural": True},
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
        f"Nội dung {where}",
        key=k,
        height=max(68, min(300, 24 * (len(b.text) // 95 + b.text.count("\n") + 2))),
        on_change=_on_text,
        args=(idx, i, k, where),
        label_visibility="collapsed",
    )


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
        st.markdown(diff_html(segments), unsafe_allow_html=True)


def diff_html(segments: tuple[pe.DiffSegment, ...]) -> str:
    """The diff as HTML: removed words struck through in red, added words in green."""
    out = []
    for seg in segments:
        text = html.escape(seg.text).replace("\n", "<br>")
        if seg.op == "delete":
            out.append(
                f'<del style="background:#fde2e2;color:#9b1c1c" title="Năm trước">{text}</del>'
            )
        elif seg.op == "insert":
            out.append(
                '<ins style="background:#dcfce7;color:#14532d;text-decoration:none" '
                f'title="Năm nay">{text}</ins>'
            )
        else:
            out.append(text)
    return '<div style="line-height:1.6">' + "".join(out) + "</div>"


# ---------------------------------------------------------------- last year's column


def _previous_column(plan: Plan, previous: Plan, top: int) -> None:
    entries = list(pe.iter_indexed(previous.sections))
    if not entries:
        st.caption("Kế hoạch năm trước không có mục nào.")
        return
    match = pe.match_section(previous, plan, (top,))
    default = match[0] if match else entries[min(top, len(entries) - 1)][0]
    options = [idx for idx, _, _ in entries]
    labels = {idx: ("  " * (len(idx) - 1)) + _top_label(s) for idx, _, s in entries}
    k = es.key("prev.pick", top)
    es.seed(k, default if default in options else options[0])
    chosen = st.selectbox("Mục năm trước", options, key=k, format_func=labels.__getitem__)
    with st.container(height=720, border=False):
        _previous_section(plan, previous, chosen, top)


def _previous_section(plan: Plan, previous: Plan, idx: pe.Index, top: int) -> None:
    s = pe.section_at(previous, idx)
    path = pe.section_path(previous, idx)
    rk = _ref_key(idx)
    with st.container(border=True):
        head, copy = st.columns([3, 2], vertical_alignment="center")
        head.markdown(f"**{html.escape(_top_label(s))}**")
        parent, at = _copy_target(plan, previous, idx)
        copy.button(
            "Chép", key=es.key("prev.copy", rk), icon=":material/content_copy:",
            help=f"Chép mục {path} (cả các mục con) sang năm nay",
            on_click=_copy_section, args=(previous, idx, parent, at),
        )  # fmt: skip
        target = _block_target(plan, path, top)
        where = pe.section_path(plan, target) if target else ""
        for i, b in enumerate(s.blocks):
            text, btn = st.columns([6, 1], vertical_alignment="top")
            text.markdown(_block_html(b), unsafe_allow_html=True)
            btn.button(
                "", key=es.key("prev.copyb", rk, i), icon=":material/content_copy:",
                help=f"Chép đoạn này vào cuối mục {where} của năm nay",
                disabled=target is None, on_click=_copy_block, args=(previous, idx, i, target),
            )  # fmt: skip
        for c in range(len(s.children)):
            _previous_section(plan, previous, (*idx, c), top)


def _block_target(plan: Plan, path: str, top: int) -> pe.Index | None:
    """This year's section a block of last year's section `path` is copied into: the one
    with the same path, else the level-1 section being edited."""
    try:
        return pe.section_index(plan, path)
    except PlannerError:
        return (top,) if top < len(plan.sections) else None


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
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in b.rows
        )
        return f'<table style="{style}">{cells}</table>' if b.rows else ""
    mark = {"dash": "- ", "plus": "+ "}.get(b.kind, "")
    text = html.escape(mark + b.text).replace("\n", "<br>")
    return f'<div style="{style}">{text}</div>'
