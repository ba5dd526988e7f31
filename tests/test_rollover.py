"""Rollover of last year's plan: the draft, and every stale line found at the right place."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue.model import Catalogue
from planner.cli.main import main
from planner.drafting.findings import (
    Finding,
    apply_finding,
    findings_of,
    get_text,
    review_progress,
)
from planner.drafting.rollover import Context, move_date, recheck, rollover, scan_text
from planner.errors import PlannerError
from planner.model import Block, Meta, Plan, Section, Task, load_plan, plan_to_dict, save_plan
from planner.paths import SAMPLE_PATH, SHIPPED_CSV

TODAY = date(2021, 9, 1)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.from_csv(SHIPPED_CSV)


@pytest.fixture(scope="module")
def rolled(catalogue):
    return rollover(load_plan(SAMPLE_PATH), 2021, catalogue=catalogue, today=TODAY)


def _of(findings, kind: str, place: str | None = None) -> list[Finding]:
    return [f for f in findings if f.kind == kind and (place is None or f.place == place)]


def _scan(text: str, old: int = 2020, new: int = 2021, catalogue=None) -> list[Finding]:
    path = {"area": "section", "section": "I", "block": 0}
    return scan_text(text, path, Context(old, new, catalogue, TODAY))


# ---------------------------------------------------------------- the sample, 2020 → 2021


def test_the_draft_header(rolled):
    meta = rolled.plan.meta
    assert meta.year == 2021 and meta.number == "" and meta.issued is None
    assert meta.subject == "Thực hiện công tác dân vận chính quyền năm 2021"
    assert meta.symbol == "KH-PGDĐT" and meta.authority == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
    (subject,) = [f for f in rolled.findings if f.place == "Trích yếu"]
    assert (subject.kind, subject.status, subject.text, subject.suggestion) == (
        "year",
        "applied",
        "năm 2020",
        "năm 2021",
    )


def test_every_block_starts_unreviewed_and_nothing_is_lost(rolled, sample):
    blocks = [(p, b) for p, s in rolled.plan.iter_sections() for b in s.blocks]
    assert blocks and all(b.reviewed is False for _, b in blocks)
    done, total = review_progress(rolled.plan)
    assert (done, total) == (0, len(blocks))
    before = [(p, b.kind, b.text) for p, s in sample.iter_sections() for b in s.blocks]
    assert [(p, b.kind, b.text) for p, b in blocks] == before
    assert rolled.plan.bases == sample.bases
    assert rolled.plan.recipients == sample.recipients and rolled.plan.signer == sample.signer


def test_last_years_plan_is_kept_beside_the_draft(rolled, sample, catalogue):
    assert rolled.plan.extra["previous_plan"] == plan_to_dict(sample)
    assert "previous_plan_id" not in rolled.plan.extra
    assert rolled.plan.extra["rollover"] == {
        "from_year": 2020,
        "to_year": 2021,
        "made_on": "2021-09-01",
    }
    stored = rollover(sample, 2021, catalogue=catalogue, today=TODAY, previous_id="abc123")
    assert stored.plan.extra["previous_plan_id"] == "abc123"
    assert "previous_plan" not in stored.plan.extra
    # rolling a draft again does not nest last year's plans inside each other
    again = rollover(rolled.plan, 2022, catalogue=catalogue, today=TODAY)
    assert "previous_plan" not in again.plan.extra["previous_plan"]
    assert "findings" not in again.plan.extra["previous_plan"]


def test_findings_are_stored_in_the_draft_and_point_at_their_text(rolled):
    assert findings_of(rolled.plan) == list(rolled.findings)
    for f in rolled.findings:
        if f.path["area"] == "task":
            continue
        text = get_text(rolled.plan, f.path)
        start = f.path["start"]
        if f.status == "applied":
            assert text[start : start + len(f.suggestion)] == f.suggestion
        else:
            assert text[start : start + len(f.text)] == f.text, f
    assert len({f.id for f in rolled.findings}) == len(rolled.findings)


def test_ended_periods_are_found_and_running_ones_left_alone(rolled):
    (p16,) = _of(rolled.findings, "ended_period", "Mục II.2, đoạn 1")
    assert (p16.text, p16.suggestion) == ("giai đoạn 2016 - 2020", "giai đoạn 2021 - 2025")
    # "giai đoạn 2011-2020" in Mục II.3 is in the titles of 30c/NQ-CP and 76/NQ-CP (2013):
    # a cited title is never rewritten, the citations are flagged whole (replaced_directive)
    assert not _of(rolled.findings, "ended_period", "Mục II.3, đoạn 1")
    assert p16.status == "open"
    # nhiệm kỳ 2020-2025 is still running: no finding touches it
    block = rolled.plan.find_section("II.1").blocks[1].text
    s = block.index("nhiệm kỳ 2020-2025")
    for f in rolled.findings:
        if f.path.get("section") == "II.1" and f.path.get("block") == 1:
            assert f.path["start"] + len(f.text) <= s or f.path["start"] >= s + 18, f
    assert not any("2020-2025" in f.text for f in rolled.findings)


def test_superior_plans_of_last_year(rolled):
    # the whole citation is one finding: number, date, issuer and title move together
    (b1,) = [f for f in rolled.findings if f.place == "Căn cứ 1"]
    assert b1.kind == "superior_plan"
    assert b1.text == (
        "Kế hoạch số 106/KH-UBND, ngày 08/7/2020 của Ủy ban nhân dân thành phố Thủ Dầu Một "
        "về Thực hiện công tác dân vận chính quyền năm 2020"
    )
    # no 2021 plan in the catalogue: number and day left visibly blank, never invented
    assert b1.suggestion == (
        "Kế hoạch số …/KH-UBND, ngày …/…/2021 của Ủy ban nhân dân thành phố Thủ Dầu Một "
        "về Thực hiện công tác dân vận chính quyền năm 2021"
    )
    assert b1.extra["needs_update"] is True and "cần cập nhật" in b1.message
    (b2,) = [f for f in rolled.findings if f.place == "Căn cứ 2"]
    assert b2.text.startswith("Kế hoạch số 28-KHPH/BDV-PGDĐT")
    assert b2.suggestion.startswith("Kế hoạch số …-KHPH/BDV-PGDĐT, ngày …/…/2021 về việc")
    assert b2.suggestion.endswith("năm 2021")
    body = _of(rolled.findings, "superior_plan", "Mục II.1, đoạn 2")
    assert [f.text[:44] for f in body] == [
        "Kế hoạch số 769/KH-SGDĐT, ngày 20/5/2020 của",
        "Kế hoạch số 28-KH/BDV-PGDĐT, ngày 10/6/2020 ",
    ]
    # the first title ends before the words that introduce the second citation
    assert body[0].text.endswith("tỉnh Bình Dương năm 2020")
    # both touch the same sentence: one group, applied together
    assert body[0].extra["group"] == body[1].extra["group"]


def test_replaced_directive_gets_the_catalogues_replacement(rolled):
    found = _of(rolled.findings, "replaced_directive", "Mục II.3, đoạn 1")
    first = found[0]
    assert first.text.startswith("Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ")
    assert first.text.endswith("giai đoạn 2011-2020")
    assert first.suggestion.startswith("Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ")
    assert "76/NQ-CP ngày 15/7/2021" in first.message
    # the 2013 amendment of 30c is expired too; its nested 30c mention is not flagged twice
    assert [f.text[:37] for f in found] == [
        "Nghị quyết số 30c/NQ-CP ngày 08/11/20",
        "Nghị quyết số 76/NQ-CP ngày 13/6/2013",
    ]
    assert found[1].suggestion == "" and "xóa" in found[1].message
    # directives still in force are not flagged
    assert not any("25-NQ/TW" in f.text or "05-CT/TW" in f.text for f in rolled.findings)


def test_mentions_of_last_year(rolled):
    years = _of(rolled.findings, "year")
    places = [f.place for f in years if f.status == "open"]
    for place in (
        "Phần mở đầu, đoạn 1",
        "Mục I, đoạn 2",
        "Mục II.1, đoạn 3",
        "Phần kết, đoạn 1",
    ):
        assert place in places
    assert all(f.text == "năm 2020" and f.suggestion == "năm 2021" for f in years)
    # "năm 2020" in a cited title (Căn cứ 1 and 2) is the title's: never a finding of its own
    assert not [f for f in years if f.path["area"] == "bases"]
    # years inside a citation's own date or symbol are the citation's facts
    assert not any(f.text in ("2020", "08/7/2020") for f in rolled.findings)


def test_events_looked_forward_to_are_now_past(rolled):
    (congress,) = _of(rolled.findings, "past_event", "Mục I, đoạn 1")
    assert congress.text.startswith("lập thành tích chào mừng thành công của Đại hội Đảng các cấp")
    assert congress.text.endswith("Đại hội toàn quốc lần thứ XIII")
    assert congress.suggestion == (
        "góp phần đưa Nghị quyết Đại hội Đảng các cấp, Đại hội Đảng bộ Tỉnh lần thứ XI và "
        "Đại hội toàn quốc lần thứ XIII vào cuộc sống"
    )
    (during,) = _of(rolled.findings, "past_event", "Mục II.1, đoạn 4")
    assert during.text == "trong quá trình Đại hội Đảng các cấp"
    # the city congress of term 2020-2025 is cited as done ("đã đề ra"), not looked forward to
    assert not _of(rolled.findings, "past_event", "Mục II.1, đoạn 2")


def test_a_finding_per_kind_and_nothing_applied_but_the_header(rolled):
    kinds = {f.kind for f in rolled.open_findings}
    assert kinds == {"year", "ended_period", "superior_plan", "replaced_directive", "past_event"}
    assert [f.place for f in rolled.applied_findings] == ["Trích yếu"]


def test_rollover_is_pure(sample, catalogue):
    a = rollover(sample, 2021, catalogue=catalogue, today=TODAY)
    b = rollover(sample, 2021, catalogue=catalogue, today=TODAY)
    assert a == b and plan_to_dict(a.plan) == plan_to_dict(b.plan)
    assert sample == load_plan(SAMPLE_PATH)


def test_a_replacement_issued_after_today_is_noted(sample, catalogue):
    early = rollover(sample, 2021, catalogue=catalogue, today=date(2021, 3, 15))
    (f, _) = _of(early.findings, "replaced_directive")
    assert "sau ngày hôm nay" in f.message


def test_without_catalogue_directive_checks_are_skipped(sample):
    r = rollover(sample, 2021, today=TODAY)
    assert not _of(r.findings, "replaced_directive")
    assert len(_of(r.findings, "superior_plan")) == 4  # found from the dates written


def test_two_years_later(sample, catalogue):
    r = rollover(sample, 2022, catalogue=catalogue, today=TODAY)
    (p16,) = _of(r.findings, "ended_period", "Mục II.2, đoạn 1")
    assert p16.suggestion == "giai đoạn 2021 - 2025"
    assert r.plan.meta.subject.endswith("năm 2022")
    assert {f.suggestion for f in _of(r.findings, "year")} == {"năm 2022"}


def test_refusals_are_vietnamese(sample):
    with pytest.raises(PlannerError, match="phải sau năm của kế hoạch cũ"):
        rollover(sample, 2020, today=TODAY)
    with pytest.raises(PlannerError, match="chưa ghi năm"):
        rollover(replace(sample, meta=replace(sample.meta, year=0)), 2021, today=TODAY)
    with pytest.raises(PlannerError, match="không hợp lệ"):
        rollover(sample, 99999, today=TODAY)


# ---------------------------------------------------------------- tasks


def test_task_dates_move_and_status_resets():
    tasks = (
        Task(
            "t1",
            "Tổng kết",
            start=date(2020, 2, 29),
            due=date(2020, 12, 20),
            status="done",
            progress=100,
        ),
        Task("t2", "Sơ kết", start=None, due=date(2020, 6, 30), status="in_progress", progress=40),
        Task("t3", "Chưa làm"),
    )
    plan = Plan(meta=Meta(year=2020, subject="Kế hoạch năm 2020"), tasks=tasks)
    r = rollover(plan, 2021, today=TODAY)
    t1, t2, t3 = r.plan.tasks
    assert (t1.start, t1.due, t1.status, t1.progress) == (
        date(2021, 2, 28),
        date(2021, 12, 20),
        "planned",
        0,
    )
    assert (t2.start, t2.due, t2.status, t2.progress) == (None, date(2021, 6, 30), "planned", 0)
    assert t3 == tasks[2]
    task_findings = [f for f in r.findings if f.path["area"] == "task"]
    assert all(f.status == "applied" for f in task_findings)
    shown = {(f.path["id"], f.path["field"]): (f.text, f.suggestion) for f in task_findings}
    assert shown[("t1", "start")] == ("29/02/2020", "28/02/2021")
    assert shown[("t1", "status")] == ("Hoàn thành", "Chưa bắt đầu")
    assert shown[("t2", "progress")] == ("40", "0")
    assert {f.kind for f in task_findings} == {"task_date", "task_status"}
    assert move_date(date(2024, 2, 29), 4) == date(2028, 2, 29)


# ---------------------------------------------------------------- the scanner, one text at a time


def test_periods():
    found = {
        f.text: f.suggestion
        for f in _scan(
            "nhiệm kỳ 2015-2020; giai đoạn 2018-2020; từ năm 2016 đến năm 2020; năm học 2020-2021; "
            "nhiệm kỳ 2020-2025; giai đoạn 2021-2025; chiến lược 2011-2020."
        )
    }
    assert found == {
        "nhiệm kỳ 2015-2020": "nhiệm kỳ 2020-2025",
        "giai đoạn 2018-2020": "giai đoạn 2021-2023",
        "từ năm 2016 đến năm 2020": "từ năm 2021 đến năm 2025",
        "năm học 2020-2021": "năm học 2021-2022",
        "2011-2020": "2021-2030",
    }


def test_citation_facts_and_law_names_are_not_stale_years():
    text = (
        "Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ và Luật Giáo dục "
        "năm 2019, Kế hoạch số 12/KH-UBND ngày 14 tháng 7 năm 2020."
    )
    kinds = [(f.kind, f.text) for f in _scan(text)]
    assert kinds == [("superior_plan", "Kế hoạch số 12/KH-UBND ngày 14 tháng 7 năm 2020")]
    (f,) = _scan("Kế hoạch số 12/KH-UBND ngày 14 tháng 7 năm 2020.")
    assert f.suggestion == "Kế hoạch số …/KH-UBND ngày … tháng … năm 2021"


def test_dated_deadlines_of_last_year_are_past():
    found = [
        (f.kind, f.text, f.suggestion)
        for f in _scan(
            "Nộp báo cáo trước ngày 15/12/2020 và tổng kết tháng 12/2020; hạn 29/02/2020; "
            "năm 2019 đạt 90%; mốc ngày 20/11 hằng năm; 2020 học sinh."
        )
    ]
    assert ("past_event", "15/12/2020", "15/12/2021") in found
    assert ("past_event", "tháng 12/2020", "tháng 12/2021") in found
    assert ("past_event", "29/02/2020", "28/02/2021") in found
    assert ("year", "năm 2019", "năm 2020") in found
    assert ("year", "2020", "2021") in found  # a bare year number is asked about, not changed
    assert len(found) == 5


def test_forward_looking_events():
    text = (
        "Hướng tới Đại hội Đảng bộ tỉnh lần thứ XI; chuẩn bị tốt cho bầu cử đại biểu Quốc hội; "
        "chào mừng Đại hội nhiệm kỳ 2025-2030; Đại hội Công đoàn sắp tới."
    )
    found = [(f.text, f.suggestion) for f in _scan(text) if f.kind == "past_event"]
    assert found == [
        (
            "Hướng tới Đại hội Đảng bộ tỉnh lần thứ XI",
            "Thực hiện thắng lợi Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XI",
        ),
        ("chuẩn bị tốt cho bầu cử đại biểu Quốc hội", ""),
        ("Đại hội Công đoàn sắp tới", ""),
    ]


def test_a_replaced_directive_in_a_list_keeps_its_neighbours(catalogue):
    text = (
        "Căn cứ Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ, "
        "Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ;"
    )
    (f,) = [f for f in _scan(text, catalogue=catalogue) if f.kind == "replaced_directive"]
    assert f.text == "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ"


def test_an_event_in_a_text_without_any_number():
    (f,) = _scan("Chuẩn bị tốt cho bầu cử đại biểu Quốc hội khóa XV.")
    assert (f.kind, f.text) == ("past_event", "Chuẩn bị tốt cho bầu cử đại biểu Quốc hội khóa XV")


def test_an_events_name_stops_at_a_citation_or_another_phrase():
    found = [
        f.text
        for f in _scan(
            "chào mừng Đại hội Đảng các cấp Kế hoạch số 12/KH-UBND ngày 08/7/2020 "
            "chào mừng Đại hội Công đoàn"
        )
        if f.kind == "past_event"
    ]
    assert found == ["chào mừng Đại hội Đảng các cấp", "chào mừng Đại hội Công đoàn"]


def test_the_year_of_a_congress_resolution_is_a_fact():
    assert _scan("Thực hiện Nghị quyết Đại hội Đảng các cấp năm 2020.") == []


def test_the_subjects_other_findings_follow_the_moved_year(catalogue):
    # (the year used to follow the citation with no "của/về" between: it was then read as
    # part of the citation; here the year is the plan's own, before the citation)
    subject = "Kế hoạch năm 2020 thực hiện Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ"
    r = rollover(
        Plan(meta=Meta(year=2020, subject=subject)), 2021, catalogue=catalogue, today=TODAY
    )
    assert r.plan.meta.subject.startswith("Kế hoạch năm 2021 thực hiện")
    (f,) = r.open_findings
    assert f.kind == "replaced_directive" and r.plan.meta.subject.endswith(f.text)
    assert apply_finding(r.plan, f.id).meta.subject == (
        "Kế hoạch năm 2021 thực hiện " + f.suggestion
    )


def test_anniversaries_count_from_their_founding_year():
    text = (
        "Chào mừng kỷ niệm 90 năm Ngày thành lập Đảng (03/02/1930 - 03/02/2020), "
        "75 năm Cách mạng Tháng Tám (1945 - 2020); kỷ niệm 65 năm ngày thành lập ngành."
    )
    found = [(f.text, f.suggestion) for f in _scan(text)]
    assert found == [
        ("kỷ niệm 90 năm", "kỷ niệm 91 năm"),
        ("03/02/1930 - 03/02/2020", "03/02/1930 - 03/02/2021"),
        ("1945 - 2020", "1945 - 2021"),
    ]  # without a founding year the count is left alone
    assert _scan("kỷ niệm 91 năm Ngày thành lập Đảng (03/02/1930 - 03/02/2021)") == []


def test_quarters_and_terms_of_last_year():
    found = [(f.text, f.suggestion) for f in _scan("Sơ kết Quý IV/2020, học kỳ I năm 2020.")]
    assert found == [("Quý IV/2020", "Quý IV/2021"), ("học kỳ I năm 2020", "học kỳ I năm 2021")]


def test_a_plan_for_last_year_issued_the_year_before_is_a_superior_plan():
    text = "Căn cứ Kế hoạch số 300/KH-UBND ngày 25/12/2019 của UBND tỉnh về dân vận năm 2020;"
    found = [(f.kind, f.text, f.suggestion) for f in _scan(text)]
    assert found == [
        (
            "superior_plan",
            "Kế hoạch số 300/KH-UBND ngày 25/12/2019 của UBND tỉnh về dân vận năm 2020",
            "Kế hoạch số …/KH-UBND ngày …/…/2020 của UBND tỉnh về dân vận năm 2021",
        )
    ]
    # a plan of 2019 for 2019 is history, not last year's superior plan; its title's year is
    # the title's (this used to be a `year` finding that rewrote the cited title)
    assert _scan("Kế hoạch số 300/KH-UBND ngày 25/12/2019 về dân vận năm 2019.") == []


# ---------------------------------------------------------------- apply, then look again


def test_apply_every_suggestion_then_recheck_finds_nothing_there(rolled, catalogue):
    plan = rolled.plan
    for f in rolled.open_findings:
        if f.can_apply and f.id in {g.id for g in findings_of(plan) if g.status == "open"}:
            plan = apply_finding(plan, f.id)
    again = recheck(plan, catalogue=catalogue, today=TODAY)
    fixed = {f.id for f in findings_of(plan) if f.status == "applied"}
    assert fixed
    left = [f for f in again if f.id in fixed]
    assert left == []
    text = plan.find_section("II.3").blocks[0].text
    assert text.startswith("Triển khai thực hiện nghiêm túc Nghị quyết số 76/NQ-CP ngày 15/7/2021")
    assert plan.find_section("II.2").blocks[0].text.count("giai đoạn 2021 - 2025") == 1
    # what has no automatic fix is still there to be looked at
    assert {f.kind for f in again} <= {"replaced_directive", "ended_period"}


_FRAGMENTS = st.sampled_from(
    [
        "năm 2020",
        "giai đoạn 2016 - 2020",
        "nhiệm kỳ 2020-2025",
        "ngày 15/12/2020",
        "Kế hoạch số 12/KH-UBND ngày 08/7/2020",
        "chào mừng Đại hội Đảng các cấp",
        "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ",
        "năm học 2020-2021",
        "tháng 12/2020",
        "2011-2020",
        "Chỉ thị số 16/CT-TTg ngày 16/5/2016",
        "học sinh",
        "Đại hội",
        "năm",
        "2020",
        "Luật Giáo dục năm 2019",
        "30/2020/NĐ-CP",
        "dân vận khéo",
        "ạ",
        "—",
        "…",
        "kỷ niệm 90 năm ngày thành lập Đảng (03/02/1930 - 03/02/2020)",
        "(1945 - 2020)",
        "Nghị quyết Đại hội Đảng các cấp năm 2020",
    ]
)
_TEXTS = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=7).flatmap(
    lambda parts: st.lists(
        st.sampled_from([" ", ", ", "; ", ". ", "-", ""]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)))
)
_BLOCKS = st.lists(
    st.builds(Block, kind=st.sampled_from(["paragraph", "dash", "plus"]), text=_TEXTS),
    max_size=4,
)
_SECTIONS = st.lists(
    st.builds(
        lambda n, blocks, kids: Section(
            str(n),
            "Mục",
            tuple(blocks),
            tuple(Section(str(k + 1), "Con", tuple(b)) for k, b in enumerate(kids)),
        ),
        st.integers(1, 9),
        _BLOCKS,
        st.lists(_BLOCKS, max_size=2),
    ),
    max_size=3,
).map(lambda ss: tuple(replace(s, number=str(i + 1)) for i, s in enumerate(ss)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections=_SECTIONS, subject=_TEXTS, pick=st.integers(0, 10_000))
def test_property_rollover_keeps_every_block_and_applying_fixes_the_spot(
    catalogue, sections, subject, pick
):
    plan = Plan(meta=Meta(year=2020, subject=subject), sections=sections)
    r = rollover(plan, 2021, catalogue=catalogue, today=TODAY)
    before = [(p, b.kind, b.text) for p, s in plan.iter_sections() for b in s.blocks]
    after = [(p, b.kind, b.text) for p, s in r.plan.iter_sections() for b in s.blocks]
    assert after == before
    for f in r.findings:
        text = get_text(r.plan, f.path)
        s = f.path["start"]
        shown = f.suggestion if f.status == "applied" else f.text
        assert text[s : s + len(shown)] == shown
    usable = [f for f in r.open_findings if f.can_apply]
    if not usable:
        return
    f = usable[pick % len(usable)]
    fixed = apply_finding(r.plan, f.id)
    s = f.path["start"]
    span = (s, s + len(f.suggestion))
    for g in recheck(fixed, catalogue=catalogue, today=TODAY):
        if {k: v for k, v in g.path.items() if k != "start"} != {
            k: v for k, v in f.path.items() if k != "start"
        }:
            continue
        gs, ge = g.path["start"], g.path["start"] + len(g.text)
        assert not (gs < span[1] and span[0] < ge and gs >= span[0]), (f, g)


# ---------------------------------------------------------------- command line


def test_cli_rollover_writes_the_draft_and_lists_findings(tmp_path, capsys):
    out = tmp_path / "2021.json"
    code = main(
        [
            "rollover",
            str(SAMPLE_PATH),
            "--year",
            "2021",
            "-o",
            str(out),
            "--json",
            "--today",
            "2021-09-01",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2021 and data["from_year"] == 2020
    assert data["applied"] == 1 and data["open"] == len(data["findings"]) - 1
    assert {"ended_period", "superior_plan", "replaced_directive", "past_event", "year"} <= set(
        data["counts"]
    )
    draft = load_plan(out)
    assert draft.meta.year == 2021 and len(findings_of(draft)) == len(data["findings"])
    code = main(["rollover", str(SAMPLE_PATH), "--year", "2021", "-o", str(out)])
    text = capsys.readouterr().out
    assert code == 0 and "cần rà soát" in text and "Mục II.2, đoạn 1" in text


def test_cli_rollover_bad_input_exits_2_in_vietnamese(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{không phải json", encoding="utf-8")
    assert main(["rollover", str(bad), "--year", "2021", "-o", str(tmp_path / "o.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi:") and "bad.json" in err and "Traceback" not in err
    assert not (tmp_path / "o.json").exists()
    plan = tmp_path / "p.json"
    save_plan(load_plan(SAMPLE_PATH), plan)
    assert main(["rollover", str(plan), "--year", "2019", "-o", str(tmp_path / "o.json")]) == 2
    assert "phải sau năm" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()


def test_the_seed_imported_from_word_rolls_over_like_the_sample(rolled, catalogue):
    from planner.docx.reader import import_docx
    from tests.docx_builders import seed_md_docx

    imported = import_docx(seed_md_docx(), "ke-hoach-932-2020.docx").plan
    r = rollover(imported, 2021, catalogue=catalogue, today=TODAY)
    found = [(f.kind, f.place, f.text, f.suggestion) for f in r.findings]
    assert found == [(f.kind, f.place, f.text, f.suggestion) for f in rolled.findings]
