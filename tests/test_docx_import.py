"""The Word importer on fixtures built in code (tests/docx_builders.py)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import date

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from planner.docx.reader import import_docx
from planner.errors import InputFileError, PlannerError
from planner.model import MAX_SECTION_DEPTH, Block, Plan, Signer, plan_to_dict, section_depth
from tests import docx_builders as B
from tests.conftest import require_soffice
from tests.docx_builders import NSDECL, W_NS, par, raw_body, raw_par, run_xml

W = f"{{{W_NS}}}"


# ---------------------------------------------------------------- helpers


def _collapse(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def plan_text(plan: Plan) -> str:
    """Every string the plan holds, one big text."""
    d = plan_to_dict(plan)
    out: list[str] = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(d)
    return _collapse("\n".join(out))


def docx_paragraph_texts(data: bytes) -> list[str]:
    """Each top-level paragraph's text straight from document.xml (all w:t, any wrapper)."""
    root = etree.fromstring(B.read_part(data, "word/document.xml"))
    texts = []
    for p in root.iter(f"{W}p"):
        if any(a.tag == f"{W}p" for a in p.iterancestors()):
            continue
        parts = []
        for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            parts.append(
                el.text or "" if el.tag == f"{W}t" else "\t" if el.tag == f"{W}tab" else "\n"
            )
        texts.append("".join(parts))
    return texts


_SKIP = re.compile(
    r"^(CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc|Số\s*:.*|"
    r".*, ngày .* năm \d{4}\.?|[-_\s]+|Nơi nhận:?|\(Đã ký\)|KẾ HOẠCH)$"
)  # Quốc hiệu, Tiêu ngữ, rules and labels; number, date and title are checked as fields
# a label the reader takes off: a section number, an item mark, `Nơi nhận:` before a recipient
_LABEL = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+•]|Nơi nhận:)\s*")


def assert_full_coverage(data: bytes, plan: Plan) -> None:
    """Every non-empty paragraph (each tab/line part) is somewhere in the plan."""
    whole = plan_text(plan)
    missing = []
    for text in docx_paragraph_texts(data):
        for part in re.split(r"[\t\n]+|\s{3,}", unicodedata.normalize("NFC", text)):
            part = _collapse(part)
            if not part or _SKIP.match(part):
                continue
            part = _LABEL.sub("", part, count=1)
            if part and part not in whole:
                missing.append(part)
    assert not missing, missing


def same_plan(got: Plan, expected: Plan) -> None:
    g, e = plan_to_dict(got), plan_to_dict(expected)
    for key in ("meta", "bases", "preamble", "sections", "closing", "recipients", "signer"):
        assert g[key] == e[key], key


@pytest.fixture(scope="module")
def sample() -> Plan:
    return B.sample_plan()


# ---------------------------------------------------------------- the seed plan


SEED_VARIANTS = [
    {},
    {"header": "paragraphs", "closing": "paragraphs"},
    {"numbering": "auto"},
    {"numbering": "auto", "headings": "styles"},
    {"headings": "styles"},
    {"subject_lines": 2},
    {"header": "paragraphs", "numbering": "auto", "closing": "paragraphs"},
    {"header": "spaces"},
]


@pytest.mark.parametrize(
    "variant", SEED_VARIANTS, ids=lambda v: "-".join(map(str, v.values())) or "plain"
)
def test_seed_docx_imports_to_the_sample_plan(variant, sample):
    data = B.seed_docx(**variant)
    result = import_docx(data, "ke-hoach-932.docx")
    same_plan(result.plan, sample)
    assert_full_coverage(data, result.plan)


def test_seed_header_fields(sample):
    plan = import_docx(B.seed_docx(), "seed.docx").plan
    m = plan.meta
    assert m.parent_authority == "UBND THÀNH PHỐ THỦ DẦU MỘT"
    assert m.authority == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
    assert (m.number, m.symbol) == ("932", "KH-PGDĐT")  # "932 /KH-PGDĐT": stray space gone
    assert (m.place, m.issued, m.year) == ("Thủ Dầu Một", date(2020, 7, 14), 2020)
    assert m.subject == "Thực hiện công tác dân vận chính quyền năm 2020"
    assert [p for p, _ in plan.iter_sections()] == [
        "I", "II", "II.1", "II.2", "II.3", "III", "III.1", "III.2",
    ]  # fmt: skip


def test_only_warning_on_the_seed_is_the_signature_placeholder():
    warnings = import_docx(B.seed_docx(), "seed.docx").warnings
    assert len(warnings) == 1 and "(Đã ký)" in warnings[0]


# ---------------------------------------------------------------- drafts and signers


def test_draft_with_blank_number_and_date(sample):
    meta = replace(sample.meta, number="", issued=None, subject="Công tác dân vận năm 2021")
    data = B.plan_docx(replace(sample, meta=meta))
    assert "Số:       /KH-PGDĐT" in "\n".join(docx_paragraph_texts(data))
    m = import_docx(data, "du-thao.docx").plan.meta
    assert (m.number, m.symbol, m.issued, m.place) == ("", "KH-PGDĐT", None, "Thủ Dầu Một")
    assert m.year == 2021


@pytest.mark.parametrize("header", ["table", "paragraphs", "spaces"])
def test_draft_header_variants(header, sample):
    meta = replace(sample.meta, number="", issued=None)
    m = import_docx(B.plan_docx(replace(sample, meta=meta), header=header), "d.docx").plan.meta
    assert (m.parent_authority, m.authority) == (
        sample.meta.parent_authority,
        sample.meta.authority,
    )
    assert (m.number, m.symbol, m.place, m.issued, m.year) == (
        "", "KH-PGDĐT", "Thủ Dầu Một", None, 2020,
    )  # fmt: skip


def test_year_falls_back_to_the_date_line(sample):
    meta = replace(sample.meta, subject="Thực hiện công tác dân vận chính quyền", issued=None)
    m = import_docx(B.plan_docx(replace(sample, meta=meta)), "a.docx").plan.meta
    assert m.year == 2020 and m.issued is None


@pytest.mark.parametrize("closing", ["table", "paragraphs"])
def test_signer_with_prefix_and_deputy(closing, sample):
    signer = Signer("KT.", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Trần Thị Bích")
    data = B.plan_docx(replace(sample, signer=signer), closing=closing)
    plan = import_docx(data, "kt.docx").plan
    assert plan.signer == signer
    assert plan.recipients == sample.recipients


@pytest.mark.parametrize(
    "signer",
    [
        Signer("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Cường"),
        Signer("TL.", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "Phạm Minh Đức"),
        Signer("TUQ.", "GIÁM ĐỐC", "TRƯỞNG PHÒNG TỔ CHỨC CÁN BỘ", "Võ Thị Lan"),
        Signer("Q.", "TRƯỞNG PHÒNG", "", "Đỗ Văn Hùng"),
        Signer("", "HIỆU TRƯỞNG", "", "NGUYỄN THỊ MAI"),  # a name typed in capitals
    ],
    ids=lambda s: s.prefix or "none",
)
@pytest.mark.parametrize("closing", ["table", "paragraphs"])
def test_signer_prefixes(signer, closing, sample):
    data = B.plan_docx(replace(sample, signer=signer), closing=closing)
    assert import_docx(data, "ky.docx").plan.signer == signer


# ---------------------------------------------------------------- the hard parts of real files


def _front(doc, subject="Tổ chức hoạt động năm 2021") -> None:
    B.add_header_table(
        doc,
        "UBND HUYỆN DẦU TIẾNG",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 15/KH-PGDĐT",
        "Dầu Tiếng, ngày 05 tháng 01 năm 2021",
    )
    par(doc, "KẾ HOẠCH", bold=True, center=True)
    par(doc, subject, bold=True, center=True)


def _messy_docx() -> bytes:
    doc = B.new_document()
    _front(doc)
    par(doc, "Căn cứ Kế hoạch số 10/KH-UBND ngày 02/01/2021 của UBND huyện;", italic=True)
    par(doc, "Thực hiện Công văn số 5/SGDĐT ngày 03/01/2021 của Sở GDĐT,", italic=True)
    par(doc, "Phòng GDĐT xây dựng kế hoạch như sau:")
    par(doc, "")
    par(doc, "   ")
    par(doc, ["I. MỤC ", "ĐÍ", "CH YÊU CẦU"], bold=True)  # runs split inside a word
    par(doc, unicodedata.normalize("NFD", "Nâng cao chất lượng giáo dục toàn diện."))
    raw_par(
        doc,
        run_xml("Tổ chức tại thành phố ")
        + '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
        + run_xml("Thủ Dầu Một")
        + "</w:smartTag>"
        + run_xml(" và huyện ")
        + '<w:ins w:id="1" w:author="A" w:date="2021-01-01T00:00:00Z">'
        + run_xml("Dầu Tiếng")
        + "</w:ins>"
        + '<w:del w:id="2" w:author="A" w:date="2021-01-01T00:00:00Z"><w:r>'
        + "<w:delText>CHỮ ĐÃ XÓA</w:delText></w:r></w:del>"
        + '<w:hyperlink r:id="" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        + run_xml(", xem cổng thông tin")
        + "</w:hyperlink>"
        + '<w:fldSimple w:instr=" PAGE ">'
        + run_xml(" (trang 1)")
        + "</w:fldSimple>"
        + run_xml("."),
    )
    raw_body(
        doc,
        f"<w:sdt {NSDECL}><w:sdtPr/><w:sdtContent><w:p>"
        + run_xml("Nội dung trong ô nhập liệu của Word.")
        + "</w:p></w:sdtContent></w:sdt>",
    )
    par(doc, ["II. NỘI DUNG"], bold=True)
    par(doc, ["1. Công tác ", "tuyên truyền"], bold=True)
    par(doc, "- Dòng thứ nhất;\n- Dòng thứ hai;")  # manual line breaks: one paragraph
    par(doc, "Một câu bị ngắt dòng\nbằng tay giữa chừng.")
    par(doc, "+ Ý nhỏ của dòng thứ hai.")
    par(doc, "a) Ở cấp mầm non")
    par(doc, "Nội dung mục a.")
    table = doc.add_table(rows=2, cols=3)
    for r, row in enumerate((("STT", "Nội dung", "Thời gian"), ("1", "Kiểm tra", "Tháng 3"))):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    par(doc, "b) Ở cấp tiểu học")
    par(doc, "2. Công tác kiểm tra", bold=True)
    par(doc, "Kiểm tra định kỳ.")
    par(doc, "III. TỔ CHỨC THỰC HIỆN", bold=True)
    par(doc, "Các trường triển khai thực hiện.")
    par(doc, "Trên đây là Kế hoạch năm 2021 của Phòng GDĐT./.")
    B.add_closing_table(
        doc,
        ["Các trường;", "Lưu: VT."],
        ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "", "Nguyễn Văn A"],
    )
    return B.to_bytes(doc)


@pytest.fixture(scope="module")
def messy() -> tuple[bytes, Plan, tuple[str, ...]]:
    data = _messy_docx()
    result = import_docx(data, "messy.docx")
    return data, result.plan, result.warnings


def test_messy_header_and_front(messy):
    _, plan, warnings = messy
    m = plan.meta
    assert (m.parent_authority, m.authority) == (
        "UBND HUYỆN DẦU TIẾNG",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    )
    assert (m.number, m.symbol, m.place) == ("15", "KH-PGDĐT", "Dầu Tiếng")
    assert m.issued == date(2021, 1, 5) and m.year == 2021
    assert [b.text[:9] for b in plan.bases] == ["Căn cứ Kế", "Thực hiện"]
    assert plan.preamble == ("Phòng GDĐT xây dựng kế hoạch như sau:",)
    assert warnings == ()


def test_messy_section_tree(messy):
    _, plan, _ = messy
    assert [(p, s.title) for p, s in plan.iter_sections()] == [
        ("I", "MỤC ĐÍCH YÊU CẦU"),
        ("II", "NỘI DUNG"),
        ("II.1", "Công tác tuyên truyền"),
        ("II.1.a", "Ở cấp mầm non"),
        ("II.1.b", "Ở cấp tiểu học"),
        ("II.2", "Công tác kiểm tra"),
        ("III", "TỔ CHỨC THỰC HIỆN"),
    ]


def test_messy_texts_nfc_wrappers_and_breaks(messy):
    _, plan, _ = messy
    first = plan.find_section("I")
    assert first.blocks[0].text == "Nâng cao chất lượng giáo dục toàn diện."
    assert unicodedata.is_normalized("NFC", first.blocks[0].text)
    assert first.blocks[1].text == (
        "Tổ chức tại thành phố Thủ Dầu Một và huyện Dầu Tiếng, xem cổng thông tin (trang 1)."
    )
    assert first.blocks[2].text == "Nội dung trong ô nhập liệu của Word."
    kinds = [(b.kind, b.text) for b in plan.find_section("II.1").blocks]
    assert kinds == [
        ("dash", "Dòng thứ nhất;\n- Dòng thứ hai;"),  # as written: one paragraph
        ("paragraph", "Một câu bị ngắt dòng\nbằng tay giữa chừng."),
        ("plus", "Ý nhỏ của dòng thứ hai."),
    ]
    assert "CHỮ ĐÃ XÓA" not in plan_text(plan)


def test_python_docx_text_misses_what_we_read(messy):
    data, _, _ = messy
    seen = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Thủ Dầu Một và" not in seen  # the smart tag's text is skipped by python-docx


def test_messy_body_table_and_closing(messy):
    _, plan, _ = messy
    a = plan.find_section("II.1.a")
    assert a.blocks[0].text == "Nội dung mục a."
    assert a.blocks[1].kind == "table"
    assert a.blocks[1].rows == (("STT", "Nội dung", "Thời gian"), ("1", "Kiểm tra", "Tháng 3"))
    assert plan.closing == ("Trên đây là Kế hoạch năm 2021 của Phòng GDĐT./.",)
    assert plan.recipients == ("Các trường;", "Lưu: VT.")
    assert plan.signer == Signer("KT.", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Nguyễn Văn A")


def test_messy_full_coverage(messy):
    data, plan, _ = messy
    assert_full_coverage(data, plan)


# ---------------------------------------------------------------- Word's numbering


def _numbered_doc(build) -> Plan:
    doc = B.new_document()
    _front(doc)
    build(doc)
    return import_docx(B.to_bytes(doc), "so-tu-dong.docx").plan


def test_outline_numbering_counts_like_word():
    def build(doc):
        nid = B.add_numbering(doc, "outline")
        for text, lvl in [
            ("MỤC ĐÍCH", 0),
            ("Mục một", 1),
            ("Mục hai", 1),
            ("Ý a", 2),
            ("Ý b", 2),
            ("NỘI DUNG", 0),
            ("Mục một của II", 1),
        ]:
            B.numbered(doc, text, nid, lvl, bold=lvl < 2)
            par(doc, f"Nội dung của {text}.")

    plan = _numbered_doc(build)
    assert [p for p, _ in plan.iter_sections()] == [
        "I",
        "I.1",
        "I.2",
        "I.2.a",
        "I.2.b",
        "II",
        "II.1",
    ]
    assert plan.find_section("I.2.b").title == "Ý b"
    assert plan.find_section("II.1").blocks[0].text == "Nội dung của Mục một của II."


def test_numbering_continues_across_num_instances_and_restarts_on_override():
    def build(doc):
        nid = B.add_numbering(doc, "outline")
        B.numbered(doc, "MỘT", nid, 0)
        B.numbered(doc, "HAI", nid, 0)
        again = B.restart_num(doc, nid, start=4)
        B.numbered(doc, "BỐN", again, 0)
        B.numbered(doc, "NĂM", again, 0)

    plan = _numbered_doc(build)
    assert [(s.number, s.title) for s in plan.sections] == [
        ("I", "MỘT"), ("II", "HAI"), ("IV", "BỐN"), ("V", "NĂM"),
    ]  # fmt: skip


def test_legal_numbering_nests():
    def build(doc):
        nid = B.add_numbering(doc, "legal")
        B.numbered(doc, "Mục tiêu", nid, 0)
        B.numbered(doc, "Mục tiêu chung", nid, 1)
        B.numbered(doc, "Chi tiết", nid, 2)
        B.numbered(doc, "Mục tiêu riêng", nid, 1)
        B.numbered(doc, "Giải pháp", nid, 0)
        B.numbered(doc, "Giải pháp một", nid, 1)

    plan = _numbered_doc(build)
    assert [(s.number, s.title) for _, s in plan.iter_sections()] == [
        ("1", "Mục tiêu"),
        ("1.1", "Mục tiêu chung"),
        ("1.1.1", "Chi tiết"),
        ("1.2", "Mục tiêu riêng"),
        ("2", "Giải pháp"),
        ("2.1", "Giải pháp một"),
    ]
    assert [len(s.children) for s in plan.sections] == [2, 1]


def test_bullets_become_dash_and_plus_items():
    def build(doc):
        par(doc, "I. NỘI DUNG", bold=True)
        dash = B.add_numbering(doc, "dash")
        B.numbered(doc, "Việc một", dash, 0)
        B.numbered(doc, "Ý nhỏ", dash, 1)
        bullet = B.add_numbering(doc, "bullet")
        B.numbered(doc, "Chấm tròn", bullet, 0)
        B.numbered(doc, "Chấm con", bullet, 1)
        par(doc, "Danh sách kiểu có sẵn", style="List Bullet")  # style-linked bullet

    blocks = _numbered_doc(build).sections[0].blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("dash", "Việc một"),
        ("plus", "Ý nhỏ"),
        ("dash", "Chấm tròn"),
        ("plus", "Chấm con"),
        ("dash", "Danh sách kiểu có sẵn"),
    ]


def test_heading_styles_with_linked_numbering_and_without_labels():
    def build(doc):
        B.add_numbering(doc, "outline", style_links=("Heading1", "Heading2"))
        par(doc, "MỤC ĐÍCH", style="Heading 1")
        par(doc, "Mục con", style="Heading 2")
        par(doc, "Nội dung.")
        par(doc, "NỘI DUNG", style="Heading 1")
        par(doc, "Không có số", style="Heading 3")  # no list: no number is made up

    plan = _numbered_doc(build)
    assert [(p, s.title) for p, s in plan.iter_sections()] == [
        ("I", "MỤC ĐÍCH"),
        ("I.1", "Mục con"),
        ("II", "NỘI DUNG"),
    ]
    assert [b.text for b in plan.find_section("II").blocks] == ["Không có số"]


def test_num_style_link_is_followed():
    def build(doc):
        numbering = doc.part.numbering_part.element
        numbering.insert(
            0,
            etree.fromstring(
                f'<w:abstractNum {NSDECL} w:abstractNumId="90"><w:styleLink w:val="KHList"/>'
                '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
                '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
            ),
        )
        numbering.insert(
            1,
            etree.fromstring(
                f'<w:abstractNum {NSDECL} w:abstractNumId="91">'
                '<w:numStyleLink w:val="KHList"/></w:abstractNum>'
            ),
        )
        numbering.append(
            etree.fromstring(f'<w:num {NSDECL} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
        )
        numbering.append(
            etree.fromstring(f'<w:num {NSDECL} w:numId="91"><w:abstractNumId w:val="91"/></w:num>')
        )
        doc.styles.element.append(
            etree.fromstring(
                f'<w:style {NSDECL} w:type="numbering" w:styleId="KHList">'
                '<w:name w:val="KH List"/><w:pPr><w:numPr><w:numId w:val="90"/></w:numPr>'
                "</w:pPr></w:style>"
            )
        )
        B.numbered(doc, "MỤC ĐÍCH", "91", 0)
        B.numbered(doc, "NỘI DUNG", "91", 0)

    plan = _numbered_doc(build)
    assert [(s.number, s.title) for s in plan.sections] == [("I", "MỤC ĐÍCH"), ("II", "NỘI DUNG")]


# ---------------------------------------------------------------- never drops text


def test_too_deep_sections_stay_as_paragraphs_with_a_warning():
    doc = B.new_document()
    _front(doc)
    par(doc, "I. MỘT", bold=True)
    labels = ["1.", "1.1.", "1.1.1.", "1.1.1.1.", "1.1.1.1.1.", "1.1.1.1.1.1."]
    for label in labels:
        par(doc, f"{label} Mục {label}", bold=True)
    data = B.to_bytes(doc)
    result = import_docx(data, "sau.docx")
    assert section_depth(result.plan.sections) == MAX_SECTION_DEPTH
    assert any("lồng sâu" in w for w in result.warnings)
    assert_full_coverage(data, result.plan)


def test_unrecognised_header_text_lands_in_the_preamble_with_a_warning():
    doc = B.new_document()
    par(doc, "Một dòng chữ thường lạ ở đầu văn bản")
    _front(doc)
    par(doc, "I. MỤC ĐÍCH", bold=True)
    data = B.to_bytes(doc)
    result = import_docx(data, "la.docx")
    assert "Một dòng chữ thường lạ ở đầu văn bản" in result.plan.preamble
    assert any("không nhận ra" in w for w in result.warnings)
    assert_full_coverage(data, result.plan)


def test_document_without_title_keeps_everything():
    doc = B.new_document()
    par(doc, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", bold=True)
    par(doc, "Số: 7/KH-PGDĐT")
    par(doc, "Tổng hợp ý kiến các trường năm 2022.")
    par(doc, "1. Việc thứ nhất", bold=True)
    par(doc, "- làm ngay;")
    data = B.to_bytes(doc)
    result = import_docx(data, "khong-tieu-de.docx")
    assert any("KẾ HOẠCH" in w for w in result.warnings)
    assert result.plan.meta.symbol == "KH-PGDĐT"
    assert_full_coverage(data, result.plan)


def test_table_before_any_section_stays_a_table_of_the_preamble():
    doc = B.new_document()
    _front(doc)
    t = doc.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Chỉ tiêu", "95%"
    par(doc, "I. MỤC ĐÍCH", bold=True)
    data = B.to_bytes(doc)
    result = import_docx(data, "bang.docx")
    [(at, table)] = result.plan.preamble_tables
    assert table.kind == "table" and table.rows == (("Chỉ tiêu", "95%"),)
    assert at == len(result.plan.bases) + len(result.plan.preamble)
    assert not any("Chỉ tiêu" in x for x in result.plan.preamble)
    assert not result.not_understood
    assert_full_coverage(data, result.plan)


def test_large_generated_plan_round_trips_structure():
    plan = B.large_plan(40)
    data = B.plan_docx(plan)
    result = import_docx(data, "lon.docx")
    same_plan(result.plan, plan)


# ---------------------------------------------------------------- refusals through the importer


def test_import_refuses_before_parsing():
    with pytest.raises(InputFileError, match="là tệp Word cũ"):
        import_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "cu.doc")
    with pytest.raises(InputFileError, match="DOCTYPE/ENTITY"):
        import_docx(B.entity_bomb_docx(), "bom.docx")


# ---------------------------------------------------------------- CLI


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_import_docx(tmp_path, sample):
    src = tmp_path / "ke-hoach.docx"
    src.write_bytes(B.seed_docx())
    out = tmp_path / "ke-hoach.json"
    proc = _cli("import-docx", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["meta"]["number"] == "932"
    assert data["sections"] == plan_to_dict(sample)["sections"]


def test_cli_bad_input_exits_2_with_one_line(tmp_path):
    src = tmp_path / "cu.doc"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    proc = _cli("import-docx", str(src), "-o", str(tmp_path / "x.json"))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cu.doc" in lines[0] and "lưu lại dưới dạng .docx" in lines[0]
    assert not (tmp_path / "x.json").exists()


# ---------------------------------------------------------------- another producer, random files


@pytest.mark.soffice
def test_docx_rewritten_by_libreoffice_imports_the_same(tmp_path, sample):
    soffice = require_soffice()
    # .docx → .odt → .docx: LibreOffice writes its own numbering.xml, styles and tables
    src = tmp_path / "seed.docx"
    src.write_bytes(
        B.seed_docx(numbering="auto", headings="styles", header="paragraphs", closing="paragraphs")
    )
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    for fmt, path, out in (
        ("odt", src, tmp_path / "odt"),
        ("docx", tmp_path / "odt" / "seed.odt", tmp_path / "back"),
    ):
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", fmt, "--outdir", str(out), str(path)],
            capture_output=True,
            timeout=180,
            check=True,
        )
    data = (tmp_path / "back" / "seed.docx").read_bytes()
    same_plan(import_docx(data, "seed.docx").plan, sample)


_WORDS = (
    "Nội dung năm 2020 KẾ HOẠCH Căn cứ Thực hiện Trên đây là Nơi nhận: KT. TM. TRƯỞNG PHÒNG "
    "(Đã ký) I. II. 1. 2. 1.1. a) b) - + • Số: /KH-PGDĐT ngày tháng Thủ Dầu Một, ; . ___ "
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Lưu: VT. Nguyễn Văn A"
).split(" ")
_TOKENS = st.sampled_from([*_WORDS, "\t", "\n", " ", unicodedata.normalize("NFD", "Tiếng Việt")])
_PARAGRAPHS = st.lists(
    st.tuples(st.lists(_TOKENS, max_size=12).map(" ".join), st.booleans(), st.booleans()),
    min_size=1,
    max_size=30,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=_PARAGRAPHS, header=st.booleans())
def test_never_drops_text(paragraphs, header):
    doc = B.new_document()
    if header:
        _front(doc)
    for text, bold, center in paragraphs:
        par(doc, text, bold=bold, center=center)
    data = B.to_bytes(doc)
    result = import_docx(data, "ngau-nhien.docx")
    assert_full_coverage(data, result.plan)
    assert section_depth(result.plan.sections) <= MAX_SECTION_DEPTH


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # bold tells the issuing body (ND30)
        ([("ỦY BAN NHÂN DÂN", False), ("THÀNH PHỐ THỦ DẦU MỘT", False),
          ("PHÒNG GIÁO DỤC", True), ("VÀ ĐÀO TẠO", True)],
         ("ỦY BAN NHÂN DÂN THÀNH PHỐ THỦ DẦU MỘT", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")),
        # all bold: agency words start a new body, other lines continue one
        ([("SỞ GIÁO DỤC VÀ ĐÀO TẠO", True), ("TỈNH BÌNH DƯƠNG", True)],
         ("", "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH BÌNH DƯƠNG")),
        ([("UBND TỈNH BÌNH DƯƠNG", True), ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", True)],
         ("UBND TỈNH BÌNH DƯƠNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")),
        # one paragraph with a manual line break, no bold at all
        ([("UBND THÀNH PHỐ THỦ DẦU MỘT\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO", False)],
         ("UBND THÀNH PHỐ THỦ DẦU MỘT", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")),
    ],
)  # fmt: skip
def test_agency_lines(lines, expected):
    doc = B.new_document()
    for text, bold in lines:
        par(doc, text, bold=bold, center=True)
    par(doc, "Số: 03/KH-SGDĐT")
    par(doc, "Bình Dương, ngày 05 tháng 01 năm 2021", italic=True)
    par(doc, "KẾ HOẠCH", bold=True, center=True)
    par(doc, "Công tác năm 2021", bold=True, center=True)
    m = import_docx(B.to_bytes(doc), "co-quan.docx").plan.meta
    assert (m.parent_authority, m.authority) == expected
    assert (m.number, m.symbol, m.place, m.issued) == (
        "03",
        "KH-SGDĐT",
        "Bình Dương",
        date(2021, 1, 5),
    )


_ATTR = st.sampled_from(["0", "1", "3", "-1", "8", "9", "99", "abc", "", "10000000000000", "²"])
_FMT = st.sampled_from(
    ["decimal", "upperRoman", "lowerLetter", "bullet", "none", "decimalZero", "chineseCounting"]
)
_LVL_TEXT = st.sampled_from(["%1.", "%1.%2.", "%3)", "-", "+", "", "%9", "%1%1%1"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    levels=st.lists(st.tuples(_ATTR, _ATTR, _FMT, _LVL_TEXT), min_size=1, max_size=4),
    uses=st.lists(st.tuples(_ATTR, _ATTR), min_size=1, max_size=8),
)
def test_odd_numbering_never_crashes(levels, uses):
    """Whatever numbering.xml holds, the import gives a plan or a PlannerError."""
    doc = B.new_document()
    _front(doc)
    numbering = doc.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for ilvl, start, fmt, text in levels
    )
    numbering.insert(
        0, etree.fromstring(f'<w:abstractNum {NSDECL} w:abstractNumId="77">{lvls}</w:abstractNum>')
    )
    numbering.append(
        etree.fromstring(f'<w:num {NSDECL} w:numId="77"><w:abstractNumId w:val="77"/></w:num>')
    )
    for i, (nid, ilvl) in enumerate(uses):
        p = par(doc, f"Đoạn số {i}")
        p._p.get_or_add_pPr().insert(
            0,
            etree.fromstring(
                f'<w:numPr {NSDECL}><w:ilvl w:val="{ilvl}"/>'
                f'<w:numId w:val="{77 if nid == "1" else nid}"/></w:numPr>'
            ),
        )
    data = B.to_bytes(doc)
    try:
        result = import_docx(data, "la.docx")
    except PlannerError:
        return
    assert_full_coverage(data, result.plan)
    assert len(plan_text(result.plan)) < 10_000


def test_title_and_subject_on_one_line():
    doc = B.new_document()
    B.add_header_table(
        doc, "", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Số: 5/KH-PGDĐT", "A, ngày 10 tháng 3 năm 2022"
    )
    par(doc, "KẾ HOẠCH Tổ chức hội thi giáo viên dạy giỏi năm 2022", bold=True, center=True)
    par(doc, "Căn cứ Kế hoạch số 1/KH-SGDĐT;", italic=True)
    par(doc, "I. MỤC ĐÍCH", bold=True)
    plan = import_docx(B.to_bytes(doc), "mot-dong.docx").plan
    assert plan.meta.doc_type == "KẾ HOẠCH"
    assert plan.meta.subject == "Tổ chức hội thi giáo viên dạy giỏi năm 2022"
    assert plan.meta.year == 2022 and plan.meta.issued == date(2022, 3, 10)
    assert [b.text for b in plan.bases] == ["Căn cứ Kế hoạch số 1/KH-SGDĐT;"]


@pytest.mark.parametrize("closing", ["table", "paragraphs"])
def test_recipients_without_dashes(closing):
    doc = B.new_document()
    _front(doc)
    par(doc, "I. MỤC ĐÍCH", bold=True)
    par(doc, "Trên đây là kế hoạch./.")
    recipients = ["Như trên;", "Sở GDĐT (để báo cáo);", "Lưu: VT."]
    if closing == "table":
        table = doc.add_table(rows=1, cols=2)
        B.cell_lines(
            table.cell(0, 0), [("Nơi nhận:", {"bold": True})] + [(r, {}) for r in recipients]
        )
        B.cell_lines(
            table.cell(0, 1), [("TRƯỞNG PHÒNG", {"bold": True}), ("Lê Thị Hoa", {"bold": True})]
        )
    else:
        par(doc, "Nơi nhận:\t\tTRƯỞNG PHÒNG", bold=True)
        for r in recipients:
            par(doc, r)
        par(doc, "Lê Thị Hoa", bold=True, center=True)
    plan = import_docx(B.to_bytes(doc), "noi-nhan.docx").plan
    assert plan.recipients == tuple(recipients)
    assert plan.signer == Signer("", "TRƯỞNG PHÒNG", "", "Lê Thị Hoa")


def test_seed_as_typed_imports_to_the_sample(sample):
    """The seed text as it was typed: Heading styles on uneven levels, paragraphs broken
    mid-sentence, a manual line break between KẾ HOẠCH and the trích yếu."""
    data = B.seed_md_docx()
    result = import_docx(data, "ke-hoach-932.docx")
    plan = result.plan
    # the typed seed has no agency lines and no position above the name
    expected = replace(
        sample,
        meta=replace(sample.meta, parent_authority="", authority=""),
        signer=replace(sample.signer, position=""),
    )
    same_plan(plan, expected)
    assert_full_coverage(data, plan)
    joined = [w for w in result.warnings if "nối hai đoạn" in w]
    assert len(joined) == 2  # "Kế hoạch số / 4760/KH-UBND" and "cho dân, / xâm phạm"


def test_paragraph_starting_a_sentence_is_not_joined():
    doc = B.new_document()
    _front(doc)
    par(doc, "I. MỤC ĐÍCH", bold=True)
    par(doc, "Nâng cao chất lượng")
    par(doc, "Tăng cường kiểm tra.")
    par(doc, "Đoạn kết thúc bằng dấu chấm.")
    par(doc, "và đoạn sau viết thường vẫn giữ riêng")
    blocks = import_docx(B.to_bytes(doc), "noi.docx").plan.sections[0].blocks
    assert [b.text for b in blocks] == [
        "Nâng cao chất lượng",
        "Tăng cường kiểm tra.",
        "Đoạn kết thúc bằng dấu chấm.",
        "và đoạn sau viết thường vẫn giữ riêng",
    ]


def test_level_redefined_in_lvl_override():
    def build(doc):
        par(doc, "I. NỘI DUNG", bold=True)
        par(doc, "1. Công tác chung", bold=True)
        nid = B.add_numbering(doc, "outline")
        numbering = doc.part.numbering_part.element
        num = numbering.xpath(f'./w:num[@w:numId="{nid}"]')[0]
        num.append(
            etree.fromstring(
                f'<w:lvlOverride {NSDECL} w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:lvlOverride>'
            )
        )
        B.numbered(doc, "Ở trường mầm non", nid, 0)
        B.numbered(doc, "Ở trường tiểu học", nid, 0)

    plan = _numbered_doc(build)
    assert [(p, s.title) for p, s in plan.iter_sections()] == [
        ("I", "NỘI DUNG"),
        ("I.1", "Công tác chung"),
        ("I.1.a", "Ở trường mầm non"),
        ("I.1.b", "Ở trường tiểu học"),
    ]


def test_several_bases_in_one_paragraph():
    doc = B.new_document()
    _front(doc)
    par(
        doc,
        "Căn cứ Kế hoạch số 1/KH-UBND;\nCăn cứ Công văn số 2/SGDĐT\ncủa Sở GDĐT;\nThực hiện Chỉ thị số 3/CT-TTg,",
        italic=True,
    )
    par(doc, "Phòng GDĐT xây dựng kế hoạch như sau:")
    plan = import_docx(B.to_bytes(doc), "can-cu.docx").plan
    assert [b.text for b in plan.bases] == [
        "Căn cứ Kế hoạch số 1/KH-UBND;",
        "Căn cứ Công văn số 2/SGDĐT\ncủa Sở GDĐT;",
        "Thực hiện Chỉ thị số 3/CT-TTg,",
    ]
    assert plan.preamble == ("Phòng GDĐT xây dựng kế hoạch như sau:",)


def test_schedule_table_that_cannot_be_read_stays_a_section(sample):
    from planner.model import Block, Section

    rows = (
        ("Thời gian", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp"),
        ("32/13/2021", "Kiểm tra", "Phòng GDĐT", ""),
    )
    plan = replace(
        sample,
        sections=(
            *sample.sections,
            Section("IV", "TIẾN ĐỘ THỰC HIỆN", (Block("table", "", rows),)),
        ),
    )
    result = import_docx(B.plan_docx(plan), "tien-do.docx")
    assert result.plan.tasks == ()
    assert result.plan.sections[-1].blocks[0].rows == rows


def test_older_label_styles():
    doc = B.new_document()
    _front(doc)
    for text in ("I- MỤC ĐÍCH", "1/ Mục tiêu chung", "a/ Ở cấp mầm non", "b/ Ở cấp tiểu học",
                 "2- Mục tiêu riêng", "II/ NỘI DUNG"):  # fmt: skip
        par(doc, text, bold=True)
        par(doc, f"Nội dung của {text[3:]}.")
    plan = import_docx(B.to_bytes(doc), "cu.docx").plan
    assert [(p, s.title) for p, s in plan.iter_sections()] == [
        ("I", "MỤC ĐÍCH"),
        ("I.1", "Mục tiêu chung"),
        ("I.1.a", "Ở cấp mầm non"),
        ("I.1.b", "Ở cấp tiểu học"),
        ("I.2", "Mục tiêu riêng"),
        ("II", "NỘI DUNG"),
    ]


def test_closing_without_tren_day_and_signer_before_noi_nhan():
    doc = B.new_document()
    _front(doc)
    par(doc, "I. TỔ CHỨC THỰC HIỆN", bold=True)
    par(doc, "Các trường triển khai.")
    par(doc, "Nhận được kế hoạch này, đề nghị các đơn vị nghiêm túc thực hiện./.")
    par(doc, "KT. TRƯỞNG PHÒNG", bold=True, center=True)
    par(doc, "PHÓ TRƯỞNG PHÒNG", bold=True, center=True)
    par(doc, "Trần Văn Bình", bold=True, center=True)
    par(doc, "Nơi nhận:", bold=True, italic=True)
    par(doc, "- Như trên;")
    par(doc, "- Lưu: VT.")
    plan = import_docx(B.to_bytes(doc), "ket.docx").plan
    assert plan.sections[0].blocks == (Block("paragraph", "Các trường triển khai."),)
    assert plan.closing == ("Nhận được kế hoạch này, đề nghị các đơn vị nghiêm túc thực hiện./.",)
    assert plan.signer == Signer("KT.", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Trần Văn Bình")
    assert plan.recipients == ("Như trên;", "Lưu: VT.")


def test_alternate_content_read_once():
    doc = B.new_document()
    _front(doc)
    par(doc, "I. MỤC ĐÍCH", bold=True)
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    para = f"<w:p>{run_xml('Chữ có hai bản trình bày.')}</w:p>"
    raw_body(
        doc,
        f'<mc:AlternateContent {mc} {NSDECL}><mc:Choice Requires="w14">{para}</mc:Choice>'
        f"<mc:Fallback>{para}</mc:Fallback></mc:AlternateContent>",
    )
    blocks = import_docx(B.to_bytes(doc), "mc.docx").plan.sections[0].blocks
    assert [b.text for b in blocks] == ["Chữ có hai bản trình bày."]


def test_draft_mark_is_not_an_agency():
    doc = B.new_document()
    par(doc, "DỰ THẢO", bold=True)
    par(doc, "UBND THÀNH PHỐ THỦ DẦU MỘT")
    par(doc, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", bold=True)
    par(doc, "KẾ HOẠCH", bold=True, center=True)
    par(doc, "Công tác năm 2021", bold=True, center=True)
    result = import_docx(B.to_bytes(doc), "du-thao.docx")
    m = result.plan.meta
    assert (m.parent_authority, m.authority) == (
        "UBND THÀNH PHỐ THỦ DẦU MỘT",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    )
    assert any("dự thảo" in w for w in result.warnings)
