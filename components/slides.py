"""Trình chiếu's slides: what each one says (`build_deck`, no Streamlit) and how it is drawn.

The deck: the plan's purpose, its key figures, one slide per section with its key tasks, the
schedule (SLIDE_GANTT_ROWS tasks a slide), progress by unit, what is late, then the other
charts. Type sizes are stated as minimums at 1280×720 and grow with the screen (`vw`); charts
are drawn for the stage the window leaves under the presenter's bar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from components import state
from components.charts_panel import ChartSpec, slide_chart_specs
from planner.model import Plan, Section, Task
from planner.progress.charts import task_state
from planner.progress.tasks import fmt_date, summarize
from planner.text.fold import fold

# Smallest type on a slide at 1280×720 (CSS px); larger screens get more (see SLIDE_CSS).
SLIDE_TITLE_MIN_PX = 36
SLIDE_BODY_MIN_PX = 26
SLIDE_NOTE_MIN_PX = 22  # the smallest text: table headers, notes, the page number
DEFAULT_VIEWPORT = (1280, 720)  # until the browser has said its size
BAR_PX = 64  # the presenter's bar above the slide
SIDE_PX = 24  # the slide's margin left and right
ITEMS_PER_SLIDE = 5  # purpose items, a section's key tasks
LATE_ROWS = 7  # most overdue tasks on one slide (fewer on a low screen)
MAX_LATE_SLIDES = 4
ITEM_CHARS = 200  # longer items are abbreviated (the Tiến độ page has them whole)

SLIDE_CSS = f"""
<style>
/* projector: no Streamlit chrome, no sidebar (Thoát trình chiếu leads back) */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stElementContainer"]:has([data-testid="planBanner"]) {{ display: none !important; }}
[data-testid="stAppViewContainer"] > section, [data-testid="stMain"] {{ padding-top: 0; }}
[data-testid="stMainBlockContainer"] {{ padding: 10px {SIDE_PX}px 0 {SIDE_PX}px;
  max-width: 100%; }}
.st-key-meeting_bar {{ height: {BAR_PX - 10}px; }}
.st-key-meeting_bar p, .st-key-meeting_bar button p {{ font-size: {SLIDE_NOTE_MIN_PX}px; }}
.st-key-meeting_bar input {{ font-size: 20px !important; }}
[data-testid="stMetricValue"] {{ font-size: max(56px, 4.4vw) !important; line-height: 1.1; }}
[data-testid="stMetricLabel"] p {{ font-size: max(26px, 2vw) !important; }}
.slide-title {{ font-size: max({SLIDE_TITLE_MIN_PX}px, 2.9vw); font-weight: 700;
  line-height: 1.2; margin: .2em 0 .35em 0; }}
.slide-kicker {{ font-size: max({SLIDE_NOTE_MIN_PX}px, 1.6vw); color: #333;
  letter-spacing: .02em; }}
.slide-note {{ font-size: max({SLIDE_NOTE_MIN_PX}px, 1.6vw); color: #333; margin-top: .4em; }}
ul.slide-items {{ margin: 0; padding-left: 1.1em; }}
ul.slide-items li {{ font-size: max({SLIDE_BODY_MIN_PX}px, 1.9vw); line-height: 1.3;
  margin: 0 0 .45em 0; }}
ul.slide-items .sub {{ display: block; font-size: max({SLIDE_NOTE_MIN_PX}px, 1.6vw);
  color: #444; }}
ul.slide-items .late {{ color: #B33F00; font-weight: 700; }}
table.slide-late {{ width: 100%; border-collapse: collapse;
  font-size: max({SLIDE_BODY_MIN_PX}px, 1.9vw); }}
table.slide-late th {{ text-align: left; border-bottom: 3px solid #000; padding: .3em .5em;
  white-space: nowrap; font-size: max({SLIDE_NOTE_MIN_PX}px, 1.6vw); }}
table.slide-late td {{ border-bottom: 1px solid #bbb; padding: .35em .5em; vertical-align: top; }}
table.slide-late td.due {{ color: #B33F00; font-weight: 700; white-space: nowrap; }}
</style>
"""


@dataclass(frozen=True)
class Slide:
    slug: str  # names the slide (and its screenshot): "muc-dich", "lich-thuc-hien-2"
    kind: str  # purpose | overview | section | chart | late
    title: str
    items: tuple[tuple[str, str, bool], ...] = ()  # (text, detail, late) bullet points
    rows: tuple[tuple[str, str, str, str], ...] = ()  # the late table: task, lead, due, %
    note: str = ""
    chart: ChartSpec | None = None


def _clip(text: str, limit: int = ITEM_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    return head[: head.rfind(" ")].rstrip(" ,;:.") + "…" if " " in head else head + "…"


def slug(text: str) -> str:
    """A file-name friendly name: "II. NỘI DUNG" → "noi-dung" (numbering dropped)."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return re.sub(r"^[ivxlcdm0-9]+-", "", words) or "muc"


def _is_purpose(section: Section) -> bool:
    return "muc dich" in fold(section.title)


def _section_texts(section: Section) -> list[str]:
    texts = [b.text for b in section.blocks if b.text.strip()]
    return texts + [c.title for c in section.children if c.title.strip()]


def _task_item(task: Task, as_of: date) -> tuple[str, str, bool]:
    parts = [task.lead or "chưa ghi đơn vị chủ trì"]
    if task.due:
        parts.append(f"hạn {fmt_date(task.due)}")
    parts.append(task_state(task, as_of).lower())
    return (_clip(task.title), " · ".join(parts), task.is_overdue(as_of))


def _top(section_ref: str | None) -> str:
    return fold((section_ref or "").split(".")[0])


def build_deck(
    plan: Plan, as_of: date, charts: list[ChartSpec], *, late_rows: int = LATE_ROWS
) -> list[Slide]:
    """The slides for `plan` as of `as_of`, with `charts` sized for the slide (see
    charts_panel.slide_chart_specs; empty charts are left out) and `late_rows` overdue tasks
    a slide."""
    doc = plan.meta.doc_type.capitalize() or "Kế hoạch"
    head = f"{doc} {plan.meta.subject}".strip() if plan.meta.subject else doc
    when = f"Tình hình thực hiện tính đến ngày {fmt_date(as_of)}"
    slides: list[Slide] = []
    purpose = next((s for s in plan.sections if _is_purpose(s)), None)
    texts = _section_texts(purpose) if purpose else [p for p in plan.preamble if p.strip()]
    slides.append(
        Slide(
            "muc-dich",
            "purpose",
            head,
            tuple((_clip(t), "", False) for t in texts[:ITEMS_PER_SLIDE]),
            note=(purpose.title.capitalize() if purpose else "Mục đích") + " · " + when,
        )
    )
    slides.append(Slide("tong-quan", "overview", "Tổng quan công việc", note=when))
    used: set[str] = set()
    for section in plan.sections:
        if section is purpose:
            continue
        tasks = sorted(
            (
                t
                for t in plan.tasks
                if t.status != "cancelled" and _top(t.section) == fold(section.number)
            ),
            key=lambda t: (not t.is_overdue(as_of), t.due or date.max, t.title),
        )
        if tasks:
            items = tuple(_task_item(t, as_of) for t in tasks[:ITEMS_PER_SLIDE])
            more = len(tasks) - len(items)
            note = f"{len(tasks)} công việc" + (
                f", {more} công việc khác ở trang Tiến độ" if more > 0 else ""
            )
        else:
            found = _section_texts(section)
            items = tuple((_clip(t), "", False) for t in found[:ITEMS_PER_SLIDE])
            more = len(found) - len(items)
            note = f"… và {more} nội dung khác" if more > 0 else ""
        if not items:
            continue
        name = slug(section.title)
        name = name if name not in used else f"{name}-{len(used) + 1}"
        used.add(name)
        slides.append(
            Slide(
                name, "section", f"{section.number}. {section.title.capitalize()}", items, note=note
            )
        )
    by_key = {c.key: c for c in charts if not c.empty}
    for c in charts:
        if c.key.startswith("lich-thuc-hien") and not c.empty:
            slides.append(Slide(c.key, "chart", c.title, chart=c))
    if "tien-do-don-vi" in by_key:
        slides.append(
            Slide(
                "tien-do-don-vi",
                "chart",
                by_key["tien-do-don-vi"].title,
                chart=by_key["tien-do-don-vi"],
            )
        )
    slides += _late_slides(plan.tasks, as_of, late_rows)
    for key in ("tinh-trang", "den-han-theo-thang", "so-sanh-nam-truoc"):
        if key in by_key:
            slides.append(Slide(key, "chart", by_key[key].title, chart=by_key[key]))
    return slides


def _late_slides(tasks: tuple[Task, ...], as_of: date, per_slide: int) -> list[Slide]:
    late = sorted(
        (t for t in tasks if t.is_overdue(as_of)), key=lambda t: (t.due or as_of, t.title)
    )
    when = f"tính đến ngày {fmt_date(as_of)}"
    if not late:
        return [
            Slide(
                "qua-han",
                "late",
                "Công việc quá hạn",
                note=f"Không có công việc nào quá hạn {when}.",
            )
        ]
    step = max(1, per_slide)
    pages = [late[i : i + step] for i in range(0, len(late), step)][:MAX_LATE_SLIDES]
    shown = sum(len(p) for p in pages)
    out = []
    for k, page in enumerate(pages, start=1):
        title = f"Công việc quá hạn ({len(late)})"
        note = f"Hạn sớm nhất trước, {when}"
        if len(pages) > 1:
            title += f" – {k}/{len(pages)}"
        if k == len(pages) and len(late) > shown:
            note += f". Còn {len(late) - shown} công việc khác ở trang Tiến độ."
        rows = tuple(
            (_clip(t.title, 110), t.lead or "(chưa ghi)", fmt_date(t.due), f"{t.progress}%")
            for t in page
        )
        out.append(
            Slide("qua-han" if k == 1 else f"qua-han-{k}", "late", title, rows=rows, note=note)
        )
    return out


# ---------------------------------------------------------------- drawing


_PRESENTER = components.declare_component(
    "presenter", path=str(Path(__file__).resolve().parent / "presenter")
)


def presenter_keys() -> tuple[int, int]:
    """The full-screen button and the key script (arrows, PageUp/PageDown, space, F); returns
    the window's size (DEFAULT_VIEWPORT until the browser has told it)."""
    value: Any = _PRESENTER(key=state.MEETING_KEYS, default=None)
    if isinstance(value, dict):
        try:
            return max(320, int(value["w"])), max(240, int(value["h"]))
        except (KeyError, TypeError, ValueError):
            pass
    return DEFAULT_VIEWPORT


def stage_size(viewport: tuple[int, int]) -> tuple[int, int]:
    """The room a chart slide has: the window less the bar and the margins."""
    width, height = viewport
    return width - 2 * SIDE_PX - 4, height - BAR_PX - 40  # the bar sits 28 px lower


def deck_for(
    plan: Plan, as_of: date, previous: Plan | None, viewport: tuple[int, int]
) -> list[Slide]:
    width, height = stage_size(viewport)
    charts = slide_chart_specs(plan, as_of, previous, width, height)
    # a table row holds two lines of body text (about 105 px at 1280×720)
    return build_deck(plan, as_of, charts, late_rows=max(3, min(LATE_ROWS, (height - 170) // 105)))


def show_slide(slide: Slide, plan: Plan, as_of: date) -> None:
    if slide.kind == "chart" and slide.chart is not None:
        st.vega_lite_chart(slide.chart.spec, theme=None, width="content")
        return
    kicker = escape(plan.meta.authority.upper()) if slide.kind == "purpose" else ""
    html = f'<div class="slide-kicker">{kicker}</div>' if kicker else ""
    html += f'<div class="slide-title">{escape(slide.title)}</div>'
    if slide.kind == "overview":
        st.html(
            f'<div class="slide-body">{html}'
            f'<div class="slide-note">{escape(slide.note)}</div></div>'
        )
        _figures(plan, as_of)
        return
    if slide.items:
        html += (
            '<ul class="slide-items">'
            + "".join(
                f'<li class="{"late" if late else ""}">{escape(text)}'
                + (
                    f'<span class="sub{" late" if late else ""}">{escape(detail)}</span>'
                    if detail
                    else ""
                )
                + "</li>"
                for text, detail, late in slide.items
            )
            + "</ul>"
        )
    if slide.rows:
        body = "".join(
            f"<tr><td>{escape(a)}</td><td>{escape(b)}</td>"
            f"<td class='due'>{escape(c)}</td><td>{escape(d)}</td></tr>"
            for a, b, c, d in slide.rows
        )
        html += (
            '<table class="slide-late"><thead><tr><th>Công việc</th><th>Đơn vị chủ trì</th>'
            f"<th>Hạn</th><th>Hoàn thành</th></tr></thead><tbody>{body}</tbody></table>"
        )
    if slide.note:
        html += f'<div class="slide-note">{escape(slide.note)}</div>'
    st.html(f'<div class="slide-body">{html}</div>')


def _figures(plan: Plan, as_of: date) -> None:
    summary = summarize(plan.tasks, as_of)
    if not plan.tasks:
        st.info("Kế hoạch chưa có công việc nào; hãy lập danh sách ở trang Tiến độ.")
    row1 = st.columns(3)
    row1[0].metric("Tổng số công việc", summary.total, border=True)
    row1[1].metric("Hoàn thành", summary.done, border=True)
    row1[2].metric("Đang thực hiện", summary.in_progress, border=True)
    row2 = st.columns(3)
    row2[0].metric("Chưa bắt đầu", summary.planned, border=True)
    row2[1].metric("Quá hạn", summary.overdue, border=True)
    row2[2].metric("Tiến độ trung bình", f"{summary.mean_progress:.0f}%", border=True)
