"""Trình chiếu: the as-of date, the deck's slides and the page (AppTest).

The browser side (keys, clicker, full screen, type sizes, charts filling the slide) is in
tests/e2e/test_presenter.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from components.charts_panel import ChartSpec
from components.slides import LATE_ROWS, build_deck, slug, stage_size
from planner.model import Task
from planner.progress.as_of import default_as_of, plan_period
from planner.store.plans import PlanStore
from tests.conftest import make_app
from tests.e2e.test_presenter import meeting_plan

NOW = datetime(2021, 3, 1, 8, 0)


@pytest.mark.parametrize(
    ("year", "today", "want"),
    [
        (2021, date(2021, 3, 15), date(2021, 3, 15)),  # within the plan's year: today
        (2021, date(2021, 1, 1), date(2021, 1, 1)),
        (2021, date(2021, 12, 31), date(2021, 12, 31)),
        (2021, date(2026, 11, 30), date(2021, 12, 31)),  # a past plan: as at its end
        (2021, date(2022, 1, 1), date(2021, 12, 31)),
        (2022, date(2021, 11, 30), date(2022, 1, 1)),  # a coming year's plan: its first day
        (0, date(2021, 5, 2), date(2021, 5, 2)),  # no year: today's
    ],
)
def test_default_as_of(year: int, today: date, want: date) -> None:
    assert default_as_of(year, today) == want


def test_plan_period() -> None:
    assert plan_period(2021, date(2026, 1, 1)) == (date(2021, 1, 1), date(2021, 12, 31))
    assert plan_period(0, date(2026, 5, 1)) == (date(2026, 1, 1), date(2026, 12, 31))


def _chart(key: str) -> ChartSpec:
    return ChartSpec(key, key, {}, False)


def test_deck_purpose_sections_schedule_units_late_in_that_order() -> None:
    plan = meeting_plan()
    charts = [
        _chart("lich-thuc-hien"),
        _chart("lich-thuc-hien-2"),
        _chart("tinh-trang"),
        _chart("tien-do-don-vi"),
        _chart("den-han-theo-thang"),
        ChartSpec("so-sanh-nam-truoc", "", {}, True),  # empty: no slide
    ]
    deck = build_deck(plan, date(2021, 3, 15), charts)
    assert [s.slug for s in deck] == [
        "muc-dich",
        "tong-quan",
        "noi-dung",
        "to-chuc-thuc-hien",
        "lich-thuc-hien",
        "lich-thuc-hien-2",
        "tien-do-don-vi",
        "qua-han",
        "tinh-trang",
        "den-han-theo-thang",
    ]
    purpose = deck[0]
    assert purpose.title == "Kế hoạch Thực hiện công tác dân vận chính quyền năm 2021"
    assert purpose.items[0][0].startswith("Tiếp tục đẩy mạnh công tác dân vận khéo")
    assert "tính đến ngày 15/03/2021" in purpose.note
    content = deck[2]
    assert content.title == "II. Nội dung"
    # overdue first, then by due date; five at most, the rest counted
    assert [late for _, _, late in content.items] == [True, True, False, False, False]
    assert content.items[0][1] == "Phòng Giáo dục và Đào tạo · hạn 05/03/2021 · quá hạn"
    assert content.note == "8 công việc, 3 công việc khác ở trang Tiến độ"
    late = deck[7]
    assert late.title == "Công việc quá hạn (3)"
    assert [r[2] for r in late.rows] == ["01/03/2021", "05/03/2021", "10/03/2021"]


def test_deck_as_of_the_plans_end_and_without_tasks() -> None:
    plan = meeting_plan()
    deck = build_deck(plan, date(2021, 12, 31), [], late_rows=4)
    late = [s for s in deck if s.kind == "late"]
    assert [s.slug for s in late] == ["qua-han", "qua-han-2", "qua-han-3"]  # 10 late, 4 a slide
    assert late[0].title == "Công việc quá hạn (10) – 1/3" and len(late[0].rows) == 4
    empty = build_deck(replace(plan, tasks=()), date(2021, 3, 15), [])
    assert [s.slug for s in empty] == [
        "muc-dich",
        "tong-quan",
        "noi-dung",
        "to-chuc-thuc-hien",
        "qua-han",
    ]
    assert empty[-1].note == "Không có công việc nào quá hạn tính đến ngày 15/03/2021."
    # a section without tasks shows its own headings
    assert empty[2].items[0][0].startswith("Tiếp tục quán triệt")


def test_slug_and_stage() -> None:
    assert slug("II. NỘI DUNG") == "noi-dung"
    assert slug("III. TỔ CHỨC THỰC HIỆN") == "to-chuc-thuc-hien"
    assert stage_size((1280, 720)) == (1228, 616)
    assert LATE_ROWS >= 3


def _open(app_env, plan):  # type: ignore[no-untyped-def]
    plan_id = PlanStore(app_env).create(plan, now=NOW)
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page("views/meeting.py").run()
    assert not at.exception, at.exception
    return at


def _page(at) -> str:  # type: ignore[no-untyped-def]
    return next(h.proto.body for h in at.main.get("html") if "meeting-page" in h.proto.body)


def test_meeting_page_walks_the_deck_read_only(app_env) -> None:  # type: ignore[no-untyped-def]
    at = _open(app_env, meeting_plan())
    assert "Trang 1/" in _page(at) and 'data-slide="muc-dich"' in _page(at)
    [as_of] = at.main.date_input
    assert as_of.value == date(2021, 3, 15)  # the tests' today, inside the plan's year
    for kind in ("text_input", "text_area", "number_input", "data_editor", "file_uploader"):
        assert len(at.main.get(kind)) == 0, kind
    assert [b.label for b in at.main.button] == ["Trang trước", "Trang sau"]
    assert at.main.button[0].disabled
    at.button(key="meeting_next").click().run()
    assert not at.exception
    assert 'data-slide="tong-quan"' in _page(at)
    m = {x.label: str(x.value) for x in at.metric}
    assert (m["Tổng số công việc"], m["Quá hạn"]) == ("12", "3")
    # a later as-of date: more is late
    as_of = at.main.date_input[0]
    as_of.set_value(date(2021, 12, 31)).run()
    assert not at.exception
    m = {x.label: str(x.value) for x in at.metric}
    assert m["Quá hạn"] == "10"  # all but the two done
    for _ in range(3):  # the two sections, then the schedule
        at.button(key="meeting_next").click().run()
    assert 'data-slide="lich-thuc-hien"' in _page(at)
    assert len(at.main.get("vega_lite_chart")) == 1
    assert not at.exception


def test_a_past_plan_opens_as_of_its_last_day(app_env) -> None:  # type: ignore[no-untyped-def]
    plan = meeting_plan()
    old = replace(
        plan,
        meta=replace(plan.meta, year=2020),
        tasks=(Task(id="a", title="Báo cáo", lead="Phòng", due=date(2020, 6, 1)),),
    )
    at = _open(app_env, old)
    assert at.main.date_input[0].value == date(2020, 12, 31)
    body = " ".join(h.proto.body for h in at.main.get("html"))
    assert "tính đến ngày 31/12/2020" in body
