"""Góp ý (comments) on a plan's blocks, in server mode: a leader leaves one on a block (or on
the whole plan), the drafter marks it *Đã xử lý*. Each comment is shown with the place of its
block now (`planner.review.blocks.locate`: found again after edits) and the block's first words.

`comments_list` shows every comment of the plan (the review panel); `section_comments` those on
the blocks of the section being edited, under the section editor, with the form to add one.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.auth.access import Action
from planner.errors import PlannerError
from planner.model import Plan, Section
from planner.review.blocks import WHOLE_PLAN, block_key, block_text, locate, place_of
from planner.review.model import Comment, show_time
from planner.store.plans import StoredPlan

QUOTE = 80  # characters of a block's text shown beside its comments


def _short(text: str, n: int = QUOTE) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _resolve(comment_id: int) -> None:
    try:
        state.get_review().resolve_comment(comment_id, state.current_user(), now=state.now())
    except PlannerError as err:
        state.put(state.REVIEW_ERROR, str(err))
    else:
        state.put(state.REVIEW_FLASH, f"Đã đánh dấu góp ý số {comment_id} là đã xử lý.")


def _add(plan_id: str, block_key_: str, text_key: str) -> None:
    block = state.widget_value(block_key_) or WHOLE_PLAN
    text = state.widget_value(text_key) or ""
    try:
        state.get_review().add_comment(
            plan_id, str(block), str(text), state.current_user(), now=state.now()
        )
    except PlannerError as err:
        state.put(state.REVIEW_ERROR, str(err))
    else:
        state.bump(state.REVIEW_COMMENT_N)
        state.put(state.REVIEW_FLASH, "Đã gửi góp ý.")


def comment_card(c: Comment, plan: Plan, *, may_resolve: bool, where: str) -> None:
    """One comment: where, who, when, the text; *Đã xử lý* for the drafter while it is open
    (`where` tells apart the lists one comment is shown in)."""
    with st.container(border=True):
        head = f"**Góp ý số {c.id}** · {md_escape(c.author_display)} · {show_time(c.created_at)}"
        head = f"**{md_escape(place_of(plan, c.block))}** · " + head
        st.markdown(head)
        found = locate(plan, c.block)
        if found is not None:
            section = plan.find_section(found[0])
            if section is not None:
                st.caption(f"Đoạn văn: “{md_escape(_short(block_text(section.blocks[found[1]])))}”")
        st.markdown(md_escape(c.text))
        if not c.open:
            who = c.resolved_by_display or c.resolved_by or ""
            when = show_time(c.resolved_at) if c.resolved_at else ""
            st.caption(f":material/check_circle: Đã xử lý bởi {md_escape(who)} lúc {when}")
        elif may_resolve:
            st.button(
                "Đã xử lý",
                key=f"review.resolve.{where}.{c.id}",
                icon=":material/done:",
                on_click=_resolve,
                args=(c.id,),
            )


def comments_list(stored: StoredPlan, plan: Plan, comments: Sequence[Comment]) -> None:
    """Every comment of the plan, the open ones first, each at its place."""
    user = state.current_user()
    may_resolve = state.get_review().may(stored.id, user, Action.RESOLVE_COMMENT)
    if not comments:
        st.caption("Chưa có góp ý nào.")
    for c in sorted(comments, key=lambda c: (not c.open, c.id)):
        comment_card(c, plan, may_resolve=may_resolve, where="all")
    if state.get_review().may(stored.id, user, Action.COMMENT):
        add_form(stored, plan, [(WHOLE_PLAN, "Toàn văn bản"), *_block_choices(plan)], "all")


def _block_choices(plan: Plan, only: str | None = None) -> list[tuple[str, str]]:
    """(block key, label) of every block of the plan (or of section `only`)."""
    out: list[tuple[str, str]] = []
    for path, s in plan.iter_sections():
        if only is not None and path != only:
            continue
        for i, b in enumerate(s.blocks):
            label = f"Mục {path}, đoạn {i + 1}: {_short(block_text(b), 60)}"
            out.append((block_key(plan, path, i), label))
    return out


def add_form(stored: StoredPlan, plan: Plan, choices: list[tuple[str, str]], where: str) -> None:
    """*Góp ý*: pick the block, write the comment, send (`where` tells the forms apart)."""
    if not choices:
        return
    labels = dict(choices)
    keys = [k for k, _ in choices]
    pick_key = state.comment_block_key(where)
    if state.get(pick_key) not in labels:
        state.pop(pick_key)
    st.selectbox("Góp ý vào", keys, key=pick_key, format_func=labels.__getitem__)
    text_key = state.comment_text_key(where)
    st.text_area("Nội dung góp ý", key=text_key, height=90)
    st.button(
        "Góp ý",
        key=f"review.comment.add.{where}",
        icon=":material/rate_review:",
        type="primary",
        on_click=_add,
        args=(stored.id, pick_key, text_key),
    )


def _open_section(plan: Plan) -> tuple[str, Section] | None:
    """The section the editor shows (its path and itself), from the editor's place."""
    at = state.get(state.EDITOR_AT)
    index: tuple[int, ...] = (0,)  # the editor starts at the first section
    if isinstance(at, tuple) and len(at) == 2 and at[0] == state.current_plan_id() and at[1]:
        index = at[1]
    sections, path, found = plan.sections, "", None
    for i in index:
        if not 0 <= i < len(sections):
            return None
        found = sections[i]
        path = f"{path}.{found.number}" if path else found.number
        sections = found.children
    return (path, found) if found is not None else None


def _section_of(plan: Plan, c: Comment) -> str | None:
    found = locate(plan, c.block)
    return found[0] if found else None


def section_comments(stored: StoredPlan, plan: Plan) -> None:
    """Under the section editor (server mode): the comments on this section's blocks, and the
    form to add one on a block of it (for the roles that may)."""
    user = state.current_user()
    if user is None:
        return
    opened = _open_section(plan)
    if opened is None:
        return
    path, _ = opened
    review = state.get_review()
    try:
        here = [
            c for c in review.comments(stored.id) if (locate(plan, c.block) or ("",))[0] == path
        ]
        may_comment = review.may(stored.id, user, Action.COMMENT)
        may_resolve = review.may(stored.id, user, Action.RESOLVE_COMMENT)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    open_n = sum(1 for c in here if c.open)
    if not here and not may_comment:
        return
    title = f"Góp ý cho mục {path} ({open_n} chưa xử lý)" if here else f"Góp ý cho mục {path}"
    with st.expander(title, icon=":material/rate_review:", expanded=open_n > 0):
        for c in sorted(here, key=lambda c: (not c.open, c.id)):
            comment_card(c, plan, may_resolve=may_resolve, where="section")
        if may_comment:
            add_form(stored, plan, _block_choices(plan, only=path), "section")
