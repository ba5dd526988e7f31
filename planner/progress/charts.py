"""Progress charts (Altair): pure functions from tasks to charts, rendered to PNG/SVG on demand.

Every chart has Vietnamese titles, axis labels and tooltips, dates as dd/mm/yyyy, the
Okabe–Ito colour-blind-safe palette and large type for a projector. Data is aggregated in
Python before it reaches the chart, so 1,000 tasks make a small spec. A chart with nothing to
show says so in words instead of drawing empty axes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt

from planner.errors import PlannerError
from planner.model import STATUS_LABELS, Plan, Section, Task, plan_from_dict
from planner.text.dates import show_date
from planner.text.fold import fold

# Okabe–Ito palette
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
    "black": "#000000",
}
OVERDUE_LABEL = "Quá hạn"
# Tình trạng shown on charts: overdue tasks are taken out of their status.
STATE_ORDER = (
    STATUS_LABELS["done"],
    STATUS_LABELS["in_progress"],
    STATUS_LABELS["planned"],
    OVERDUE_LABEL,
    STATUS_LABELS["cancelled"],
)
STATE_COLORS = (
    OKABE_ITO["green"],
    OKABE_ITO["blue"],
    OKABE_ITO["sky"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["grey"],
)
FONT = "Roboto, 'Be Vietnam Pro', 'DejaVu Sans', Arial, sans-serif"
WIDTH = 860
MAX_GANTT_ROWS = 40
EMPTY_MESSAGE = "Chưa có công việc nào để vẽ biểu đồ."


class ChartError(PlannerError):
    """A chart could not be rendered to an image."""


@dataclass(frozen=True)
class NamedChart:
    key: str  # file-name friendly: "lich-thuc-hien"
    title: str  # Vietnamese caption
    chart: alt.TopLevelMixin
    empty: bool = False


# ---------------------------------------------------------------- helpers


def _data(values: list[dict[str, Any]]) -> alt.Data:
    """Inline chart data (altair's `Data` has no type annotations)."""
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def task_state(task: Task, today: date) -> str:
    """The Vietnamese state a chart shows: the status label, or *Quá hạn*."""
    return OVERDUE_LABEL if task.is_overdue(today) else STATUS_LABELS.get(task.status, task.status)


def _iso(d: date) -> str:
    # no time zone: Vega reads it as local midnight, so the day never shifts
    return f"{d.isoformat()}T00:00:00"


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _state_scale() -> alt.Scale:
    return alt.Scale(domain=list(STATE_ORDER), range=list(STATE_COLORS))


_CONFIG = dict(
    font=FONT,
    background="white",
    padding=16,
    title=alt.TitleConfig(fontSize=26, subtitleFontSize=17, anchor="start", offset=14),
    axis=alt.AxisConfig(labelFontSize=16, titleFontSize=18, titlePadding=10, gridColor="#e6e6e6"),
    legend=alt.LegendConfig(labelFontSize=16, titleFontSize=17, symbolSize=220, orient="bottom"),
    view=alt.ViewConfig(strokeWidth=0),
)


def _style(chart: Any) -> Any:
    """Large type and the shared look, applied once at the top level (one copy of the chart)."""
    return chart.configure(**_CONFIG)


def _title(text: str, subtitle: str | Sequence[str] = "") -> alt.TitleParams:
    if subtitle:
        return alt.TitleParams(text=text, subtitle=subtitle)
    return alt.TitleParams(text=text)


def _count_axis(top: int) -> alt.Axis:
    """Whole-number ticks for counts (no 0.5 task)."""
    if top <= 12:
        return alt.Axis(values=list(range(0, top + 1)), format="d")
    return alt.Axis(format="d", tickMinStep=1)


def empty_chart(title: str, message: str = EMPTY_MESSAGE) -> Any:
    """A chart that says in words there is nothing to show."""
    data = _data([{"message": message}])
    chart = (
        alt.Chart(data)
        .mark_text(fontSize=22, color="#444444")
        .encode(text=alt.Text("message:N"))
        .properties(title=_title(title), width=WIDTH, height=160)
    )
    return _style(chart)


# ---------------------------------------------------------------- timeline (Gantt)


def _gantt_order(tasks: Sequence[Task], today: date) -> list[Task]:
    """Most urgent first: overdue, then open tasks by due date, then the rest."""

    def key(t: Task) -> tuple[int, date, date]:
        if t.is_overdue(today):
            rank = 0
        elif t.status in ("planned", "in_progress"):
            rank = 1
        else:
            rank = 2
        return (rank, t.due or date.max, t.start or date.max)

    return sorted(tasks, key=key)


def timeline_chart(
    tasks: Sequence[Task], today: date, year: int, *, max_rows: int = MAX_GANTT_ROWS
) -> Any:
    """Lịch thực hiện: one bar per task from start to due, a *hôm nay* rule, overdue marked.

    A task without a start is drawn from 01/01 of the plan's `year` (without a due, to 31/12);
    the tooltip says which dates are really set. Above `max_rows` tasks the most urgent are
    shown and the subtitle says how many are left out.
    """
    title = "Lịch thực hiện công việc"
    if not tasks:
        return empty_chart(title)
    year = year or today.year
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    chosen = _gantt_order(tasks, today)[:max_rows]
    # keep the schedule readable: shown rows in time order
    chosen.sort(key=lambda t: (t.start or year_start, t.due or year_end))
    rows: list[dict[str, Any]] = []
    for i, t in enumerate(chosen, start=1):
        start = t.start or min(year_start, t.due or year_start)
        due = t.due or max(year_end, start)
        overdue = t.is_overdue(today)
        rows.append(
            {
                "label": f"{i}. {_short(t.title)}",
                "title": t.title,
                "lead": t.lead or "(chưa ghi)",
                "support": "; ".join(t.support),
                "start": _iso(start),
                "due": _iso(due),
                "start_text": show_date(t.start) or "(chưa đặt)",
                "due_text": show_date(t.due) or "(chưa đặt)",
                "state": task_state(t, today),
                "progress": t.progress,
                "overdue": overdue,
                "flag": "Quá hạn" if overdue else "",
            }
        )
    order = [r["label"] for r in rows]
    subtitle = []
    if len(tasks) > len(chosen):
        subtitle.append(
            f"Hiển thị {len(chosen)}/{len(tasks)} công việc: quá hạn và sắp đến hạn trước."
        )
    n_over = sum(1 for t in tasks if t.is_overdue(today))
    subtitle.append(f"Hôm nay {show_date(today)} · {n_over} công việc quá hạn")
    data = _data(rows)
    x_scale = alt.Scale(
        domain=[
            _iso(min(year_start, *(date.fromisoformat(r["start"][:10]) for r in rows))),
            _iso(max(year_end, *(date.fromisoformat(r["due"][:10]) for r in rows))),
        ]
    )
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        # labels are shortened in Python: no limit, so the renderer measures nothing
        axis=alt.Axis(labelLimit=0, labelFontSize=15),
    )
    tooltip = [
        alt.Tooltip("title:N", title="Công việc"),
        alt.Tooltip("lead:N", title="Đơn vị chủ trì"),
        alt.Tooltip("support:N", title="Đơn vị phối hợp"),
        alt.Tooltip("start_text:N", title="Bắt đầu"),
        alt.Tooltip("due_text:N", title="Hạn hoàn thành"),
        alt.Tooltip("state:N", title="Tình trạng"),
        alt.Tooltip("progress:Q", title="Hoàn thành (%)"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(cornerRadius=3, height={"band": 0.7})
        .encode(
            x=alt.X(
                "start:T",
                title="Thời gian",
                scale=x_scale,
                axis=alt.Axis(format="%d/%m/%Y", labelAngle=-35, tickCount="month"),
            ),
            x2="due:T",
            y=y,
            color=alt.Color("state:N", title="Tình trạng", scale=_state_scale()),
            stroke=alt.condition("datum.overdue", alt.value("#000000"), alt.value(None)),
            strokeWidth=alt.condition("datum.overdue", alt.value(2.5), alt.value(0)),
            tooltip=tooltip,
        )
    )
    # a warning triangle drawn as a shape (a ⚠ glyph makes the PNG renderer hunt for a font)
    marks = (
        alt.Chart(data)
        .transform_filter("datum.overdue")
        .mark_point(
            shape="triangle-up", filled=True, size=160, color="#B33F00", xOffset=12, opacity=1
        )
        .encode(x="due:T", y=y, tooltip=tooltip)
    )
    flags = (
        alt.Chart(data)
        .transform_filter("datum.overdue")
        .mark_text(align="left", dx=22, fontSize=15, fontWeight="bold", color="#B33F00")
        .encode(x="due:T", y=y, text="flag:N", tooltip=tooltip)
    )
    today_data = _data([{"today": _iso(today), "text": f"Hôm nay {show_date(today)}"}])
    rule = (
        alt.Chart(today_data)
        .mark_rule(color="#000000", strokeDash=[6, 4], size=2)
        .encode(x="today:T", tooltip=[alt.Tooltip("text:N", title="Ngày")])
    )
    rule_text = (
        alt.Chart(today_data)
        .mark_text(
            align="left" if today.month <= 8 else "right",
            baseline="bottom",
            dx=5 if today.month <= 8 else -5,
            y=-4,
            fontSize=15,
            fontWeight="bold",
        )
        .encode(x="today:T", text="text:N")
    )
    chart = alt.layer(bars, marks, flags, rule, rule_text).properties(
        title=_title(title, subtitle),
        width=WIDTH,
        height=alt.Step(30),
    )
    return _style(chart)


# ---------------------------------------------------------------- progress by unit


def progress_by_unit_chart(tasks: Sequence[Task], today: date) -> Any:
    """Tiến độ theo đơn vị chủ trì: mean % done of each lead unit's tasks (cancelled left out)."""
    title = "Tiến độ trung bình theo đơn vị chủ trì"
    live = [t for t in tasks if t.status != "cancelled"]
    if not live:
        return empty_chart(title)
    groups: dict[str, list[Task]] = defaultdict(list)
    for t in live:
        groups[t.lead or "(chưa ghi đơn vị)"].append(t)
    rows: list[dict[str, Any]] = []
    for unit, ts in groups.items():
        mean = sum(t.progress for t in ts) / len(ts)
        rows.append(
            {
                "unit": _short(unit, 40),
                "unit_full": unit,
                "mean": round(mean, 1),
                "label": f"{mean:.0f}%",
                "count": len(ts),
                "done": sum(1 for t in ts if t.status == "done"),
                "overdue": sum(1 for t in ts if t.is_overdue(today)),
            }
        )
    rows.sort(key=lambda r: (-r["mean"], r["unit"]))
    data = _data(rows)
    y = alt.Y(
        "unit:N",
        sort=[r["unit"] for r in rows],
        title=None,
        axis=alt.Axis(labelLimit=0),
    )
    tooltip = [
        alt.Tooltip("unit_full:N", title="Đơn vị"),
        alt.Tooltip("count:Q", title="Số công việc"),
        alt.Tooltip("done:Q", title="Đã hoàn thành"),
        alt.Tooltip("overdue:Q", title="Quá hạn"),
        alt.Tooltip("mean:Q", title="Tiến độ trung bình (%)", format=".1f"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(color=OKABE_ITO["blue"], cornerRadiusEnd=3)
        .encode(
            x=alt.X(
                "mean:Q", title="Tỷ lệ hoàn thành trung bình (%)", scale=alt.Scale(domain=[0, 100])
            ),
            y=y,
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=6, fontSize=16, color="#000000").encode(text="label:N")
    chart = alt.layer(bars, labels).properties(
        title=_title(title, f"{len(live)} công việc, {len(rows)} đơn vị"),
        width=WIDTH - 220,
        height=alt.Step(44),
    )
    return _style(chart)


# ---------------------------------------------------------------- due per month


def due_per_month_chart(tasks: Sequence[Task], today: date, year: int = 0) -> Any:
    """Số công việc đến hạn theo tháng, stacked by state (overdue shown apart).

    With the plan's `year`, all twelve months of that year are shown (empty ones too).
    """
    title = "Số công việc đến hạn theo tháng"
    dated = [t for t in tasks if t.due]
    if not dated:
        msg = EMPTY_MESSAGE if not tasks else "Chưa có công việc nào có hạn hoàn thành."
        return empty_chart(title, msg)
    counts = Counter((t.due.year, t.due.month, task_state(t, today)) for t in dated if t.due)
    months = sorted({(y, m) for y, m, _ in counts} | {(year, m) for m in range(1, 13) if year})
    labels = [f"{m:02d}/{y}" for y, m in months]
    rows = [
        {"month": f"{m:02d}/{y}", "state": s, "count": n, "order": STATE_ORDER.index(s)}
        for (y, m, s), n in sorted(counts.items())
    ]
    per_month = Counter((t.due.year, t.due.month) for t in dated if t.due)
    top = max(per_month.values())
    subtitle = []
    missing = len(tasks) - len(dated)
    if missing:
        subtitle.append(f"{missing} công việc chưa có hạn hoàn thành không được tính.")
    data = _data(rows)
    chart = (
        alt.Chart(data)
        .mark_bar(width=alt.RelativeBandSize(0.7))
        .encode(
            x=alt.X(
                "month:O",
                sort=labels,
                scale=alt.Scale(domain=labels),
                title="Tháng",
                axis=alt.Axis(labelAngle=-35),
            ),
            y=alt.Y("sum(count):Q", title="Số công việc", axis=_count_axis(top)),
            color=alt.Color("state:N", title="Tình trạng", scale=_state_scale()),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("month:O", title="Tháng"),
                alt.Tooltip("state:N", title="Tình trạng"),
                alt.Tooltip("sum(count):Q", title="Số công việc"),
            ],
        )
        .properties(
            title=_title(title, subtitle),
            width=WIDTH - 120,
            height=380,
        )
    )
    return _style(chart)


# ---------------------------------------------------------------- status breakdown


def status_chart(tasks: Sequence[Task], today: date) -> Any:
    """Tình trạng công việc: done, in progress, not started, overdue and cancelled tasks."""
    title = "Tình trạng công việc"
    if not tasks:
        return empty_chart(title)
    counts = Counter(task_state(t, today) for t in tasks)
    total = len(tasks)
    rows = [
        {
            "state": s,
            "count": counts.get(s, 0),
            "share": f"{100 * counts.get(s, 0) / total:.0f}%",
            "label": f"{counts.get(s, 0)} ({100 * counts.get(s, 0) / total:.0f}%)",
        }
        for s in STATE_ORDER
    ]
    data = _data(rows)
    y = alt.Y("state:N", sort=list(STATE_ORDER), title=None)
    tooltip = [
        alt.Tooltip("state:N", title="Tình trạng"),
        alt.Tooltip("count:Q", title="Số công việc"),
        alt.Tooltip("share:N", title="Tỷ lệ"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X("count:Q", title="Số công việc", axis=_count_axis(max(counts.values()))),
            y=y,
            color=alt.Color("state:N", scale=_state_scale(), legend=None),
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=6, fontSize=17).encode(
        text="label:N", color=alt.value("#000000")
    )
    chart = alt.layer(bars, labels).properties(
        title=_title(title, f"Tổng số {total} công việc, tính đến {show_date(today)}"),
        width=WIDTH - 260,
        height=alt.Step(52),
    )
    return _style(chart)


# ---------------------------------------------------------------- this year against last year


def previous_plan(plan: Plan) -> Plan | None:
    """Last year's plan kept in `plan.extra["previous_plan"]` (a plan dict), if readable."""
    data = plan.extra.get("previous_plan")
    if not isinstance(data, dict):
        return None
    try:
        return plan_from_dict(data, "kế hoạch năm trước")
    except PlannerError:
        return None


def _count_items(section: Section) -> int:
    return len(section.blocks) + sum(_count_items(c) for c in section.children)


def _per_section(plan: Plan, by_tasks: bool) -> dict[str, tuple[str, int]]:
    """Top-level section number → (label, count of tasks or of text items)."""
    out: dict[str, tuple[str, int]] = {}
    for s in plan.sections:
        label = _short(f"{s.number}. {s.title.capitalize()}", 36)
        out[fold(s.number)] = (label, 0 if by_tasks else _count_items(s))
    if by_tasks:
        for t in plan.tasks:
            top = fold((t.section or "").split(".")[0])
            if top in out:
                label, n = out[top]
                out[top] = (label, n + 1)
            else:
                label, n = out.get("", ("Chưa gắn mục", 0))
                out[""] = (label, n + 1)
    return out


def comparison_chart(plan: Plan, previous: Plan) -> Any:
    """Năm nay so với năm trước: tasks per section, or text items when last year had no tasks."""
    year, prev_year = plan.meta.year, previous.meta.year
    by_tasks = bool(previous.tasks)
    what = "Số công việc" if by_tasks else "Số nội dung (đoạn, ý)"
    title = f"So sánh năm {year} với năm {prev_year}"
    now = _per_section(plan, by_tasks)
    before = _per_section(previous, by_tasks)
    keys = list(now) + [k for k in before if k not in now]
    if not keys:
        return empty_chart(title, "Cả hai kế hoạch chưa có mục nào để so sánh.")
    rows: list[dict[str, Any]] = []
    order = []
    for k in keys:
        label = (now.get(k) or before[k])[0]
        order.append(label)
        rows.append(
            {"section": label, "year": f"Năm {prev_year}", "count": before.get(k, ("", 0))[1]}
        )
        rows.append({"section": label, "year": f"Năm {year}", "count": now.get(k, ("", 0))[1]})
    subtitle = f"{what} trong mỗi phần của kế hoạch" + (
        "" if by_tasks else f" (năm {prev_year} chưa có danh sách công việc)"
    )
    data = _data(rows)
    years = [f"Năm {prev_year}", f"Năm {year}"]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "section:N",
                sort=order,
                title="Phần của kế hoạch",
                axis=alt.Axis(labelAngle=0, labelLimit=200),
            ),
            xOffset=alt.XOffset("year:N", sort=years),
            y=alt.Y("count:Q", title=what, axis=_count_axis(max(r["count"] for r in rows))),
            color=alt.Color(
                "year:N",
                title="Năm",
                sort=years,
                scale=alt.Scale(domain=years, range=[OKABE_ITO["orange"], OKABE_ITO["blue"]]),
            ),
            tooltip=[
                alt.Tooltip("section:N", title="Phần"),
                alt.Tooltip("year:N", title="Năm"),
                alt.Tooltip("count:Q", title=what),
            ],
        )
        .properties(title=_title(title, subtitle), width=WIDTH - 100, height=380)
    )
    return _style(chart)


# ---------------------------------------------------------------- all charts, images


def all_charts(plan: Plan, today: date, previous: Plan | None = None) -> list[NamedChart]:
    """Every chart of the plan, in the order they are shown and printed."""
    tasks = list(plan.tasks)
    empty = not tasks
    out = [
        NamedChart(
            "lich-thuc-hien",
            "Lịch thực hiện công việc",
            timeline_chart(tasks, today, plan.meta.year),
            empty,
        ),
        NamedChart("tinh-trang", "Tình trạng công việc", status_chart(tasks, today), empty),
        NamedChart(
            "tien-do-don-vi",
            "Tiến độ theo đơn vị chủ trì",
            progress_by_unit_chart(tasks, today),
            not any(t.status != "cancelled" for t in tasks),
        ),
        NamedChart(
            "den-han-theo-thang",
            "Số công việc đến hạn theo tháng",
            due_per_month_chart(tasks, today, plan.meta.year),
            not any(t.due for t in tasks),
        ),
    ]
    prev = previous or previous_plan(plan)
    if prev is not None:
        out.append(
            NamedChart(
                "so-sanh-nam-truoc",
                f"So sánh năm {plan.meta.year} với năm {prev.meta.year}",
                comparison_chart(plan, prev),
            )
        )
    return out


def _spec(chart: Any) -> dict[str, Any]:
    return chart if isinstance(chart, dict) else chart.to_dict()


def chart_png(chart: Any, *, scale: float = 2) -> bytes:
    """PNG bytes of a chart or its Vega-Lite dict (scale 2 or more for print)."""
    import vl_convert as vlc

    try:
        return vlc.vegalite_to_png(_spec(chart), scale=scale)
    except Exception as e:  # vl-convert raises plain ValueError/RuntimeError
        raise ChartError(f"Không vẽ được biểu đồ thành ảnh PNG: {e}") from None


def chart_svg(chart: Any) -> bytes:
    """SVG bytes (UTF-8) of a chart."""
    import vl_convert as vlc

    try:
        return vlc.vegalite_to_svg(_spec(chart)).encode("utf-8")
    except Exception as e:
        raise ChartError(f"Không vẽ được biểu đồ thành ảnh SVG: {e}") from None


def chart_images(
    plan: Plan, today: date, previous: Plan | None = None, *, scale: float = 2
) -> list[tuple[str, bytes]]:
    """(caption, PNG) for the document's appendix: print resolution, charts with data only."""
    return [
        (nc.title, chart_png(nc.chart, scale=max(2.0, scale)))
        for nc in all_charts(plan, today, previous)
        if not nc.empty
    ]
