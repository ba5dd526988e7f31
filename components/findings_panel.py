"""The findings panel: what the rollover and the citation check ask the user to look at.

Findings are grouped by kind, each with its place, the text found, the suggested replacement
and *Áp dụng* / *Bỏ qua*; the review progress (*Đã rà soát x/y đoạn*) sits on top. Findings
of one sentence (the same `Finding.group`) are one card: every change of the sentence shown,
one *Áp dụng* applies them together (`apply_findings`). A suggestion that leaves blanks
(“…” for a number or a date not known yet) says what is still to fill in. Every action is
saved as a version at once; on a store that cannot be written the buttons are disabled.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import streamlit as st

from components import editor_session as es
from components import state
from components.safe_text import html_escape, md_escape
from planner.drafting.findings import (
    CITATION_KINDS,
    KIND_LABELS,
    Finding,
    apply_findings,
    dismiss_finding,
    findings_of,
    get_text,
    merge_findings,
    reopen_finding,
    review_progress,
)
from planner.errors import PlannerError
from planner.model import Plan
from planner.nd30.placeholder_rules import find_placeholders

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


def _apply(ids: list[str], place: str) -> None:
    """Apply a finding, or a sentence's findings, with the rest of their sentence group."""
    what = "đề xuất" if len(ids) == 1 else f"{len(ids)} đề xuất"
    es.edit(
        apply_findings, ids, note=f"Áp dụng {what} ở {place}", structural=True,
        notice=f"Đã áp dụng {what} ở {place}.",
    )  # fmt: skip


def apply_many(plan: Plan, ids: list[str]) -> tuple[Plan, list[str]]:
    """Apply several findings (each with its sentence group); those that no longer fit are
    left open with a reason. All at once when they all fit, else one group at a time."""
    try:
        return apply_findings(plan, ids), []
    except PlannerError:
        pass
    problems = []
    for fid in ids:
        status = {f.id: f.status for f in findings_of(plan)}
        if status.get(fid) != "open":
            continue  # applied with a neighbour of its sentence
        try:
            plan = apply_findings(plan, [fid])
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


def _each(plan: Plan, fn: Callable[[Plan, str], Plan], ids: list[str]) -> Plan:
    """`fn(plan, id)` for every id in turn (dismiss or reopen a whole sentence)."""
    for fid in ids:
        plan = fn(plan, fid)
    return plan


def _dismiss(ids: list[str], place: str) -> None:
    es.edit(_each, dismiss_finding, ids, note=f"Bỏ qua phát hiện ở {place}")


def _reopen(ids: list[str], place: str) -> None:
    es.edit(_each, reopen_finding, ids, note=f"Mở lại phát hiện ở {place}")


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
    review progress above it); a sentence's findings are one card."""
    try:
        findings = findings_of(plan)
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return
    locked = not es.writable()
    c = _counts(findings)
    a, b, d = st.columns(3)
    a.metric("Cần xem", c["open"])
    b.metric("Đã áp dụng", c["applied"])
    d.metric("Đã bỏ qua", c["dismissed"])
    recheck, cite, show = st.columns([2, 2, 3], vertical_alignment="center")
    recheck.button(
        "Rà soát lại năm cũ", key=es.key("f.recheck"), icon=":material/refresh:",
        help="Tìm lại các chỗ còn ghi năm cũ, giai đoạn đã kết thúc, sự kiện đã qua…",
        on_click=es.edit, args=(_recheck_rollover,), disabled=locked,
        kwargs={"note": "Rà soát lại", "notice": "Đã rà soát lại kế hoạch."},
    )  # fmt: skip
    cite.button(
        "Kiểm tra trích dẫn", key=es.key("f.cite"), icon=":material/fact_check:",
        help="Đối chiếu mọi văn bản được trích dẫn với danh mục văn bản",
        on_click=es.edit, args=(_check_citations,), disabled=locked,
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
    sentences: dict[str, list[Finding]] = {}
    for f in findings:
        if f.group:
            sentences.setdefault(f.group, []).append(f)
    drawn: set[str] = set()
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
                    disabled=locked,
                )  # fmt: skip
            for f in shown:
                if f.group is None or len(sentences[f.group]) < 2:
                    _card([f], plan, locked)
                elif f.group not in drawn:  # the sentence's card, under its first kind
                    drawn.add(f.group)
                    members = [g for g in sentences[f.group] if show_done or g.status == "open"]
                    _card(members, plan, locked)


def _card(members: list[Finding], plan: Plan, locked: bool) -> None:
    """One finding, or the findings of one sentence: where, each change, what is left to
    fill in, and the actions (one *Áp dụng* for the whole sentence)."""
    f = members[0]
    with st.container(border=True):
        info, actions = st.columns([5, 2], vertical_alignment="center")
        with info:
            if len(members) == 1:
                head = f"**{html_escape(f.place)}** · {f.status_label}"
                body = _change_html(f, plan)
                notes = [f.message] if f.message else []
            else:
                n_fix = sum(g.can_apply for g in members)
                what = (
                    f"{n_fix} thay đổi được áp dụng cùng nhau"
                    if n_fix > 1
                    else f"{len(members)} chỗ cần xem"
                )
                head = f"**{html_escape(f.place)}** · một câu, {what}"
                body = _sentence_html(members, plan)
                notes = [
                    f"{i}. {g.kind_label} ({g.status_label.lower()}): {g.message}"
                    for i, g in enumerate(members, 1)
                ]
            st.markdown(
                f"{head}  \n{body}"
                + "".join(f"  \n<small>{html_escape(n)}</small>" for n in notes),
                unsafe_allow_html=True,
            )
            blanks = blanks_note([g for g in members if g.status == "open"])
            if blanks:
                st.markdown(f":orange[:material/edit_note: {blanks}]")
        with actions:
            _actions(members, locked)


def _actions(members: list[Finding], locked: bool) -> None:
    f = members[0]
    open_ids = [g.id for g in members if g.status == "open"]
    applicable = [g.id for g in members if g.can_apply]
    if applicable:
        st.button(
            "Áp dụng", key=es.key("f.apply", f.id), type="primary", icon=":material/done:",
            on_click=_apply, args=(applicable, f.place), width="stretch", disabled=locked,
            help=None if len(members) == 1 else "Áp dụng mọi thay đổi của câu này cùng lúc",
        )  # fmt: skip
    if open_ids:
        st.button(
            "Bỏ qua", key=es.key("f.dismiss", f.id), icon=":material/close:",
            on_click=_dismiss, args=(open_ids, f.place), width="stretch", disabled=locked,
        )  # fmt: skip
    for g in members:
        row = g.extra.get("directive_row")
        if g.kind == "citation_unknown" and isinstance(row, dict):
            if st.button(
                "Thêm vào danh mục…", key=es.key("f.addcat", g.id),
                icon=":material/library_add:", width="stretch",
                help="Mở trang Văn bản căn cứ với văn bản này điền sẵn để kiểm tra rồi lưu",
            ):  # fmt: skip
                _open_catalogue_draft(row)
    dismissed = [g.id for g in members if g.status == "dismissed"]
    if dismissed and not open_ids:
        st.button(
            "Xem lại", key=es.key("f.reopen", f.id), icon=":material/undo:",
            on_click=_reopen, args=(dismissed, f.place), width="stretch", disabled=locked,
        )  # fmt: skip


_NUMBER_BLANK = re.compile(r"\bsố\s*…", re.IGNORECASE)
_DATE_BLANK = re.compile(r"\bngày\s*…", re.IGNORECASE)


def blanks_note(findings: list[Finding]) -> str:
    """What a suggestion leaves blank for the user to fill in (“…” for a number, a date), or
    "" when applying it leaves no blank."""
    left = [f.suggestion for f in findings if f.suggestion and find_placeholders(f.suggestion)]
    if not left:
        return ""
    what = []
    if any(_NUMBER_BLANK.search(t) for t in left):
        what.append("số")
    if any(_DATE_BLANK.search(t) for t in left):
        what.append("ngày")
    fill = ", ".join(what) + "…" if what else "nội dung"
    return f"Đề xuất để trống chỗ “…”: sau khi áp dụng cần điền {fill} vào chỗ trống."


def _open_catalogue_draft(row: dict) -> None:
    """Open *Văn bản căn cứ* on its add form, pre-filled with the row drafted from the citation.

    The draft goes through `state.open_catalogue_draft`, the accessor the page's own "Sửa văn
    bản này" uses, so the keys cannot drift apart.
    """
    from planner.catalogue.model import directive_from_row

    try:
        draft = directive_from_row(row)
    except ValueError as e:
        st.error(f"Không điền sẵn được văn bản này: {md_escape(str(e))}")
        return
    state.open_catalogue_draft(draft)
    st.switch_page("views/catalogue.py")


_OLD = '<span style="background:#fde2e2;color:#9b1c1c">{}</span>'
_NEW = '<span style="background:#dcfce7;color:#14532d">{}</span>'
_KEEP = '<span style="background:#fef3c7;color:#78350f">{}</span>'
_SPAN = re.compile(r"(\d+)-(\d+)")


def _sentence_html(members: list[Finding], plan: Plan) -> str:
    """The sentence the findings share, with every text found marked, then the sentence as
    it reads once they are applied; each change on its own when the text has moved on."""
    first = members[0]
    current = get_text(plan, first.path) or ""
    m = _SPAN.fullmatch(str(first.extra.get("group", "")))
    lo, hi = (int(m[1]), int(m[2])) if m else (0, len(current))
    hi = min(hi, len(current))
    edits = sorted(
        (s, g)
        for g in members
        if g.status == "open"
        for s in g.starts
        if lo <= s and s + len(g.text) <= hi and current[s : s + len(g.text)] == g.text
    )
    if not edits:
        return "  \n".join(_change_html(g, plan) for g in members)
    old: list[str] = []
    new: list[str] = []
    pos = lo
    for s, g in edits:
        if s < pos:
            continue  # overlapping texts: the first one wins, as when applying
        plain = html_escape(current[pos:s])
        found = html_escape(g.text)
        old += [plain, (_OLD if g.suggestion else _KEEP).format(found)]
        new += [
            plain,
            _NEW.format(html_escape(g.suggestion)) if g.suggestion else _KEEP.format(found),
        ]
        pos = s + len(g.text)
    tail = html_escape(current[pos:hi])
    if not any(g.suggestion for _, g in edits):
        return f"{''.join(old)}{tail}"
    return f"{''.join(old)}{tail}  \nĐề xuất: {''.join(new)}{tail}"


def _change_html(f: Finding, plan: Plan) -> str:
    """The found text in its sentence (up to ~70 characters each side), with the suggestion."""
    old = f'<span style="background:#fde2e2;color:#9b1c1c">{html_escape(f.text)}</span>'
    if f.status == "applied":
        old = f'<span style="background:#dcfce7;color:#14532d">{html_escape(f.suggestion)}</span>'
    elif not f.suggestion:
        old = f'<span style="background:#fef3c7;color:#78350f">{html_escape(f.text)}</span>'
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
        quote = f"{lead}{html_escape(before)}{old}{html_escape(after)}{tail}"
    else:
        quote = old
    if f.suggestion and f.status == "open":
        new = html_escape(f.suggestion)
        return f'{quote}  \nĐề xuất: <span style="background:#dcfce7;color:#14532d">{new}</span>'
    return quote
