"""Plans told apart: the picker's labels and the banner naming the open plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from components.plan_picker import (
    PlanFacts,
    age_tag,
    banner_text,
    plan_labels,
    plan_status,
    unit_short,
)
from planner.model import Meta
from planner.store.plans import PlanStore, PlanSummary
from tests.conftest import make_app

META = Meta(
    parent_authority="UBND THÀNH PHỐ THỦ DẦU MỘT",
    authority="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    number="932",
    issued=date(2020, 7, 14),
    year=2020,
)
TITLE = "Thực hiện công tác dân vận chính quyền năm 2020"


def _summary(pid: str, year: int, title: str = TITLE, minute: int = 0) -> PlanSummary:
    return PlanSummary(pid, title, year, datetime(2021, 3, 1, 8, minute), 1, False)


def test_unit_short_names_the_office_as_offices_write_it() -> None:
    assert unit_short(META) == "PGDĐT Thủ Dầu Một"
    assert unit_short(replace(META, parent_authority="UBND HUYỆN DẦU TIẾNG")) == ("PGDĐT Dầu Tiếng")
    assert (
        unit_short(
            replace(
                META, authority="SỞ GIÁO DỤC VÀ ĐÀO TẠO", parent_authority="UBND TỈNH BÌNH DƯƠNG"
            )
        )
        == "SGDĐT Bình Dương"
    )
    school = replace(META, parent_authority="PHÒNG GDĐT", authority="TRƯỜNG THCS PHÚ HÒA")
    assert unit_short(school) == "Trường THCS Phú Hòa"


def test_status_and_age() -> None:
    assert plan_status(META) == "Đã ban hành"
    assert plan_status(replace(META, number="", issued=None)) == "Dự thảo"
    assert plan_status(replace(META, issued=None)) == "Dự thảo"
    assert (age_tag(2021, 2021), age_tag(2020, 2021), age_tag(2018, 2021)) == (
        "",
        "Năm trước",
        "3 năm trước",
    )


def test_labels_start_with_what_tells_plans_apart() -> None:
    plans = [
        _summary("aaaaaaaa1", 2021, TITLE.replace("2020", "2021")),
        _summary("bbbbbbbb2", 2020),
    ]
    facts = {
        "aaaaaaaa1": PlanFacts("PGDĐT Thủ Dầu Một", "Dự thảo"),
        "bbbbbbbb2": PlanFacts("PGDĐT Thủ Dầu Một", "Đã ban hành"),
    }
    labels = plan_labels(plans, facts)
    assert labels["aaaaaaaa1"] == (
        "2021 · PGDĐT Thủ Dầu Một · Dự thảo — Thực hiện công tác dân vận chính quyền năm 2021"
    )
    assert labels["bbbbbbbb2"].startswith("2020 · Năm trước · PGDĐT Thủ Dầu Một · Đã ban hành — ")


def test_labels_stay_unique_for_plans_alike() -> None:
    plans = [_summary("aaaaaaaa1", 2020, minute=1), _summary("bbbbbbbb2", 2020, minute=2)]
    facts = {p.id: PlanFacts("PGDĐT Thủ Dầu Một", "Dự thảo") for p in plans}
    labels = plan_labels(plans, facts)
    assert len(set(labels.values())) == 2
    assert labels["aaaaaaaa1"].endswith("· sửa 01/03 08:01 · mã aaaaaa")


def test_banner_says_which_plan_and_warns_on_last_year() -> None:
    facts = PlanFacts("PGDĐT Thủ Dầu Một", "Dự thảo")
    head, warn = banner_text(_summary("a", 2021, "Kế hoạch A"), facts, 2021)
    assert head == "Đang mở: Kế hoạch năm 2021 (bản nháp) · PGDĐT Thủ Dầu Một — Kế hoạch A"
    assert warn == ""
    head, warn = banner_text(_summary("b", 2020, "Kế hoạch B"), facts, 2021)
    assert head.startswith("Đang mở: Kế hoạch năm 2020 (bản nháp)")
    assert warn.startswith("Năm trước: đã có kế hoạch năm 2021.")


def test_every_page_shows_the_banner_of_the_open_plan(app_env, sample) -> None:
    store = PlanStore(app_env)
    old = store.create(sample, now=datetime(2021, 3, 1, 8, 0))
    store.create(
        replace(sample, meta=replace(sample.meta, year=2021, number="", issued=None)),
        now=datetime(2021, 3, 1, 9, 0),
    )
    at = make_app()
    at.query_params["plan"] = old
    at.run()
    for page in ("views/home.py", "views/progress.py", "views/export.py"):
        at.switch_page(page).run()
        assert not at.exception, at.exception
        banners = [h.proto.body for h in at.main.get("html") if "planBanner" in h.proto.body]
        assert len(banners) == 1, page
        assert "Đang mở: Kế hoạch năm 2020 (đã ban hành) · PGDĐT Thủ Dầu Một" in banners[0]
        assert "Năm trước: đã có kế hoạch năm 2021" in banners[0]
    [picker] = at.sidebar.selectbox
    assert picker.options[0].startswith("2021 · PGDĐT Thủ Dầu Một · Dự thảo — ")
    assert "2020 · Năm trước · PGDĐT Thủ Dầu Một · Đã ban hành — " in picker.options[1]
