"""AppTest with a store that cannot be written: the editor shows the plan without editing
widgets and tries no save, Trang chủ's buttons that write are disabled, and a store call that
fails from a page button is a Vietnamese st.error, never a traceback."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.drafting.rollover import rollover
from planner.errors import StorageError
from planner.sample import sample_plan
from planner.store import health
from planner.store.plans import PlanStore
from tests.conftest import make_app
from tests.test_store_health import checkpoint, make_read_only

NOW = datetime(2021, 3, 1, 8, 0)
WRITES = ("create", "save", "duplicate", "delete", "restore", "restore_version")


def ok(at) -> None:  # type: ignore[no-untyped-def]
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every write the pages try on the store (each is still carried out)."""
    tried: list[str] = []
    for name in WRITES:
        original = getattr(PlanStore, name)

        def spy(self, *args, _name=name, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            tried.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(PlanStore, name, spy)
    return tried


def _read_only_store(db) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A rolled-over plan with open findings and a plan in the bin, then the file read-only."""
    store = PlanStore(db)
    draft = rollover(sample_plan(), 2021, today=date(2021, 3, 15)).plan
    plan_id = store.create(draft, now=NOW)
    binned = store.create(sample_plan(), now=NOW)
    store.delete(binned, now=NOW)
    checkpoint(db)
    make_read_only(db)
    return plan_id, binned


def test_read_only_editor_has_no_editing_widgets_and_saves_nothing(app_env, writes) -> None:  # type: ignore[no-untyped-def]
    plan_id, _ = _read_only_store(app_env)
    writes.clear()  # those that made the store
    before = app_env.read_bytes()
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page("views/editor.py").run()
    ok(at)
    assert any("Chế độ chỉ đọc" in i.value for i in at.info)
    assert not at.text_area and not at.text_input
    assert not [r for r in at.radio if r.key == "editor.view"]
    assert "Thực hiện công tác dân vận chính quyền" in "".join(
        str(el.proto) for el in at.get("html")
    )
    # The findings are listed, their buttons locked.
    applies = [b for b in at.button if b.label == "Áp dụng"]
    assert applies and all(b.disabled for b in applies)
    assert all(b.disabled for b in at.button if b.label in ("Bỏ qua", "Kiểm tra trích dẫn"))
    assert writes == []
    assert app_env.read_bytes() == before


def test_a_store_turned_read_only_while_editing_saves_nothing(app_env, writes) -> None:  # type: ignore[no-untyped-def]
    """The page was drawn while the store could be written; the edit comes after."""
    plan_id = PlanStore(app_env).create(sample_plan(), now=NOW)
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page("views/editor.py").run()
    ok(at)
    assert at.text_area
    checkpoint(app_env)
    make_read_only(app_env)
    health.forget(app_env)
    before = app_env.read_bytes()
    writes.clear()
    at.text_area[0].input("Sửa khi cơ sở dữ liệu chỉ đọc").run()
    ok(at)
    assert writes == []
    assert any("chế độ chỉ đọc" in e.value for e in at.error)
    assert not at.text_area  # the page now shows the plan to read
    assert app_env.read_bytes() == before
    assert PlanStore(app_env).open(plan_id).version == 1


def test_read_only_home_disables_what_writes(app_env, writes) -> None:  # type: ignore[no-untyped-def]
    _read_only_store(app_env)
    writes.clear()  # those that made the store
    at = make_app().run()
    ok(at)
    for label in ("Nhân bản", "Xóa", "Khôi phục", "Mở kế hoạch mẫu 2020", "Tạo kế hoạch"):
        found = [b for b in at.button if b.label == label]
        assert found and all(b.disabled for b in found), label
    assert any("chỉ đọc" in c.value for c in at.caption)
    assert writes == []


def test_a_failing_store_call_from_home_is_shown_not_raised(app_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = PlanStore(app_env)
    plan_id = store.create(sample_plan(), now=NOW)

    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise StorageError("Không ghi được vào cơ sở dữ liệu: ổ đĩa đầy.")

    for name in ("duplicate", "delete", "restore"):
        monkeypatch.setattr(PlanStore, name, refuse)
    at = make_app().run()
    at.button(key=f"dup.{plan_id}").click().run()
    ok(at)
    assert [e.value for e in at.error] == ["Không ghi được vào cơ sở dữ liệu: ổ đĩa đầy."]
    at.button(key=f"del.{plan_id}").click().run()
    at.button(key=f"del.yes.{plan_id}").click().run()
    ok(at)
    assert [e.value for e in at.error] == ["Không ghi được vào cơ sở dữ liệu: ổ đĩa đầy."]
    assert len(PlanStore(app_env).list_plans()) == 1
