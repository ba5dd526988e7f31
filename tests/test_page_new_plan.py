"""AppTest of Trang chủ's “Tạo kế hoạch mới”: the header asked once, then taken from the
office's last plan; the skeleton plan is stored, opened and shown in the editor."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from planner.drafting.new_plan import SKELETON
from planner.nd30.placeholder_rules import GUIDANCE_PREFIX
from planner.store.plans import PlanStore
from tests.conftest import make_app

NOW = datetime(2021, 3, 1, 8, 0)
KEY = "home.new_plan"


def ok(at) -> None:  # type: ignore[no-untyped-def]
    assert not at.exception, [e.value for e in at.exception]


def _submit(at):  # type: ignore[no-untyped-def]
    [button] = [b for b in at.button if b.label == "Tạo kế hoạch"]
    button.click().run()
    ok(at)
    return at


def _opened(at) -> str:  # type: ignore[no-untyped-def]
    value = at.query_params["plan"]
    return value[0] if isinstance(value, list) else value


def test_first_plan_asks_the_header_and_opens_the_skeleton(app_env) -> None:  # type: ignore[no-untyped-def]
    at = make_app().run()
    ok(at)
    for name in ("parent_authority", "authority", "symbol", "place"):
        assert at.text_input(key=f"{KEY}.{name}").value == ""
    assert any("Lần đầu tạo kế hoạch" in c.value for c in at.caption)
    typed = {
        "parent_authority": "UBND HUYỆN DẦU TIẾNG",
        "authority": "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "symbol": "KH-PGDĐT",
        "place": "Dầu Tiếng",
        "signer_position": "TRƯỞNG PHÒNG",
        "signer_name": "Trần Thị Bình",
    }
    for name, value in typed.items():
        at.text_input(key=f"{KEY}.{name}").input(value)
    at.number_input(key=f"{KEY}.year").set_value(2022)
    at.text_input(key=f"{KEY}.subject").input("Công tác chuyển đổi số năm 2022")
    _submit(at)
    assert at.title[0].value == "Soạn kế hoạch"
    store = PlanStore(app_env)
    [saved] = store.list_plans()
    assert _opened(at) == saved.id
    plan = store.open(saved.id).plan
    m = plan.meta
    assert (m.year, m.parent_authority, m.authority, m.symbol, m.place, m.number) == (
        2022,
        "UBND HUYỆN DẦU TIẾNG",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "KH-PGDĐT",
        "Dầu Tiếng",
        "",
    )
    assert m.subject == "Công tác chuyển đổi số năm 2022"
    assert (plan.signer.position, plan.signer.name) == ("TRƯỞNG PHÒNG", "Trần Thị Bình")
    assert [s.title for s in plan.sections] == [t for _, t, _ in SKELETON]
    assert all(GUIDANCE_PREFIX in s.blocks[0].text for s in plan.sections)


def test_next_plan_takes_the_header_from_the_last_one(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    store = PlanStore(app_env)
    store.create(replace(sample, meta=replace(sample.meta, year=2019)), now=NOW)
    store.create(sample, now=NOW)  # the newest year: 2020
    at = make_app().run()
    ok(at)
    assert at.text_input(key=f"{KEY}.authority").value == sample.meta.authority
    assert at.text_input(key=f"{KEY}.signer_name").value == sample.signer.name
    assert at.number_input(key=f"{KEY}.year").value == 2021
    assert any("lấy từ kế hoạch" in c.value and "năm 2020" in c.value for c in at.caption)
    at.text_input(key=f"{KEY}.signer_name").input("Lê Văn Cường")
    _submit(at)
    assert at.title[0].value == "Soạn kế hoạch"
    plan = store.open(_opened(at)).plan
    assert plan.meta.year == 2021
    assert plan.meta.authority == sample.meta.authority
    assert plan.meta.symbol == sample.meta.symbol
    assert plan.signer.position == sample.signer.position
    assert plan.signer.name == "Lê Văn Cường"
    assert plan.recipients == sample.recipients
    assert plan.bases == () and plan.meta.subject == ""
    assert len(store.list_plans()) == 3
