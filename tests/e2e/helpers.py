"""Small Playwright helpers for driving a Streamlit app the way a user does."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TEST_TODAY = "2021-03-15"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 900}
# Every browser test module starts with `pytestmark = E2E`: `make e2e` selects them by the
# marker, `make test` runs them too; without chromium they are skipped on a developer machine
# and fail under CI (tests/conftest.py).
E2E = [pytest.mark.e2e]
NETWORK_IDLE_S = 20


def server_env(tmp: Path) -> dict[str, str]:
    """A server's own database in `tmp`, a fixed today, and no sample opened by itself."""
    return {
        "PLANNER_DB": str(tmp / "planner.db"),
        "PLANNER_TODAY": TEST_TODAY,
        "PLANNER_NO_SAMPLE": "1",
    }


def settle(page, *, quiet: float = 0.6, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until the script has finished running and nothing is still loading.

    Streamlit marks the app `data-test-script-state="running"` during a run and shows
    skeletons for elements not yet drawn; both must be gone for `quiet` seconds.
    """
    deadline = time.monotonic() + timeout
    calm_since: float | None = None
    app = page.locator("[data-testid='stApp']")
    app.wait_for(timeout=timeout * 1000)
    state = None
    while time.monotonic() < deadline:
        state = app.get_attribute("data-test-script-state")
        busy = state in (None, "initial", "running") or (
            page.locator("[data-testid='stSkeleton']").count() > 0
        )
        if busy:
            calm_since = None
        elif calm_since is None:
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            # Widgets' code is loaded on first use: wait for those requests too, but only
            # for a while: the script has finished and nothing is drawn as a skeleton, so a
            # request that never ends (seen once on CI, not reproduced) must not fail a test
            # that then checks what the page shows.
            try:
                page.wait_for_load_state("networkidle", timeout=NETWORK_IDLE_S * 1000)
            except PlaywrightTimeoutError:
                print(f"settle: the network was still busy after {NETWORK_IDLE_S} s")
            return
        time.sleep(0.1)
    raise TimeoutError(f"the app was still running after {timeout:.0f} s (state: {state})")


def plan_id_of(page) -> str | None:  # type: ignore[no-untyped-def]
    values = parse_qs(urlparse(page.url).query).get("plan")
    return values[0] if values else None


def go_to(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page from the sidebar's navigation menu, as a user does."""
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_text(title, exact=True).click()
    settle(page)


def main_area(page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid='stMain']")


def exceptions_on(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("[data-testid='stException']").all_inner_texts()


def textarea_values(page) -> list[str]:  # type: ignore[no-untyped-def]
    return main_area(page).locator("textarea").evaluate_all("els => els.map(e => e.value)")


def edit_textarea(page, starts_with: str, new_text: str) -> str:  # type: ignore[no-untyped-def]
    """Replace the text of the first box whose text starts with `starts_with`, then leave the
    box (which commits it, as a user's click elsewhere does). Returns the old text."""
    boxes = main_area(page).locator("textarea")
    values = textarea_values(page)
    index = next((i for i, v in enumerate(values) if v.startswith(starts_with)), None)
    assert index is not None, f"no text box starts with {starts_with!r}"
    boxes.nth(index).fill(new_text)
    boxes.nth(index).press("Tab")
    settle(page)
    return values[index]
