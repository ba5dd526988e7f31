"""No data loss, in a real browser against a real server.

- An edit typed in the editor survives the server being killed with SIGKILL right after it
  (no shutdown handler runs): a restarted server on the same database shows it after reload.
- Two people (two browser sessions) editing one plan: the later save gets the Vietnamese
  conflict message, and both versions stay in the store and in the version history.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench._server import StreamlitServer
from planner.store.plans import PlanStore
from tests.e2e.helpers import (
    ARTIFACTS,
    E2E,
    VIEWPORT,
    edit_textarea,
    exceptions_on,
    go_to,
    main_area,
    plan_id_of,
    server_env,
    settle,
    textarea_values,
)

pytestmark = [*E2E, pytest.mark.timeout(600)]

FIRST = "Tiếp tục đẩy mạnh công tác dân vận khéo của hệ thống chính trị"
SECOND = "Đẩy mạnh hơn nữa công tác cải cách hành chính"


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server of this test's own (it gets killed), on a fresh database."""
    env = server_env(tmp_path)
    srv = StreamlitServer("app.py", env=env, log_path=ARTIFACTS / "e2e-durability-server.log")
    srv.db_path = Path(env["PLANNER_DB"])  # type: ignore[attr-defined]
    srv.start()
    srv.wait_healthy(timeout=90)
    try:
        yield srv
    finally:
        srv.stop()


def _open_sample_in_editor(page, url: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(url)
    settle(page)
    main_area(page).get_by_role("button", name="Mở kế hoạch mẫu 2020").click()
    settle(page)
    plan_id = plan_id_of(page)
    assert plan_id
    go_to(page, "Soạn kế hoạch")
    return plan_id


def _new_session(browser):  # type: ignore[no-untyped-def]
    """A browser context of its own: a separate Streamlit session, like another person."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    return context, context.new_page()


def test_edit_survives_sigkill_of_the_server(own_server, browser, page) -> None:  # type: ignore[no-untyped-def]
    plan_id = _open_sample_in_editor(page, own_server.url)
    store = PlanStore(own_server.db_path)
    original = store.open(plan_id).plan.sections[0].blocks[0].text
    edited = original + " Sửa ngay trước khi máy chủ bị tắt đột ngột."
    edit_textarea(page, FIRST, edited)  # returns once the run that saved it has finished
    own_server.kill()  # SIGKILL to the whole process group, right after the edit

    own_server.start()  # the same port and database, as a supervisor would restart it
    own_server.wait_healthy(timeout=90)
    page.reload()
    settle(page)
    assert not exceptions_on(page)
    assert plan_id_of(page) == plan_id
    assert edited in textarea_values(page), "the edit made before the crash is gone"
    assert PlanStore(own_server.db_path).open(plan_id).plan.sections[0].blocks[0].text == edited


def test_two_sessions_on_one_plan_merge_and_keep_both(server, browser) -> None:  # type: ignore[no-untyped-def]
    ctx_a, a = _new_session(browser)
    try:
        plan_id = _open_sample_in_editor(a, server.url)
        ctx_b, b = _new_session(browser)
        try:
            b.goto(f"{server.url}/soan-ke-hoach?plan={plan_id}")  # a shared link
            settle(b)
            store = PlanStore(server.db_path)
            loaded = store.open(plan_id)
            first, second = (blk.text for blk in loaded.plan.sections[0].blocks[:2])
            mine_a = first + " (bản của người thứ nhất)"
            mine_b = second + " (bản của người thứ hai)"
            # Both have the same version open; A saves first, then B.
            edit_textarea(a, FIRST, mine_a)
            assert store.open(plan_id).version == loaded.version + 1
            edit_textarea(b, SECOND, mine_b)
            assert not exceptions_on(b)

            # Different paragraphs: B's save is merged with A's, B is told what came in.
            notice = " ".join(main_area(b).locator("[data-testid='stAlert']").all_inner_texts())
            assert "đã lưu kế hoạch này" in notice, notice
            head = store.open(plan_id)
            assert [blk.text for blk in head.plan.sections[0].blocks[:2]] == [mine_a, mine_b]
            conflicts = [v for v in store.versions(plan_id) if v.conflict]
            assert len(conflicts) == 1  # B's own save is kept as it was, too
            kept_b = store.open_version(plan_id, conflicts[0].version)
            assert kept_b.sections[0].blocks[1].text == mine_b
            assert kept_b.sections[0].blocks[0].text == first  # built on what B had open
        finally:
            ctx_b.close()
    finally:
        ctx_a.close()
