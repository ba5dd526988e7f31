"""The ND30 checker on documents built to break one rule each: every breach must be caught."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from datetime import date

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from planner.docx.ooxml import add_page_field
from planner.docx.writer import export_docx
from planner.errors import InputFileError
from planner.nd30.checker import check_docx
from planner.nd30.findings import (
    R_AUTHORITY,
    R_BODY,
    R_CITE,
    R_DATE,
    R_FONT,
    R_NATIONAL,
    R_NUMBER,
    R_PAGE,
    R_PAGENUM,
    R_RECIP,
    R_SIGN,
    R_SIZE,
    R_TITLE,
    Finding,
)
from planner.sample import sample_plan
from planner.text.fold import fold_keep_marks

TODAY = date(2021, 3, 15)
Doc = docx.document.Document


@pytest.fixture(scope="module")
def clean() -> bytes:
    return export_docx(sample_plan(), today=TODAY)


def _all_paragraphs(doc: Doc) -> list:
    out = list(doc.paragraphs)
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                out.extend(cell.paragraphs)
    return out


def _para(doc: Doc, start: str):  # type: ignore[no-untyped-def]
    return next(p for p in _all_paragraphs(doc) if p.text.startswith(start))


def _set_text(p, text: str) -> None:  # type: ignore[no-untyped-def]
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    p.runs[0].text = text


def _broken(clean: bytes, change: Callable[[Doc], None]) -> list[Finding]:
    doc = docx.Document(io.BytesIO(clean))
    change(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return check_docx(buf.getvalue(), "hỏng.docx")


def _rule_paragraph_after(doc: Doc, start: str):  # type: ignore[no-untyped-def]
    paras = _all_paragraphs(doc)
    i = next(i for i, p in enumerate(paras) if p.text.startswith(start))
    return paras[i + 1]


def _remove(p) -> None:  # type: ignore[no-untyped-def]
    p._p.getparent().remove(p._p)


def _letter(doc: Doc) -> None:
    doc.sections[0].page_width = Mm(216)
    doc.sections[0].page_height = Mm(279)


def _margin(doc: Doc) -> None:
    doc.sections[0].left_margin = Mm(20)


def _arial(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").runs[0].font.name = "Arial"


def _east_asia(doc: Doc) -> None:
    rpr = _para(doc, "Tiếp tục đẩy mạnh").runs[0]._r.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "SimSun")


def _theme_fonts(doc: Doc) -> None:
    el = doc.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    el.set(qn("w:eastAsiaTheme"), "minorEastAsia")
    for name in ("Normal", "ND30 Body"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        del fonts.attrib[qn("w:eastAsia")]


def _red(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").runs[0].font.color.rgb = RGBColor(0xC0, 0, 0)


def _page_in_footer(doc: Doc) -> None:
    s = doc.sections[0]
    s.header._element.clear()
    s.header.add_paragraph("")
    p = s.footer.paragraphs[0]
    add_page_field(p)


def _page_on_first(doc: Doc) -> None:
    doc.sections[0].different_first_page_header_footer = False


def _page_number_small(doc: Doc) -> None:
    doc.styles["ND30 Page Number"].font.size = Pt(10)


def _motto_italic(doc: Doc) -> None:
    _para(doc, "Độc lập").runs[0].font.italic = True


def _motto_unspaced(doc: Doc) -> None:
    _set_text(_para(doc, "Độc lập"), "Độc lập-Tự do-Hạnh phúc")


def _motto_rule(doc: Doc) -> None:
    _remove(_rule_paragraph_after(doc, "Độc lập"))


def _motto_rule_short(doc: Doc) -> None:
    rule = _rule_paragraph_after(doc, "Độc lập")
    rule.paragraph_format.left_indent = Mm(40)
    rule.paragraph_format.right_indent = Mm(40)


def _authority_rule(doc: Doc) -> None:
    _remove(_rule_paragraph_after(doc, "PHÒNG GIÁO DỤC"))


def _authority_rule_long(doc: Doc) -> None:
    rule = _rule_paragraph_after(doc, "PHÒNG GIÁO DỤC")
    rule.paragraph_format.left_indent = Mm(0)
    rule.paragraph_format.right_indent = Mm(0)


def _authority_plain(doc: Doc) -> None:
    _para(doc, "PHÒNG GIÁO DỤC").runs[0].font.bold = False


def _authority_lower(doc: Doc) -> None:
    _set_text(_para(doc, "PHÒNG GIÁO DỤC"), "Phòng Giáo dục và Đào tạo")


def _subject_rule(doc: Doc) -> None:
    _remove(_rule_paragraph_after(doc, "Thực hiện công tác dân vận chính quyền"))


def _space_in_symbol(doc: Doc) -> None:
    _set_text(_para(doc, "Số:"), "Số: 932 /KH-PGDĐT")


def _number_unpadded(doc: Doc) -> None:
    _set_text(_para(doc, "Số:"), "Số: 5/KH-PGDĐT")


def _number_caps(doc: Doc) -> None:
    _set_text(_para(doc, "Số:"), "SỐ: 932/KH-PGDĐT")


def _symbol_lower(doc: Doc) -> None:
    _set_text(_para(doc, "Số:"), "Số: 932/kh-pgdđt")


def _month_padded(doc: Doc) -> None:
    _set_text(_para(doc, "Thủ Dầu Một, ngày"), "Thủ Dầu Một, ngày 14 tháng 07 năm 2020")


def _day_unpadded(doc: Doc) -> None:
    _set_text(_para(doc, "Thủ Dầu Một, ngày"), "Thủ Dầu Một, ngày 5 tháng 7 năm 2020")


def _january_unpadded(doc: Doc) -> None:
    _set_text(_para(doc, "Thủ Dầu Một, ngày"), "Thủ Dầu Một, ngày 15 tháng 1 năm 2020")


def _no_comma(doc: Doc) -> None:
    _set_text(_para(doc, "Thủ Dầu Một, ngày"), "Thủ Dầu Một ngày 14 tháng 7 năm 2020")


def _abbreviated_place(doc: Doc) -> None:
    _set_text(_para(doc, "Thủ Dầu Một, ngày"), "TP. HCM, ngày 14 tháng 7 năm 2020")


def _date_upright(doc: Doc) -> None:
    _para(doc, "Thủ Dầu Một, ngày").runs[0].font.italic = False


def _date_wraps(doc: Doc) -> None:
    _set_text(
        _para(doc, "Thủ Dầu Một, ngày"),
        "Thành phố Thủ Dầu Một, tỉnh Bình Dương, ngày 14 tháng 7 năm 2020",
    )


def _national_big(doc: Doc) -> None:
    _para(doc, "CỘNG HÒA").runs[0].font.size = Pt(16)


def _title_italic(doc: Doc) -> None:
    _para(doc, "KẾ HOẠCH").runs[0].font.italic = True


def _vv_line(doc: Doc) -> None:
    _set_text(
        _para(doc, "Thực hiện công tác dân vận chính quyền"), "V/v thực hiện công tác dân vận"
    )


def _basis_upright(doc: Doc) -> None:
    _para(doc, "Căn cứ Kế hoạch số 106").runs[0].font.italic = False


def _basis_punctuation(doc: Doc) -> None:
    p = _para(doc, "Căn cứ Kế hoạch số 106")
    _set_text(p, p.text.rstrip(";"))


def _two_bases_one_paragraph(doc: Doc) -> None:
    p = _para(doc, "Căn cứ Kế hoạch số 106")
    _set_text(p, p.text + " Căn cứ Luật Giáo dục năm 2019;")


def _left_aligned(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").alignment = 0


def _no_indent(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").paragraph_format.first_line_indent = Mm(0)


def _no_spacing(doc: Doc) -> None:
    pf = _para(doc, "Tiếp tục đẩy mạnh").paragraph_format
    pf.space_after = Pt(0)
    pf.space_before = Pt(0)


def _double_spacing(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").paragraph_format.line_spacing = 2.0


def _body_small(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").runs[0].font.size = Pt(11)


def _body_italic(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").runs[0].font.italic = True


def _manual_break(doc: Doc) -> None:
    _para(doc, "Tiếp tục đẩy mạnh").runs[0].add_break()


def _nfd(doc: Doc) -> None:
    p = _para(doc, "Tiếp tục đẩy mạnh")
    _set_text(p, unicodedata.normalize("NFD", p.text))


def _dotted_heading(doc: Doc) -> None:
    _set_text(_para(doc, "2. Các đơn vị"), "2.1.1 Các đơn vị trường học")


def _letter_dot(doc: Doc) -> None:
    _set_text(_para(doc, "2. Các đơn vị"), "a. Các đơn vị trường học")


def _roman_lower(doc: Doc) -> None:
    _set_text(_para(doc, "I. MỤC ĐÍCH"), "I. Mục đích yêu cầu")


def _heading_plain(doc: Doc) -> None:
    _para(doc, "2. Các đơn vị").runs[0].font.bold = False


def _auto_numbering(doc: Doc) -> None:
    ppr = _para(doc, "Tiếp tục đẩy mạnh")._p.get_or_add_pPr()
    num = ppr.get_or_add_numPr()
    num.get_or_add_numId().val = 1
    num.get_or_add_ilvl().val = 0


def _bullet(doc: Doc) -> None:
    p = _para(doc, "- Tổ chức triển khai")
    _set_text(p, "• " + p.text[2:])


def _party_symbol(doc: Doc) -> None:
    p = _para(doc, "Tiếp tục quán triệt Nghị quyết")
    _set_text(p, p.text.replace("25-NQ/TW", "25/NQ-TW"))


def _spaced_citation(doc: Doc) -> None:
    p = _para(doc, "Tiếp tục quán triệt Nghị quyết")
    _set_text(p, p.text.replace("số 16/CT-TTg", "số 16 /CT-TTg"))


def _recipients_label_plain(doc: Doc) -> None:
    _para(doc, "Nơi nhận").runs[0].font.bold = False


def _recipients_label_size(doc: Doc) -> None:
    _para(doc, "Nơi nhận").runs[0].font.size = Pt(14)


def _recipient_no_dash(doc: Doc) -> None:
    _set_text(_para(doc, "- Các đơn vị trường học"), "Các đơn vị trường học;")


def _recipient_no_semicolon(doc: Doc) -> None:
    _set_text(_para(doc, "- Các đơn vị trường học"), "- Các đơn vị trường học")


def _no_luu(doc: Doc) -> None:
    _set_text(_para(doc, "- Lưu: VT"), "- Phòng Nội vụ.")


def _recipient_size(doc: Doc) -> None:
    _para(doc, "- Các đơn vị trường học").runs[0].font.size = Pt(13)


def _no_recipients(doc: Doc) -> None:
    t = doc.tables[-1]
    t._tbl.getparent().remove(t._tbl)


def _name_upper(doc: Doc) -> None:
    _set_text(_para(doc, "Nguyễn Văn Chết"), "NGUYỄN VĂN CHẾT")


def _position_plain(doc: Doc) -> None:
    _para(doc, "TRƯỞNG PHÒNG").runs[0].font.bold = False


def _no_room_to_sign(doc: Doc) -> None:
    _para(doc, "Nguyễn Văn Chết").paragraph_format.space_before = Pt(0)


def _prefix_without_dot(doc: Doc) -> None:
    p = _para(doc, "TRƯỞNG PHÒNG")
    _set_text(p, "KT TRƯỞNG PHÒNG")
    cell = doc.tables[-1].rows[0].cells[1]
    deputy = OxmlElement("w:p")
    p._p.addnext(deputy)
    para = docx.text.paragraph.Paragraph(deputy, cell)
    para.style = doc.styles["ND30 Signer Position"]
    para.add_run("PHÓ TRƯỞNG PHÒNG")


CASES = [
    ("letter", _letter, R_PAGE, "A4"),
    ("margin", _margin, R_PAGE, "Lề trái"),
    ("arial", _arial, R_FONT, "Arial"),
    ("east_asia", _east_asia, R_FONT, "eastAsia = SimSun"),
    ("theme_font", _theme_fonts, R_FONT, "eastAsia"),
    ("red", _red, R_FONT, "màu"),
    ("page_in_footer", _page_in_footer, R_PAGENUM, "chân trang"),
    ("page_on_first", _page_on_first, R_PAGENUM, "trang 1"),
    ("page_number_small", _page_number_small, R_PAGENUM, "cỡ 13-14"),
    ("motto_italic", _motto_italic, R_NATIONAL, "Tiêu ngữ phải là chữ đứng"),
    ("motto_unspaced", _motto_unspaced, R_NATIONAL, "dấu cách"),
    ("motto_rule", _motto_rule, R_NATIONAL, "dưới Tiêu ngữ"),
    ("motto_rule_short", _motto_rule_short, R_NATIONAL, "dài bằng dòng chữ"),
    ("authority_rule", _authority_rule, R_AUTHORITY, "Thiếu đường kẻ"),
    ("authority_rule_long", _authority_rule_long, R_AUTHORITY, "1/3 đến 1/2"),
    ("authority_plain", _authority_plain, R_AUTHORITY, "in đậm"),
    ("authority_lower", _authority_lower, R_AUTHORITY, "in hoa"),
    ("subject_rule", _subject_rule, R_TITLE, "dưới trích yếu"),
    ("space_in_symbol", _space_in_symbol, R_NUMBER, "khoảng trắng"),
    ("number_unpadded", _number_unpadded, R_NUMBER, "“05”"),
    ("number_caps", _number_caps, R_NUMBER, "Số"),
    ("symbol_lower", _symbol_lower, R_NUMBER, "in hoa"),
    ("month_padded", _month_padded, R_DATE, "không được thêm số 0"),
    ("day_unpadded", _day_unpadded, R_DATE, "“05”"),
    ("january_unpadded", _january_unpadded, R_DATE, "“01”"),
    ("no_comma", _no_comma, R_DATE, "dấu phẩy"),
    ("abbreviated_place", _abbreviated_place, R_DATE, "viết tắt"),
    ("date_upright", _date_upright, R_DATE, "in nghiêng"),
    ("date_wraps", _date_wraps, R_DATE, "xuống dòng"),
    ("national_big", _national_big, R_NATIONAL, "cỡ 16"),
    ("title_italic", _title_italic, R_TITLE, "chữ đứng"),
    ("vv_line", _vv_line, R_TITLE, "V/v"),
    ("basis_upright", _basis_upright, R_BODY, "in nghiêng"),
    ("basis_punctuation", _basis_punctuation, R_BODY, "chấm phẩy"),
    ("two_bases", _two_bases_one_paragraph, R_BODY, "đoạn riêng"),
    ("left_aligned", _left_aligned, R_BODY, "canh đều"),
    ("no_indent", _no_indent, R_BODY, "lùi đầu dòng"),
    ("no_spacing", _no_spacing, R_BODY, "6 pt"),
    ("double_spacing", _double_spacing, R_BODY, "1,5 dòng"),
    ("body_small", _body_small, R_SIZE, "13-14"),
    ("body_italic", _body_italic, R_SIZE, "chữ đứng"),
    ("manual_break", _manual_break, R_BODY, "Shift+Enter"),
    ("nfd", _nfd, R_FONT, "NFD"),
    ("dotted_heading", _dotted_heading, R_BODY, "1.1.1"),
    ("letter_dot", _letter_dot, R_BODY, "“a)”"),
    ("roman_lower", _roman_lower, R_BODY, "in hoa"),
    ("heading_plain", _heading_plain, R_BODY, "in đậm"),
    ("auto_numbering", _auto_numbering, R_BODY, "tự động"),
    ("bullet", _bullet, R_BODY, "dấu gạch"),
    ("party_symbol", _party_symbol, R_CITE, "25-NQ/TW"),
    ("spaced_citation", _spaced_citation, R_CITE, "khoảng trắng"),
    ("recipients_label_plain", _recipients_label_plain, R_RECIP, "đậm và nghiêng"),
    ("recipients_label_size", _recipients_label_size, R_RECIP, "cỡ 12"),
    ("recipient_no_dash", _recipient_no_dash, R_RECIP, "dấu gạch"),
    ("recipient_no_semicolon", _recipient_no_semicolon, R_RECIP, "chấm phẩy"),
    ("no_luu", _no_luu, R_RECIP, "Lưu: VT"),
    ("recipient_size", _recipient_size, R_RECIP, "cỡ 11"),
    ("no_recipients", _no_recipients, R_RECIP, "Nơi nhận"),
    ("name_upper", _name_upper, R_SIGN, "không viết in hoa"),
    ("position_plain", _position_plain, R_SIGN, "in đậm"),
    ("no_room_to_sign", _no_room_to_sign, R_SIGN, "khoảng trống"),
    ("prefix_without_dot", _prefix_without_dot, R_SIGN, "dấu chấm"),
]


def test_clean_document_has_no_findings(clean: bytes) -> None:
    assert check_docx(clean, "sạch.docx") == []


@pytest.mark.parametrize(("case", "change", "rule", "needle"), CASES, ids=[c[0] for c in CASES])
def test_each_breach_is_caught(
    clean: bytes, case: str, change: Callable[[Doc], None], rule: str, needle: str
) -> None:
    findings = _broken(clean, change)
    hits = [f for f in findings if f.rule == rule and needle in f.message]
    assert hits, f"{case}: expected a finding under {rule} with “{needle}”, got {findings}"
    for f in findings:
        assert f.rule.startswith("Phụ lục I, mục ") and f.message and f.where


def test_repeated_breaches_are_grouped(clean: bytes) -> None:
    def many(doc: Doc) -> None:
        for p in doc.paragraphs:
            if p.style.name == "ND30 Body":
                p.alignment = 0

    findings = _broken(clean, many)
    grouped = [f for f in findings if "canh đều" in f.message]
    assert len(grouped) == 1
    assert "chỗ khác" in grouped[0].where


def test_unreadable_file_is_refused() -> None:
    with pytest.raises(InputFileError):
        check_docx(b"this is not a word file", "rác.docx")


def test_style_chain_and_toggles_are_resolved(clean: bytes) -> None:
    """Bold from a character style on a bold paragraph style flips it off, like Word."""

    def toggle(doc: Doc) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        cs = doc.styles.add_style("Bold Char Test", WD_STYLE_TYPE.CHARACTER)
        cs.font.bold = True
        _para(doc, "CỘNG HÒA").runs[0].style = cs

    findings = _broken(clean, toggle)
    assert any(f.rule == R_NATIONAL and "in đậm" in f.message for f in findings)


def test_formatting_inherited_from_based_on_style(clean: bytes) -> None:
    """Changing the size in the Normal style reaches every style based on it that doesn't set one."""

    def base(doc: Doc) -> None:
        for name in ("ND30 Body", "ND30 Dash Item"):
            sz = doc.styles[name].element.rPr.find(qn("w:sz"))
            sz.getparent().remove(sz)
        doc.styles["Normal"].font.size = Pt(12)

    findings = _broken(clean, base)
    assert any(f.rule == R_SIZE and "13-14" in f.message for f in findings)


def test_typed_rule_is_not_a_solid_line(clean: bytes) -> None:
    def typed(doc: Doc) -> None:
        rule = _rule_paragraph_after(doc, "Thực hiện công tác dân vận chính quyền")
        rule.style = doc.styles["ND30 Body"]
        rule.add_run("__________")

    findings = _broken(clean, typed)
    assert any(f.rule == R_TITLE and "gõ bằng ký tự" in f.message for f in findings)


def test_header_laid_out_with_tabs() -> None:
    """A header typed as `left<TAB>right` lines: each piece is checked, the layout flagged."""
    doc = docx.Document(io.BytesIO(export_docx(sample_plan(), today=TODAY)))
    body = doc.element.body
    body.remove(doc.tables[0]._tbl)
    first = doc.paragraphs[0]
    lines = [
        ("UBND THÀNH PHỐ THỦ DẦU MỘT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", False, True),
        ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập-Tự do-Hạnh phúc", True, True),
        ("Số: 05/KH-PGDĐT", "Thủ Dầu Một, ngày 14 tháng 07 năm 2020", False, False),
    ]
    for left, right, bold_left, bold_right in lines:
        p = first.insert_paragraph_before()
        a = p.add_run(left)
        a.bold = bold_left
        p.add_run("\t")
        b = p.add_run(right)
        b.bold = bold_right
        b.italic = "ngày" in right
        for r in p.runs:
            r.font.size = Pt(13)
    buf = io.BytesIO()
    doc.save(buf)
    findings = check_docx(buf.getvalue(), "tab.docx")
    messages = " | ".join(f.message for f in findings)
    assert "bảng hai cột" in messages
    assert "dấu cách hai bên gạch nối" in messages  # the motto piece was found and checked
    assert "không được thêm số 0" in messages  # the date piece was found and checked
    assert not any("Ký hiệu văn bản phải viết in hoa" in f.message for f in findings)


def _vml_rule(doc: Doc, start: str, length_pt: float) -> None:
    from docx.oxml import parse_xml

    rule = _rule_paragraph_after(doc, start)
    rule.style = doc.styles["ND30 Body"]
    ppr = rule._p.pPr
    for el in list(ppr):
        if el.tag != qn("w:pStyle"):
            ppr.remove(el)
    run = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        f'<v:line from="0,0" to="{length_pt}pt,0" strokeweight=".5pt"/></w:pict></w:r>'
    )
    rule._p.append(run)


def test_rules_drawn_as_shapes_are_measured(clean: bytes) -> None:
    # Tiêu ngữ at 14 pt bold is about 5.7 cm = 162 pt: a 160 pt line is right, 60 pt is not.
    good = _broken(clean, lambda d: _vml_rule(d, "Độc lập", 160))
    assert not any("Tiêu ngữ" in f.message and "kẻ" in f.message for f in good), good
    short = _broken(clean, lambda d: _vml_rule(d, "Độc lập", 60))
    assert any("Đường kẻ dưới Tiêu ngữ dài 2,1 cm" in f.message for f in short), short


def test_document_without_page_setup_or_styles() -> None:
    """A bare document.xml (no sectPr, nested tables) is checked, not crashed on."""
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}">'
        "<w:body><w:p><w:r><w:t>Xin chào</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tbl><w:tr>"
        "<w:tc><w:p><w:r><w:t>ô lồng</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc>"
        "</w:tr></w:tbl></w:body></w:document>"
    )
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
        'main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
    findings = check_docx(buf.getvalue(), "tran.docx")
    assert any(f.rule == R_PAGE and "thiết lập trang" in f.message for f in findings)
    assert any(f.rule == R_NATIONAL for f in findings)


def test_plain_numbered_sentence_is_not_a_heading(clean: bytes) -> None:
    def numbered(doc: Doc) -> None:
        _set_text(_para(doc, "Tiếp tục đẩy mạnh"), "1. Học sinh tham gia đầy đủ các hoạt động.")

    findings = _broken(clean, numbered)
    assert not any("Đề mục số" in f.message for f in findings), findings


def test_fixed_words_are_matched_with_their_diacritics() -> None:
    # The checker finds `Số:`, `năm`, `Nơi nhận` by fold_keep_marks: case, normal form and
    # spacing do not matter, the marks do (`So` is not `Số`).
    nfd = unicodedata.normalize("NFD", "  Số:\tKẾ  HOẠCH ")
    assert fold_keep_marks(nfd) == "số: kế hoạch"
    assert fold_keep_marks("NĂM") == "năm" != fold_keep_marks("Nam")
    assert fold_keep_marks("So sánh") != fold_keep_marks("Số sánh")


# A 1×1 PNG: an image part the header reference below is pointed at.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd6cd1"
    "0000000049454e44ae426082"
)


def test_header_reference_to_a_part_that_is_not_a_header_is_skipped(clean: bytes) -> None:
    def point_header_at_image(doc: Doc) -> None:
        doc.add_picture(io.BytesIO(_PNG))
        image_rid = next(
            rid for rid, rel in doc.part.rels.items() if rel.reltype.endswith("/image")
        )
        refs = [
            r
            for r in doc.sections[0]._sectPr.findall(qn("w:headerReference"))
            if r.get(qn("w:type")) == "default"
        ]
        assert refs
        refs[0].set(qn("r:id"), image_rid)

    findings = _broken(clean, point_header_at_image)  # no InputFileError: the header is skipped
    assert any(
        f.rule == R_PAGENUM and "không có số trang ở đầu trang" in f.message for f in findings
    ), findings
