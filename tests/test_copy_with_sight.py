"""Copying from last year with sight: does it already exist this year, what would change,
and the two ways to copy it (replace, add beside). The page's dialog is tested in
tests/test_page_editor.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.drafting import plan_edit as pe
from planner.drafting.findings import findings_of, new_finding, store_findings
from planner.model import Block, Plan


def _this_year(sample: Plan) -> Plan:
    """Last year's sample with II.2 rewritten a little (title in capitals, one word changed)."""
    p = pe.rename_section(sample, "II.2", title=pe.section_at(sample, "II.2").title.upper())
    text = pe.section_at(p, "II.2").blocks[2].text
    return pe.set_block(p, "II.2", 2, text=text + " Năm 2021 làm thêm việc mới.")


def _words(check: pe.CopyCheck, op: str) -> str:
    return " ".join(s.text for s in check.segments if s.op == op)


def test_an_existing_sub_section_is_found_with_what_replacing_would_change(sample):
    mine = _this_year(sample)
    check = pe.check_section_copy(mine, sample, "II.2", parent=(1,))
    assert check.exists and check.kind == "section"
    assert check.existing == (1, 1) and check.existing_block is None
    # From this year's text to last year's: this year's new sentence would go, and last
    # year's title (in its own case) would come back.
    assert "làm thêm việc mới" in _words(check, "delete")
    assert "làm thêm việc mới" not in _words(check, "insert")
    assert not check.identical
    same = pe.check_section_copy(sample, sample, "II.2", parent=(1,))
    assert same.exists and same.identical


def test_a_missing_section_is_not_found_and_is_added_where_asked(sample):
    mine = pe.delete_section(sample, "II.2")
    check = pe.check_section_copy(mine, sample, "II.2", parent=(1,))
    assert not check.exists and check.segments == ()
    for choice in pe.COPY_CHOICES:
        p = pe.apply_section_copy(mine, sample, "II.2", (1,), 1, choice)
        kids = p.sections[1].children
        assert [k.number for k in kids] == ["1", "2", "3"]
        assert kids[1].title == pe.section_at(sample, "II.2").title
        assert all(b.reviewed is False for b in kids[1].blocks)


def test_same_number_and_folded_title_match_other_numbers_do_not(sample):
    title = pe.section_at(sample, "II.2").title
    folded_alike = pe.rename_section(sample, "II.2", title="  " + title.lower() + " ", number="2.")
    assert pe.check_section_copy(folded_alike, sample, "II.2", (1,)).existing == (1, 1)
    unmarked = pe.rename_section(sample, "II.2", title="Day manh viec hoc tap")
    src = pe.rename_section(sample, "II.2", title="Đẩy mạnh việc học tập")
    assert pe.check_section_copy(unmarked, src, "II.2", (1,)).existing == (1, 1)
    renumbered = pe.rename_section(sample, "II.2", number="5")
    assert not pe.check_section_copy(renumbered, sample, "II.2", (1,)).exists
    retitled = pe.rename_section(sample, "II.2", title="Một việc khác hẳn")
    assert not pe.check_section_copy(retitled, sample, "II.2", (1,)).exists
    # Looked for under the parent it is copied into only: the same sub-section elsewhere
    # is another one.
    assert not pe.check_section_copy(sample, sample, "II.2", parent=(2,)).exists
    assert pe.check_section_copy(sample, sample, "I", parent=None).existing == (0,)


def test_replace_puts_last_years_section_in_place_without_renumbering(sample):
    mine = _this_year(sample)
    p = pe.apply_section_copy(mine, sample, "II.2", (1,), 1, "replace")
    kids = p.sections[1].children
    assert [k.number for k in kids] == ["1", "2", "3"]
    old = pe.section_at(sample, "II.2")
    assert kids[1].title == old.title
    assert [b.text for b in kids[1].blocks] == [b.text for b in old.blocks]
    assert all(b.reviewed is False for b in kids[1].blocks)
    # Nothing else moved.
    assert kids[0] == mine.sections[1].children[0] and kids[2] == mine.sections[1].children[2]
    assert p.sections[0] == mine.sections[0] and p.sections[2] == mine.sections[2]


def test_beside_adds_it_right_after_this_years_and_renumbers(sample):
    mine = _this_year(sample)
    p = pe.apply_section_copy(mine, sample, "II.2", (1,), 0, "beside")
    kids = p.sections[1].children
    assert [k.number for k in kids] == ["1", "2", "3", "4"]
    assert kids[1].title == mine.sections[1].children[1].title  # this year's kept
    assert kids[2].title == pe.section_at(sample, "II.2").title  # last year's beside it
    assert kids[3].title == mine.sections[1].children[2].title


def test_a_level_1_section_replaced_keeps_this_years_number(sample):
    mine = pe.rename_section(sample, "II", number="II.")
    p = pe.apply_section_copy(mine, sample, "II", None, 1, "replace")
    assert [s.number for s in p.sections] == ["I", "II.", "III"]
    assert len(p.sections) == 3 and len(p.sections[1].children) == 3


def test_replace_closes_findings_on_the_replaced_text_only(sample):
    def finding(section: str, block: int):
        return new_finding(
            "year",
            f"Mục {section}, đoạn {block + 1}",
            {"area": "section", "section": section, "block": block, "start": 0},
            pe.section_at(sample, section).blocks[block].text.split()[0],
            "XYZ",
        )

    mine = store_findings(sample, [finding("II.2", 0), finding("II.3", 1)])
    p = pe.apply_section_copy(mine, sample, "II.2", (1,), 1, "replace")
    statuses = {f.path["section"]: f.status for f in findings_of(p)}
    assert statuses == {"II.2": "dismissed", "II.3": "open"}
    q = pe.apply_block_copy(mine, sample, "II.2", 0, "II.2", "replace")
    assert [f.status for f in findings_of(q)] == ["dismissed", "open"]
    r = pe.apply_block_copy(mine, sample, "II.2", 0, "II.2", "beside")
    assert [f.status for f in findings_of(r)] == ["open", "open"]


def test_an_existing_block_is_found_by_folded_text(sample):
    text = pe.section_at(sample, "II.3").blocks[1].text
    mine = pe.set_block(sample, "II.3", 1, text=text.upper() + "  ")
    check = pe.check_block_copy(mine, sample, "II.3", 1, "II.3")
    assert check.kind == "block" and check.existing == (1, 2) and check.existing_block == 1
    assert _words(check, "delete") and not check.identical  # the capitals would go
    # Another section of this year does not hold it: a plain copy.
    assert not pe.check_block_copy(mine, sample, "II.3", 1, "I").exists
    other = pe.set_block(sample, "II.3", 1, text=text + " thêm")
    assert not pe.check_block_copy(other, sample, "II.3", 1, "II.3").exists


def test_block_copy_replace_beside_and_plain(sample):
    text = pe.section_at(sample, "II.3").blocks[1].text
    mine = pe.set_reviewed(pe.set_block(sample, "II.3", 1, text=text.upper()), "II.3", 1, True)
    n = len(pe.section_at(mine, "II.3").blocks)
    rep = pe.apply_block_copy(mine, sample, "II.3", 1, "II.3", "replace")
    blocks = pe.section_at(rep, "II.3").blocks
    assert len(blocks) == n and blocks[1].text == text and blocks[1].reviewed is False
    bes = pe.apply_block_copy(mine, sample, "II.3", 1, "II.3", "beside")
    blocks = pe.section_at(bes, "II.3").blocks
    assert len(blocks) == n + 1
    assert blocks[1].text == text.upper() and blocks[1].reviewed is True
    assert blocks[2].text == text and blocks[2].reviewed is False
    plain = pe.apply_block_copy(mine, sample, "II.3", 1, "I", "replace")
    assert pe.section_at(plain, "I").blocks[-1].text == text
    assert len(pe.section_at(plain, "I").blocks) == len(sample.sections[0].blocks) + 1


def test_an_empty_block_never_counts_as_existing(sample):
    mine = pe.add_block(sample, "I")
    prev = pe.add_block(sample, "I")
    last = len(pe.section_at(prev, "I").blocks) - 1
    assert not pe.check_block_copy(mine, prev, "I", last, "I").exists


def test_a_table_block_matches_by_its_cells(sample):
    table = Block(kind="table", rows=(("Việc", "Thời gian"), ("Họp", "Tháng 9")))
    prev = pe.insert_block(sample, "I", table)
    mine = pe.insert_block(sample, "I", replace(table, rows=(("VIỆC", "thời gian"), table.rows[1])))
    last = len(pe.section_at(prev, "I").blocks) - 1
    assert pe.check_block_copy(mine, prev, "I", last, "I").existing_block == last
    changed = pe.insert_block(sample, "I", replace(table, rows=(("Việc", "Nơi"),)))
    assert not pe.check_block_copy(changed, prev, "I", last, "I").exists


def test_an_unknown_choice_is_refused_in_vietnamese(sample):
    with pytest.raises(pe.PlanEditError, match="Cách chép"):
        pe.apply_section_copy(sample, sample, "I", None, 0, "merge")  # type: ignore[arg-type]
    with pytest.raises(pe.PlanEditError, match="Cách chép"):
        pe.apply_block_copy(sample, sample, "I", 0, "I", "merge")  # type: ignore[arg-type]
