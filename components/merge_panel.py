"""Several editors at once (issue #14 item 6): what a merge brought in, and the places two
people changed differently, side by side, each to choose or combine.

`state.save_current` merges a save made from an older version with the newest one
(`planner.drafting.merge`). Without a collision it saves the merge and `show_notice` tells the
user what came in from whom. With collisions `show_collisions` shows each place: *Bản của bạn*
beside *Bản của … (phiên bản N)*, *Giữ bản của tôi* / *Dùng bản kia* / *Gộp hai bản* with a box
to write the combined text, then *Lưu bản đã gộp*. Until then the user's text is the stored
conflict version, and the URL names it (a refresh shows the same choices).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.drafting.merge import (
    MINE,
    THEIRS,
    Choice,
    Collision,
    Combine,
    MergeResult,
    merge_plans,
    resolve,
)
from planner.errors import PlannerError

SOMEONE = "một đồng nghiệp"  # a version saved without an account (personal mode, CLI)
SHOWN_CHANGES = 12  # incoming changes listed; the rest are counted
CHOICE_LABELS = {
    MINE: "Giữ bản của tôi",
    THEIRS: "Dùng bản kia",
    "combine": "Gộp hai bản (theo ô dưới đây)",
}


# ---------------------------------------------------------------- who, and what came in


def _display_name(name: str | None) -> str:
    if not name:
        return SOMEONE
    try:
        from planner.auth.accounts import Accounts

        user = Accounts(state.base_store()).get(name)
    except PlannerError:
        user = None  # the account name will do
    return user.display_name if user is not None and user.display_name else name


def authors(plan_id: str, base: int, head: int) -> str:
    """Who saved the versions after `base` up to `head` (display names; “một đồng nghiệp”
    for a version saved without an account), in Vietnamese."""
    try:
        versions = state.get_store().versions(plan_id)
    except PlannerError:
        return SOMEONE
    names = [
        v.author
        for v in sorted(versions, key=lambda v: v.version)
        if base < v.version <= head and not v.conflict
    ]
    shown = list(dict.fromkeys(_display_name(n) for n in names)) or [SOMEONE]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " và " + shown[-1]


def merge_note(who: str, head: int) -> str:
    """The note of a merged version in the history."""
    return f"Gộp thay đổi của {who} (phiên bản {head})"


def merged_notice(who: str, head: int, incoming: tuple[str, ...]) -> str:
    """What an automatic merge tells the user (markdown, every piece of text escaped)."""
    text = (
        f"Trong lúc bạn sửa, {md_escape(who)} đã lưu kế hoạch này (phiên bản {head}). Hai bản "
        "không sửa trùng chỗ nào nên đã được gộp tự động và lưu; không mất thay đổi nào."
    )
    if not incoming:
        return text
    bullets = [f"- {md_escape(change)}" for change in incoming[:SHOWN_CHANGES]]
    if len(incoming) > SHOWN_CHANGES:
        bullets.append(
            f"- và {len(incoming) - SHOWN_CHANGES} thay đổi khác (xem Lịch sử phiên bản)"
        )
    return f"{text}\n\nThay đổi của {md_escape(who)} đã được đưa vào:\n\n" + "\n".join(bullets)


def show_notice(notice: str) -> None:
    """The last automatic merge, told until the user closes it."""
    with st.container(border=True, key="merge_notice"):
        st.info(notice, icon=":material/merge:")
        st.button("Đã xem", key=state.MERGE_CLOSE, on_click=state.close_merged_notice)


# ---------------------------------------------------------------- the places both changed


def _pending(plan_id: str, mine: int) -> tuple[MergeResult, int, str] | None:
    """(merge, head version, who) of the waiting save, from the store (cached per versions)."""
    pending = state.merge_pending()
    if pending is None or pending[2] != mine:
        return None
    _, base, _ = pending
    store = state.get_store()
    head = store.open(plan_id)
    cache_key = (plan_id, base, mine, head.version)
    cached = state.get(state.MERGE_CACHE)
    if cached and cached[0] == cache_key:
        return cached[1], head.version, cached[2]
    result = merge_plans(
        store.open_version(plan_id, base), store.open_version(plan_id, mine), head.plan
    )
    who = authors(plan_id, base, head.version)
    state.put(state.MERGE_CACHE, (cache_key, result, who))
    return result, head.version, who


def _widget(mine: int, collision: Collision, part: str) -> str:
    digest = hashlib.sha1(collision.key.encode()).hexdigest()[:10]
    return f"{state.MERGE_WIDGET}{mine}.{digest}.{part}"


def _shown(text: str | None) -> str:
    if text is None:
        return "*(đã xóa)*"
    if not text.strip():
        return "*(trống)*"
    return md_escape(text).replace("\n", "  \n")


def _combined_start(c: Collision) -> str:
    """The combine box starts from the user's own text (the other's when they deleted it)."""
    return c.mine if c.mine is not None else (c.theirs or "")


def _differences(c: Collision, who: str) -> None:
    """Where two long, alike texts differ: the other's words struck in red, the user's in
    green (an empty or deleted side needs no such help)."""
    if not c.mine or not c.theirs:
        return
    from components.section_editor import diff_html
    from planner.drafting.plan_edit import word_diff

    segments = word_diff(c.theirs, c.mine)
    if all(s.op == "equal" for s in segments):
        return
    st.caption(f"Chỗ khác nhau (xanh: chỉ có ở bản của bạn; đỏ gạch: chỉ có ở bản của {who})")
    st.markdown(diff_html(segments, f"Bản của {who}", "Bản của bạn"), unsafe_allow_html=True)


def show_collisions(plan_id: str, mine: int) -> None:
    """Each place both changed: the two texts side by side and the user's choice; the
    plan is saved only with a choice at every place."""
    try:
        pending = _pending(plan_id, mine)
    except PlannerError as e:
        st.error(
            "Kế hoạch vừa được lưu ở nơi khác và chưa gộp được với bản của bạn: "
            f"{md_escape(str(e))} Bản của bạn vẫn được giữ thành phiên bản {mine} (xem Lịch "
            "sử phiên bản).",
            icon=":material/sync_problem:",
        )
        return
    if pending is None:
        return
    result, head, who = pending
    n = len(result.collisions)
    with st.container(border=True, key="merge_panel"):
        if n:
            asked = (
                f"Thay đổi ở những chỗ khác nhau đã được gộp; **{n} chỗ** hai người sửa khác "
                "nhau, hãy chọn cho từng chỗ rồi bấm *Lưu bản đã gộp*."
            )
        else:  # others kept saving while the merge was saved: nothing to choose, only to save
            asked = "Hai bản không sửa trùng chỗ nào; bấm *Lưu bản đã gộp* để lưu bản đã gộp."
        st.warning(
            f"Trong lúc bạn sửa, {md_escape(who)} đã lưu kế hoạch này (phiên bản {head}). "
            f"{asked} Bản của bạn không bị mất: nó được giữ thành phiên bản {mine} cho đến khi "
            "bạn lưu.",
            icon=":material/sync_problem:",
        )
        if result.incoming:
            with st.expander(f"Thay đổi của {md_escape(who)} đã được gộp ({len(result.incoming)})"):
                st.markdown("\n".join(f"- {md_escape(t)}" for t in result.incoming))
        choices: dict[str, Choice] = {}
        for i, c in enumerate(result.collisions, start=1):
            choice = _collision(i, c, mine, head, who)
            if choice is not None:
                choices[c.key] = choice
        missing = n - len(choices)
        if missing:
            st.caption(f"Còn {missing} chỗ chưa chọn.")
        if st.button(
            "Lưu bản đã gộp",
            key=state.MERGE_SAVE,
            type="primary",
            icon=":material/merge:",
            disabled=bool(missing),
        ):
            _save(plan_id, result, choices, head, who)


def _collision(i: int, c: Collision, mine: int, head: int, who: str) -> Choice | None:
    with st.container(border=True):
        st.markdown(f"**{i}. {md_escape(c.place)}**")
        left, right = st.columns(2)
        with left:
            st.caption("Bản của bạn")
            st.markdown(_shown(c.mine))
        with right:
            st.caption(f"Bản của {md_escape(who)} (phiên bản {head})")
            st.markdown(_shown(c.theirs))
        _differences(c, who)
        options = [MINE, THEIRS, *(["combine"] if c.combinable else [])]
        picked = st.radio(
            f"Chọn cho chỗ {i}",
            options,
            index=None,
            horizontal=True,
            key=_widget(mine, c, "choice"),
            format_func=CHOICE_LABELS.__getitem__,
            label_visibility="collapsed",
        )
        if not c.combinable:
            return picked
        text_key = _widget(mine, c, "text")
        state.seed(text_key, _combined_start(c))
        text = st.text_area(
            "Bản gộp: viết lại từ hai bản trên rồi chọn “Gộp hai bản” (để trống: bỏ chỗ này)",
            key=text_key,
            height=120,
        )
        if picked == "combine":
            return Combine(text)
        return picked


def _save(
    plan_id: str, result: MergeResult, choices: dict[str, Choice], head: int, who: str
) -> None:
    plan = resolve(result, choices)
    note = merge_note(who, head) + f", {len(choices)} chỗ đã chọn"
    if state.save_merged(plan_id, plan, head, note):
        state.pop(state.MERGE_CACHE)
        state.show_merged_notice(
            plan_id, f"Đã lưu bản đã gộp ({len(choices)} chỗ theo lựa chọn của bạn)."
        )
    st.rerun()
