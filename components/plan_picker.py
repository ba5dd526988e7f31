"""The sidebar's current-plan picker and the banner naming the open plan on every page.

Two plans often share a title ("Thực hiện công tác dân vận chính quyền…" each year), and the
sidebar cuts long labels: so a plan's label starts with what tells it apart (year, unit,
draft or issued, "Năm trước") and the title comes last.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from components import state
from components.review_panel import review_tags
from components.safe_text import md_escape
from planner.errors import PlannerError
from planner.model import Meta
from planner.store.plans import PlanSummary
from planner.text.fold import fold

# Office names shortened as offices write them (folded, without accents → short form).
_UNIT_SHORT = (
    ("phong giao duc va dao tao", "PGDĐT"),
    ("phong giao duc - dao tao", "PGDĐT"),
    ("so giao duc va dao tao", "SGDĐT"),
    ("bo giao duc va dao tao", "Bộ GDĐT"),
)
_PLACE_WORDS = re.compile(
    r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?:THÀNH PHỐ|TP\.?|QUẬN|HUYỆN|THỊ XÃ|TỈNH)?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlanFacts:
    """What tells a saved plan apart, beside its title and year."""

    unit: str  # "PGDĐT Thủ Dầu Một"
    status: str  # "Dự thảo" or "Đã ban hành"


def unit_short(meta: Meta) -> str:
    """The issuing office, short: "PGDĐT Thủ Dầu Một" for PHÒNG GIÁO DỤC VÀ ĐÀO TẠO under UBND
    THÀNH PHỐ THỦ DẦU MỘT; another office's name in ordinary capitals, cut at 40 characters."""
    authority = " ".join(meta.authority.split())
    folded = fold(authority)
    for long, short in _UNIT_SHORT:
        if folded.startswith(long):
            place = _PLACE_WORDS.sub("", " ".join(meta.parent_authority.split()))
            if place == meta.parent_authority.strip():
                place = ""  # the parent is not a local People's Committee
            return f"{short} {place.title()}".strip()
    name = _capitalized(authority) if authority.isupper() else authority
    return name if len(name) <= 40 else name[:39] + "…"


_ACRONYMS = {"THCS", "THPT", "TH", "MN", "MG", "GDĐT", "GD&ĐT", "UBND", "PTDTBT", "PTDTNT"}


def _capitalized(name: str) -> str:
    """TRƯỜNG THCS PHÚ HÒA → Trường THCS Phú Hòa (acronyms kept)."""
    return " ".join(w if w in _ACRONYMS else w.capitalize() for w in name.split())


def plan_status(meta: Meta) -> str:
    """ "Đã ban hành" once the plan has its number and date, else "Dự thảo"."""
    return "Đã ban hành" if meta.number.strip() and meta.issued else "Dự thảo"


def age_tag(year: int, newest_year: int) -> str:
    """ "Năm trước" for the year before the newest saved plan's, "N năm trước" further back."""
    gap = newest_year - year
    if gap <= 0 or year <= 0:
        return ""
    return "Năm trước" if gap == 1 else f"{gap} năm trước"


def plan_labels(
    plans: Sequence[PlanSummary], facts: Mapping[str, PlanFacts] | None = None
) -> dict[str, str]:
    """A label per plan id: "2021 · PGDĐT Thủ Dầu Một · Dự thảo — <title>", "2020 · Năm trước ·
    …" for an older year's plan; unique even for plans alike (their last change and short id are
    added). Streamlit's selectbox tells options apart by their label in the browser, so two
    plans labelled alike would open the wrong one. `facts`: by plan id (read when omitted)."""
    if facts is None:
        facts = plan_facts(plans)
    newest = max((p.year for p in plans), default=0)
    base: dict[str, str] = {}
    for p in plans:
        f = facts.get(p.id)
        parts = [str(p.year)] if p.year else []
        tag = age_tag(p.year, newest)
        if tag:
            parts.append(tag)  # early: the sidebar cuts the end of long labels
        if f is not None:
            parts += [x for x in (f.unit, f.status) if x]
        base[p.id] = f"{' · '.join(parts)} — {p.title}" if parts else p.title
    seen = Counter(base.values())
    return {
        p.id: base[p.id]
        if seen[base[p.id]] == 1
        else f"{base[p.id]} · sửa {p.updated_at:%d/%m %H:%M} · mã {p.id[:6]}"
        for p in plans
    }


@st.cache_data(show_spinner=False, max_entries=512)
def _facts_of(db: str, plan_id: str, version: int) -> PlanFacts | None:
    """A saved version never changes, so its facts are cached by (store, plan, version)."""
    try:
        meta = state.get_store().open_version(plan_id, version).meta
    except PlannerError:
        return None
    return PlanFacts(unit_short(meta), plan_status(meta))


def plan_facts(plans: Sequence[PlanSummary]) -> dict[str, PlanFacts]:
    db = str(state.get_store().path)
    out = {}
    for p in plans:
        f = _facts_of(db, p.id, p.version)
        if f is not None:
            out[p.id] = f
    return out


def sidebar_plan_picker() -> None:
    """Show the open plan in the sidebar and let the user switch to another saved plan."""
    try:
        plans = state.get_store().list_plans()
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return
    current = state.current_plan_id()
    if not plans:
        st.caption("Chưa có kế hoạch nào được lưu.")
        return
    ids = [p.id for p in plans]
    facts = plan_facts(plans)
    labels = plan_labels(plans, facts)
    if current not in labels:
        ids = ["", *ids]
        labels[""] = "— Chưa mở kế hoạch —"
    chosen = st.selectbox(
        "Kế hoạch đang mở",
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=labels.__getitem__,
        key=f"sidebar.plan.{current}",
        help="Năm · đơn vị · dự thảo hay đã ban hành — tên kế hoạch",
    )
    if chosen and chosen != current:
        state.open_plan(chosen)
        st.rerun()


def banner_text(p: PlanSummary, f: PlanFacts | None, newest_year: int) -> tuple[str, str]:
    """The banner's main line and, for an older year's plan, its warning ("" otherwise)."""
    status = f.status.lower() if f else ""
    kind = "bản nháp" if status == "dự thảo" else status
    head = f"Đang mở: Kế hoạch năm {p.year}" + (f" ({kind})" if kind else "")
    if f and f.unit:
        head += f" · {f.unit}"
    head += f" — {p.title}"
    tag = age_tag(p.year, newest_year)
    warn = ""
    if tag:
        warn = f"{tag}: đã có kế hoạch năm {newest_year}. Hãy chắc rằng bạn muốn sửa kế hoạch này."
    return head, warn


def open_plan_banner() -> None:
    """A bar at the top of the main area naming the open plan (year, draft or issued, unit,
    title); an older year's plan in amber with a warning. Nothing when no plan is open."""
    current = state.current_plan_id()
    try:
        plans = state.get_store().list_plans() if current else []
    except PlannerError:
        return  # the sidebar shows the store's error
    by_id = {p.id: p for p in plans}
    if current not in by_id:
        return
    p = by_id[current]
    head, warn = banner_text(p, plan_facts([p]).get(p.id), max(x.year for x in plans))
    head += review_tags().get(p.id, "")  # server mode: the review status, open góp ý
    old = bool(warn)
    colour, border = ("#fff4e5", "#e69500") if old else ("#eaf2fb", "#0b5cad")
    body = f"<b>{html.escape(head)}</b>"
    if warn:
        body += f"<br><span>{html.escape(warn)}</span>"
    st.html(
        f'<div data-testid="planBanner" style="background:{colour};border-left:6px solid '
        f"{border};padding:0.45rem 0.8rem;border-radius:0.3rem;font-size:0.95rem;"
        f'line-height:1.4">{body}</div>'
    )
