"""AppTest of the shell and Trang chủ, starting from app.py."""

from pathlib import Path

import pytest

from planner.store.plans import PlanStore
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "views").glob("*.py"))


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_home_starts_empty(app_env):
    at = make_app().run()
    assert not at.exception
    assert at.title[0].value == "Soạn Kế hoạch"
    assert any("Chưa có kế hoạch" in i.value for i in at.info)


def test_open_sample_puts_its_id_in_the_url_and_survives_a_refresh(app_env):
    at = make_app().run()
    button(at, "Mở kế hoạch mẫu 2020").click().run()
    assert not at.exception
    plan_id = (
        at.query_params["plan"][0]
        if isinstance(at.query_params["plan"], list)
        else at.query_params["plan"]
    )
    assert any("Thực hiện công tác dân vận chính quyền năm 2020" in s.value for s in at.success)
    # A refresh is a new session with the same URL.
    again = make_app()
    again.query_params["plan"] = plan_id
    again.run()
    assert any("Thực hiện công tác dân vận chính quyền năm 2020" in s.value for s in again.success)
    assert again.sidebar.selectbox[0].value == plan_id


def test_duplicate_and_delete_with_confirmation(app_env):
    at = make_app().run()
    button(at, "Mở kế hoạch mẫu 2020").click().run()
    button(at, "Nhân bản").click().run()
    store = PlanStore(app_env)
    assert len(store.list_plans()) == 2
    button(at, "Xóa").click().run()
    assert any("Xóa kế hoạch" in w.value for w in at.warning)
    assert len(store.list_plans()) == 2  # nothing deleted before the confirmation
    [yes] = [b for b in at.button if b.label == "Xóa" and b.key.startswith("del.yes")]
    yes.click().run()
    assert len(store.list_plans()) == 1
    assert len(store.list_plans(include_deleted=True)) == 2
    button(at, "Khôi phục").click().run()
    assert len(store.list_plans()) == 2


def test_stale_plan_id_in_url_is_dropped_with_a_message(app_env):
    at = make_app()
    at.query_params["plan"] = "khongton"
    at.run()
    assert not at.exception
    assert any("không còn tồn tại" in w.value for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app_env, page):
    at = make_app().run()
    button(at, "Mở kế hoạch mẫu 2020").click().run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_no_plan_open(app_env, page):
    at = make_app().run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]


def test_first_run_opens_the_sample(app_env, monkeypatch):
    monkeypatch.delenv("PLANNER_NO_SAMPLE")
    at = make_app().run()
    assert not at.exception
    assert any("dân vận chính quyền năm 2020" in s.value for s in at.success)
    assert len(PlanStore(app_env).list_plans()) == 1
    make_app().run()  # a second visitor does not get a second copy
    assert len(PlanStore(app_env).list_plans()) == 1
