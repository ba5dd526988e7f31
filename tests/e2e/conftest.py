"""Browser-test fixtures: one real `streamlit run` server and one headless chromium.

The server uses its own database in a temporary folder and a fixed "today"; its log goes to
tests/artifacts/. A failing test leaves a screenshot there too. With
`E2E_SCREENSHOTS=docs/screenshots` the main flow saves the README's screenshots.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench._server import StreamlitServer
from tests.conftest import ROOT
from tests.e2e.helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, server_env


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """One server per test module, on a database of its own: no module sees another's plans."""
    tmp = tmp_path_factory.mktemp("e2e-server")
    srv = StreamlitServer("app.py", env=server_env(tmp), log_path=ARTIFACTS / "e2e-server.log")
    srv.db_path = Path(server_env(tmp)["PLANNER_DB"])  # type: ignore[attr-defined]
    srv.start()
    try:
        srv.wait_healthy(timeout=90)
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need playwright (requirements-dev.txt)"
    )
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="vi-VN")
    context.set_default_timeout(60_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            step = getattr(request.node, "e2e_step", "")
            name = request.node.name + (f"-{step}" if step else "")
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
            try:
                pg.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
            except Exception:  # the page may be gone; the report still has the error
                pass
        context.close()


@pytest.fixture
def readme_shots() -> Path | None:
    """Folder for the README's screenshots when E2E_SCREENSHOTS is set, else None."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path = path if path.is_absolute() else ROOT / path
    path.mkdir(parents=True, exist_ok=True)
    return path
