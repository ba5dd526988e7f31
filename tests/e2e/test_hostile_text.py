"""User text is text in the browser: the hostile plan and catalogue row of
tests/test_hostile_text.py opened on every page in chromium. The page must make no request to
any host but the app's own (127.0.0.2, named by the hostile text, is loopback and unused), and
no `<img>`, `<a>` or other element may carry one of its URLs.

Nothing leaves the app at all: the tab icon is shipped (`data/assets/icon.png`), not fetched.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from planner.catalogue.user_rows import save_directive
from planner.store.plans import PlanStore
from tests.e2e.helpers import E2E, main_area, settle
from tests.test_hostile_text import NOW, OTHERS, ROW_ID, hostile_plan, hostile_row

pytestmark = [*E2E, pytest.mark.timeout(600)]

PAGES = {
    "views/home.py": "",
    "views/editor.py": "soan-ke-hoach",
    "views/catalogue.py": "van-ban-can-cu",
    "views/progress.py": "tien-do",
    "views/meeting.py": "trinh-chieu",
    "views/export.py": "xuat-van-ban",
}
EDITOR_VIEWS = ("Phần đầu và căn cứ", "Phần kết, nơi nhận, chữ ký", "Phát hiện cần xem")
WITH_URL = "[src*='127.0.0.2'], [href*='127.0.0.2'], [srcset*='127.0.0.2'], [data*='127.0.0.2']"


@pytest.fixture(scope="module")
def plan_id(server) -> str:  # type: ignore[no-untyped-def]
    store = PlanStore(server.db_path)
    save_directive(store, hostile_row(), now=NOW)
    return store.create(hostile_plan(), now=NOW)


def _check(page, own: str, requests: list[str], where: str) -> None:  # type: ignore[no-untyped-def]
    foreign = [
        u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
        and urlparse(u).netloc != own
    ]  # fmt: skip
    assert not foreign, f"{where}: requests to other hosts: {foreign}"
    marked = page.eval_on_selector_all(WITH_URL, "els => els.map(e => e.outerHTML.slice(0, 200))")
    assert not marked, f"{where}: elements carrying the hostile URLs: {marked}"
    links = page.eval_on_selector_all(
        "[data-testid='stMain'] a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    outside = [h for h in links if urlparse(h).netloc not in ("", own)]
    assert not outside, f"{where}: links out of the app: {outside}"


@pytest.mark.parametrize(
    "view",
    [
        pytest.param(
            v,
            marks=[pytest.mark.xfail(strict=True, reason=f"unsafe lines listed: {OTHERS[v]}")]
            if v in OTHERS
            else [],
        )
        for v in PAGES
    ],
)
def test_hostile_text_fetches_nothing_and_links_nowhere(server, page, plan_id, view) -> None:  # type: ignore[no-untyped-def]
    own = urlparse(server.url).netloc
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    query = f"?plan={plan_id}" + (f"&van_ban={ROW_ID}" if view == "views/catalogue.py" else "")
    page.goto(f"{server.url}/{PAGES[view]}{query}")
    settle(page)
    main = main_area(page)
    assert "alert(1)" in main.inner_text(), f"{view}: the hostile text is not on the page"
    _check(page, own, requests, view)
    if view == "views/editor.py":
        for label in EDITOR_VIEWS:
            main.get_by_text(label, exact=True).click()
            settle(page)
            assert "alert(1)" in main.inner_text(), f"{view} / {label}: hostile text not shown"
            _check(page, own, requests, f"{view} / {label}")
