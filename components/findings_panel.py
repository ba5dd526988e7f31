"""The findings panel: what the rollover and the citation check ask the user to look at.

Findings are grouped by kind, each with its place, the text found, the suggested replacement
and *Áp dụng* / *Bỏ qua*; the review progress (*Đã rà soát x/y đoạn*) sits on top. Every
action is saved as a version at once.
"""

from __future__ import annotations

import html
from collections import Counter

import streamlit as st

from components import editor_session as es
from components import state
from planner.drafting.findings import (
    CITATION_KINDS,
    KIND_LABELS,
    Finding,
    apply_finding,
    dismiss_finding,
    findings_of,
    get_text,
    merge_findings,
    reopen_finding,
    review_progress,
)
from planner.errors import PlannerError
from planner.model import Plan

_SHOW_DONE = "editor.findings.show_done"


def review_bar(plan: Plan) -> None:
    """“Đã rà soát x/y đoạn” with a progress bar (nothing when no block is tracked)."""
    done, total = review_progress(plan)
    if total == 0:
        return
    st.progress(done / total, text=f"Đã rà soát {done}/{total} đoạn")


def _counts(findings: list[Finding]) -> Counter[str]:
    return Counter(f.status for f in findings)


def findings_summary(plan: Plan) -> str:
    """A one-line count for a tab title: “Phát hiện (5 cần xem)”."""
    try:
        c = _counts(findings_of(plan))
    except PlannerError:
        return "Phát hiện"
    return f"Phát hiện ({c['open']} cần xem)" if c["open"] else "Phát hiện"


# ---------------------------------------------------------------- callbacks


def _apply(fid: str, place: str) -> None:
    es.edit(
        apply_finding, fid, note=f"Áp dụng đề xuất ở {place}", structural=True,
        notice=f"Đã áp dụng đề xuất ở {place}.",
    )  # fmt: skip


def apply_many(plan: Plan, ids: list[str]) -> tuple[Plan, list[str]]:
    """Apply several findings in turn; those that no longer fit are left open with a reason."""
    problems = []
    for fid in ids:
        try:
            plan = apply_finding(plan, fid)
        except PlannerError as e:
            problems.append(str(e))
    return plan, problems


def _apply_all(ids: list[str], label: str) -> None:
    plan = es.working_plan()
    if plan is None:
        return
    new, problems = apply_many(plan, ids)
    for message in problems:
        es.fail(message)
    done = len(ids) - len(problems)
    es.edit(
        lambda _plan: new, note=f"Áp dụng {done} đề xuất ({label.lower()})", structural=True,
        notice=f"Đã áp dụng {done} đề xuất.",
    )  # fmt: skip


def _dismiss(fid: str, place: str) -> None:
    es.edit(dismiss_finding, fid, note=f"Bỏ qua phát hiện ở {place}")


def _reopen(fid: str, place: str) -> None:
    es.edit(reopen_finding, fid, note=f"Mở lại phát hiện ở {place}")


def _recheck_rollover(plan: Plan) -> Plan:
    from planner.drafting.rollover import ROLLOVER_TEXT_KINDS, recheck

    found = recheck(plan, catalogue=_catalogue(), today=state.today())
    return merge_findings(plan, found, kinds=ROLLOVER_TEXT_KINDS)


def _check_citations(plan: Plan) -> Plan:
    from planner.drafting.citation_check import check_citations

    report = check_citations(plan, _catalogue())
    return merge_findings(plan, report.findings, kinds=CITATION_KINDS)


def _catalogue():  # type: ignore[no-untyped-def]
    from components.header_form import _catalogue as get

    return get()


# ---------------------------------------------------------------- the panel


def findings_panel(plan: Plan) -> None:
    """Counts, re-check buttons and every finding grouped by kind (the page shows the
    review progress above it)."""
    try:
        findings = findings_of(plan)
    except PlannerError as e:
        st.error(str(e))
        return
    c = _counts(findings)
    a, b, d = st.columns(3)
    a.metric("Cần xem", c["open"])
    b.metric("Đã áp dụng", c["applied"])
    d.metric("Đã bỏ qua", c["dismissed"])
    recheck, cite, show = st.columns([2, 2, 3], vertical_alignment="center")
    recheck.button(
        "Rà soát lại năm cũ", key=es.key("f.recheck"), icon=":material/refresh:",
        help="Tìm lại các chỗ còn ghi năm cũ, giai đoạn đã kết thúc, sự kiện đã qua…",
        on_click=es.edit, args=(_recheck_rollover,),
        kwargs={"note": "Rà soát lại", "notice": "Đã rà soát lại kế hoạch."},
    )  # fmt: skip
    cite.button(
        "Kiểm tra trích dẫn", key=es.key("f.cite"), icon=":material/fact_check:",
        help="Đối chiếu mọi văn bản được trích dẫn với danh mục văn bản",
        on_click=es.edit, args=(_check_citations,),
        kwargs={"note": "Kiểm tra trích dẫn", "notice": "Đã kiểm tra trích dẫn."},
    )  # fmt: skip
    show_done = show.toggle("Hiện cả phát hiện đã xử lý", key=_SHOW_DONE)
    if not findings:
        st.info(
            "Chưa có phát hiện nào. Kế hoạch tạo từ kế hoạch năm trước sẽ có danh sách các chỗ "
            "cần xem; bấm “Kiểm tra trích dẫn” để đối chiếu các văn bản được trích dẫn."
        )
        return
    if not c["open"] and not show_done:
        st.success("Đã xử lý hết các phát hiện.")
    order = {k: i for i, k in enumerate(KIND_LABELS)}
    kinds = sorted({f.kind for f in findings}, key=lambda k: order.get(k, len(order)))
    for kind in kinds:
        group = [f for f in findings if f.kind == kind]
        shown = [f for f in group if show_done or f.status == "open"]
        if not shown:
            continue
        n_open = sum(f.status == "open" for f in group)
        label = KIND_LABELS.get(kind, kind)
        with st.expander(f"{label}: {n_open} cần xem / {len(group)}", expanded=n_open > 0):
            ready = [f.id for f in group if f.can_apply]
            if len(ready) > 1:
                st.button(
                    f"Áp dụng cả {len(ready)} đề xuất của nhóm này", key=es.key("f.all", kind),
                    icon=":material/done_all:", on_click=_apply_all, args=(ready, label),
                )  # fmt: skip
            for f in shown:
                _finding(f, plan)


def _finding(f: Finding, plan: Plan) -> None:
    with st.container(border=True):
        info, actions = st.columns([5, 2], vertical_alignment="center")
        with info:
            st.markdown(
                f"**{html.escape(f.place)}** · {f.status_label}  \n"
                + _change_html(f, plan)
                + (f"  \n<small>{html.escape(f.message)}</small>" if f.message else ""),
                unsafe_allow_html=True,
            )
        with actions:
            if f.status == "open":
                if f.suggestion:
                    st.button(
                        "Áp dụng", key=es.key("f.apply", f.id), type="primary",
                        icon=":material/done:", on_click=_apply, args=(f.id, f.place),
                        width="stretch",
                    )  # fmt: skip
                st.button(
                    "Bỏ qua", key=es.key("f.dismiss", f.id), icon=":material/close:",
                    on_click=_dismiss, args=(f.id, f.place), width="stretch",
                )  # fmt: skip
            row = f.extra.get("directive_row")
            if f.kind == "citation_unknown" and isinstance(row, dict):
                if st.button(
                    "Thêm vào danh mục…", key=es.key("f.addcat", f.id),
                    icon=":material/library_add:", width="stretch",
                    help="Mở trang Văn bản căn cứ với văn bản này điền sẵn để kiểm tra rồi lưu",
                ):  # fmt: skip
                    _open_catalogue_draft(row)
            if f.status == "dismissed":
                st.button(
                    "Xem lại", key=es.key("f.reopen", f.id), icon=":material/undo:",
                    on_click=_reopen, args=(f.id, f.place), width="stretch",
                )  # fmt: skip


def _open_catalogue_draft(row: dict) -> None:
    """Open *Văn bản căn cứ* on its add form, pre-filled with the row drafted from the citation.

    The draft goes through `state.open_catalogue_draft`, the accessor the page's own "Sửa văn
    bản này" uses, so the keys cannot drift apart.
    """
    from planner.catalogue.model import directive_from_row

    try:
        draft = directive_from_row(row)
    except ValueError as e:
        st.error(f"Không điền sẵn được văn bản này: {e}")
        return
    state.open_catalogue_draft(draft)
    st.switch_page("views/catalogue.py")


def _change_html(f: Finding, plan: Plan) -> str:
    """The found text in its sentence (up to ~70 characters each side), with the suggestion."""
    old = f'<span style="background:#fde2e2;color:#9b1c1c">{html.escape(f.text)}</span>'
    if f.status == "applied":
        old = f'<span style="background:#dcfce7;color:#14532d">{html.escape(f.suggestion)}</span>'
    elif not f.suggestion:
        old = f'<span style="background:#fef3c7;color:#78350f">{html.escape(f.text)}</span>'
    current = get_text(plan, f.path) if f.status != "applied" else None
    start = f.start
    if current and start is not None and current[start : start + len(f.text)] == f.text:
        before = current[max(0, start - 70) : start]
        after = current[start + len(f.text) : start + len(f.text) + 70]
        if start > 70 and " " in before:
            before = before[before.index(" ") + 1 :]  # start on a whole word
        if start + len(f.text) + 70 < len(current) and " " in after:
            after = after[: after.rindex(" ")]
        lead = "…" if start > 70 else ""
        tail = "…" if start + len(f.text) + 70 < len(current) else ""
        quote = f"{lead}{html.escape(before)}{old}{html.escape(after)}{tail}"
    else:
        quote = old
    if f.suggestion and f.status == "open":
        new = html.escape(f.suggestion)
        return f'{quote}  \nĐề xuất: <span style="background:#dcfce7;color:#14532d">{new}</span>'
    return quote
