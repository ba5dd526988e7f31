"""Shared fixtures: a store on tmp_path, the sample plan, and a clean app environment; the rule
for tests that need a system program (LibreOffice, poppler)."""

from __future__ import annotations

import glob
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench._postgres import temporary_postgres
from planner.model import Plan
from planner.sample import sample_plan
from planner.store.plans import PlanStore

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)  # AppTest resolves "app.py" and page paths from the project root
# A page that breaks fails its test (components/crash.py lets the error through).
os.environ.setdefault("PLANNER_DEBUG", "1")

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


@dataclass(frozen=True)
class PgServer:
    """A throwaway PostgreSQL server the tests started (unix socket only, in a temp dir)."""

    bin_dir: Path
    socket_dir: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(sql)


def _pg_bin_dir() -> Path:
    """Debian's PostgreSQL programs (`/usr/lib/postgresql/<major>/bin`), else `initdb` on PATH;
    skipped without them on a developer machine, failed under CI."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    return Path(
        require_program(
            "initdb", why="PostgreSQL tests start their own server (apt-get install postgresql)"
        )
    ).parent


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for the whole session: `initdb` and `pg_ctl` in a temp dir, on a
    free port, as the `postgres` user when the tests run as root (PostgreSQL refuses root)."""
    bin_dir = _pg_bin_dir()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        if on_ci():
            pytest.fail("psycopg not installed (pip install -r requirements.txt)", pytrace=False)
        pytest.skip("psycopg not installed")
    with temporary_postgres(bin_dir, prefix="planner-pg-", fsync=False) as pg:
        yield PgServer(bin_dir, pg.sock, pg.port)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A new, empty database on the session's server; dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    pg_server.admin(f"CREATE DATABASE {name}")
    yield pg_server.url(name)
    pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a store lives, once per backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return tmp_path / "planner.db"


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
