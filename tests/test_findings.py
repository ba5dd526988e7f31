"""Findings: stored in the plan, applied in place (that occurrence only), dismissed, counted."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from planner.drafting.findings import (
    KIND_LABELS,
    STATUS_NAMES,
    Finding,
    apply_finding,
    apply_findings,
    dismiss_finding,
    findings_of,
    get_text,
    merge_findings,
    new_finding,
    place_label,
    reopen_finding,
    review_progress,
    store_findings,
)
from planner.errors import PlanFormatError, PlannerError
from planner.model import Block, Plan, Section, Task, plan_from_json, plan_to_json

TEXT = "năm 2020 làm A; năm 2020 làm B; giai đoạn 2016 - 2020 kết thúc."


def _plan(text: str = TEXT) -> Plan:
    return Plan(
        sections=(
            Section(
                "I",
                "MỤC ĐÍCH",
                blocks=(Block("paragraph", "Đoạn đầu.", reviewed=False), Block("dash", text)),
                children=(Section("1", "Con", blocks=(Block("plus", text, reviewed=True),)),),
            ),
        ),
        tasks=(
            Task(
                "t1",
                "Việc một",
                start=date(2020, 2, 29),
                due=date(2020, 11, 25),
                status="done",
                progress=100,
            ),
        ),
    )


def _at(text: str, needle: str, nth: int = 0) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos


def _finding(kind: str, path: dict, text: str, suggestion: str, nth: int = 0) -> Finding:
    return new_finding(kind, place_label(path), path, text, suggestion, "thông điệp", nth=nth)


def test_labels_are_vietnamese_for_every_kind_and_status():
    for kind in (
        "year",
        "ended_period",
        "superior_plan",
        "replaced_directive",
        "past_event",
        "task_date",
        "citation_unknown",
        "citation_mismatch",
        "citation_date",
        "party_symbol",
        "not_in_force",
    ):
        assert KIND_LABELS[kind] and KIND_LABELS[kind][0].isupper()
    assert STATUS_NAMES == {"open": "Cần xem", "applied": "Đã áp dụng", "dismissed": "Đã bỏ qua"}


def test_place_labels():
    assert place_label({"area": "meta", "field": "subject"}) == "Trích yếu"
    assert place_label({"area": "bases", "index": 0}) == "Căn cứ 1"
    assert place_label({"area": "section", "section": "II.1", "block": 1}) == "Mục II.1, đoạn 2"
    assert place_label({"area": "section", "section": "I", "field": "title"}) == "Mục I, tên mục"
    assert "hạn hoàn thành" in place_label({"area": "task", "id": "t1", "field": "due"})


def test_store_and_read_back_through_the_plan_file():
    plan = _plan()
    path = {"area": "section", "section": "I", "block": 1, "start": _at(TEXT, "năm 2020")}
    f = _finding("year", path, "năm 2020", "năm 2021")
    stored = store_findings(plan, [f])
    again = plan_from_json(plan_to_json(stored))
    assert findings_of(again) == [f]
    assert findings_of(plan) == []
    assert "findings" not in store_findings(stored, []).extra


def test_apply_replaces_only_that_occurrence_and_keeps_other_findings_in_step():
    plan = _plan()
    base = {"area": "section", "section": "I", "block": 1}
    first = _finding("year", {**base, "start": _at(TEXT, "năm 2020")}, "năm 2020", "năm 2021")
    second = _finding(
        "year", {**base, "start": _at(TEXT, "năm 2020", 1)}, "năm 2020", "năm 2021", nth=1
    )
    period = _finding(
        "ended_period",
        {**base, "start": _at(TEXT, "giai đoạn")},
        "giai đoạn 2016 - 2020",
        "giai đoạn 2021 - 2025 mới",
    )
    assert len({first.id, second.id, period.id}) == 3
    plan = store_findings(plan, [first, second, period])
    plan = apply_finding(plan, period.id)  # longer text: offsets after it would move
    plan = apply_finding(plan, second.id)
    text = plan.find_section("I").blocks[1].text
    assert text == "năm 2020 làm A; năm 2021 làm B; giai đoạn 2021 - 2025 mới kết thúc."
    # the same text elsewhere (section I.1) is untouched
    assert plan.find_section("I.1").blocks[0].text == TEXT
    plan = apply_finding(plan, first.id)
    text = plan.find_section("I").blocks[1].text
    assert text == "năm 2021 làm A; năm 2021 làm B; giai đoạn 2021 - 2025 mới kết thúc."
    statuses = {f.id: f.status for f in findings_of(plan)}
    assert statuses == {first.id: "applied", second.id: "applied", period.id: "applied"}


def test_apply_uses_the_recorded_offset_not_the_first_match():
    text = "năm 2020 và năm 2020"
    plan = _plan(text)
    path = {"area": "section", "section": "I", "block": 1, "start": _at(text, "năm 2020", 1)}
    f = _finding("year", path, "năm 2020", "năm 2021", nth=1)
    plan = apply_finding(store_findings(plan, [f]), f.id)
    assert plan.find_section("I").blocks[1].text == "năm 2020 và năm 2021"


def test_apply_refuses_when_the_text_changed_and_leaves_the_plan_alone():
    plan = _plan()
    path = {"area": "section", "section": "I", "block": 1, "start": _at(TEXT, "năm 2020")}
    f = _finding("year", path, "năm 2020", "năm 2021")
    plan = store_findings(plan, [f])
    edited = replace(
        plan,
        sections=(
            replace(
                plan.sections[0],
                blocks=(plan.sections[0].blocks[0], Block("dash", "Nội dung mới hoàn toàn.")),
            ),
        ),
    )
    with pytest.raises(PlannerError) as err:
        apply_finding(edited, f.id)
    assert "đã thay đổi" in str(err.value) and "Mục I, đoạn 2" in str(err.value)
    assert findings_of(edited)[0].status == "open"


def test_apply_finds_a_moved_text_when_it_is_unique():
    plan = _plan("Kế hoạch năm 2020.")
    path = {"area": "section", "section": "I", "block": 1, "start": 9}
    f = _finding("year", path, "năm 2020", "năm 2021")
    plan = store_findings(plan, [f])
    blocks = list(plan.sections[0].blocks)
    blocks[1] = replace(blocks[1], text="Nay là Kế hoạch năm 2020.")
    plan = replace(plan, sections=(replace(plan.sections[0], blocks=tuple(blocks)),))
    plan = apply_finding(plan, f.id)
    assert plan.find_section("I").blocks[1].text == "Nay là Kế hoạch năm 2021."


def test_applying_an_inner_finding_updates_the_outer_one_and_vice_versa():
    text = "theo Nghị quyết X giai đoạn 2011-2020; tiếp."
    outer_text = "Nghị quyết X giai đoạn 2011-2020"
    base = {"area": "section", "section": "I", "block": 1}
    outer = _finding("replaced_directive", {**base, "start": 5}, outer_text, "Nghị quyết Y")
    inner = _finding(
        "ended_period",
        {**base, "start": _at(text, "giai")},
        "giai đoạn 2011-2020",
        "giai đoạn 2021-2030",
    )
    plan = store_findings(_plan(text), [outer, inner])
    # inner first: the outer finding's text follows the edit and can still be applied
    p1 = apply_finding(plan, inner.id)
    assert findings_of(p1)[0].text == "Nghị quyết X giai đoạn 2021-2030"
    p1 = apply_finding(p1, outer.id)
    assert p1.find_section("I").blocks[1].text == "theo Nghị quyết Y; tiếp."
    # outer first: the inner one lost its text and is closed, not left unusable
    p2 = apply_finding(plan, outer.id)
    by_id = {f.id: f for f in findings_of(p2)}
    assert by_id[inner.id].status == "dismissed"
    assert p2.find_section("I").blocks[1].text == "theo Nghị quyết Y; tiếp."


def test_dismiss_and_reopen_and_refusals():
    plan = _plan()
    path = {"area": "section", "section": "I", "block": 1, "start": 0}
    f = _finding("year", path, "năm 2020", "năm 2021")
    empty = _finding("past_event", {**path, "start": 16}, "năm 2020", "")
    plan = store_findings(plan, [f, empty])
    assert not empty.can_apply and f.can_apply
    with pytest.raises(PlannerError, match="không có đề xuất"):
        apply_finding(plan, empty.id)
    dismissed = dismiss_finding(plan, f.id)
    assert findings_of(dismissed)[0].status == "dismissed"
    assert dismissed.find_section("I").blocks[1].text == TEXT
    with pytest.raises(PlannerError, match="đã được xử lý"):
        apply_finding(dismissed, f.id)
    reopened = reopen_finding(dismissed, f.id)
    applied = apply_finding(reopened, f.id)
    with pytest.raises(PlannerError, match="đã được áp dụng"):
        dismiss_finding(applied, f.id)
    with pytest.raises(PlannerError, match="Không tìm thấy phát hiện"):
        apply_finding(plan, "khong-co")


def test_apply_on_other_areas():
    plan = Plan(preamble=("Mở đầu năm 2020.",), closing=("Kết năm 2020./.",))
    plan = replace(plan, meta=replace(plan.meta, subject="Công tác năm 2020"))
    fs = [
        _finding("year", {"area": "meta", "field": "subject", "start": 10}, "năm 2020", "năm 2021"),
        _finding("year", {"area": "preamble", "index": 0, "start": 7}, "năm 2020", "năm 2021"),
        _finding("year", {"area": "closing", "index": 0, "start": 4}, "năm 2020", "năm 2021"),
    ]
    plan = store_findings(plan, fs)
    for f in fs:
        plan = apply_finding(plan, f.id)
    assert plan.meta.subject == "Công tác năm 2021"
    assert plan.preamble == ("Mở đầu năm 2021.",)
    assert plan.closing == ("Kết năm 2021./.",)


def test_apply_on_a_table_cell():
    table = Block("table", "", rows=(("Việc", "Thời gian"), ("Tổng kết", "tháng 12/2020")))
    plan = Plan(sections=(Section("I", "A", blocks=(table,)),))
    path = {"area": "section", "section": "I", "block": 0, "row": 1, "col": 1, "start": 0}
    assert get_text(plan, path) == "tháng 12/2020"
    f = _finding("past_event", path, "tháng 12/2020", "tháng 12/2021")
    plan = apply_finding(store_findings(plan, [f]), f.id)
    assert plan.sections[0].blocks[0].rows[1] == ("Tổng kết", "tháng 12/2021")
    assert "hàng 2, cột 2" in f.place


def test_apply_on_task_fields():
    plan = _plan()
    due = _finding(
        "task_date", {"area": "task", "id": "t1", "field": "due"}, "25/11/2020", "25/11/2021"
    )
    status = _finding(
        "task_status", {"area": "task", "id": "t1", "field": "status"}, "Hoàn thành", "Chưa bắt đầu"
    )
    progress = _finding(
        "task_status", {"area": "task", "id": "t1", "field": "progress"}, "100", "0"
    )
    plan = store_findings(plan, [due, status, progress])
    for f in (due, status, progress):
        plan = apply_finding(plan, f.id)
    t = plan.tasks[0]
    assert (t.due, t.status, t.progress) == (date(2021, 11, 25), "planned", 0)
    stale = _finding(
        "task_date", {"area": "task", "id": "t1", "field": "start"}, "01/01/2020", "01/01/2021"
    )
    with pytest.raises(PlannerError, match="đã thay đổi"):
        apply_finding(store_findings(plan, [stale]), stale.id)


def test_review_progress_counts_tracked_blocks_only():
    assert review_progress(_plan()) == (1, 2)
    assert review_progress(Plan()) == (0, 0)


def test_malformed_stored_findings_are_refused_in_vietnamese():
    plan = store_findings(_plan(), [])
    from planner.model import with_extra

    with pytest.raises(PlanFormatError, match="danh sách"):
        findings_of(with_extra(plan, findings={"a": 1}))
    with pytest.raises(PlanFormatError, match="path"):
        findings_of(with_extra(plan, findings=[{"id": "x", "kind": "year", "text": "2020"}]))
    with pytest.raises(PlanFormatError, match="trạng thái"):
        findings_of(
            with_extra(plan, findings=[{"id": "x", "path": {"area": "meta"}, "status": "done"}])
        )


def test_unknown_keys_of_a_finding_survive():
    path = {"area": "meta", "field": "subject", "start": 0}
    f = replace(_finding("citation_unknown", path, "X", ""), extra={"directive_row": {"id": "a"}})
    back = findings_of(store_findings(Plan(), [f]))[0]
    assert back.extra == {"directive_row": {"id": "a"}}


def test_merge_keeps_decisions_and_replaces_open_findings_of_the_kinds_rerun():
    path = {"area": "meta", "field": "subject", "start": 0}
    kept = _finding("year", path, "a", "b")
    dismissed = replace(_finding("citation_date", path, "c", "d"), status="dismissed")
    stale = _finding("citation_unknown", path, "e", "")
    plan = store_findings(Plan(), [kept, dismissed, stale])
    again = replace(dismissed, status="open")
    fresh = _finding("party_symbol", path, "f", "g")
    merged = findings_of(
        merge_findings(
            plan, [again, fresh], kinds=("citation_date", "citation_unknown", "party_symbol")
        )
    )
    assert [(f.id, f.status) for f in merged] == [
        (kept.id, "open"),
        (dismissed.id, "dismissed"),
        (fresh.id, "open"),
    ]


def test_applying_a_new_citation_on_a_base_drops_its_old_catalogue_link():
    from planner.model import Base

    text = "Căn cứ Kế hoạch số 106/KH-UBND, ngày 08/7/2020 năm 2020;"
    plan = Plan(bases=(Base(text, "kh-106-ubnd-2020"),))
    sup = _finding(
        "superior_plan",
        {"area": "bases", "index": 0, "start": 7},
        "Kế hoạch số 106/KH-UBND, ngày 08/7/2020",
        "Kế hoạch số …/KH-UBND, ngày …/…/2021",
    )
    year = _finding(
        "year",
        {"area": "bases", "index": 0, "start": text.index("năm 2020")},
        "năm 2020",
        "năm 2021",
    )
    plan = store_findings(plan, [sup, year])
    after_year = apply_finding(plan, year.id)
    assert after_year.bases[0].directive_id == "kh-106-ubnd-2020"
    after = apply_finding(after_year, sup.id)
    assert after.bases[0].directive_id is None
    assert after.bases[0].text == "Căn cứ Kế hoạch số …/KH-UBND, ngày …/…/2021 năm 2021;"


# ---------------------------------------------------------------- repeats across fields


def _paragraphs(n: int) -> tuple[Plan, list[Finding]]:
    """`n` paragraphs "Việc k năm 2020." (one year finding each), a period in every third,
    a table cell and a section whose number cannot be packed."""
    texts = [
        f"Việc {k} năm 2020." + (" Giai đoạn 2016-2020." if k % 3 == 0 else "") for k in range(n)
    ]
    blocks = tuple(Block("paragraph", t) for t in texts)
    table = Block("table", rows=(("Năm", "năm 2020"),))
    plan = Plan(
        sections=(
            Section("I", "Mục", blocks=(*blocks, table)),
            Section(
                "II", "Mục lạ", children=(Section("a/b", "Con", (Block("paragraph", "năm 2020"),)),)
            ),
        )
    )
    found: list[Finding] = []
    for k, t in enumerate(texts):
        path = {"area": "section", "section": "I", "block": k, "start": t.index("năm")}
        f = _finding("year", path, "năm 2020", "năm 2021")
        found.append(replace(f, extra={"group": f"0-{t.index('.') + 1}"}))
        if k % 3 == 0:
            p = {**path, "start": t.index("Giai")}
            g = _finding("ended_period", p, "Giai đoạn 2016-2020", "Giai đoạn 2021-2025")
            found.append(replace(g, extra={"group": f"{t.index('.') + 2}-{len(t)}"}))
    cell = {"area": "section", "section": "I", "block": n, "row": 0, "col": 1, "start": 0}
    found.append(_finding("year", cell, "năm 2020", "năm 2021"))
    odd = {"area": "section", "section": "II.a/b", "block": 0, "start": 0}
    found.append(_finding("year", odd, "năm 2020", "năm 2021"))
    return plan, found


def test_repeats_across_fields_are_stored_once_and_read_back_as_each_place():
    plan, found = _paragraphs(30)
    stored = store_findings(plan, found)
    raw = stored.extra["findings"]
    # the 30 paragraphs' years are one entry, the 10 periods another; the table cell (other
    # path keys) and the section "II.a/b" (a "/" in its number) stay entries of their own
    assert len(raw) == 4
    assert raw[0]["text"] == "năm 2020" and len(raw[0]["places"].split()) == 29
    assert raw[1]["text"] == "Giai đoạn 2016-2020" and len(raw[1]["places"].split()) == 9
    assert "places" not in raw[2] and "places" not in raw[3]
    back = findings_of(plan_from_json(plan_to_json(stored)))
    assert back == found  # same order, ids, places, paths, statuses
    assert [f.extra for f in back] == [f.extra for f in found]
    assert [f.place for f in back][:3] == ["Mục I, đoạn 1", "Mục I, đoạn 1", "Mục I, đoạn 2"]
    # packed small: a place is a few characters, not a finding's dict
    assert len(json.dumps(raw, ensure_ascii=False)) < 60 * len(found)


def test_each_packed_place_is_applied_and_dismissed_on_its_own_or_all_together():
    plan, found = _paragraphs(9)
    plan = store_findings(plan, found)
    years = [f for f in found if f.kind == "year"]
    plan = apply_finding(plan, years[4].id)
    plan = dismiss_finding(plan, years[5].id)
    status = {f.id: f.status for f in findings_of(plan)}
    assert status[years[4].id] == "applied" and status[years[5].id] == "dismissed"
    assert [status[f.id] for f in years[6:9]] == ["open"] * 3
    blocks = plan.find_section("I").blocks
    assert blocks[4].text == "Việc 4 năm 2021." and blocks[5].text == "Việc 5 năm 2020."
    assert len(plan.extra["findings"]) == 6  # open, applied and dismissed years: three entries
    plan = apply_findings(plan, [f.id for f in findings_of(plan) if f.can_apply])
    texts = [b.text for b in plan.find_section("I").blocks[:9]]
    assert texts[5] == "Việc 5 năm 2020." and texts[6] == "Việc 6 năm 2021. Giai đoạn 2021-2025."
    assert [f.status for f in findings_of(plan)].count("open") == 0


@pytest.mark.parametrize(
    "places",
    [
        5,
        "1:I/3:7",  # too few fields
        "0:I/3:7:0-1::abc",  # a gap of 0
        "1:I/x:7:0-1::abc",  # a block number that is not a number
        "1:I/3:7:0-1:2,x:abc",
        "9:I/3:7:0-1::abc",  # points past the end of the list
    ],
)
def test_malformed_places_are_refused_in_vietnamese(places):
    plan, found = _paragraphs(2)
    stored = store_findings(plan, found[:1]).extra["findings"]
    from planner.model import with_extra

    bad = with_extra(plan, findings=[{**stored[0], "places": places}])
    with pytest.raises(PlanFormatError, match="places"):
        findings_of(bad)
