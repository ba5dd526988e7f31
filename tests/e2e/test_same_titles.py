"""Two saved plans with the same title (the sample opened twice) in a real browser.

A bug this test found: Streamlit's selectbox in the browser identifies an option by its label,
and the plan pickers labelled plans by title and year only, so with two plans titled alike,
pressing **Tạo kế hoạch năm 2021** switched the open plan to the other one and created nothing.
`components.plan_picker.plan_labels` now makes every label unique.
"""

from __future__ import annotations

import pytest

from planner.store.plans import PlanStore
from tests.e2e.helpers import E2E, main_area, plan_id_of, settle

pytestmark = [*E2E, pytest.mark.timeout(300)]


def test_new_year_from_one_of_two_plans_with_the_same_title(server, page) -> None:  # type: ignore[no-untyped-def]
    store = PlanStore(server.db_path)
    main = main_area(page)
    page.goto(server.url)
    settle(page)
    for _ in range(2):
        main.get_by_role("button", name="Mở kế hoạch mẫu 2020").click()
        settle(page)
    opened = plan_id_of(page)
    assert len(store.list_plans()) == 2
    main.get_by_role("button", name="Tạo kế hoạch năm 2021").click()
    settle(page)
    page.wait_for_timeout(2000)
    settle(page)
    assert "/soan-ke-hoach" in page.url, f"still on {page.url} (opened {opened})"
    assert sorted(p.year for p in store.list_plans()) == [2020, 2020, 2021]
