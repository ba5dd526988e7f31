"""Two app servers on one PostgreSQL, two people in two browsers on one plan (issue #14 item
6): edits to different paragraphs merge by themselves and the later editor is told what came
in; an edit to the same paragraph is shown side by side, and the choice is saved. No save is
lost: every edit is in the newest version or waits, stored, for the choice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bench._server import StreamlitServer
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.e2e.helpers import (
    ARTIFACTS,
    E2E,
    VIEWPORT,
    edit_textarea,
    exceptions_on,
    main_area,
    server_env,
    settle,
    textarea_values,
)

pytestmark = [*E2E, pytest.mark.timeout(900)]


@pytest.fixture
def two_servers(pg_url: str, tmp_path: Path) -> Iterator[list[StreamlitServer]]:
    env = {**server_env(tmp_path), "PLANNER_DB": pg_url}
    servers = [
        StreamlitServer("app.py", env=env, log_path=ARTIFACTS / f"e2e-merge-server{i}.log")
        for i in (1, 2)
    ]
    try:
        for srv in servers:
            srv.start()
        for srv in servers:
            srv.wait_healthy(timeout=120)
        yield servers
    finally:
        for srv in servers:
            srv.stop()


def _person(browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(url)
    settle(page)
    return context, page


def _blocks(store: PlanStore, plan_id: str) -> list[str]:
    return [b.text for b in store.open(plan_id).plan.sections[0].blocks]


def test_two_servers_merge_different_paragraphs_and_ask_for_the_same_one(
    two_servers, pg_url, browser
) -> None:  # type: ignore[no-untyped-def]
    store = PlanStore(pg_url)
    plan_id = store.create(sample_plan(), now=datetime(2021, 3, 15, 8))
    p1, p2, p3 = _blocks(store, plan_id)[:3]
    one, two = two_servers
    ctx_a, a = _person(browser, f"{one.url}/soan-ke-hoach?plan={plan_id}")
    ctx_b, b = _person(browser, f"{two.url}/soan-ke-hoach?plan={plan_id}")
    try:
        # Different paragraphs, from the same version: A saves on server 1, then B on 2.
        edit_textarea(a, p1[:40], p1 + " (A sửa)")
        edit_textarea(b, p2[:40], p2 + " (B sửa)")
        assert _blocks(store, plan_id)[:2] == [p1 + " (A sửa)", p2 + " (B sửa)"]
        head = store.versions(plan_id)[0]
        assert not head.conflict and head.note.startswith("Gộp thay đổi của một đồng nghiệp")
        notice = " ".join(main_area(b).locator("[data-testid='stAlert']").all_inner_texts())
        assert "đã lưu kế hoạch này" in notice and "Mục I: sửa đoạn 1" in notice, notice
        # B's boxes show A's paragraph now.
        assert p1 + " (A sửa)" in textarea_values(b)

        # The same paragraph: A first (A's page is still on its version: it merges too).
        edit_textarea(a, p3[:40], p3 + " (A viết)")
        assert _blocks(store, plan_id)[:3] == [p1 + " (A sửa)", p2 + " (B sửa)", p3 + " (A viết)"]
        edit_textarea(b, p3[:40], p3 + " (B viết)")
        panel = b.locator(".st-key-merge_panel")
        panel.wait_for()
        assert "1 chỗ" in panel.inner_text()
        # Nothing dropped while the choice waits: A's text is the newest, B's is stored.
        assert _blocks(store, plan_id)[2] == p3 + " (A viết)"
        waiting = [v for v in store.versions(plan_id) if v.conflict and not v.resolved]
        assert len(waiting) == 1
        assert store.open_version(plan_id, waiting[0].version).sections[0].blocks[2].text == (
            p3 + " (B viết)"
        )
        panel.get_by_text("Giữ bản của tôi", exact=True).click()
        settle(b)
        panel.get_by_role("button", name="Lưu bản đã gộp").click()
        settle(b)
        assert not exceptions_on(a) and not exceptions_on(b)
        assert _blocks(store, plan_id)[:3] == [p1 + " (A sửa)", p2 + " (B sửa)", p3 + " (B viết)"]
        assert all(v.resolved for v in store.versions(plan_id) if v.conflict)
        assert b.locator(".st-key-merge_panel").count() == 0
    finally:
        ctx_a.close()
        ctx_b.close()
