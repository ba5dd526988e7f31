"""A save into a plan moved to the bin is refused (the store) and nothing typed is lost (the
editor: restore the plan and save, or save the session's plan as a new one)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from planner.errors import DeletedPlanError, PlannerError
from planner.store.plans import PlanStore
from tests.conftest import make_app
from tests.test_page_editor import EDITOR, create_2021, ok, widget

T0 = datetime(2021, 3, 15, 8, 0, 0)
T1 = datetime(2021, 3, 15, 9, 0, 0)


def test_a_save_into_a_plan_in_the_bin_is_refused_and_stores_nothing(db_target, sample):
    store = PlanStore(db_target)
    pid = store.create(sample, now=T0)
    store.delete(pid, now=T1)
    edited = replace(sample, meta=replace(sample.meta, subject="Sửa sau khi đã xóa"))
    with pytest.raises(DeletedPlanError, match="thùng rác") as err:
        store.save(pid, edited, base_version=1, now=T1)
    assert isinstance(err.value, PlannerError) and err.value.plan_id == pid
    assert err.value.title == store.open(pid).title
    assert "Hãy khôi phục kế hoạch" in str(err.value)
    assert [v.version for v in store.versions(pid)] == [1]  # not even a conflict copy
    assert store.open(pid).plan.meta.subject == sample.meta.subject
    store.restore(pid, now=T1)  # restored, the same save goes through
    assert store.save(pid, edited, base_version=1, now=T1) == 2
    assert store.open(pid).plan.meta.subject == "Sửa sau khi đã xóa"


def _second_session_on(pid: str):
    second = make_app()
    second.query_params["plan"] = pid
    second.run()
    second.switch_page(EDITOR).run()
    ok(second)
    return second


def _delete_from_home(first, pid: str) -> None:
    first.switch_page("views/home.py").run()
    first.button(key=f"del.{pid}").click().run()
    first.button(key=f"del.yes.{pid}").click().run()
    ok(first)


def _refused(at) -> bool:
    return any("đã được chuyển vào thùng rác" in e.value.replace("\\", "") for e in at.error)


def _edit_in_the_bin(app_env):
    """Session one deletes the plan on Trang chủ; session two, still in the editor, edits
    two paragraphs. Returns (second session, plan id, store)."""
    first, pid = create_2021()
    second = _second_session_on(pid)
    _delete_from_home(first, pid)
    store = PlanStore(app_env)
    assert [p.id for p in store.list_plans(include_deleted=True) if p.deleted] == [pid]
    widget(second.text_area, "b.text.0.0").input("Đoạn một viết khi kế hoạch đã bị xóa.").run()
    ok(second)
    assert _refused(second)
    assert [v.version for v in store.versions(pid)] == [1]
    # The text stays on screen, and a further edit builds on it.
    assert widget(second.text_area, "b.text.0.0").value == "Đoạn một viết khi kế hoạch đã bị xóa."
    widget(second.text_area, "b.text.0.1").input("Đoạn hai cũng viết sau đó.").run()
    ok(second)
    assert _refused(second)
    assert widget(second.text_area, "b.text.0.0").value == "Đoạn một viết khi kế hoạch đã bị xóa."
    return second, pid, store


def test_restore_from_the_bin_saves_what_was_typed(app_env):
    second, pid, store = _edit_in_the_bin(app_env)
    second.button(key="binned.restore").click().run()
    ok(second)
    assert not _refused(second)
    assert not [p for p in store.list_plans(include_deleted=True) if p.deleted]
    blocks = store.open(pid).plan.sections[0].blocks
    assert blocks[0].text == "Đoạn một viết khi kế hoạch đã bị xóa."
    assert blocks[1].text == "Đoạn hai cũng viết sau đó."
    assert store.versions(pid)[0].note == "Lưu sau khi khôi phục từ thùng rác"
    # Editing goes on as usual.
    widget(second.text_area, "b.text.0.2").input("Tiếp tục soạn.").run()
    ok(second)
    assert store.open(pid).plan.sections[0].blocks[2].text == "Tiếp tục soạn."


def test_save_as_a_copy_opens_a_new_plan_with_what_was_typed(app_env):
    second, pid, store = _edit_in_the_bin(app_env)
    title = store.open(pid).title
    second.button(key="binned.copy").click().run()
    ok(second)
    new_id = second.query_params["plan"]
    new_id = new_id[0] if isinstance(new_id, list) else new_id
    assert new_id != pid
    assert not _refused(second)
    copy = store.open(new_id)
    assert copy.title == f"{title} (bản sao)"
    assert copy.plan.sections[0].blocks[0].text == "Đoạn một viết khi kế hoạch đã bị xóa."
    assert copy.plan.sections[0].blocks[1].text == "Đoạn hai cũng viết sau đó."
    assert [p.id for p in store.list_plans(include_deleted=True) if p.deleted] == [pid]
    assert widget(second.text_area, "b.text.0.1").value == "Đoạn hai cũng viết sau đó."
    widget(second.text_area, "b.text.0.2").input("Soạn tiếp trong bản sao.").run()
    ok(second)
    assert store.open(new_id).plan.sections[0].blocks[2].text == "Soạn tiếp trong bản sao."
