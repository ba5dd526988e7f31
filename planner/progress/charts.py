"""Progress charts (Altair): pure functions from tasks to charts, rendered to PNG/SVG on demand.

Every chart has Vietnamese titles, axis labels and tooltips, dates as dd/mm/yyyy, the
Okabe–Ito colour-blind-safe palette and large type for a projector. Data is aggregated in
Python before it reaches the chart, so 1,000 tasks make a small spec. A chart with nothing to
show says so in words instead of drawing empty axes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import altair as alt

from planner.errors import PlannerError
from planner.model import STATUS_LABELS, Plan, Section, Task, plan_from_dict
from planner.progress.as_of import default_as_of, plan_period
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
WIDTH = 860  # plot width on the page when a chart is drawn alone (an image download)
MAX_GANTT_ROWS = 40  # the most urgent tasks a schedule shows, over all its figures
EMPTY_MESSAGE = "Chưa có công việc nào để vẽ biểu đồ."
# Width of text in the chart font (DejaVu Sans renders ~0.53 em a character on average for
# Vietnamese; the margin covers capitals and bold), used to abbreviate and wrap labels so that
# the renderer never cuts one.
CHAR_EM = 0.6

# The Word document: charts fill the text width (16 cm) at DOCX_DPI; drawn DOCX_WIDTH_PX wide
# (CSS px, labels and legend included) so that 15 px type prints at about 10 pt.
DOCX_WIDTH_CM = 16.0
DOCX_DPI = 200
DOCX_WIDTH_PX = 640
DOCX_MAX_HEIGHT_CM = 22.0  # a figure and its caption stay on one A4 page
DOCX_GANTT_ROWS = 12  # tasks per schedule figure in the document (Hình 1a, 1b, …)

# The presenter's mode (1280×720 is the smallest screen it is made for): chart type sizes in
# CSS px, read from the back of a room.
SLIDE_CHART_TITLE_PX = 32
SLIDE_CHART_SUBTITLE_PX = 22
SLIDE_CHART_LABEL_PX = 18
SLIDE_GANTT_ROWS = 12  # most tasks on one schedule slide (fewer on a low screen)


class ChartError(PlannerError):
    """A chart could not be rendered to an image."""


@dataclass(frozen=True)
class ChartSize:
    """Where a chart goes: its whole size in CSS px (title, labels, legend and padding
    included) and its type sizes. `width` None: the container's width (a page); `height`
    None: as tall as its rows need."""

    name: str
    width: int | None
    height: int | None
    title_px: int
    subtitle_px: int
    label_px: int
    axis_title_px: int
    text_px: int  # numbers written on bars, the "Hôm nay" label
    row_px: int  # one bar's band when the height follows the rows
    gantt_rows: int  # tasks per schedule figure
    assumed_width: int = 900  # for wrapping text when the width is the container's

    @property
    def text_width(self) -> int:
        """The width text may take (the container's is not known: a page's usual width)."""
        return (self.width or self.assumed_width) - 40


# a band holds a two-line label: row_px ≥ 2.5 × label_px
PAGE = ChartSize("page", None, None, 26, 17, 16, 18, 16, 40, MAX_GANTT_ROWS)
DOCX = ChartSize("docx", DOCX_WIDTH_PX, None, 21, 15, 15, 15, 15, 38, DOCX_GANTT_ROWS)


def slide_size(width: int, height: int) -> ChartSize:
    """A chart filling a slide of `width` × `height` CSS px."""
    return ChartSize(
        "slide",
        max(480, width),
        max(320, height),
        SLIDE_CHART_TITLE_PX,
        SLIDE_CHART_SUBTITLE_PX,
        SLIDE_CHART_LABEL_PX,
        SLIDE_CHART_LABEL_PX + 2,
        SLIDE_CHART_LABEL_PX,
        46,
        # two-line task names need 2.6 × their size a row; the rest of the height is the
        # title, axis, legend (about 320 px)
        max(4, min(SLIDE_GANTT_ROWS, (height - 320) // int(2.6 * SLIDE_CHART_LABEL_PX))),
    )


def docx_scale(size: ChartSize = DOCX, *, dpi: int = DOCX_DPI) -> float:
    """Pixel ratio that makes a chart `size.width` px wide exactly DOCX_WIDTH_CM at `dpi`."""
    return DOCX_WIDTH_CM / 2.54 * dpi / (size.width or WIDTH)


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


def text_px(text: str, font_px: float) -> float:
    """Estimated width of `text` in the chart font (generous: see CHAR_EM)."""
    return len(text) * font_px * CHAR_EM


def fit_text(text: str, px: float, font_px: float) -> str:
    """`text`, abbreviated with "…" at a word where possible, so it fits `px`."""
    limit = max(4, int(px / (font_px * CHAR_EM)))
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind(" ")
    if cut >= limit // 2:
        head = head[:cut]
    return head.rstrip(" ,;:.-") + "…"


def wrap_text(text: str, px: float, font_px: float, max_lines: int = 3) -> list[str]:
    """`text` in lines of at most `px` (by words); the last line abbreviated if needed."""
    limit = max(4, int(px / (font_px * CHAR_EM)))
    lines: list[str] = []
    line = ""
    for word in text.split():
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= limit:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [fit_text(x, px, font_px) for x in lines]


LINE_BREAK = "|"  # a category label's line break: axes split labels on it (`_lines_axis`)


def label_lines(text: str, px: float, font_px: float, max_lines: int = 2) -> str:
    """A category label wrapped into at most `max_lines` lines of `px` (joined by
    LINE_BREAK), the last abbreviated if the text is longer still."""
    return LINE_BREAK.join(wrap_text(text.replace(LINE_BREAK, "/"), px, font_px, max_lines))


def _lines_axis(room: int, font_px: int, **kw: Any) -> alt.Axis:
    """An axis whose labels are `label_lines` texts: split on LINE_BREAK, never cut (the
    limit is above the room they were wrapped to)."""
    return alt.Axis(
        labelLimit=room + 8,
        labelFontSize=font_px,
        labelExpr=f"split(datum.label, '{LINE_BREAK}')",
        **kw,
    )


def _subtitle_lines(lines: Sequence[str], size: ChartSize) -> list[str]:
    return [w for x in lines for w in wrap_text(x, size.text_width, size.subtitle_px)]


def _label_px(size: ChartSize, share: float = 0.4) -> int:
    """Room for a bar chart's category labels: a share of the width."""
    return int(size.text_width * share)


def _state_scale() -> alt.Scale:
    return alt.Scale(domain=list(STATE_ORDER), range=list(STATE_COLORS))


def _config(size: ChartSize) -> dict[str, Any]:
    return dict(
        font=FONT,
        background="white",
        padding=12 if size.name == "docx" else 16,
        title=alt.TitleConfig(
            fontSize=size.title_px,
            subtitleFontSize=size.subtitle_px,
            anchor="start",
            offset=14,
            # never cut: titles and subtitles are wrapped to the width in Python
            limit=0,
            subtitlePadding=6,
        ),
        axis=alt.AxisConfig(
            labelFontSize=size.label_px,
            titleFontSize=size.axis_title_px,
            titlePadding=10,
            gridColor="#e6e6e6",
        ),
        legend=alt.LegendConfig(
            labelFontSize=size.label_px,
            titleFontSize=size.axis_title_px,
            symbolSize=220,
            orient="bottom",
            labelLimit=0,
            # as many entries a row as the width holds ("Đang thực hiện" is the longest)
            columns=max(1, int(size.text_width // (text_px("Đang thực hiện", size.label_px) + 48))),
        ),
        view=alt.ViewConfig(strokeWidth=0),
    )


def _style(chart: Any, size: ChartSize = PAGE) -> Any:
    """The size, type and shared look, applied once at the top level. The whole chart (labels,
    legend, padding) is `size.width` wide: the container's on a page."""
    if size.height is not None:
        autosize = alt.AutoSizeParams(type="fit", contains="padding")
    else:
        autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    chart = chart.properties(
        width=size.width if size.width is not None else "container",
        autosize=autosize,
    )
    if size.height is not None:
        chart = chart.properties(height=size.height)
    return chart.configure(**_config(size))


def _title(
    text: str, subtitle: str | Sequence[str] = "", size: ChartSize = PAGE
) -> alt.TitleParams:
    head = wrap_text(text, size.text_width, size.title_px, max_lines=2)
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    lines = [x for x in lines if x]
    title: Any = head[0] if len(head) == 1 else head
    if lines:
        return alt.TitleParams(text=title, subtitle=_subtitle_lines(lines, size))
    return alt.TitleParams(text=title)


def _count_axis(top: int) -> alt.Axis:
    """Whole-number ticks for counts (no 0.5 task)."""
    if top <= 12:
        return alt.Axis(values=list(range(0, top + 1)), format="d")
    return alt.Axis(format="d", tickMinStep=1)


def empty_chart(title: str, message: str = EMPTY_MESSAGE, size: ChartSize = PAGE) -> Any:
    """A chart that says in words there is nothing to show."""
    data = _data([{"message": message}])
    chart = (
        alt.Chart(data)
        .mark_text(fontSize=max(22, size.subtitle_px), color="#444444")
        .encode(text=alt.Text("message:N"))
        .properties(title=_title(title, size=size), height=160)
    )
    return _style(chart, size)


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


def gantt_period(tasks: Sequence[Task], year: int, today: date) -> tuple[date, date]:
    """The schedule's time axis: the plan's year (01/01–31/12), widened only to take in task
    dates outside it. Today does not widen it."""
    start, end = plan_period(year, today)
    for t in tasks:
        for d in (t.start, t.due):
            if d is not None:
                start, end = min(start, d), max(end, d)
    return start, end


def _gantt_pages(
    tasks: Sequence[Task], today: date, max_rows: int, per_figure: int
) -> list[list[Task]]:
    """The most urgent `max_rows` tasks in time order, cut into figures of `per_figure`."""
    start = date.min
    chosen = _gantt_order(tasks, today)[:max_rows]
    chosen.sort(key=lambda t: (t.start or t.due or start, t.due or date.max, t.title))
    step = max(1, per_figure)
    return [chosen[i : i + step] for i in range(0, len(chosen), step)]


def timeline_charts(
    tasks: Sequence[Task],
    today: date,
    year: int,
    *,
    max_rows: int = MAX_GANTT_ROWS,
    size: ChartSize = PAGE,
    today_label: str = "Hôm nay",
) -> list[Any]:
    """Lịch thực hiện in figures of at most `size.gantt_rows` tasks (numbered *phần 1/2*…):
    one bar per task from start to due, overdue marked, a dashed rule at `today` (labelled
    `today_label`) when it falls in the plan's period.

    The axis is the plan's period (`gantt_period`). A task without a start is drawn from the
    period's first day (without a due, to its last); the tooltip says which dates are really
    set. Above `max_rows` tasks the most urgent are shown and the subtitle says how many are
    left out. Task names are numbered and abbreviated to the label room; the tooltip has them
    whole.
    """
    title = "Lịch thực hiện công việc"
    if not tasks:
        return [empty_chart(title, size=size)]
    first, last = gantt_period(tasks, year, today)
    pages = _gantt_pages(tasks, today, max_rows, size.gantt_rows)
    shown = sum(len(p) for p in pages)
    n_over = sum(1 for t in tasks if t.is_overdue(today))
    in_period = first <= today <= last
    label_room = _label_px(size, 0.4)
    out = []
    number = 0
    for k, page in enumerate(pages, start=1):
        rows: list[dict[str, Any]] = []
        for t in page:
            number += 1
            start = t.start or min(first, t.due or first)
            due = t.due or max(last, start)
            overdue = t.is_overdue(today)
            rows.append(
                {
                    "label": label_lines(f"{number}. {t.title}", label_room, size.label_px),
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
        subtitle = []
        if len(pages) > 1:
            subtitle.append(f"Công việc {number - len(page) + 1}–{number} trong số {shown}")
        if len(tasks) > shown:
            subtitle.append(
                f"Hiển thị {shown}/{len(tasks)} công việc: quá hạn và sắp đến hạn trước."
            )
        subtitle.append(f"{today_label} {show_date(today)} · {n_over} công việc quá hạn")
        head = title if len(pages) == 1 else f"{title} ({k}/{len(pages)})"
        out.append(
            _gantt_figure(rows, head, subtitle, first, last, today, in_period, size, today_label)
        )
    return out


def _gantt_figure(
    rows: list[dict[str, Any]],
    title: str,
    subtitle: list[str],
    first: date,
    last: date,
    today: date,
    in_period: bool,
    size: ChartSize,
    today_label: str,
) -> Any:
    data = _data(rows)
    order = [r["label"] for r in rows]
    x_scale = alt.Scale(domain=[_iso(first), _iso(last)])
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        # labels are abbreviated in Python to this room: the renderer never cuts them
        axis=_lines_axis(_label_px(size, 0.4), size.label_px),
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
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    bars = (
        alt.Chart(data)
        .mark_bar(cornerRadius=3, height={"band": 0.7}, clip=True)
        .encode(
            x=alt.X(
                "start:T",
                title="Thời gian",
                scale=x_scale,
                axis=alt.Axis(
                    format="%d/%m/%Y" if months > 14 else "%m/%Y",
                    labelAngle=-35,
                    tickCount="month" if months <= 14 else {"interval": "month", "step": 3},
                ),
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
        .mark_text(align="left", dx=22, fontSize=size.text_px, fontWeight="bold", color="#B33F00")
        .encode(x="due:T", y=y, text="flag:N", tooltip=tooltip)
    )
    layers: list[Any] = [bars, marks, flags]
    if in_period:
        today_data = _data([{"today": _iso(today), "text": f"{today_label} {show_date(today)}"}])
        late = (today - first).days > 0.66 * max(1, (last - first).days)
        layers.append(
            alt.Chart(today_data)
            .mark_rule(color="#000000", strokeDash=[6, 4], size=2)
            .encode(x="today:T", tooltip=[alt.Tooltip("text:N", title="Ngày")])
        )
        layers.append(
            alt.Chart(today_data)
            .mark_text(
                align="right" if late else "left",
                baseline="bottom",
                dx=-5 if late else 5,
                y=-4,
                fontSize=size.text_px,
                fontWeight="bold",
            )
            .encode(x="today:T", text="text:N")
        )
    chart = alt.layer(*layers).properties(
        title=_title(title, subtitle, size),
        height=alt.Step(size.row_px),
    )
    return _style(chart, size)


def timeline_chart(
    tasks: Sequence[Task],
    today: date,
    year: int,
    *,
    max_rows: int = MAX_GANTT_ROWS,
    size: ChartSize = PAGE,
    today_label: str = "Hôm nay",
) -> Any:
    """The schedule as one figure of up to `max_rows` tasks (see `timeline_charts`)."""
    one = replace(size, gantt_rows=max(1, max_rows))
    return timeline_charts(
        tasks, today, year, max_rows=max_rows, size=one, today_label=today_label
    )[0]


# ---------------------------------------------------------------- progress by unit


def progress_by_unit_chart(tasks: Sequence[Task], today: date, *, size: ChartSize = PAGE) -> Any:
    """Tiến độ theo đơn vị chủ trì: mean % done of each lead unit's tasks (cancelled left out)."""
    title = "Tiến độ trung bình theo đơn vị chủ trì"
    live = [t for t in tasks if t.status != "cancelled"]
    if not live:
        return empty_chart(title, size=size)
    room = _label_px(size, 0.36)
    groups: dict[str, list[Task]] = defaultdict(list)
    for t in live:
        groups[t.lead or "(chưa ghi đơn vị)"].append(t)
    rows: list[dict[str, Any]] = []
    for unit, ts in groups.items():
        mean = sum(t.progress for t in ts) / len(ts)
        rows.append(
            {
                "unit": label_lines(unit, room, size.label_px),
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
        axis=_lines_axis(room, size.label_px),
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
                "mean:Q",
                title="Tỷ lệ hoàn thành trung bình (%)",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 20, 40, 60, 80, 100]),
            ),
            y=y,
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=6, fontSize=size.text_px, color="#000000").encode(
        text="label:N"
    )
    chart = alt.layer(bars, labels).properties(
        title=_title(title, f"{len(live)} công việc, {len(rows)} đơn vị", size),
        height=alt.Step(size.row_px + 14),
    )
    return _style(chart, size)


# ---------------------------------------------------------------- due per month


def due_per_month_chart(
    tasks: Sequence[Task], today: date, year: int = 0, *, size: ChartSize = PAGE
) -> Any:
    """Số công việc đến hạn theo tháng, stacked by state (overdue shown apart).

    With the plan's `year`, all twelve months of that year are shown (empty ones too).
    """
    title = "Số công việc đến hạn theo tháng"
    dated = [t for t in tasks if t.due]
    if not dated:
        msg = EMPTY_MESSAGE if not tasks else "Chưa có công việc nào có hạn hoàn thành."
        return empty_chart(title, msg, size)
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
        .properties(title=_title(title, subtitle, size), height=380)
    )
    return _style(chart, size)


# ---------------------------------------------------------------- status breakdown


def status_chart(tasks: Sequence[Task], today: date, *, size: ChartSize = PAGE) -> Any:
    """Tình trạng công việc: done, in progress, not started, overdue and cancelled tasks."""
    title = "Tình trạng công việc"
    if not tasks:
        return empty_chart(title, size=size)
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
    y = alt.Y("state:N", sort=list(STATE_ORDER), title=None, axis=alt.Axis(labelLimit=0))
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
    labels = bars.mark_text(align="left", dx=6, fontSize=size.text_px + 1).encode(
        text="label:N", color=alt.value("#000000")
    )
    chart = alt.layer(bars, labels).properties(
        title=_title(title, f"Tổng số {total} công việc, tính đến {show_date(today)}", size),
        height=alt.Step(size.row_px + 22),
    )
    return _style(chart, size)


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
        label = f"{s.number}. {s.title.capitalize()}"
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


def comparison_chart(plan: Plan, previous: Plan, *, size: ChartSize = PAGE) -> Any:
    """Năm nay so với năm trước: tasks per section, or text items when last year had no tasks."""
    year, prev_year = plan.meta.year, previous.meta.year
    by_tasks = bool(previous.tasks)
    what = "Số công việc" if by_tasks else "Số nội dung (đoạn, ý)"
    title = f"So sánh năm {year} với năm {prev_year}"
    now = _per_section(plan, by_tasks)
    before = _per_section(previous, by_tasks)
    keys = list(now) + [k for k in before if k not in now]
    if not keys:
        return empty_chart(title, "Cả hai kế hoạch chưa có mục nào để so sánh.", size)
    rows: list[dict[str, Any]] = []
    order = []
    band = (size.text_width - 120) / len(keys)  # the count axis and its title aside
    for k in keys:
        full = (now.get(k) or before[k])[0]
        label = label_lines(full, band - 8, size.label_px, max_lines=3)
        order.append(label)
        for y_label, counts in ((f"Năm {prev_year}", before), (f"Năm {year}", now)):
            rows.append(
                {
                    "section": label,
                    "section_full": full,
                    "year": y_label,
                    "count": counts.get(k, ("", 0))[1],
                }
            )
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
                # section names on up to three lines, each within its band
                axis=_lines_axis(int(band), size.label_px, labelAngle=0, labelBaseline="top"),
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
                alt.Tooltip("section_full:N", title="Phần"),
                alt.Tooltip("year:N", title="Năm"),
                alt.Tooltip("count:Q", title=what),
            ],
        )
        .properties(title=_title(title, subtitle, size), height=380)
    )
    return _style(chart, size)


# ---------------------------------------------------------------- all charts, images


def all_charts(
    plan: Plan,
    today: date,
    previous: Plan | None = None,
    *,
    size: ChartSize = PAGE,
    today_label: str = "Hôm nay",
) -> list[NamedChart]:
    """Every chart of the plan sized for `size`, in the order they are shown and printed. The
    schedule comes as one figure per `size.gantt_rows` tasks (keys `lich-thuc-hien`,
    `lich-thuc-hien-2`, …; captions numbered *(1/2)*)."""
    tasks = list(plan.tasks)
    empty = not tasks
    title = "Lịch thực hiện công việc"
    gantts = timeline_charts(tasks, today, plan.meta.year, size=size, today_label=today_label)
    out = [
        NamedChart(
            "lich-thuc-hien" if k == 1 else f"lich-thuc-hien-{k}",
            title if len(gantts) == 1 else f"{title} ({k}/{len(gantts)})",
            chart,
            empty,
        )
        for k, chart in enumerate(gantts, start=1)
    ]
    out += [
        NamedChart(
            "tinh-trang", "Tình trạng công việc", status_chart(tasks, today, size=size), empty
        ),
        NamedChart(
            "tien-do-don-vi",
            "Tiến độ theo đơn vị chủ trì",
            progress_by_unit_chart(tasks, today, size=size),
            not any(t.status != "cancelled" for t in tasks),
        ),
        NamedChart(
            "den-han-theo-thang",
            "Số công việc đến hạn theo tháng",
            due_per_month_chart(tasks, today, plan.meta.year, size=size),
            not any(t.due for t in tasks),
        ),
    ]
    prev = previous or previous_plan(plan)
    if prev is not None:
        out.append(
            NamedChart(
                "so-sanh-nam-truoc",
                f"So sánh năm {plan.meta.year} với năm {prev.meta.year}",
                comparison_chart(plan, prev, size=size),
            )
        )
    return out


def _spec(chart: Any) -> dict[str, Any]:
    spec = dict(chart if isinstance(chart, dict) else chart.to_dict())
    if spec.get("width") == "container":  # a page's chart drawn alone: the page's usual width
        spec["width"] = PAGE.assumed_width
    return spec


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


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from a PNG's header."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or png[12:16] != b"IHDR":
        raise ChartError("Ảnh biểu đồ không phải tệp PNG.")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def chart_images(
    plan: Plan, today: date, previous: Plan | None = None, *, dpi: int = DOCX_DPI
) -> list[tuple[str, bytes]]:
    """(caption, PNG) for the document's appendix, charts with data only: each drawn for the
    A4 text width (DOCX_WIDTH_PX wide, DOCX_WIDTH_CM at `dpi`), the schedule split into
    figures of DOCX_GANTT_ROWS tasks so none is squeezed. Progress is shown as of
    `default_as_of` (a past year's plan as it stood on 31/12, not years overdue)."""
    scale = docx_scale(DOCX, dpi=dpi)
    as_of = default_as_of(plan.meta.year, today)
    label = "Hôm nay" if as_of == today else "Tính đến"
    return [
        (nc.title, chart_png(nc.chart, scale=scale))
        for nc in all_charts(plan, as_of, previous, size=DOCX, today_label=label)
        if not nc.empty
    ]
