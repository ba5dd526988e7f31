"""Trình chiếu in a real browser: keys and a clicker move between slides, F fills the screen,
type is large enough for a projector, charts fill the slide.

With `E2E_SCREENSHOTS=docs/screenshots` every slide at 1280×720 (and one at 1920×1080) is
saved for the README as `slide-NN-<slug>.png`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from components.slides import SLIDE_BODY_MIN_PX, SLIDE_NOTE_MIN_PX, SLIDE_TITLE_MIN_PX
from planner.model import Plan, Task
from planner.progress.charts import SLIDE_CHART_LABEL_PX
from planner.progress.tasks import accept_suggestions, suggest_tasks
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.e2e.helpers import ARTIFACTS, E2E, exceptions_on, settle

pytestmark = [*E2E, pytest.mark.timeout(600)]
CHART = "[data-testid='stVegaLiteChart'] svg.marks"


def meeting_plan() -> Plan:
    """The sample, as the 2021 plan, with tasks at every stage (the tests' today: 15/03/2021)."""
    base = sample_plan()
    plan = accept_suggestions(base, suggest_tasks(base))
    dated = [
        replace(
            plan.tasks[0],
            start=date(2021, 1, 4),
            due=date(2021, 6, 30),
            status="in_progress",
            progress=40,
        ),
        replace(plan.tasks[1], start=date(2021, 2, 1), due=date(2021, 3, 1)),
        replace(
            plan.tasks[2],
            start=date(2021, 1, 10),
            due=date(2021, 2, 28),
            status="done",
            progress=100,
        ),
        replace(plan.tasks[3], start=date(2021, 11, 1), due=date(2021, 11, 25)),
    ]
    extra = [
        Task(
            id=f"n{i}",
            title=title,
            lead=lead,
            start=start,
            due=due,
            status=status,
            progress=progress,
            section="II",
        )
        for i, (title, lead, start, due, status, progress) in enumerate(
            [
                (
                    "Quán triệt các quan điểm của Đảng về công tác dân vận đến toàn thể cán bộ, giáo viên",
                    "Phòng Giáo dục và Đào tạo",
                    date(2021, 1, 15),
                    date(2021, 2, 15),
                    "done",
                    100,
                ),
                (
                    "Tổ chức hội nghị học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                    "Các đơn vị trường học",
                    date(2021, 2, 1),
                    date(2021, 3, 10),
                    "in_progress",
                    70,
                ),
                (
                    "Rà soát, công khai thủ tục hành chính tại bộ phận một cửa của Phòng",
                    "Phòng Giáo dục và Đào tạo",
                    date(2021, 3, 1),
                    date(2021, 4, 30),
                    "in_progress",
                    30,
                ),
                (
                    "Tổng kết phong trào thi đua “Dân vận khéo” năm 2021",
                    "Trường THCS Nguyễn Văn Trỗi",
                    date(2021, 12, 1),
                    date(2021, 12, 20),
                    "planned",
                    0,
                ),
                (
                    "Khảo sát mức độ hài lòng của phụ huynh về công tác cải cách hành chính",
                    "Trường Tiểu học Phú Hòa",
                    date(2021, 5, 1),
                    date(2021, 6, 15),
                    "planned",
                    0,
                ),
                (
                    "Bồi dưỡng kỹ năng dân vận cho đội ngũ cán bộ quản lý trường học",
                    "Phòng Giáo dục và Đào tạo",
                    date(2021, 1, 20),
                    date(2021, 3, 5),
                    "in_progress",
                    50,
                ),
                (
                    "Xây dựng mô hình “Dân vận khéo” trong trường học",
                    "Trường Tiểu học Phú Hòa",
                    date(2021, 4, 1),
                    date(2021, 9, 30),
                    "planned",
                    0,
                ),
                (
                    "Đánh giá sơ kết 6 tháng đầu năm",
                    "Phòng Giáo dục và Đào tạo",
                    date(2021, 6, 15),
                    date(2021, 7, 10),
                    "planned",
                    0,
                ),
            ]
        )
    ]
    return replace(
        plan,
        meta=replace(plan.meta, year=2021, subject=plan.meta.subject.replace("2020", "2021")),
        tasks=(*dated, *extra),
    )


def _page_no(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    text = page.locator(".meeting-page").inner_text()  # "Trang 3/10"
    at, total = text.split()[-1].split("/")
    return int(at), int(total)


def _press(page, key: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    page.keyboard.press(key)
    settle(page)
    return _page_no(page)


def _open(server, page, plan: Plan, size: tuple[int, int]) -> str:  # type: ignore[no-untyped-def]
    plan_id = PlanStore(server.db_path).create(plan, now=datetime(2021, 3, 1, 8))
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{server.url}/trinh-chieu?plan={plan_id}")
    settle(page)
    page.wait_for_timeout(800)  # the presenter component reports the window's size
    settle(page)
    return plan_id


def _min_font(page, selector: str) -> float:  # type: ignore[no-untyped-def]
    sizes = page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    return min(sizes) if sizes else float("inf")


def _shot_folder(readme_shots: Path | None) -> Path:
    folder = readme_shots or ARTIFACTS / "presenter"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _slug(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".meeting-page").get_attribute("data-slide") or "slide"


def test_keys_and_clicker_move_between_slides_and_f_fills_the_screen(server, page) -> None:  # type: ignore[no-untyped-def]
    _open(server, page, meeting_plan(), (1280, 720))
    assert _page_no(page)[0] == 1
    date_box = page.locator(".st-key-meeting_bar input").first
    assert date_box.input_value() == "2021-03-15"  # the plan's year: as of today
    assert _press(page, "ArrowRight")[0] == 2
    assert _press(page, "PageDown")[0] == 3  # a presenter's clicker
    assert _press(page, "ArrowDown")[0] == 4
    assert _press(page, "ArrowLeft")[0] == 3
    assert _press(page, "PageUp")[0] == 2
    assert _press(page, "ArrowUp")[0] == 1
    assert _press(page, "PageUp")[0] == 1  # nothing before the first slide
    assert _press(page, "Space")[0] == 2
    assert _press(page, "Shift+Space")[0] == 1
    # after a mouse click on Trang sau the button has the focus: space still moves one slide
    page.get_by_role("button", name="Trang sau").click()
    settle(page)
    assert _page_no(page)[0] == 2
    assert _press(page, "Space")[0] == 3
    # F fills the screen and leaves it; so does the button
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement !== null", timeout=5000)
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null", timeout=5000)
    frame = page.frame_locator(".st-key-meeting_bar iframe").first
    frame.get_by_role("button", name="Toàn màn hình (F)").click()
    page.wait_for_function("document.fullscreenElement !== null", timeout=5000)
    assert not exceptions_on(page)


def test_every_slide_is_readable_and_charts_fill_it(server, page, readme_shots) -> None:  # type: ignore[no-untyped-def]
    folder = _shot_folder(readme_shots)
    width, height = 1280, 720
    _open(server, page, meeting_plan(), (width, height))
    at, total = _page_no(page)
    seen = []
    while True:
        assert not exceptions_on(page), at
        slug = _slug(page)
        seen.append(slug)
        if page.locator(".slide-title").count():
            assert _min_font(page, ".slide-title") >= SLIDE_TITLE_MIN_PX, slug
            assert _min_font(page, "ul.slide-items li, table.slide-late td") >= SLIDE_BODY_MIN_PX
            assert _min_font(page, ".slide-note, .slide-kicker, table.slide-late th, .sub") >= (
                SLIDE_NOTE_MIN_PX
            ), slug
            # nothing runs off the bottom of the screen
            bottom = page.locator(".slide-body").first.evaluate(
                "e => e.getBoundingClientRect().bottom"
            )
            assert bottom <= height, (slug, bottom)
        else:  # a chart: as wide as the screen less its margins, as tall as the room left
            box = page.locator(CHART).first.bounding_box()
            assert box is not None
            assert box["width"] >= 0.9 * width, (slug, box)
            assert box["height"] >= 0.75 * (height - 64), (slug, box)
            assert box["y"] + box["height"] <= height + 1, (slug, box)
            # every word on the chart (labels, legend, axis titles) large enough
            assert _min_font(page, f"{CHART} text") >= SLIDE_CHART_LABEL_PX, slug
        page.screenshot(path=str(folder / f"slide-{at:02d}-{slug}.png"))
        if at == total:
            break
        at = _press(page, "ArrowRight")[0]
    assert seen[:2] == ["muc-dich", "tong-quan"]
    assert {"noi-dung", "lich-thuc-hien", "tien-do-don-vi", "qua-han"} <= set(seen)
    # a big screen: the same slides, charts drawn for it
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(800)
    settle(page)
    while _slug(page) != "lich-thuc-hien":
        _press(page, "ArrowLeft")
    box = page.locator(CHART).first.bounding_box()
    assert box is not None and box["width"] >= 0.9 * 1920 and box["height"] >= 0.75 * 1016
    page.screenshot(path=str(folder / "slide-1920x1080-lich-thuc-hien.png"))


def test_a_past_years_plan_is_shown_as_it_stood_at_its_end(server, page) -> None:  # type: ignore[no-untyped-def]
    plan = meeting_plan()
    old = replace(
        plan,
        meta=replace(plan.meta, year=2020),
        tasks=tuple(
            replace(
                t,
                start=t.start and t.start.replace(year=2020),
                due=t.due and t.due.replace(year=2020),
            )
            for t in plan.tasks
        ),
    )
    _open(server, page, old, (1280, 720))
    assert page.locator(".st-key-meeting_bar input").first.input_value() == "2020-12-31"
    assert "tính đến ngày 31/12/2020" in page.locator(".slide-body").first.inner_text()
