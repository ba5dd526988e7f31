"""Pure edit operations on plans: addressing, numbering, moves, copies, diffs, findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.drafting import plan_edit as pe
from planner.drafting.findings import (
    apply_finding,
    findings_of,
    get_text,
    new_finding,
    store_findings,
)
from planner.model import MAX_SECTION_DEPTH, Block, Plan, Section, plan_from_dict, plan_to_dict
from planner.text.numbering import number_label, to_letters, to_roman


def numbers(sections):
    return [s.number for s in sections]


def test_numbering_styles():
    assert [to_roman(n) for n in (1, 2, 3, 4, 9, 14, 40)] == [
        "I", "II", "III", "IV", "IX", "XIV", "XL",
    ]  # fmt: skip
    assert [to_letters(n) for n in (1, 4, 5, 6, 7, 23, 24)] == [
        "a", "d", "đ", "e", "g", "y", "aa",
    ]  # fmt: skip
    assert pe.style_of(["IV"], 3) == "roman"
    assert pe.style_of(["3"], 1) == "decimal"
    assert pe.style_of(["b"], 1) == "alpha"
    assert pe.style_of([], 1) == "roman"
    assert pe.style_of([], 2) == "decimal"
    assert pe.style_of([], 3) == "alpha"
    assert pe.style_of(["Phần A"], 2) == "decimal"


def test_section_addressing(sample):
    assert pe.section_index(sample, "II.1") == (1, 0)
    assert pe.section_index(sample, (1, 0)) == (1, 0)
    assert pe.section_path(sample, (2, 1)) == "III.2"
    assert pe.section_at(sample, "III.2").title.startswith("Các đơn vị")
    with pytest.raises(pe.PlanEditError, match="Không tìm thấy mục “IX.4”"):
        pe.section_index(sample, "IX.4")
    with pytest.raises(pe.PlanEditError, match="vị trí 2.9"):
        pe.section_index(sample, (1, 8))
    with pytest.raises(pe.PlanEditError, match="đoạn thứ 99"):
        pe.set_block(sample, "I", 98, text="x")


def test_meta_signer_recipients(sample):
    p = pe.set_meta(sample, subject="  Công tác   dân vận\nnăm 2021 ", issued=None, year=2021)
    assert p.meta.subject == "Công tác   dân vận năm 2021"
    assert p.meta.issued is None and p.meta.year == 2021
    assert pe.set_meta(sample, subject=sample.meta.subject) is sample
    with pytest.raises(pe.PlanEditError, match="Năm kế hoạch"):
        pe.set_meta(sample, year=12)
    with pytest.raises(pe.PlanEditError, match="trường “color”"):
        pe.set_meta(sample, color="red")
    p = pe.set_signer(p, prefix="KT.", deputy_position="PHÓ TRƯỞNG PHÒNG")
    assert p.signer.prefix == "KT." and p.signer.deputy_position == "PHÓ TRƯỞNG PHÒNG"
    with pytest.raises(pe.PlanEditError, match="Quyền hạn ký"):
        pe.set_signer(p, prefix="XX.")
    p = pe.set_recipients(p, pe.lines_of("Các trường;\n\n  Lưu: VT.  \n"))
    assert p.recipients == ("Các trường;", "Lưu: VT.")


def test_bases_add_move_remove_edit(sample):
    p = pe.add_base(sample, "Căn cứ Kế hoạch số 1/KH-UBND;", directive_id="kh-1", index=0)
    assert p.bases[0].text.startswith("Căn cứ Kế hoạch số 1") and p.bases[0].directive_id == "kh-1"
    p = pe.move_base(p, 0, +1)
    assert p.bases[1].directive_id == "kh-1"
    assert pe.move_base(p, 0, -1) is p
    p = pe.set_base_text(p, 1, "Căn cứ khác;")
    assert p.bases[1].text == "Căn cứ khác;"
    p = pe.remove_base(p, 1)
    assert p.bases == sample.bases
    with pytest.raises(pe.PlanEditError, match="căn cứ thứ 9"):
        pe.remove_base(p, 8)
    with pytest.raises(pe.PlanEditError, match="không được để trống"):
        pe.add_base(p, "   ")


def test_add_section_numbers_it_and_renumbers_siblings(sample):
    p = pe.add_section(sample, None, "KINH PHÍ", index=2)
    assert numbers(p.sections) == ["I", "II", "III", "IV"]
    assert p.sections[2].title == "KINH PHÍ" and p.sections[3].title == "TỔ CHỨC THỰC HIỆN"
    p = pe.add_section(p, "II", "Nhiệm vụ mới")
    assert numbers(p.sections[1].children)[-1] == "4"
    p = pe.add_section(p, "II.4", "Việc thứ nhất")
    p = pe.add_section(p, "II.4", "Việc thứ hai")
    assert numbers(p.sections[1].children[3].children) == ["a", "b"]


def test_move_delete_rename_sections(sample):
    p = pe.move_section(sample, "II.3", -1)
    kids = p.sections[1].children
    assert numbers(kids) == ["1", "2", "3"]
    assert kids[1].title.startswith("Đẩy mạnh cải cách") and kids[2].title.startswith(
        "Đẩy mạnh việc"
    )
    p = pe.delete_section(p, (1, 0))
    assert numbers(p.sections[1].children) == ["1", "2"]
    p = pe.rename_section(p, "III", title="TỔ CHỨC THỰC HIỆN KẾ HOẠCH")
    assert p.sections[2].title == "TỔ CHỨC THỰC HIỆN KẾ HOẠCH"
    assert pe.rename_section(p, "III", title=p.sections[2].title) is p


def test_depth_limit():
    s = Section("1", "x")
    p = Plan(sections=(s,))
    for _ in range(MAX_SECTION_DEPTH - 1):
        deepest = max(pe.iter_indexed(p.sections), key=lambda t: len(t[0]))[0]
        p = pe.add_section(p, deepest, "con")
    deepest = max(pe.iter_indexed(p.sections), key=lambda t: len(t[0]))[0]
    assert len(deepest) == MAX_SECTION_DEPTH
    with pytest.raises(pe.PlanEditError, match=f"tối đa {MAX_SECTION_DEPTH} cấp"):
        pe.add_section(p, deepest, "quá sâu")
    with pytest.raises(pe.PlanEditError, match="cấp mục"):
        pe.copy_section_from(Plan(sections=(s,)), p, (0,), parent=(0,))


def test_blocks(sample):
    p = pe.add_block(sample, "I", kind="dash", text="Nội dung mới", index=0)
    first = pe.section_at(p, "I").blocks[0]
    assert first.kind == "dash" and first.text == "Nội dung mới" and first.reviewed is None
    p = pe.set_block(p, "I", 0, text="Đã sửa", kind="plus")
    assert pe.section_at(p, "I").blocks[0] == replace(first, text="Đã sửa", kind="plus")
    p = pe.move_block(p, "I", 0, +1)
    assert pe.section_at(p, "I").blocks[1].text == "Đã sửa"
    p = pe.set_reviewed(p, "I", 1, True)
    assert pe.section_at(p, "I").blocks[1].reviewed is True
    p = pe.delete_block(p, "I", 1)
    assert pe.section_at(p, "I").blocks == pe.section_at(sample, "I").blocks
    with pytest.raises(pe.PlanEditError, match="Kiểu đoạn"):
        pe.set_block(p, "I", 0, kind="poem")


def test_copy_from_last_year_marks_unreviewed(sample):
    this_year = pe.delete_section(sample, "II")
    assert numbers(this_year.sections) == ["I", "II"]
    p = pe.copy_section_from(this_year, sample, "II", None, index=1)
    assert numbers(p.sections) == ["I", "II", "III"]
    copied = p.sections[1]
    assert copied.title == "NỘI DUNG" and len(copied.children) == 3
    copied_blocks = [b for _, _, sec in pe.iter_indexed((copied,)) for b in sec.blocks]
    assert copied_blocks and all(b.reviewed is False for b in copied_blocks)
    p2 = pe.copy_block_from(p, sample, "III.1", 0, "I", index=0)
    b = pe.section_at(p2, "I").blocks[0]
    assert b.text == pe.section_at(sample, "III.1").blocks[0].text and b.reviewed is False


def test_word_diff_and_match(sample):
    segs = pe.word_diff("năm 2020 dân vận", "năm 2021 dân vận khéo")
    assert "".join(s.text for s in segs if s.op != "insert") == "năm 2020 dân vận"
    assert "".join(s.text for s in segs if s.op != "delete") == "năm 2021 dân vận khéo"
    assert [s for s in segs if s.op == "delete"] == [pe.DiffSegment("delete", "2020")]
    assert pe.diff_counts(segs) == (1, 2)
    new = pe.rename_section(sample, "II.1", title="Tiếp tục quán triệt năm 2021")
    moved = pe.move_section(sample, "II.3", -1)
    assert pe.match_section(sample, moved, "II.2")[0] == (1, 2)  # by title
    assert pe.match_section(sample, new, "II.1")[0] == (1, 0)  # by path
    assert pe.section_diff(None, pe.section_at(sample, "I"))[0].op == "insert"


def _plan_with_finding(sample: Plan, section: str, block: int) -> tuple[Plan, str]:
    text = pe.section_at(sample, section).blocks[block].text
    word = text.split()[0]
    f = new_finding(
        "year",
        f"Mục {section}, đoạn {block + 1}",
        {"area": "section", "section": section, "block": block, "start": 0},
        word,
        "XYZ",
    )
    return store_findings(sample, [f]), f.id


def test_findings_follow_moves_and_renumbering(sample):
    p, fid = _plan_with_finding(sample, "II.3", 1)
    before = get_text(p, findings_of(p)[0].path)
    p = pe.move_section(p, "II.3", -1)  # II.3 becomes II.2
    p = pe.add_block(p, "II.2", index=0, text="mới")  # its blocks shift by one
    f = findings_of(p)[0]
    assert f.path["section"] == "II.2" and f.path["block"] == 2
    assert f.place == "Mục II.2, đoạn 3"
    assert get_text(p, f.path) == before
    p = apply_finding(p, fid)
    assert pe.section_at(p, "II.2").blocks[2].text.startswith("XYZ")
    # Deleting the block closes its finding instead of pointing at other text.
    q, _ = _plan_with_finding(sample, "I", 0)
    q = pe.delete_block(q, "I", 0)
    assert findings_of(q)[0].status == "dismissed"


def test_round_trip_through_json(sample):
    p = pe.add_section(sample, "III", "Các tổ chức đoàn thể")
    p = pe.add_block(p, "III.3", kind="plus", text="Phối hợp")
    assert plan_from_dict(plan_to_dict(p)) == p


# ---------------------------------------------------------------- properties

texts = st.text(alphabet="aăâbcdđeêơư ", min_size=0, max_size=12)


@st.composite
def plans(draw):
    def section(depth):
        kids = draw(st.integers(0, 2 if depth < 3 else 0))
        return Section(
            number=draw(st.sampled_from(["", "I", "1", "a", "x"])),
            title=draw(texts),
            blocks=tuple(Block(text=draw(texts)) for _ in range(draw(st.integers(0, 3)))),
            children=tuple(section(depth + 1) for _ in range(kids)),
        )

    return Plan(sections=tuple(section(1) for _ in range(draw(st.integers(1, 4)))))


def _pick(draw, plan):
    idxs = [i for i, _, _ in pe.iter_indexed(plan.sections)]
    return draw(st.sampled_from(idxs))


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_move_up_then_down_is_identity_on_content(data):
    plan = data.draw(plans())
    idx = _pick(data.draw, plan)
    if idx[-1] == 0:
        return
    up = pe.move_section(plan, idx, -1, renumber=False)
    back = pe.move_section(up, (*idx[:-1], idx[-1] - 1), +1, renumber=False)
    assert back == plan


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_delete_then_reinsert_restores(data):
    plan = data.draw(plans())
    idx = _pick(data.draw, plan)
    gone = pe.section_at(plan, idx)
    deleted = pe.delete_section(plan, idx, renumber=False)
    parent = idx[:-1] or None
    back = pe.insert_section(deleted, gone, parent, idx[-1], renumber=False)
    assert back == plan


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_renumbering_loses_no_text(data):
    plan = data.draw(plans())
    idx = _pick(data.draw, plan)
    ops = data.draw(st.sampled_from(["up", "down", "add", "all"]))
    if ops == "up":
        out = pe.move_section(plan, idx, -1)
    elif ops == "down":
        out = pe.move_section(plan, idx, +1)
    elif ops == "add":
        out = pe.add_section(plan, idx[:-1] or None, "", index=idx[-1])
        assert Counter(pe.all_texts(out)) - Counter(pe.all_texts(plan)) <= Counter({"": 1})
        return
    else:
        out = pe.renumber_all(plan)
    assert Counter(pe.all_texts(out)) == Counter(pe.all_texts(plan))
    # Each renumbered sibling list is 1..n in one style.
    for parent in [()] + [i for i, _, _ in pe.iter_indexed(out.sections)]:
        kids = pe.section_at(out, parent).children if parent else out.sections
        if ops == "all" and kids:
            style = pe.style_of([k.number for k in kids], len(parent) + 1)
            assert [k.number for k in kids] == [
                number_label(style, n) for n in range(1, len(kids) + 1)
            ]


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_word_diff_reconstructs_both_sides(a, b):
    segs = pe.word_diff(a, b)
    assert "".join(s.text for s in segs if s.op != "insert") == a
    assert "".join(s.text for s in segs if s.op != "delete") == b


def test_meta_issued_type_checked(sample):
    assert pe.set_meta(sample, issued=date(2021, 1, 5)).meta.issued == date(2021, 1, 5)
    with pytest.raises(pe.PlanEditError, match="Ngày ban hành"):
        pe.set_meta(sample, issued="2021-01-05")


def test_change_kind_keeps_text(sample):
    text = pe.section_at(sample, "I").blocks[0].text
    p = pe.change_kind(sample, "I", 0, "table")
    b = pe.section_at(p, "I").blocks[0]
    assert b.kind == "table" and b.rows == ((text,),)
    p = pe.set_block(p, "I", 0, rows=(("A", "B"), ("1", "2")))
    p = pe.change_kind(p, "I", 0, "dash")
    b = pe.section_at(p, "I").blocks[0]
    assert b.kind == "dash" and b.text == "A | B\n1 | 2" and b.rows == ()
    assert pe.change_kind(p, "I", 0, "dash") is p


def test_word_diff_of_whole_plans_matches_lines_first(sample):
    """Whole-plan diffs (version history) compare lines first, then words in changed lines."""
    big = replace(sample, sections=sample.sections * 30)
    shorter = pe.delete_section(big, (4,), renumber=False)
    changed = pe.set_block(shorter, (0,), 1, text="Đoạn viết lại.")
    old, new = pe.plan_text(big), pe.plan_text(changed)
    segs = pe.word_diff(old, new)
    assert "".join(s.text for s in segs if s.op != "insert") == old
    assert "".join(s.text for s in segs if s.op != "delete") == new
    assert [s.text.strip() for s in segs if s.op == "insert"] == ["Đoạn", "viết", "lại."]
    removed, added = pe.diff_counts(segs)
    assert added == 3 and removed > 100


def test_set_section_reviewed_marks_the_subtree(sample):
    from planner.drafting.findings import review_progress

    p = pe.set_section_reviewed(sample, "II", True)
    blocks = [b for _, _, s in pe.iter_indexed((pe.section_at(p, "II"),)) for b in s.blocks]
    assert blocks and all(b.reviewed is True for b in blocks)
    assert pe.section_at(p, "I").blocks == pe.section_at(sample, "I").blocks
    assert review_progress(p) == (len(blocks), len(blocks))
