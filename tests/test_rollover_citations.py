"""Citations are sacred text in the rollover: never rewritten inside, only replaced whole.

Also: findings of one sentence are applied together (`apply_findings`), the `findings`
command applies them as the page does, and a dense plan's draft stays small.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalogue.citation import first_citation, resolve
from planner.catalogue.model import Catalogue, Directive
from planner.cli.main import main
from planner.drafting.findings import (
    Finding,
    FindingError,
    apply_finding,
    apply_findings,
    finding_from_dict,
    findings_of,
    get_text,
)
from planner.drafting.rollover import citation_spans, iter_texts, rollover
from planner.errors import PlanFormatError
from planner.model import Base, Block, Meta, Plan, Section, load_plan, plan_to_json, save_plan
from planner.paths import SAMPLE_PATH, SHIPPED_CSV

TODAY = date(2021, 9, 1)

C106 = (
    "Kế hoạch số 106/KH-UBND, ngày 08/7/2020 của Ủy ban nhân dân thành phố Thủ Dầu Một "
    "về Thực hiện công tác dân vận chính quyền năm 2020"
)
C30C = (
    "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ về ban hành Chương trình tổng thể "
    "cải cách hành chính nhà nước giai đoạn 2011-2020"
)
C76 = (
    "Nghị quyết số 76/NQ-CP ngày 13/6/2013 của Chính phủ về việc sửa đổi, bổ sung một số điều "
    "của Nghị quyết 30c/NQ-CP ngày 08/11/2011 của Chính phủ ban hành Chương trình tổng thể cải "
    "cách hành chính Nhà nước giai đoạn 2011-2020"
)
C769 = (
    "Kế hoạch số 769/KH-SGDĐT, ngày 20/5/2020 của Sở GDĐT về triển khai thực hiện Chương trình "
    "công tác phối hợp giữa Ban Dân vận Tỉnh ủy và Sở GDĐT tỉnh Bình Dương năm 2020"
)
C25 = (
    "Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương khóa XI về tăng cường "
    "và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới"
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.from_csv(SHIPPED_CSV)


@pytest.fixture(scope="module")
def rolled(catalogue):
    return rollover(load_plan(SAMPLE_PATH), 2021, catalogue=catalogue, today=TODAY)


def _open(plan: Plan) -> dict[str, Finding]:
    return {f.id: f for f in findings_of(plan) if f.status == "open"}


# ---------------------------------------------------------------- what users saw


def test_applying_everything_never_rewrites_the_2013_resolutions_title(rolled):
    plan = apply_findings(rolled.plan, [f.id for f in rolled.open_findings if f.can_apply])
    text = plan.find_section("II.3").blocks[0].text
    assert C76 in text  # kept as cited, every character
    assert "2011-2021" not in text and "sửa đổi, bổ sung một số điều của Nghị quyết 30c" in text
    assert text.startswith(
        "Triển khai thực hiện nghiêm túc Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ "
        "ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;"
    )


def test_the_first_base_is_one_finding_and_its_fix_is_coherent(rolled):
    (f,) = [f for f in rolled.findings if f.place == "Căn cứ 1"]
    plan = apply_finding(rolled.plan, f.id)
    text = plan.bases[0].text
    # the 2020 number and date never stand with a 2021 title: both go, blanks stay visible
    assert "106/KH-UBND" not in text and "08/7/2020" not in text
    assert text == (
        "Căn cứ Kế hoạch số …/KH-UBND, ngày …/…/2021 của Ủy ban nhân dân thành phố Thủ Dầu Một "
        "về Thực hiện công tác dân vận chính quyền năm 2021;"
    )
    # applied, but the text keeps its blanks for the readiness check to flag
    (after,) = [g for g in findings_of(plan) if g.id == f.id]
    assert after.status == "applied" and after.extra["needs_update"] is True


def test_a_successor_in_the_catalogue_is_cited_whole():
    old = Directive(
        "kh-106-2020",
        "Kế hoạch",
        "106",
        "106/KH-UBND",
        issued=date(2020, 7, 8),
        issuer="Ủy ban nhân dân thành phố Thủ Dầu Một",
        title="về Thực hiện công tác dân vận chính quyền năm 2020",
    )
    new = Directive(
        "kh-88-2021",
        "Kế hoạch",
        "88",
        "88/KH-UBND",
        issued=date(2021, 6, 2),
        issuer="Ủy ban nhân dân thành phố Thủ Dầu Một",
        title="về Thực hiện công tác dân vận chính quyền năm 2021",
    )
    plan = Plan(meta=Meta(year=2020, subject="Kế hoạch"), bases=(Base(f"Căn cứ {C106};"),))
    # found by its title with the year moved (same type and issuer, issued 2020-2021)
    (f,) = rollover(plan, 2021, catalogue=Catalogue([old, new]), today=TODAY).open_findings
    assert f.text == C106 and f.suggestion == first_citation(new)
    assert f.suggestion == (
        "Kế hoạch số 88/KH-UBND ngày 02/6/2021 của Ủy ban nhân dân thành phố Thủ Dầu Một "
        "về Thực hiện công tác dân vận chính quyền năm 2021"
    )
    assert "needs_update" not in f.extra
    # or named by `replaced_by`, whatever its title
    renamed = replace(new, title="về công tác dân vận năm 2021")
    linked = replace(old, replaced_by=renamed.id)
    (g,) = rollover(plan, 2021, catalogue=Catalogue([linked, renamed]), today=TODAY).open_findings
    assert g.suggestion == first_citation(renamed)


def test_a_citation_is_never_split_into_year_findings(catalogue):
    text = (
        f"Căn cứ {C106}; thực hiện {C769}, năm 2020 tổ chức tốt. Theo Quyết định số "
        "1/QĐ-UBND ngày 02/01/2018 về Chiến lược giai đoạn 2016-2020 của tỉnh; "
        "Hướng dẫn số 12/HD-SGDĐT ngày 05/9/2019 về nhiệm vụ năm học 2019-2020."
    )
    plan = Plan(meta=Meta(year=2020), sections=(Section("I", "Mục", (Block("paragraph", text),)),))
    found = rollover(plan, 2021, catalogue=catalogue, today=TODAY).open_findings
    spans = [(cs.start, cs.end) for cs in citation_spans(text, catalogue=catalogue)]
    # the title of a known row ends where the catalogue's title ends, not at the clause's end
    assert (C769, True) in [(text[a:b], True) for a, b in spans]
    for f in found:
        for s in f.starts:
            e = s + len(f.text)
            for a, b in spans:
                if s < b and a < e:  # touches a citation: then it is the whole citation
                    assert s <= a and e >= b, (f.kind, f.text)
    kinds = [(f.kind, f.text[:30], f.suggestion[:30]) for f in found]
    assert kinds == [
        ("superior_plan", C106[:30], "Kế hoạch số …/KH-UBND, ngày …/"),
        ("superior_plan", C769[:30], "Kế hoạch số …/KH-SGDĐT, ngày …"),
        ("year", "năm 2020", "năm 2021"),
        # an ended programme's citation: flagged whole, no guessed successor
        ("ended_period", "Quyết định số 1/QĐ-UBND ngày 0", ""),
        # a yearly document of last school year: blanks to fill, title's school year moved
        ("yearly_document", "Hướng dẫn số 12/HD-SGDĐT ngày ", "Hướng dẫn số …/HD-SGDĐT ngày …"),
    ]
    assert found[-1].suggestion.endswith("ngày …/…/2020 về nhiệm vụ năm học 2020-2021")


def test_citation_spans_end_at_the_title():
    text = f"Căn cứ {C769}, Phòng GDĐT ký ban hành Kế hoạch số 28-KH/BDV-PGDĐT, ngày 10/6/2020."
    first, second = citation_spans(text)
    assert text[first.start : first.end] == C769
    assert text[second.start : second.end] == "Kế hoạch số 28-KH/BDV-PGDĐT, ngày 10/6/2020"
    (outer, inner) = citation_spans(C76)
    assert (outer.start, outer.end) == (0, len(C76))
    assert outer.nested == ((inner.start, inner.mention.end),)
    # a citation without "của/về …" after it has no title to protect
    (bare,) = citation_spans("Kế hoạch số 12/KH-UBND ngày 08/7/2020 chào mừng Đại hội")
    assert bare.end == len("Kế hoạch số 12/KH-UBND ngày 08/7/2020")


# ---------------------------------------------------------------- groups and merged repeats


def test_findings_of_one_sentence_are_applied_together(rolled):
    body = [f for f in rolled.open_findings if f.place == "Mục II.1, đoạn 2"]
    assert len(body) == 2 and body[0].group == body[1].group
    assert body[0].group.startswith("section/II.1/1@")
    plan = apply_findings(rolled.plan, [body[0].id])
    after = {f.id: f.status for f in findings_of(plan)}
    assert after[body[0].id] == after[body[1].id] == "applied"
    assert "2020" not in plan.find_section("II.1").blocks[1].text.split(". Tập trung")[0]
    # apply_finding alone still applies that finding only
    alone = apply_finding(rolled.plan, body[0].id)
    assert _open(alone).keys() >= {body[1].id}
    # other sentences are other groups
    groups = {f.group for f in rolled.open_findings}
    assert len(groups) == len({f.group for f in rolled.open_findings if f.group})


def test_apply_findings_refuses_unknown_or_handled_ids_and_changes_nothing(rolled):
    plan = rolled.plan
    f = next(f for f in rolled.open_findings if f.can_apply)
    with pytest.raises(FindingError, match="Không tìm thấy phát hiện"):
        apply_findings(plan, [f.id, "khong-co"])
    done = apply_findings(plan, [f.id])
    with pytest.raises(FindingError, match="đã được xử lý"):
        apply_findings(done, [f.id])
    no_fix = next(f for f in rolled.open_findings if not f.can_apply)
    with pytest.raises(FindingError, match="không có đề xuất"):
        apply_findings(plan, [no_fix.id])


def test_the_same_stale_text_in_a_field_is_one_finding_applied_everywhere():
    text = "Năm 2020: tổng kết năm 2020, báo cáo năm 2020; giai đoạn 2016-2020 và năm 2020."
    plan = Plan(meta=Meta(year=2020), sections=(Section("I", "Mục", (Block("paragraph", text),)),))
    r = rollover(plan, 2021, today=TODAY)
    years = [f for f in r.open_findings if f.kind == "year"]
    assert [(f.text, f.count) for f in years] == [("Năm 2020", 1), ("năm 2020", 3)]
    many = years[1]
    assert [text[s : s + 8] for s in many.starts] == ["năm 2020"] * 3
    (period,) = [f for f in r.open_findings if f.kind == "ended_period"]
    fixed = apply_finding(apply_finding(r.plan, many.id), period.id)
    assert fixed.find_section("I").blocks[0].text == (
        "Năm 2020: tổng kết năm 2021, báo cáo năm 2021; giai đoạn 2021-2025 và năm 2021."
    )
    # every finding still points at its text after the other was applied
    for f in findings_of(fixed):
        shown = f.suggestion if f.status == "applied" else f.text
        current = get_text(fixed, f.path)
        assert all(current[s : s + len(shown)] == shown for s in f.starts), f
    # a stored finding keeps its occurrences; a malformed list of them is refused in Vietnamese
    again = findings_of(fixed)
    assert [f.starts for f in again] == [f.starts for f in findings_of(fixed)]
    bad = {**years[1].to_dict(), "also": "5 x"}
    with pytest.raises(PlanFormatError, match="also"):
        finding_from_dict(bad)


# ---------------------------------------------------------------- the property

_CITES = [C106, C30C, C76, C769, C25]
_CLAUSES = st.sampled_from(
    [
        *_CITES,
        "Căn cứ " + C106,
        "năm 2020",
        "giai đoạn 2011-2020",
        "giai đoạn 2016 - 2020",
        "ngày 15/12/2020",
        "Đại hội Đảng các cấp sắp tới",
        "nhiệm kỳ 2020-2025",
        "Triển khai thực hiện nghiêm túc " + C30C,
        "tổ chức tốt năm 2020 và năm 2019",
    ]
)
_TEXT = st.lists(_CLAUSES, min_size=1, max_size=5).flatmap(
    lambda cs: st.lists(st.sampled_from(["; ", ". "]), min_size=len(cs), max_size=len(cs)).map(
        lambda seps: "".join(c + s for c, s in zip(cs, seps, strict=True)).rstrip()
    )
)


def _years(text: str) -> set[str]:
    return set(re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text))


def _check_citations(text: str, catalogue: Catalogue) -> None:
    """Each citation whose number and date name a row carries that row's title years."""
    for cs in citation_spans(text, catalogue=catalogue):
        m = cs.mention
        if m.issued is None:
            continue
        d = resolve(m, catalogue)
        if d is None or d.issued != m.issued:
            continue
        own = text[m.end : cs.end]
        for s, e in cs.nested:
            own = own.replace(text[s:e], " ")
        allowed = _years(d.title) | {str(d.issued.year)}
        assert _years(own) <= allowed, (m.raw, own, d.id)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bases=st.lists(_TEXT, max_size=2),
    blocks=st.lists(_TEXT, min_size=1, max_size=3),
    picks=st.lists(st.integers(0, 1000), max_size=12),
)
def test_property_applying_any_findings_in_any_order_keeps_citations_true(
    catalogue, bases, blocks, picks
):
    plan = Plan(
        meta=Meta(year=2020, subject="Kế hoạch năm 2020"),
        bases=tuple(Base(t) for t in bases),
        sections=(Section("I", "Mục", tuple(Block("paragraph", t) for t in blocks)),),
    )
    for _, text in iter_texts(plan):
        _check_citations(text, catalogue)  # true of the input: it must stay true
    r = rollover(plan, 2021, catalogue=catalogue, today=TODAY)
    opened = {f.id: f for f in r.findings if f.status == "open"}
    ids = list(opened)
    out = r.plan
    for p in picks:
        if not ids:
            break
        fid = ids[p % len(ids)]
        if fid in _open(out) and _open(out)[fid].can_apply:
            out = apply_findings(out, [fid])
    cites = {first_citation(d) for d in catalogue}
    for path, text in iter_texts(out):
        _check_citations(text, catalogue)
        before = get_text(r.plan, path)
        if before is None:
            continue
        applied = [
            opened[f.id]
            for f in findings_of(out)
            if f.status == "applied"
            and f.id in opened
            and {k: v for k, v in f.path.items() if k != "start"} == path
        ]
        for cs in citation_spans(before, catalogue=catalogue):
            a, b = cs.start, cs.end
            touching = [g for g in applied if any(s < b and a < s + len(g.text) for s in g.starts)]
            for g in touching:  # a citation is only ever replaced whole, by a citation
                assert any(s <= a and s + len(g.text) >= b for s in g.starts), (g.text, before)
                assert g.suggestion in cites or "…" in g.suggestion, g.suggestion
            if not touching:
                assert before[a:b] in text, (before[a:b], text)


# ---------------------------------------------------------------- command line


def test_cli_findings_lists_applies_and_dismisses(tmp_path, capsys, rolled):
    draft = tmp_path / "2021.json"
    save_plan(rolled.plan, draft)
    assert main(["findings", str(draft)]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith("14 điểm: 13 cần xem, 1 đã áp dụng, 0 đã bỏ qua.")
    assert "cùng câu với 1 điểm khác" in listing
    body = [f for f in rolled.open_findings if f.place == "Mục II.1, đoạn 2"]
    dismiss = next(f for f in rolled.open_findings if f.kind == "past_event")
    out = tmp_path / "out.json"
    argv = ["findings", str(draft), "--apply", body[0].id, "--dismiss", dismiss.id]
    assert main([*argv, "-o", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(data["applied_now"]) == sorted(f.id for f in body)  # the group went together
    assert data["dismissed_now"] == [dismiss.id]
    saved = {f.id: f.status for f in findings_of(load_plan(out))}
    assert saved[body[1].id] == "applied" and saved[dismiss.id] == "dismissed"
    assert load_plan(draft) == rolled.plan  # the input is never overwritten
    assert main(["findings", str(out), "--apply", "all", "-o", str(out)]) == 0
    assert "Đã áp dụng" in capsys.readouterr().out
    assert not [f for f in findings_of(load_plan(out)) if f.can_apply]


def test_cli_findings_bad_input_exits_2_with_one_vietnamese_line(tmp_path, capsys, rolled):
    draft = tmp_path / "2021.json"
    save_plan(rolled.plan, draft)
    out = tmp_path / "out.json"
    cases = [
        ["findings", str(draft), "--apply", "khong-co", "-o", str(out)],
        ["findings", str(draft), "--apply", "all"],  # would change the plan: needs -o
        ["findings", str(tmp_path / "thieu.json")],
    ]
    for argv in cases:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("Lỗi:") and err.count("\n") == 1 and "Traceback" not in err
        assert not out.exists()


# ---------------------------------------------------------------- size


def _dense_plan(size: int) -> Plan:
    """A plan dense in "năm 2020": every sentence names it, some give a date of 2020."""
    sentence = (
        "Trong năm 2020, tiếp tục thực hiện công tác dân vận năm 2020 gắn với nhiệm vụ năm "
        "2020; tổng kết năm 2020 và sơ kết năm 2020, báo cáo năm 2020 trước ngày 15/12/2020. "
    )
    plan = load_plan(SAMPLE_PATH)
    sections, total, n = [], 0, 0
    while total < size:
        n += 1
        blocks = tuple(Block("paragraph", sentence * 4) for _ in range(10))
        sections.append(Section(str(n), f"Nội dung {n} năm 2020", blocks))
        total += len(sentence.encode()) * 40
    return replace(plan, sections=tuple(sections))


def test_a_dense_plans_draft_stays_within_three_times_its_size(catalogue):
    plan = _dense_plan(500_000)
    source = len(plan_to_json(plan).encode())
    r = rollover(plan, 2021, catalogue=catalogue, today=TODAY)
    # every occurrence of "năm 2020" and of the date is covered (6 + 1 a sentence)
    body = sum(b.text.count("2020") for _, s in plan.iter_sections() for b in s.blocks)
    covered = sum(f.count for f in r.findings if f.path.get("block") is not None)
    assert covered == body > 15_000
    draft = len(plan_to_json(r.plan).encode())
    assert draft <= 3 * source, draft / source


def _short_plan(size: int) -> Plan:
    """A plan of short paragraphs, each naming "năm 2020" once (one finding per paragraph)."""
    plan = load_plan(SAMPLE_PATH)
    sections, total, n = [], 0, 0
    while total < size:
        n += 1
        blocks = tuple(
            Block("paragraph", f"Hoạt động {n}.{k}: tổng kết năm 2020.") for k in range(10)
        )
        sections.append(Section(str(n), f"Nội dung {n}", blocks))
        total += sum(len(b.text.encode()) + 60 for b in blocks) + 80
    return replace(plan, sections=tuple(sections))


@pytest.fixture(scope="module")
def short_plan() -> Plan:
    return _short_plan(450_000)


def test_a_short_paragraph_plans_draft_stays_within_three_times_its_size(catalogue, short_plan):
    plan = short_plan
    source = len(plan_to_json(plan).encode())
    assert 400_000 < source < 700_000
    r = rollover(plan, 2021, catalogue=catalogue, today=TODAY)
    body = [b for _, s in plan.iter_sections() for b in s.blocks if b.text.startswith("Hoạt")]
    covered = [f for f in r.findings if f.path.get("block") is not None]
    assert [f.text for f in covered] == ["năm 2020"] * len(body)
    assert len(covered) == len(body) > 3_000  # one finding per paragraph, each its own
    assert len({f.id for f in r.findings}) == len(r.findings)
    stored = r.plan.extra["findings"]
    assert len(stored) < 50  # the paragraphs' findings are packed into one entry
    draft = len(plan_to_json(r.plan).encode())
    assert draft <= 3 * source, draft / source
    # the findings themselves are a small part of it (last year's plan is 1x by itself)
    packed = len(json.dumps(stored, ensure_ascii=False, indent=2).encode())
    assert packed <= 0.5 * source, packed / source
    # each paragraph's finding is still applied on its own, in its paragraph only
    one = covered[1234]
    fixed = apply_finding(r.plan, one.id)
    status = {f.id: f.status for f in findings_of(fixed)}
    assert status[one.id] == "applied" and status[covered[1233].id] == "open"
    assert get_text(fixed, one.path).endswith("tổng kết năm 2021.")
    assert get_text(fixed, covered[1235].path).endswith("tổng kết năm 2020.")


def _peak(fn: Any) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shape", ["short", "dense"])
def test_rollover_memory_stays_within_ten_times_the_plan(catalogue, short_plan, shape):
    plan = short_plan if shape == "short" else _dense_plan(450_000)
    source = len(plan_to_json(plan).encode())
    rollover(plan, 2021, catalogue=catalogue, today=TODAY)  # catalogue caches filled
    peak = _peak(lambda: rollover(plan, 2021, catalogue=catalogue, today=TODAY))
    assert peak <= 10 * source, peak / source
