"""No English from Streamlit itself on any page, in a real browser at 1366×768.

Walks every page with the sample open (and a second year's plan, so the banner and the
picker show "Năm trước"), focuses a text box, hovers and edits the task grid, opens the date
box, looks for the ⋮ menu and catches the running indicator; on each, the visible text
(material icon names aside: the user sees icons) and the title/aria-label/placeholder of
visible controls must hold none of Streamlit's English strings. With
`E2E_SCREENSHOTS=docs/screenshots` it also saves the screenshots of issue #16.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.helpers import E2E, exceptions_on, go_to, main_area, settle

pytestmark = [*E2E, pytest.mark.timeout(600)]

SIZE = {"width": 1366, "height": 768}
# Streamlit's own English words as they appear in 1.67 (widgets, toolbars, menus, status).
ENGLISH = [
    "Stop",
    "Running",
    "Deploy",
    "Rerun",
    "Settings",
    "Print",
    "Record a screencast",
    "Made with Streamlit",
    "Press Ctrl+Enter",
    "Press ⌘+Enter",
    "Press Enter to apply",
    "to apply",
    "Add row",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Show/hide columns",
    "Browse files",
    "Upload",
    "file upload",
    "Drag and drop",
    "Limit",
    "per file",
    "Clear caches",
    "Choose an option",
    "Choose options",
    "No results",
    "Choose date",
    "Collapse sidebar",
    "Skip to main content",
    "Help for",
    "Link to heading",
    "Sort ascending",
    "Hide column",
    "dd/mm/yyyy",
    "DD/MM/YYYY",
    "yyyy",
]
_VISIBLE = """() => {
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const out = [];
  const it = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = it.nextNode(); n; n = it.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest("[data-testid='stIconMaterial'], script, style")) continue;
    if (n.nodeValue.trim() && seen(p)) out.push(n.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (!seen(el)) continue;
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  return out;
}"""


def english_on(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every visible text or control label holding one of Streamlit's English strings."""
    texts: list[str] = page.evaluate(_VISIBLE)
    found = []
    for text in texts:
        for word in ENGLISH:
            if re.search(rf"(?<![\w/]){re.escape(word)}(?![\w])", text):
                found.append(f"{word!r} in {text[:80]!r}")
    return found


def check(page, where: str) -> None:  # type: ignore[no-untyped-def]
    assert not exceptions_on(page), f"{where}: {exceptions_on(page)}"
    found = english_on(page)
    assert not found, f"{where}: English from Streamlit on screen: {found}"


def uploaded_chrome(page, where: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page's file uploaders are drawn with their buttons (they come after
    the script's run has settled), then every button must read "Tải lên"."""
    zones = page.locator("[data-testid='stFileUploaderDropzone']")
    zones.first.locator("button").wait_for(state="visible")
    page.wait_for_timeout(800)
    texts = [
        t.strip()
        for t in zones.locator("button [data-testid='stMarkdownContainer']").all_inner_texts()
    ]
    assert texts and all(t == "Tải lên" for t in texts), f"{where}: uploader buttons {texts}"


def test_every_page_speaks_vietnamese(server, browser, readme_shots: Path | None) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=SIZE, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    shots = readme_shots

    def shot(name: str) -> None:
        if shots is not None:
            page.wait_for_timeout(400)
            page.screenshot(path=str(shots / name))

    try:
        main = main_area(page)
        page.goto(server.url)
        settle(page)
        uploaded_chrome(page, "Trang chủ, empty store")
        check(page, "Trang chủ, empty store")
        main.get_by_role("button", name="Mở kế hoạch mẫu 2020").click()
        settle(page)
        main.get_by_role("button", name="Tạo kế hoạch năm 2021").click()
        settle(page)
        page.wait_for_timeout(1500)
        settle(page)
        check(page, "Soạn kế hoạch, 2021 plan open")
        # the open plan is named at the top; the picker starts with year, unit and status
        banner = page.locator("[data-testid='planBanner']")
        assert "Đang mở: Kế hoạch năm 2021 (bản nháp)" in banner.inner_text()
        # a text box focused: no "Press Ctrl+Enter to apply"
        box = main.locator("textarea").first
        box.click()
        box.press("End")
        page.wait_for_timeout(500)
        check(page, "Soạn kế hoạch, a text box focused")
        shot("vi-chrome-o-van-ban-dang-sua.png")
        page.mouse.click(700, 20)  # leave the box (commits it, as a click elsewhere does)
        settle(page)

        # the sidebar picker, opened
        picker = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
        picker.click()
        page.wait_for_timeout(500)
        options = page.locator("[role='option']").all_inner_texts()
        assert any(o.startswith("2021 · PGDĐT Thủ Dầu Một · Dự thảo — ") for o in options), options
        assert any(o.startswith("2020 · Năm trước · PGDĐT") for o in options), options
        check(page, "the sidebar picker opened")
        shot("vi-chrome-chon-ke-hoach.png")
        page.keyboard.press("Escape")

        for title in ("Trang chủ", "Văn bản căn cứ", "Xuất văn bản"):
            go_to(page, title)
            if title != "Văn bản căn cứ":  # its uploaders are on a sub-page
                uploaded_chrome(page, title)
            check(page, title)

        # Tiến độ: accept the suggested tasks, then hover and edit the grid
        go_to(page, "Tiến độ")
        check(page, "Tiến độ, suggestions")
        main.get_by_role("button", name=re.compile(r"Thêm \d+ công việc đã chọn")).click()
        settle(page)
        grid = main.locator("[data-testid='stDataFrame']").first
        grid.hover()
        page.wait_for_timeout(500)
        check(page, "Tiến độ, grid hovered")
        box = grid.bounding_box()
        assert box is not None
        # every column fits at 1366 px: the grid has nothing to scroll sideways
        overflow = grid.locator(".dvn-scroller").first.evaluate(
            "e => e.scrollWidth - e.clientWidth"
        )
        assert overflow <= 1, f"the task grid scrolls sideways by {overflow} px"
        main.get_by_text("Thêm công việc", exact=True).first.click()
        settle(page)
        date_box = main.locator("[data-testid='stDateInput']").first
        date_box.scroll_into_view_if_needed()
        check(page, "Tiến độ, add form open")
        shot("vi-chrome-tien-do-form.png")
        date_box.get_by_role("button").first.click()  # the calendar
        page.wait_for_timeout(500)
        check(page, "Tiến độ, date box opened")
        page.keyboard.press("Escape")
        page.evaluate("window.scrollTo(0, 0)")
        main.locator("[data-testid='stTabs']").scroll_into_view_if_needed()
        shot("vi-chrome-tien-do-bang.png")

        # the ⋮ menu: hidden by toolbarMode "minimal"; if some setting shows it, check it too
        menu = page.locator("[data-testid='stMainMenu']")
        if menu.count() and menu.first.is_visible():
            menu.first.click()
            page.wait_for_timeout(500)
            check(page, "the ⋮ menu")
            page.keyboard.press("Escape")

        # a running step: catch the status widget while the export page builds
        go_to(page, "Xuất văn bản")
        buttons = main.get_by_role("button")
        seen_running = []
        for i in range(buttons.count()):
            b = buttons.nth(i)
            if b.is_visible() and b.is_enabled():
                b.click()
                for _ in range(40):
                    status = page.locator("[data-testid='stStatusWidget']")
                    if status.count() and status.first.is_visible():
                        seen_running.append(status.first.inner_text())
                        check(page, "a running step")
                        break
                    page.wait_for_timeout(50)
                settle(page)
                break
        check(page, "Xuất văn bản after a run")
        go_to(page, "Trình chiếu")  # last: meeting mode hides the sidebar
        check(page, "Trình chiếu")
    finally:
        context.close()
