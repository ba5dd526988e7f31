"""Every page with the store damaged in each way: no exception, no English error text, and
the Vietnamese explanation on screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.store.plans import PlanStore
from tests.conftest import make_app
from tests.test_store_health import (
    bad_json_in_one_plan,
    build_store,
    garbage_in_the_middle,
    make_read_only,
    truncate,
)

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "views").glob("*.py"))
ENGLISH = (
    "Error",
    "Traceback",
    "sqlite3",
    "database",
    "readonly",
    "malformed",
    "disk image",
    "Expecting",
    "attempt to",
    "no such",
)
TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "code",
    "info",
    "success",
    "warning",
    "error",
    "exception",
)


def screen_text(at) -> str:  # type: ignore[no-untyped-def]
    parts = []
    for name in TEXT_ELEMENTS:
        parts.extend(str(el.value) for el in getattr(at, name))
    return "\n".join(parts)


def assert_clean(at, expected: str, where: str) -> None:  # type: ignore[no-untyped-def]
    assert not at.exception, (where, [e.value for e in at.exception])
    text = screen_text(at)
    for word in ENGLISH:
        assert word not in text, (where, word, text)
    assert expected in text, (where, expected, text)


def damage(kind: str, db: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Damage the store at `db` in one way; returns the ids of the plans stored before."""
    if kind == "duoi-tep-thuong":
        blocker = db.parent / "mot-tep"
        blocker.write_text("x")
        monkeypatch.setenv("PLANNER_DB", str(blocker / "planner.db"))
        return []
    ids = build_store(db, 8)
    if kind == "rac-giua-tep":
        garbage_in_the_middle(db, pages=2)
    elif kind == "cat-cut":
        truncate(db)
    elif kind == "chi-doc":
        make_read_only(db)
    elif kind == "json-hong":
        bad_json_in_one_plan(db, ids[0])
    return ids


EXPECTED = {
    "rac-giua-tep": "bị hỏng",
    "cat-cut": "cắt cụt",
    "chi-doc": "chỉ đọc",
    "duoi-tep-thuong": "không dùng được",
    "json-hong": "bị hỏng, không mở được",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_every_page_explains_a_damaged_store_in_vietnamese(app_env, monkeypatch, kind):
    ids = damage(kind, app_env, monkeypatch)
    expected = EXPECTED[kind]
    at = make_app().run()
    assert_clean(at, expected, "Trang chủ")
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at, expected, page)
    if kind in ("rac-giua-tep", "cat-cut"):
        # Open a plan that can still be read, from the list on the damaged-store page.
        opens = [b for b in at.button if b.label == "Mở (chỉ đọc)"]
        assert opens, "no readable plan listed"
        opens[0].click().run()
        assert_clean(at, expected, "mở kế hoạch còn đọc được")
        assert at.query_params.get("plan")
    elif ids:
        # Open a plan by its link: the bad one is closed with a message, others open.
        at.query_params["plan"] = ids[0]
        at.run()
        assert_clean(at, expected, "mở qua đường dẫn")
        if kind == "json-hong":
            assert any("Không mở được kế hoạch" in w.value for w in at.warning)
            at.query_params["plan"] = ids[1]
            at.run()
    else:
        return
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at, expected, f"{page} với kế hoạch đang mở")


def test_read_only_store_saves_nothing_from_the_editor(app_env, monkeypatch):
    ids = damage("chi-doc", app_env, monkeypatch)
    before = app_env.read_bytes()
    at = make_app()
    at.query_params["plan"] = ids[1]
    at.run()
    at.switch_page("views/editor.py").run()
    assert_clean(at, "chỉ đọc", "editor")
    if at.text_area:
        at.text_area[0].input("Sửa thử khi chỉ đọc").run()
        assert not at.exception
        text = screen_text(at)
        for word in ENGLISH:
            assert word not in text, (word, text)
    assert app_env.read_bytes() == before
    assert PlanStore(app_env).open(ids[1]).version == 2
