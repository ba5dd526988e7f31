"""Shared fixtures: a store on tmp_path, the sample plan, and a clean app environment; the rule
for tests that need a system program (LibreOffice, poppler)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.model import Plan
from planner.sample import sample_plan
from planner.store.plans import PlanStore

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)  # AppTest resolves "app.py" and page paths from the project root

TEST_TODAY = "2021-03-15"


def on_ci() -> bool:
    """True under CI (`CI=true`, as CI services set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def require_program(*names: str, why: str) -> str:
    """The path of the first of `names` installed. When none is, the test is skipped on a
    developer machine, and fails under CI, where a missing install must not pass silently."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    message = f"{' / '.join(names)} not installed: {why}"
    if on_ci():
        pytest.fail(f"{message} (CI=true: a missing program fails the test)", pytrace=False)
    pytest.skip(message)


def require_soffice() -> str:
    """LibreOffice's command, the same lookup as `planner.docx.writer.soffice_path`."""
    return require_program(
        "soffice",
        "libreoffice",
        why="LibreOffice converts documents (apt-get install libreoffice-writer-nogui)",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Every test marked `soffice` needs LibreOffice, every `e2e` test Debian's chromium:
    skipped without them, failed under CI."""
    if item.get_closest_marker("soffice") is not None:
        require_soffice()
    if item.get_closest_marker("e2e") is not None:
        require_program(
            "chromium", why="browser tests drive Debian's chromium (apt-get install chromium)"
        )


@pytest.fixture
def sample() -> Plan:
    return sample_plan()


@pytest.fixture
def store(tmp_path: Path) -> PlanStore:
    return PlanStore(tmp_path / "planner.db")


def _clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Storage at tmp_path, a fixed "today", and no cache left from another test."""
    db = tmp_path / "planner.db"
    monkeypatch.setenv("PLANNER_DB", str(db))
    monkeypatch.setenv("PLANNER_TODAY", TEST_TODAY)
    monkeypatch.setenv("PLANNER_NO_SAMPLE", "1")  # start empty; test_page_home checks seeding
    _clear_streamlit_caches()
    yield db
    _clear_streamlit_caches()


def make_app():  # type: ignore[no-untyped-def]
    """A fresh AppTest of app.py (import inside, so planner tests never load streamlit)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
