"""Charts: checked on their Vega-Lite spec (marks, encodings, Vietnamese text, dates, palette)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from planner.model import Plan, Task, plan_to_dict
from planner.progress.charts import (
    DOCX,
    DOCX_DPI,
    DOCX_GANTT_ROWS,
    DOCX_MAX_HEIGHT_CM,
    DOCX_WIDTH_CM,
    DOCX_WIDTH_PX,
    LINE_BREAK,
    OKABE_ITO,
    OVERDUE_LABEL,
    PAGE,
    SLIDE_CHART_LABEL_PX,
    SLIDE_CHART_SUBTITLE_PX,
    SLIDE_CHART_TITLE_PX,
    STATE_COLORS,
    all_charts,
    chart_images,
    chart_png,
    chart_svg,
    comparison_chart,
    due_per_month_chart,
    fit_text,
    gantt_period,
    label_lines,
    png_size,
    previous_plan,
    progress_by_unit_chart,
    slide_size,
    status_chart,
    text_px,
    timeline_chart,
    timeline_charts,
    wrap_text,
)
from planner.progress.tasks import accept_suggestions, suggest_tasks
from planner.sample import sample_plan

TODAY = date(2021, 3, 15)


def _tasks() -> list[Task]:
    return [
        Task(
            id="t1",
            title="Tuyên truyền",
            lead="Phòng GDĐT",
            start=date(2021, 1, 4),
            due=date(2021, 2, 28),
            status="in_progress",
            progress=60,
            section="III.1",
        ),
        Task(
            id="t2",
            title="Kiểm tra",
            lead="Phòng GDĐT",
            support=("Các trường",),
            start=date(2021, 3, 1),
            due=date(2021, 5, 31),
            status="done",
            progress=100,
            section="III.1",
        ),
        Task(
            id="t3",
            title="Báo cáo cuối năm",
            lead="Các trường",
            due=date(2021, 11, 25),
            section="III.2",
        ),
        Task(id="t4", title="Việc bỏ", lead="Các trường", status="cancelled"),
    ]


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _mark(layer: dict) -> str:
    m = layer["mark"]
    return m if isinstance(m, str) else m["type"]


def _values(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data") or spec.get("data")
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def test_timeline_has_bars_today_rule_and_overdue_marks() -> None:
    spec = timeline_chart(_tasks(), TODAY, 2021).to_dict()
    layers = _layers(spec)
    assert [_mark(x) for x in layers] == ["bar", "point", "text", "rule", "text"]
    bars = layers[0]
    enc = bars["encoding"]
    assert enc["x"]["field"] == "start" and enc["x"]["type"] == "temporal"
    assert enc["x2"]["field"] == "due"
    assert enc["x"]["axis"]["format"] == "%m/%Y"  # month ticks within one year
    assert enc["x"]["title"] == "Thời gian"
    assert enc["color"]["title"] == "Tình trạng"
    assert enc["color"]["scale"]["range"] == list(STATE_COLORS)
    assert {t["title"] for t in enc["tooltip"]} >= {"Công việc", "Bắt đầu", "Hạn hoàn thành"}
    rows = {r["title"]: r for r in _values(spec, bars)}
    # overdue: t1 is past due and not done; marked by state, stroke and the ⚠ text layer
    assert rows["Tuyên truyền"]["overdue"] is True
    assert rows["Tuyên truyền"]["state"] == OVERDUE_LABEL
    assert rows["Kiểm tra"]["overdue"] is False
    assert rows["Tuyên truyền"]["due_text"] == "28/02/2021"
    assert rows["Báo cáo cuối năm"]["start_text"] == "(chưa đặt)"
    assert "datum.overdue" in json.dumps(enc["stroke"])
    assert layers[1]["transform"] == [{"filter": "datum.overdue"}]  # the warning triangle
    assert layers[1]["mark"]["shape"] == "triangle-up"
    assert layers[2]["transform"] == [{"filter": "datum.overdue"}]  # the words Quá hạn
    assert rows["Tuyên truyền"]["flag"] == "Quá hạn" and rows["Kiểm tra"]["flag"] == ""
    # the hôm nay rule
    rule = layers[3]
    assert _values(spec, rule)[0]["today"].startswith("2021-03-15")
    assert _values(spec, layers[4])[0]["text"] == "Hôm nay 15/03/2021"
    assert spec["title"]["text"] == "Lịch thực hiện công việc"
    assert "1 công việc quá hạn" in json.dumps(spec["title"]["subtitle"], ensure_ascii=False)
    # large type for a projector
    assert spec["config"]["axis"]["labelFontSize"] >= 14
    assert spec["config"]["title"]["fontSize"] >= 22


def test_timeline_caps_rows_and_says_so() -> None:
    many = [
        Task(id=f"t{i}", title=f"Việc {i}", due=date(2021, 1, 1) + timedelta(days=i % 300))
        for i in range(1000)
    ]
    spec = timeline_chart(many, TODAY, 2021, max_rows=40).to_dict()
    assert len(_values(spec, spec["layer"][0])) == 40
    sub = json.dumps(spec["title"]["subtitle"], ensure_ascii=False)
    assert "Hiển thị 40/1000 công việc" in sub


def test_status_chart_counts_overdue_apart() -> None:
    spec = status_chart(_tasks(), TODAY).to_dict()
    layers = _layers(spec)
    assert _mark(layers[0]) == "bar" and _mark(layers[1]) == "text"
    counts = {r["state"]: r["count"] for r in _values(spec, layers[0])}
    assert counts == {
        "Hoàn thành": 1,
        "Đang thực hiện": 0,
        "Chưa bắt đầu": 1,
        "Quá hạn": 1,
        "Đã hủy": 1,
    }
    assert layers[0]["encoding"]["x"]["title"] == "Số công việc"


def test_progress_by_unit_means() -> None:
    spec = progress_by_unit_chart(_tasks(), TODAY).to_dict()
    rows = {r["unit_full"]: r for r in _values(spec, spec["layer"][0])}
    assert rows["Phòng GDĐT"]["mean"] == 80.0
    assert rows["Các trường"]["mean"] == 0.0  # the cancelled task is left out
    assert rows["Các trường"]["count"] == 1
    x = spec["layer"][0]["encoding"]["x"]
    assert x["scale"]["domain"] == [0, 100]
    assert x["title"] == "Tỷ lệ hoàn thành trung bình (%)"
    assert spec["layer"][0]["mark"]["color"] == OKABE_ITO["blue"]


def test_due_per_month() -> None:
    spec = due_per_month_chart(_tasks(), TODAY).to_dict()
    assert _mark(spec) == "bar"
    rows = _values(spec, spec)
    assert {r["month"] for r in rows} == {"02/2021", "05/2021", "11/2021"}
    assert spec["encoding"]["x"]["sort"] == ["02/2021", "05/2021", "11/2021"]
    assert spec["encoding"]["x"]["title"] == "Tháng"
    assert "1 công việc chưa có hạn" in json.dumps(spec["title"], ensure_ascii=False)


@pytest.mark.parametrize(
    "build",
    [
        lambda ts: timeline_chart(ts, TODAY, 2021),
        lambda ts: status_chart(ts, TODAY),
        lambda ts: progress_by_unit_chart(ts, TODAY),
        lambda ts: due_per_month_chart(ts, TODAY),
    ],
)
def test_empty_state_is_a_message(build) -> None:
    spec = build([]).to_dict()
    assert _mark(spec) == "text"
    assert _values(spec, spec)[0]["message"] == "Chưa có công việc nào để vẽ biểu đồ."


def test_comparison_uses_blocks_when_last_year_had_no_tasks() -> None:
    last = sample_plan()
    now = accept_suggestions(last, suggest_tasks(last))
    now = replace(now, meta=replace(now.meta, year=2021))
    spec = comparison_chart(now, last).to_dict()
    assert spec["title"]["text"] == "So sánh năm 2021 với năm 2020"
    assert "Số nội dung" in spec["encoding"]["y"]["title"]
    assert spec["encoding"]["xOffset"]["field"] == "year"
    rows = _values(spec, spec)
    assert {r["year"] for r in rows} == {"Năm 2020", "Năm 2021"}
    assert {r["section"] for r in rows} == {
        "I. Mục đích yêu cầu",
        "II. Nội dung",
        "III. Tổ chức thực hiện",
    }


def test_comparison_counts_tasks_when_both_have_them() -> None:
    last = accept_suggestions(sample_plan(), suggest_tasks(sample_plan()))
    now = replace(last, meta=replace(last.meta, year=2021), tasks=last.tasks[:1])
    spec = comparison_chart(now, last).to_dict()
    assert spec["encoding"]["y"]["title"] == "Số công việc"
    rows = {(r["section"], r["year"]): r["count"] for r in _values(spec, spec)}
    assert rows[("III. Tổ chức thực hiện", "Năm 2020")] == 4
    assert rows[("III. Tổ chức thực hiện", "Năm 2021")] == 1


def test_previous_plan_from_extra_and_all_charts() -> None:
    last = sample_plan()
    now = Plan(
        meta=replace(last.meta, year=2021),
        sections=last.sections,
        tasks=tuple(_tasks()),
        extra={"previous_plan": plan_to_dict(last)},
    )
    assert previous_plan(now) == last
    keys = [c.key for c in all_charts(now, TODAY)]
    assert keys[-1] == "so-sanh-nam-truoc" and len(keys) == 5
    assert [c.key for c in all_charts(sample_plan(), TODAY)] == [
        "lich-thuc-hien",
        "tinh-trang",
        "tien-do-don-vi",
        "den-han-theo-thang",
    ]
    assert previous_plan(Plan(extra={"previous_plan": {"bad": 1}})) is None


def test_images_png_svg() -> None:
    chart = status_chart(_tasks(), TODAY)
    png = chart_png(chart, scale=2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width >= 2 * 600  # scale 2: print resolution
    svg = chart_svg(chart).decode("utf-8")
    assert "<svg" in svg and "Tình trạng công việc" in svg


def test_chart_images_for_the_document() -> None:
    plan = Plan(meta=sample_plan().meta, tasks=tuple(_tasks()))
    images = chart_images(plan, TODAY)
    assert [c for c, _ in images] == [
        "Lịch thực hiện công việc",
        "Tình trạng công việc",
        "Tiến độ theo đơn vị chủ trì",
        "Số công việc đến hạn theo tháng",
    ]
    assert all(png[:4] == b"\x89PNG" for _, png in images)
    # no tasks: nothing to put in the appendix
    assert chart_images(sample_plan(), TODAY) == []


def test_due_per_month_shows_the_whole_plan_year() -> None:
    spec = due_per_month_chart(_tasks(), TODAY, 2021).to_dict()
    months = spec["encoding"]["x"]["scale"]["domain"]
    assert months == [f"{m:02d}/2021" for m in range(1, 13)]
    assert spec["encoding"]["y"]["axis"]["values"] == [0, 1]  # whole tasks, no 0.5


def test_all_charts_with_1000_tasks_stay_small() -> None:
    units = [f"Trường {i}" for i in range(30)]
    tasks = tuple(
        Task(
            id=f"t{i}",
            title=f"Công việc {i}",
            lead=units[i % 30],
            start=date(2021, 1, 1) + timedelta(days=i % 200),
            due=date(2021, 2, 1) + timedelta(days=i % 300),
            status=("planned", "in_progress", "done", "cancelled")[i % 4],
            progress=(0, 50, 100, 0)[i % 4],
        )
        for i in range(1000)
    )
    plan = Plan(meta=replace(sample_plan().meta, year=2021), tasks=tasks)
    charts = all_charts(plan, TODAY)
    specs = [c.chart.to_dict() for c in charts]
    assert not any(c.empty for c in charts)
    total = sum(len(json.dumps(s, ensure_ascii=False)) for s in specs)
    assert total < 200_000  # aggregated: the browser never gets 1,000 rows per chart
    status = {r["state"]: r["count"] for r in _values(specs[1], specs[1]["layer"][0])}
    assert sum(status.values()) == 1000


# ---------------------------------------------------------------- sizes, period, labels (#16)


def _long_tasks(n: int, year: int = 2021) -> list[Task]:
    return [
        Task(
            id=f"l{i}",
            title=(
                f"Tổ chức kiểm tra, đánh giá việc thực hiện nhiệm vụ số {i} về công tác dân vận "
                "tại các đơn vị trường học trên địa bàn huyện"
            ),
            lead=f"Trường Trung học cơ sở Nguyễn Văn Trỗi số {i % 4}",
            start=date(year, 1 + i % 10, 1),
            due=date(year, 2 + i % 10, 28),
            status=("planned", "in_progress", "done")[i % 3],
            progress=(0, 40, 100)[i % 3],
        )
        for i in range(n)
    ]


def _domain(spec: dict) -> list[str]:
    return spec["layer"][0]["encoding"]["x"]["scale"]["domain"]


def test_gantt_axis_is_the_plan_year_and_today_outside_it_draws_no_rule() -> None:
    # a 2021 plan looked at in 2026: the axis stays on 2021, no "Hôm nay" five years away
    spec = timeline_chart(_tasks(), date(2026, 11, 30), 2021).to_dict()
    assert _domain(spec) == ["2021-01-01T00:00:00", "2021-12-31T00:00:00"]
    assert [_mark(x) for x in spec["layer"]] == ["bar", "point", "text"]
    # widened only by task dates outside the year
    late = [*_tasks(), Task(id="t9", title="Tổng kết", due=date(2022, 1, 15))]
    spec = timeline_chart(late, TODAY, 2021).to_dict()
    assert _domain(spec) == ["2021-01-01T00:00:00", "2022-01-15T00:00:00"]
    assert [_mark(x) for x in spec["layer"]][-2:] == ["rule", "text"]  # 15/03/2021 is inside
    assert gantt_period(late, 2021, date(2030, 1, 1)) == (date(2021, 1, 1), date(2022, 1, 15))


def test_gantt_png_has_the_period_width_not_the_years_since() -> None:
    # the bug: 11,100 × 778 px because the axis ran to today's date
    png = chart_png(timeline_chart(_tasks(), date(2026, 11, 30), 2021, size=DOCX), scale=1)
    assert png_size(png)[0] == DOCX_WIDTH_PX


def test_long_schedules_are_split_into_numbered_figures() -> None:
    tasks = _long_tasks(30)
    charts = timeline_charts(tasks, TODAY, 2021, size=DOCX)
    assert len(charts) == 3  # 12 + 12 + 6
    specs = [c.to_dict() for c in charts]
    counts = [len(_values(s, s["layer"][0])) for s in specs]
    assert counts == [DOCX_GANTT_ROWS, DOCX_GANTT_ROWS, 30 - 2 * DOCX_GANTT_ROWS]
    assert specs[1]["title"]["text"] == "Lịch thực hiện công việc (2/3)"
    assert "Công việc 13–24 trong số 30" in specs[1]["title"]["subtitle"]
    labels = [r["label"] for s in specs for r in _values(s, s["layer"][0])]
    assert [x.split(".")[0] for x in labels] == [str(i) for i in range(1, 31)]  # numbered on
    keys = [
        c.key
        for c in all_charts(
            Plan(meta=replace(sample_plan().meta, year=2021), tasks=tuple(tasks)), TODAY, size=DOCX
        )
    ]
    assert keys[:3] == ["lich-thuc-hien", "lich-thuc-hien-2", "lich-thuc-hien-3"]


def _plan_for_images() -> Plan:
    last = sample_plan()
    return Plan(
        meta=replace(last.meta, year=2021),
        sections=last.sections,
        tasks=tuple(_long_tasks(14)),
        extra={"previous_plan": plan_to_dict(last)},
    )


def test_document_images_fill_16_cm_at_the_stated_dpi_and_fit_a_page() -> None:
    images = chart_images(_plan_for_images(), date(2026, 11, 30))
    assert [c for c, _ in images][:2] == [
        "Lịch thực hiện công việc (1/2)",
        "Lịch thực hiện công việc (2/2)",
    ]
    want = DOCX_WIDTH_CM / 2.54 * DOCX_DPI
    for caption, png in images:
        width, height = png_size(png)
        assert abs(width - want) <= 2, caption
        # placed 16 cm wide, the figure stays within a page: at most DOCX_MAX_HEIGHT_CM tall
        assert height / width * DOCX_WIDTH_CM <= DOCX_MAX_HEIGHT_CM, caption
        assert height / width >= 0.3, caption  # no strip: 11,100 × 778 px was 0.07


def _svg_texts(svg: str) -> list[str]:
    import html
    import re

    out = []
    for body in re.findall(r"<text[^>]*>(.*?)</text>", svg):
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body) or [body]
        out += [html.unescape(x) for x in lines]
    return out


def _axis_labels(spec: dict) -> list[str]:
    """Every category label the spec's data gives its axes (split into its lines)."""
    out = []
    for layer in _layers(spec):
        for channel in ("x", "y"):
            enc = layer.get("encoding", {}).get(channel, {})
            if enc.get("type") == "nominal" and "field" in enc:
                for row in _values(spec, layer):
                    out += str(row[enc["field"]]).split(LINE_BREAK)
    return out


@pytest.mark.parametrize("size", [PAGE, DOCX, slide_size(1240, 600)], ids=["page", "docx", "slide"])
def test_no_label_is_cut_by_the_renderer(size) -> None:
    plan = _plan_for_images()
    for nc in all_charts(plan, TODAY, size=size):
        spec = nc.chart.to_dict()
        texts = _svg_texts(chart_svg(spec).decode("utf-8"))
        for label in _axis_labels(spec):
            assert label in texts, (nc.key, label)  # Vega writes "…" into a label it cuts
        # the label limits are above the wrapped text's estimated width
        for layer in _layers(spec):
            for channel in ("x", "y"):
                axis = layer.get("encoding", {}).get(channel, {}).get("axis") or {}
                limit = axis.get("labelLimit")
                if limit:
                    fs = axis.get("labelFontSize", spec["config"]["axis"]["labelFontSize"])
                    widest = max(text_px(x, fs) for x in _axis_labels({**spec, "layer": [layer]}))
                    assert widest <= limit, (nc.key, channel)
        title, cfg = spec["title"], spec["config"]
        room = (size.width or PAGE.assumed_width) - 2 * cfg["padding"]
        heads = [title["text"]] if isinstance(title["text"], str) else title["text"]
        for lines, fs in (
            (heads, cfg["title"]["fontSize"]),
            (title.get("subtitle", []), cfg["title"]["subtitleFontSize"]),
        ):
            for part in lines:
                assert part in texts, (nc.key, part)
                assert text_px(part, fs) <= room, (nc.key, part)


def test_wrap_and_fit_keep_words_and_say_when_shortened() -> None:
    text = "Phòng Giáo dục và Đào tạo huyện Phú Hòa tỉnh Phú Yên"
    lines = wrap_text(text, 200, 16)
    assert all(text_px(x, 16) <= 200 for x in lines)
    assert " ".join(lines).replace("…", "") in text
    assert fit_text(text, 1000, 16) == text
    short = fit_text(text, 150, 16)
    assert short.endswith("…") and text_px(short, 16) <= 150
    assert label_lines(text, 150, 16, max_lines=2).count(LINE_BREAK) == 1


def test_slide_charts_fill_the_slide_with_type_readable_from_the_back() -> None:
    size = slide_size(1240, 600)
    for nc in all_charts(_plan_for_images(), TODAY, size=size):
        spec = nc.chart.to_dict()
        assert (spec["width"], spec["height"]) == (1240, 600), nc.key
        assert spec["autosize"] == {"type": "fit", "contains": "padding"}
        cfg = spec["config"]
        assert cfg["title"]["fontSize"] >= SLIDE_CHART_TITLE_PX
        assert cfg["title"]["subtitleFontSize"] >= SLIDE_CHART_SUBTITLE_PX
        assert cfg["axis"]["labelFontSize"] >= SLIDE_CHART_LABEL_PX
        assert cfg["legend"]["labelFontSize"] >= SLIDE_CHART_LABEL_PX
        for layer in _layers(spec):
            mark = layer["mark"]
            if isinstance(mark, dict) and "fontSize" in mark:
                assert mark["fontSize"] >= SLIDE_CHART_LABEL_PX, nc.key
            axis = (layer.get("encoding", {}).get("y", {}) or {}).get("axis") or {}
            assert axis.get("labelFontSize", SLIDE_CHART_LABEL_PX) >= SLIDE_CHART_LABEL_PX
        png = chart_png(spec, scale=1)
        assert abs(png_size(png)[0] - 1240) <= 1 and abs(png_size(png)[1] - 600) <= 1, nc.key
    # as many tasks a slide as two-line names leave room for: 6 on 600 px, 12 on a big screen
    assert size.gantt_rows == 6
    assert len(timeline_charts(_long_tasks(25), TODAY, 2021, size=size)) == 5
    assert slide_size(1868, 976).gantt_rows == 12


def test_page_charts_take_the_container_width() -> None:
    spec = status_chart(_tasks(), TODAY).to_dict()
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert png_size(chart_png(spec, scale=1))[0] == PAGE.assumed_width  # drawn alone
