"""Typing is never lost (issue #16, item 7), in a real browser against a real server.

A user types into a paragraph of the editor and closes the page without leaving the box (no
Tab, no click elsewhere: Streamlit alone would send the text only then); a new page on the
same plan shows the text, and the store holds it. Typing goes on undisturbed while an
earlier pause's save runs.
"""

from __future__ import annotations

import time

import pytest

from planner.store.plans import PlanStore
from tests.e2e.helpers import (
    E2E,
    VIEWPORT,
    exceptions_on,
    go_to,
    main_area,
    plan_id_of,
    settle,
    textarea_values,
)

pytestmark = [*E2E, pytest.mark.timeout(600)]

FIRST = "Tiếp tục đẩy mạnh công tác dân vận khéo của hệ thống chính trị"
TYPED_1 = " Câu thứ nhất gõ thêm."
TYPED_2 = " Câu thứ hai, gõ ngay khi câu trước đang được lưu."


def _session(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    context.set_default_timeout(60_000)
    return context, context.new_page()


def _first_paragraph(page):  # type: ignore[no-untyped-def]
    boxes = main_area(page).locator("textarea")
    index = next(i for i, v in enumerate(textarea_values(page)) if v.startswith(FIRST))
    return boxes.nth(index)


def test_text_typed_then_page_closed_in_the_box_is_kept(server, browser) -> None:  # type: ignore[no-untyped-def]
    ctx, page = _session(browser)
    try:
        page.goto(server.url)
        settle(page)
        main_area(page).get_by_role("button", name="Mở kế hoạch mẫu 2020").click()
        settle(page)
        plan_id = plan_id_of(page)
        assert plan_id
        go_to(page, "Soạn kế hoạch")
        store = PlanStore(server.db_path)
        original = store.open(plan_id).plan.sections[0].blocks[0].text
        assert original.startswith(FIRST)

        box = _first_paragraph(page)
        box.click()
        box.press("Control+End")
        box.press_sequentially(TYPED_1, delay=30)
        page.wait_for_timeout(1200)  # a pause: the box is saved while it keeps the focus
        box.press_sequentially(TYPED_2, delay=30)  # typed while that save's run goes on
        page.wait_for_timeout(2500)
        assert page.evaluate("document.activeElement && document.activeElement.tagName") == (
            "TEXTAREA"
        ), "the box lost its focus"
        assert box.input_value() == original + TYPED_1 + TYPED_2
    finally:
        ctx.close()  # the page closes with the caret still in the box

    ctx, page = _session(browser)
    try:
        page.goto(f"{server.url}/soan-ke-hoach?plan={plan_id}")
        settle(page)
        assert not exceptions_on(page)
        assert original + TYPED_1 + TYPED_2 in textarea_values(page), "the typed text is gone"
        assert store.open(plan_id).plan.sections[0].blocks[0].text == original + TYPED_1 + TYPED_2
    finally:
        ctx.close()


NEW_TEXT = "Đoạn mới gõ ngay sau khi bấm Thêm đoạn."


def test_a_new_paragraph_is_in_view_focused_and_typed_into(server, browser) -> None:  # type: ignore[no-untyped-def]
    ctx, page = _session(browser)
    try:
        page.goto(server.url)
        settle(page)
        main_area(page).get_by_role("button", name="Mở kế hoạch mẫu 2020").click()
        settle(page)
        plan_id = plan_id_of(page)
        go_to(page, "Soạn kế hoạch")
        store = PlanStore(server.db_path)
        n = len(store.open(plan_id).plan.sections[0].blocks)
        main_area(page).get_by_role("button", name="Thêm đoạn").first.click()
        settle(page)
        page.wait_for_function(
            "document.activeElement && document.activeElement.tagName === 'TEXTAREA'"
        )
        focused = page.evaluate(
            """() => {
              const el = document.activeElement, r = el.getBoundingClientRect();
              return {value: el.value, top: r.top, bottom: r.bottom, h: innerHeight};
            }"""
        )
        assert focused["value"] == ""
        assert 0 <= focused["top"] and focused["bottom"] <= focused["h"], focused
        toasts = page.locator("[data-testid='stToast']").all_inner_texts()
        assert any("Đã thêm đoạn mới" in t for t in toasts), toasts
        page.keyboard.type(NEW_TEXT, delay=20)  # straight in: no click needed
        page.wait_for_timeout(2500)
        assert store.open(plan_id).plan.sections[0].blocks[n].text == NEW_TEXT
    finally:
        ctx.close()


QUICK = " Gõ xong đóng thẻ ngay."


def test_a_tab_closed_right_after_typing_keeps_the_text(server, browser) -> None:  # type: ignore[no-untyped-def]
    """No pause at all: the page's closing commits the box (beforeunload / pagehide)."""
    ctx, page = _session(browser)
    try:
        page.goto(server.url)
        settle(page)
        main_area(page).get_by_role("button", name="Mở kế hoạch mẫu 2020").click()
        settle(page)
        plan_id = plan_id_of(page)
        go_to(page, "Soạn kế hoạch")
        store = PlanStore(server.db_path)
        original = store.open(plan_id).plan.sections[0].blocks[0].text
        box = _first_paragraph(page)
        box.click()
        box.press("Control+End")
        box.press_sequentially(QUICK, delay=20)
        page.close(run_before_unload=True)  # as a browser closes a tab: well before 0.8 s
    finally:
        ctx.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if store.open(plan_id).plan.sections[0].blocks[0].text == original + QUICK:
            break
        time.sleep(0.2)
    assert store.open(plan_id).plan.sections[0].blocks[0].text == original + QUICK
