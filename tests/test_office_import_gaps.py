"""The last gaps of the Word import (issue #11): a rule drawn as a VML group, `Kính gửi:` in a
table, a table before the first section, labels the source does not have, and line breaks
the source had.

Documents are built the way other offices' files are (`tests/office_docs.py`, raw XML).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import docx
import pytest
from docx.oxml import parse_xml
from lxml import etree

from planner.docx.preview import preview_html
from planner.docx.reader import import_docx
from planner.docx.writer import export_docx, opening_parts
from planner.errors import PlanFormatError
from planner.model import Block, Plan, plan_from_dict, plan_from_json, plan_to_dict, plan_to_json
from planner.nd30.body_rules import splits_sentence
from planner.nd30.checker import check_docx
from tests import office_docs as O


def _messages(data: bytes) -> list[str]:
    return [f.message for f in check_docx(data, "vanban.docx")]


# ---------------------------------------------------------------- VML groups of lines


@pytest.mark.parametrize(
    ("place", "shape"),
    [("after", "2x2"), ("next_row", "3x3"), ("next_row", "2x2"), ("cell_top", "2x2"),
     ("same", "1x2"), ("after", "2x3")],
)  # fmt: skip
def test_rule_drawn_as_a_vml_group_of_lines_is_found(place: str, shape: str) -> None:
    assert _messages(O.office_docx(header=shape, rule="vml_group", place=place)) == []


def test_vml_group_rule_too_short_is_measured_in_the_groups_coordinates() -> None:
    # The authority's rule drawn as a group 1 cm wide: its lines span the whole group, so
    # the rule is 1 cm (not the 2000 units of its coordinates, not missing).
    xml = O._vml_group(1.0)
    data = O.office_docx(header="2x2", rule="border", place="after")
    data = _with_authority_rule(data, xml)
    messages = _messages(data)
    assert any("Đường kẻ dưới tên cơ quan dài 1,0 cm" in m for m in messages), messages
    assert not any("Thiếu đường kẻ" in m for m in messages), messages


def _with_authority_rule(data: bytes, run_xml: str) -> bytes:
    """The document with the authority's bordered rule paragraph replaced by one holding
    `run_xml` (the first paragraph with a bottom border in the header table)."""
    import io

    import docx
    from docx.oxml import parse_xml

    d = docx.Document(io.BytesIO(data))
    tbl = d.element.body.find(f"{{{O.W_NS}}}tbl")
    for p in tbl.iter(f"{{{O.W_NS}}}p"):
        if p.find(f".//{{{O.W_NS}}}pBdr") is not None:
            p.remove(p.find(f"{{{O.W_NS}}}pPr"))
            p.append(parse_xml(run_xml.replace("<w:r>", f"<w:r {O.DECL}>", 1)))
            break
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- Kính gửi in a table

RECIPIENTS = ("Sở Giáo dục và Đào tạo thành phố;", "Ủy ban nhân dân huyện Bình Chánh.")
TODAY = date(2026, 4, 2)


@pytest.mark.parametrize("recipients", [RECIPIENTS, ("Ủy ban nhân dân huyện Bình Chánh",)])
def test_kinh_gui_table_is_kept_where_it_stands_and_back_out_the_same(
    recipients: tuple[str, ...],
) -> None:
    data = O.office_docx(kinh_gui=recipients)
    assert _messages(data) == []  # ND30-correct: the Căn cứ after it are still Căn cứ
    result = import_docx(data, "kinhgui.docx")
    plan = result.plan
    many = len(recipients) > 1
    cell = "\n".join(f"- {x}" if many else x for x in recipients)
    assert plan.preamble_tables == (
        (0, Block("table", rows=(("Kính gửi:", cell),), header_rows=0)),
    )
    assert [b.text[:19] for b in plan.bases] == ["Căn cứ Luật Giáo dụ", "Căn cứ Kế hoạch số "]
    assert not any("Kính gửi" in x for x in plan.preamble)
    assert not result.not_understood and not result.warnings
    out = export_docx(plan, today=TODAY)
    assert _messages(out) == []
    back = import_docx(out, "xuat.docx").plan
    assert back.preamble_tables == plan.preamble_tables
    assert back.bases == plan.bases and back.preamble == plan.preamble
    # printed before the Căn cứ, borderless, the label right-aligned
    d = docx.Document(io.BytesIO(out))
    body = [el.tag.split("}")[1] for el in d.element.body]
    first_basis = next(i for i, p in enumerate(d.element.body) if "Căn cứ" in _text(p))
    kg = next(i for i, p in enumerate(d.element.body) if _text(p).startswith("Kính gửi"))
    assert body[kg] == "tbl" and kg < first_basis
    assert 'w:val="nil"' in etree.tostring(d.element.body[kg]).decode()
    html = preview_html(plan)
    assert "Kính gửi:" in html and "nd30-kg" in html


def _text(el) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in el.iter(f"{{{O.W_NS}}}t"))


@pytest.mark.parametrize(
    ("recipients", "expected"),
    [
        (("Sở Giáo dục và Đào tạo thành phố", "Ủy ban nhân dân huyện Bình Chánh"),
         "Gửi nhiều nơi: mỗi nơi một dòng"),
        ((), "chưa ghi cơ quan, đơn vị nhận"),
    ],
)  # fmt: skip
def test_checker_judges_the_kinh_gui_table(recipients: tuple[str, ...], expected: str) -> None:
    xml = O.kinh_gui_xml(recipients or ("",))
    if len(recipients) > 1:  # recipients without their `-` and final marks
        xml = xml.replace("- ", "")
    data = O.office_docx(kinh_gui=("x",))
    data = _swap_table(data, 1, xml)
    messages = _messages(data)
    assert any(expected in m for m in messages), messages
    assert not any("Căn cứ" in m or "chữ đứng" in m for m in messages), messages


def test_checker_wants_kinh_gui_upright() -> None:
    xml = O.kinh_gui_xml(RECIPIENTS).replace("<w:rPr>", "<w:rPr><w:i/>")
    data = _swap_table(O.office_docx(kinh_gui=("x",)), 1, xml)
    assert "“Kính gửi” và nơi gửi phải là chữ đứng." in _messages(data)


def _swap_table(data: bytes, index: int, xml: str) -> bytes:
    """The document with its body table number `index` (0 = the header) replaced by `xml`."""
    d = docx.Document(io.BytesIO(data))
    old = d.element.body.findall(f"{{{O.W_NS}}}tbl")[index]
    old.addprevious(parse_xml(xml))
    old.getparent().remove(old)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- a table before the sections

PREAMBLE_ROWS = (
    ("TT", "Cấp học", "Số trường", "Số học sinh"),
    ("1", "Mầm non", "12", "3.850"),
    ("2", "Tiểu học", "20", "10.420"),
)


def test_table_before_the_first_section_round_trips_in_place() -> None:
    data = O.office_docx(preamble_table=PREAMBLE_ROWS)
    result = import_docx(data, "bang.docx")
    plan = result.plan
    assert plan.preamble_tables == ((3, Block("table", rows=PREAMBLE_ROWS)),)  # after 2 + 1
    assert len(plan.preamble) == 1 and not result.not_understood and not result.warnings
    assert plan.sections[0].title == "MỤC ĐÍCH, YÊU CẦU"
    assert plan_from_json(plan_to_json(plan)) == plan
    out = export_docx(plan, today=TODAY)
    assert _messages(out) == []
    back = import_docx(out, "xuat.docx").plan
    assert back.preamble_tables == plan.preamble_tables and back.preamble == plan.preamble
    d = docx.Document(io.BytesIO(out))
    kids = list(d.element.body)
    table = next(i for i, el in enumerate(kids) if "Mầm non" in _text(el))
    assert "như sau:" in _text(kids[table - 1]) and _text(kids[table + 1]).startswith("I.")
    html = preview_html(plan)
    assert html.index("như sau:") < html.index("Mầm non") < html.index("MỤC ĐÍCH, YÊU CẦU")


def test_preamble_tables_in_the_plan_file() -> None:
    plan = Plan(
        preamble=("Đoạn một.", "Đoạn hai."),
        preamble_tables=((1, Block("table", rows=(("A", "B"), ("1", "2")))),),
    )
    data = plan_to_dict(plan)
    assert data["preamble_tables"] == [
        {"at": 1, "kind": "table", "text": "", "rows": [["A", "B"], ["1", "2"]]}
    ]
    assert "preamble_tables" not in plan_to_dict(Plan())  # optional: written only when set
    assert plan_from_json(plan_to_json(plan)) == plan
    bad = plan_to_dict(plan)
    bad["preamble_tables"][0]["kind"] = "paragraph"
    with pytest.raises(PlanFormatError, match="preamble_tables"):
        plan_from_dict(bad)
    # a table whose place is past the last paragraph (paragraphs deleted) prints last
    moved = replace(plan, preamble_tables=((9, plan.preamble_tables[0][1]),))
    kinds = [k for k, _ in opening_parts(moved)]
    assert kinds == ["body", "body", "table"]


# ---------------------------------------------------------------- line breaks the source had

SHIFT_ENTER = "Ngắt dòng thủ công (Shift+Enter) trong đoạn canh đều"
MID_SENTENCE = "Ngắt dòng thủ công (Shift+Enter) giữa câu hoặc cuối đoạn canh đều"
DELIBERATE = (
    O.broken_para("Thời gian thực hiện: tháng 9/2025.", "Địa điểm: các trường học trong huyện."),
    O.broken_para("Nội dung tập huấn gồm:", "- Đổi mới phương pháp dạy học;", "- Kiểm tra, đánh giá."),
)  # fmt: skip
MID = O.broken_para("Các trường tổ chức tập huấn cho đội ngũ", "giáo viên cốt cán của trường.")


def test_breaks_the_source_had_export_without_the_shift_enter_warning() -> None:
    data = O.office_docx(more_body=DELIBERATE)
    assert any(SHIFT_ENTER in m for m in _messages(data))  # Word stretches them in the source
    plan = import_docx(data, "ngatdong.docx").plan
    texts = [b.text for _, s in plan.iter_sections() for b in s.blocks]
    assert "Thời gian thực hiện: tháng 9/2025.\nĐịa điểm: các trường học trong huyện." in texts
    out = export_docx(plan, today=TODAY)
    messages = _messages(out)
    assert not any("Shift+Enter" in m for m in messages), messages
    back = import_docx(out, "xuat.docx").plan
    assert [b.text for _, s in back.iter_sections() for b in s.blocks] == texts
    settings = etree.tostring(docx.Document(io.BytesIO(out)).settings.element).decode()
    assert "doNotExpandShiftReturn" in settings


def test_shift_enter_that_splits_a_sentence_still_warns() -> None:
    assert any(SHIFT_ENTER in m for m in _messages(O.office_docx(more_body=[MID])))
    plan = import_docx(O.office_docx(more_body=[*DELIBERATE, MID]), "giuacau.docx").plan
    out = export_docx(plan, today=TODAY)
    found = [f for f in check_docx(out, "x.docx") if "Shift+Enter" in f.message]
    assert [f.message.split(":")[0] for f in found] == [MID_SENTENCE.split(":")[0]], found
    assert "giáo viên cốt cán" in found[0].where or "Các trường tổ chức" in found[0].where


@pytest.mark.parametrize(
    ("text", "splits"),
    [
        ("Câu một.\nCâu hai.", False),
        ("Nội dung gồm:\n- Một;\n- Hai.", False),
        ("Mục tiêu;\nb) Chỉ tiêu", False),
        ("Tổ chức tập huấn cho\ngiáo viên.", True),
        ("Các trường,\nđơn vị.", True),
        ("Dòng một.\n\nDòng hai", False),
        ("Câu cuối.\n", True),
    ],
)
def test_a_break_splits_a_sentence_when_nothing_ends_before_it(text: str, splits: bool) -> None:
    assert splits_sentence(text) is splits


@pytest.mark.parametrize("recipients", [RECIPIENTS, ("Ủy ban nhân dân huyện Bình Chánh.",)])
def test_kinh_gui_typed_as_paragraphs_keeps_the_bases_after_it(
    recipients: tuple[str, ...],
) -> None:
    data = O.office_docx(kinh_gui=recipients, kinh_gui_as="paragraphs")
    assert _messages(data) == []
    result = import_docx(data, "kinhgui.docx")
    plan = result.plan
    many = len(recipients) > 1
    cell = "\n".join(f"- {x}" if many else x for x in recipients)
    assert plan.preamble_tables == (
        (0, Block("table", rows=(("Kính gửi:", cell),), header_rows=0)),
    )
    assert len(plan.bases) == 2 and len(plan.preamble) == 1
    assert not result.not_understood
    out = export_docx(plan, today=TODAY)
    assert _messages(out) == []
    assert import_docx(out, "xuat.docx").plan.preamble_tables == plan.preamble_tables


def test_can_cu_laid_out_in_a_table_are_the_bases() -> None:
    data = O.office_docx()
    d = docx.Document(io.BytesIO(data))
    body = d.element.body
    bases = [p for p in body if p.tag.endswith("}p") and _text(p).startswith("Căn cứ")]
    cell = "".join(etree.tostring(p).decode() for p in bases)
    bases[0].addprevious(parse_xml(O._table([O.TEXT_WIDTH], [[O._cell(O.TEXT_WIDTH, [cell])]])))
    for p in bases:
        body.remove(p)
    buf = io.BytesIO()
    d.save(buf)
    result = import_docx(buf.getvalue(), "cancu.docx")
    assert [b.text[:19] for b in result.plan.bases] == [
        "Căn cứ Luật Giáo dụ",
        "Căn cứ Kế hoạch số ",
    ]
    assert result.plan.preamble_tables == () and len(result.plan.preamble) == 1
    assert not result.not_understood
