"""*Duyệt kế hoạch* on Soạn kế hoạch (server mode only): the plan's status, the one or two
buttons the signed-in user's role has (*Trình duyệt*, *Rút lại*, *Duyệt*, *Trả lại* with its
reason, *Mở lại để sửa*), the steps taken with names and times, and the comments (góp ý).

Personal mode (`make run`) has no signed-in user: nothing is drawn. Every step is checked again
by `planner.review.workflow.Review`, which refuses with a Vietnamese message shown here.
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.comments import comments_list
from components.safe_text import md_escape
from planner.auth.access import Action
from planner.drafting.readiness import Readiness, with_comments
from planner.errors import PlannerError
from planner.model import Plan
from planner.review.model import STATUS_LABELS, Approval, Status
from planner.store.plans import StoredPlan

STATUS_ICONS = {
    Status.DRAFT: ":material/edit_note:",
    Status.SUBMITTED: ":material/hourglass_top:",
    Status.APPROVED: ":material/verified:",
}
DONE = {
    "submit": "Đã trình duyệt kế hoạch. Lãnh đạo sẽ xem và duyệt.",
    "approve": "Đã duyệt kế hoạch.",
    "send_back": "Đã trả lại kế hoạch cho người soạn.",
    "reopen": "Kế hoạch đã trở về trạng thái Đang soạn.",
}


def _step(step: str, plan_id: str, version: int) -> None:
    """A button's callback: take the step; the outcome is shown on the next run."""
    review, user, now = state.get_review(), state.current_user(), state.now()
    try:
        if step == "submit":
            review.submit(plan_id, user, now=now, version=version)
        elif step == "approve":
            review.approve(plan_id, user, now=now, version=version)
        elif step == "send_back":
            reason = str(state.widget_value(state.REVIEW_REASON) or "")
            review.send_back(plan_id, user, reason, now=now)
            state.pop(state.REVIEW_REASON)
        else:
            review.reopen(plan_id, user, now=now)
    except PlannerError as err:
        state.put(state.REVIEW_ERROR, str(err))
    else:
        state.put(state.REVIEW_FLASH, DONE[step])


def show_review_messages() -> None:
    """The last step's outcome (once)."""
    error = state.pop(state.REVIEW_ERROR)
    if error:
        st.error(md_escape(str(error)), icon=":material/block:")
    flash = state.pop(state.REVIEW_FLASH)
    if flash:
        st.success(md_escape(str(flash)), icon=":material/check:")


def approval_line(plan_id: str) -> Approval | None:
    """The approval in force (None in personal mode, or when the plan is not approved)."""
    if state.current_user() is None:
        return None
    try:
        return state.get_review().approval(plan_id)
    except PlannerError:
        return None


def _button(label: str, step: str, stored: StoredPlan, *, primary: bool = False) -> None:
    st.button(
        label,
        key=f"review.{step}",
        type="primary" if primary else "secondary",
        on_click=_step,
        args=(step, stored.id, stored.version),
    )


def _send_back(stored: StoredPlan) -> None:
    st.text_area(
        "Lý do trả lại",
        key=state.REVIEW_REASON,
        height=80,
        placeholder="Ghi rõ cần sửa gì để người soạn biết",
    )
    _button("Trả lại", "send_back", stored)


def _buttons(stored: StoredPlan, status: Status, may: dict[Action, bool], may_reopen: bool) -> bool:
    """The steps forward and back the role has, in one row; False when there is none."""
    buttons: list[tuple[str, str, bool]] = []
    if status == Status.DRAFT and may[Action.SUBMIT]:
        buttons.append(("Trình duyệt", "submit", True))
    if status == Status.SUBMITTED and may[Action.APPROVE]:
        buttons.append(("Duyệt", "approve", True))
    if status == Status.SUBMITTED and may[Action.SUBMIT]:
        buttons.append(("Rút lại", "reopen", False))
    if status == Status.APPROVED and may_reopen:
        buttons.append(("Mở lại để sửa", "reopen", False))
    if buttons:
        with st.container(horizontal=True):
            for label, step, primary in buttons:
                _button(label, step, stored, primary=primary)
    return bool(buttons)


def review_panel(stored: StoredPlan, plan: Plan) -> None:
    """The panel (nothing in personal mode)."""
    user = state.current_user()
    if user is None:
        return
    review = state.get_review()
    try:
        status = review.status(stored.id)
        steps = review.history(stored.id)
        approval = review.approval(stored.id)
        comments = review.comments(stored.id)
        may = {a: review.may(stored.id, user, a) for a in (Action.SUBMIT, Action.APPROVE)}
        may_reopen = review.may(stored.id, user, Action.EDIT)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    open_n = sum(1 for c in comments if c.open)
    show_review_messages()
    with st.container(border=True, key="review_panel"):
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(
            f"{STATUS_ICONS[status]} **Duyệt kế hoạch** · trạng thái: **{STATUS_LABELS[status]}**"
        )
        right.markdown(f":material/rate_review: Góp ý chưa xử lý: **{open_n}**")
        if approval is not None:
            st.caption(md_escape(approval.line))
            st.caption(
                "Nếu sửa nội dung, kế hoạch trở về trạng thái Đang soạn và cần trình duyệt lại."
            )
        elif status == Status.SUBMITTED:
            st.caption("Kế hoạch đang chờ lãnh đạo duyệt.")
        steps_shown = _buttons(stored, status, may, may_reopen)
        if status != Status.DRAFT and may[Action.APPROVE]:
            with st.expander("Trả lại kế hoạch (ghi lý do)", icon=":material/undo:"):
                _send_back(stored)
            steps_shown = True
        if not steps_shown:
            st.caption("Tài khoản của bạn không có bước duyệt nào cần làm ở trạng thái này.")
        with st.expander(f"Các bước duyệt ({len(steps)})", icon=":material/timeline:"):
            if not steps:
                st.caption("Kế hoạch chưa được trình duyệt lần nào.")
            for e in reversed(steps):
                st.markdown(f"- {md_escape(e.line)}")
        with st.expander(f"Góp ý ({open_n} chưa xử lý)", icon=":material/rate_review:"):
            comments_list(stored, plan, comments)


def readiness_with_comments(stored: StoredPlan, readiness: Readiness | None) -> Readiness | None:
    """*Sẵn sàng trình ký* with the open comments (server mode; personal mode has none)."""
    if readiness is None or state.current_user() is None:
        return readiness
    try:
        comments = state.get_review().comments(stored.id, open_only=True)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return readiness
    return with_comments(readiness, stored.plan, comments)


def approval_note(stored: StoredPlan) -> None:
    """On Xuất văn bản (server mode): who approved the plan and when, or its status."""
    if state.current_user() is None:
        return
    try:
        review = state.get_review()
        status, approval = review.status(stored.id), review.approval(stored.id)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    if approval is not None:
        st.success(md_escape(approval.line), icon=":material/verified:")
    else:
        st.info(
            f"Trạng thái duyệt: {STATUS_LABELS[status]}. Văn bản xuất ra chưa được lãnh đạo duyệt.",
            icon=STATUS_ICONS[status],
        )


def review_tags() -> dict[str, str]:
    """Plan id → ` · Chờ duyệt` (the status, and the open góp ý when there are any) for the
    lists of plans; empty in personal mode."""
    if state.current_user() is None:
        return {}
    try:
        review = state.get_review()
        statuses, open_counts = review.statuses(), review.open_comment_counts()
    except PlannerError:
        return {}  # the list itself shows the store's error
    out: dict[str, str] = {}
    for plan_id, status in statuses.items():
        tag = f" · {STATUS_LABELS[status]}"
        if open_counts.get(plan_id):
            tag += f" · {open_counts[plan_id]} góp ý chưa xử lý"
        out[plan_id] = tag
    return out
