"""Export → import gives the same plan back (meta, structure, every text).

The exporter fixes two things on purpose (ND30): the last Căn cứ ends with `.` and the
recipients are written `- X;` with a final `- Lưu: VT….`. The expected plan applies the
exporter's own rules for those, nothing else.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.docx.reader import import_docx
from planner.docx.writer import basis_lines, export_docx, recipient_lines
from planner.model import Base, Block, Plan, Section, Signer, Task, plan_to_dict
from tests import docx_builders as B

TODAY = date(2021, 3, 15)


def as_exported(plan: Plan) -> Plan:
    bases = tuple(
        replace(b, text=t)
        for b, t in zip(plan.bases, basis_lines([b.text for b in plan.bases]), strict=True)
    )
    recipients = tuple(r[2:] for r in recipient_lines(plan.recipients))
    return replace(plan, bases=bases, recipients=recipients)


def assert_same(got: Plan, expected: Plan) -> None:
    g, e = plan_to_dict(got), plan_to_dict(expected)
    for key in ("meta", "bases", "preamble", "sections", "closing", "recipients", "signer"):
        assert g[key] == e[key], key


def roundtrip(plan: Plan) -> tuple[Plan, tuple[str, ...]]:
    result = import_docx(export_docx(plan, today=TODAY), "xuat.docx")
    return result.plan, result.warnings


def test_sample_roundtrip():
    plan = B.sample_plan()
    got, warnings = roundtrip(plan)
    assert warnings == ()
    assert_same(got, as_exported(plan))


def test_roundtrip_is_a_fixed_point():
    once, _ = roundtrip(B.sample_plan())
    twice, _ = roundtrip(once)
    assert_same(twice, once)


def test_draft_with_deputy_signer_and_table_roundtrip():
    plan = B.sample_plan()
    meta = replace(
        plan.meta, number="", issued=None, year=2021, subject="Công tác dân vận năm 2021"
    )
    table = Block(
        "table", "", (("STT", "Nội dung", "Thời gian"), ("1", "Kiểm tra", "Tháng 3/2021"))
    )
    first = plan.sections[0]
    sections = (replace(first, blocks=(*first.blocks, table)), *plan.sections[1:])
    plan = replace(
        plan,
        meta=meta,
        sections=sections,
        signer=Signer("KT.", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Trần Thị Bích"),
        bases=(*plan.bases, Base("Thực hiện Công văn số 5/SGDĐT của Sở GDĐT;")),
    )
    got, _ = roundtrip(plan)
    assert got.meta.number == "" and got.meta.issued is None and got.meta.year == 2021
    assert_same(got, as_exported(plan))


@pytest.mark.parametrize("n", [40, 200])
def test_large_plan_roundtrip(n):
    plan = B.large_plan(n)
    got, _ = roundtrip(plan)
    assert_same(got, as_exported(plan))


def test_letter_sections_roundtrip():
    plan = B.sample_plan()
    sub = Section("a", "Ở cấp mầm non", (Block("dash", "Tổ chức tuyên truyền."),))
    sub2 = Section("b", "Ở cấp tiểu học", (Block("plus", "Kiểm tra cuối năm."),))
    s = plan.sections[1].children[0]
    children = (replace(s, children=(sub, sub2)), *plan.sections[1].children[1:])
    sections = (plan.sections[0], replace(plan.sections[1], children=children), plan.sections[2])
    plan = replace(plan, sections=sections)
    got, _ = roundtrip(plan)
    assert got.find_section("II.1.b") is not None
    assert_same(got, as_exported(plan))


@pytest.mark.parametrize(
    ("parent", "authority"),
    [
        ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ THỦ DẦU MỘT", "TRƯỜNG TRUNG HỌC CƠ SỞ NGUYỄN VĂN CỪ"),
        ("", "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH BÌNH DƯƠNG"),
    ],
)
def test_long_agency_names_roundtrip(parent, authority):
    plan = B.sample_plan()
    plan = replace(plan, meta=replace(plan.meta, parent_authority=parent, authority=authority))
    got, _ = roundtrip(plan)
    assert (got.meta.parent_authority, got.meta.authority) == (parent, authority)


def test_schedule_table_comes_back_as_tasks():
    from planner.progress.tasks import schedule_rows

    plan = B.sample_plan()
    tasks = (
        Task(
            "t1",
            "Tổ chức kiểm tra",
            "Phòng GDĐT",
            ("Các trường",),
            date(2021, 3, 1),
            date(2021, 3, 31),
        ),
        Task("t2", "Báo cáo cuối năm", "Các trường", (), None, date(2021, 11, 25)),
        Task(
            "t3", "Tuyên truyền thường xuyên", "Phòng GDĐT", ("Các trường", "Công đoàn"), None, None
        ),
        Task("t4", "Hội nghị sơ kết", "Phòng GDĐT", (), date(2021, 6, 15), None),
    )
    plan = replace(plan, tasks=tasks)
    data = export_docx(plan, today=TODAY, schedule_rows=schedule_rows(plan))
    result = import_docx(data, "tien-do.docx")
    got = {(t.title, t.lead, t.support, t.start, t.due) for t in result.plan.tasks}
    assert got == {(t.title, t.lead, t.support, t.start, t.due) for t in tasks}
    assert_same(result.plan, as_exported(plan))  # no extra "TIẾN ĐỘ" section
    assert any("Tiến độ thực hiện" in w for w in result.warnings)


# ---------------------------------------------------------------- the 2021 draft (issue #11)
# import(export(rollover(plan))) is the draft, except what a Word file cannot carry: the
# editor's review marks (`Block.reviewed`, set False on every carried-over block), a Căn cứ's
# link to its catalogue row, and the extras (the rollover's record, findings, last year's
# plan), which plan equality ignores anyway.


def _unreviewed(s: Section) -> Section:
    return replace(
        s,
        blocks=tuple(replace(b, reviewed=None) for b in s.blocks),
        children=tuple(_unreviewed(c) for c in s.children),
    )


def as_word_carries(plan: Plan) -> Plan:
    plan = as_exported(plan)
    return replace(
        plan,
        bases=tuple(replace(b, directive_id=None) for b in plan.bases),
        sections=tuple(_unreviewed(s) for s in plan.sections),
        appendices=tuple(
            replace(a, blocks=tuple(replace(b, reviewed=None) for b in a.blocks))
            for a in plan.appendices
        ),
    )


def assert_draft_comes_back(draft: Plan, today: date) -> Plan:
    result = import_docx(export_docx(draft, today=today), "du-thao.docx")
    assert result.not_understood == ()
    got, expected = plan_to_dict(result.plan), plan_to_dict(as_word_carries(draft))
    for key in (
        "meta", "bases", "preamble", "sections", "closing", "recipients", "signer",
        "appendices", "tasks",
    ):  # fmt: skip
        assert got.get(key) == expected.get(key), key
    return result.plan


def test_the_2021_draft_of_the_sample_comes_back_as_the_draft():
    from planner.catalogue.model import Catalogue
    from planner.drafting.rollover import rollover
    from planner.paths import SHIPPED_CSV

    draft = rollover(
        B.sample_plan(), 2021, catalogue=Catalogue.from_csv(SHIPPED_CSV), today=TODAY
    ).plan
    # the draft really carries review marks the file drops: the comparison is not empty
    assert any(b.reviewed is False for _, s in draft.iter_sections() for b in s.blocks)
    got = assert_draft_comes_back(draft, TODAY)
    assert (got.meta.number, got.meta.issued, got.meta.year) == ("", None, 2021)
    assert got.meta.subject == "Thực hiện công tác dân vận chính quyền năm 2021"
    assert_same(assert_draft_comes_back(got, TODAY), got)  # and again: a fixed point


def test_the_draft_of_an_office_plan_keeps_its_appendix_and_signer():
    from planner.drafting.rollover import rollover
    from tests import office_docs as O

    data = O.office_docx(header="3x3", appendix="landscape", schedule=O.assignment_table())
    source = import_docx(data, "kh.docx").plan
    draft = rollover(source, source.meta.year + 1, today=TODAY).plan
    got = assert_draft_comes_back(draft, TODAY)
    assert got.appendices[0].landscape and got.appendices[0].blocks[0].header_rows == 2
    assert got.signer == Signer("KT.", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Nguyễn Văn An")
