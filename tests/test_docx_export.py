"""The ND30 exporter: sample and draft exports, read back with python-docx, golden outline."""

from __future__ import annotations

import io
import os
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from planner.docx.writer import (
    TEMPLATE_PATH,
    basis_lines,
    check_template,
    date_line,
    export_docx,
    heading_label,
    number_line,
    recipient_lines,
)
from planner.errors import ExportError
from planner.model import Base, Block, Plan, Section, Signer
from planner.nd30.checker import check_docx
from planner.nd30.styles import FONT, REQUIRED_STYLES, STYLE
from tests.conftest import require_program, require_soffice

TODAY = date(2021, 3, 15)
GOLDEN = Path(__file__).parent / "data" / "golden" / "sample-outline.txt"
SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def _doc(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _draft(sample: Plan) -> Plan:
    meta = replace(sample.meta, number="", issued=None, year=2021)
    return replace(sample, meta=meta)


def _texts(doc: docx.document.Document) -> list[str]:
    out = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def _one(text: str) -> str:
    return text.replace("\n", " ⏎ ")


def outline(data: bytes) -> str:
    """Style name + text of each body paragraph and table cell paragraph, in order."""
    doc = _doc(data)
    lines = []
    body = doc.element.body
    for child in body:
        if child.tag == qn("w:p"):
            p = docx.text.paragraph.Paragraph(child, doc)
            lines.append(f"{p.style.name} | {_one(p.text)}")
        elif child.tag == qn("w:tbl"):
            t = docx.table.Table(child, doc)
            for ri, row in enumerate(t.rows):
                for ci, cell in enumerate(row.cells):
                    for p in cell.paragraphs:
                        lines.append(f"[{ri},{ci}] {p.style.name} | {_one(p.text)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- formatting rules


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        (date(2021, 1, 5), "Thủ Dầu Một, ngày 05 tháng 01 năm 2021"),
        (date(2021, 2, 14), "Thủ Dầu Một, ngày 14 tháng 02 năm 2021"),
        (date(2021, 3, 9), "Thủ Dầu Một, ngày 09 tháng 3 năm 2021"),
        (date(2020, 7, 14), "Thủ Dầu Một, ngày 14 tháng 7 năm 2020"),
        (date(2021, 12, 25), "Thủ Dầu Một, ngày 25 tháng 12 năm 2021"),
        (date(2021, 10, 1), "Thủ Dầu Một, ngày 01 tháng 10 năm 2021"),
    ],
)
def test_date_line_zero_padding(issued: date, expected: str) -> None:
    assert date_line("Thủ Dầu Một", issued, issued.year) == expected


def test_draft_forms() -> None:
    assert date_line("Thủ Dầu Một", None, 2021) == "Thủ Dầu Một, ngày      tháng      năm 2021"
    assert number_line("", "KH-PGDĐT") == "Số:      /KH-PGDĐT"
    assert number_line("5", "KH-PGDĐT") == "Số: 05/KH-PGDĐT"
    assert number_line("932", "KH-PGDĐT") == "Số: 932/KH-PGDĐT"
    assert number_line("10", "KH-PGDĐT") == "Số: 10/KH-PGDĐT"


def test_basis_punctuation_fixed_words_kept() -> None:
    got = basis_lines(["Căn cứ Luật A", "Căn cứ Nghị định B,", "  ", "Căn cứ Kế hoạch C;"])
    assert got == ["Căn cứ Luật A;", "Căn cứ Nghị định B;", "Căn cứ Kế hoạch C."]
    assert basis_lines(["Căn cứ X,"]) == ["Căn cứ X,"]


def test_recipient_lines() -> None:
    assert recipient_lines(["Các trường;", "- Lưu: VT ."]) == ["- Các trường;", "- Lưu: VT."]
    assert recipient_lines(["Sở GDĐT"]) == ["- Sở GDĐT;", "- Lưu: VT."]
    assert recipient_lines([]) == ["- Lưu: VT."]


def test_heading_labels() -> None:
    assert heading_label("I") == "I."
    assert heading_label("2") == "2."
    assert heading_label("a") == "a)"
    assert heading_label("b)") == "b)"


# ---------------------------------------------------------------- whole documents


def test_sample_export_is_clean(sample: Plan) -> None:
    data = export_docx(sample, today=TODAY)
    assert check_docx(data, "sample.docx") == []


def test_draft_export_is_clean_and_blank(sample: Plan) -> None:
    data = export_docx(_draft(sample), today=TODAY)
    assert check_docx(data, "draft.docx") == []
    texts = _texts(_doc(data))
    assert "Số:      /KH-PGDĐT" in texts
    assert "Thủ Dầu Một, ngày      tháng      năm 2021" in texts


def test_read_back_structure(sample: Plan) -> None:
    data = export_docx(sample, today=TODAY)
    doc = _doc(data)
    names = {s.name for s in doc.styles}
    for name, _kind in REQUIRED_STYLES:
        assert name in names
    texts = _texts(doc)
    for expected in (
        "UBND",
        "THÀNH PHỐ THỦ DẦU MỘT",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 932/KH-PGDĐT",
        "Thủ Dầu Một, ngày 14 tháng 7 năm 2020",
        "KẾ HOẠCH",
        "Thực hiện công tác dân vận chính quyền năm 2020",
        "I. MỤC ĐÍCH YÊU CẦU",
        "III. TỔ CHỨC THỰC HIỆN",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TRƯỞNG PHÒNG",
        "Nguyễn Văn Chết",
    ):
        assert any(expected in t for t in texts), expected
    # the two header lines of the parent authority are one paragraph with a line break
    assert "UBND\nTHÀNH PHỐ THỦ DẦU MỘT" in texts
    by_style = {p.style.name: p.text for p in doc.paragraphs}
    assert by_style[STYLE["doc_type"]] == "KẾ HOẠCH"
    assert any(p.text.startswith("- Tiếp tục thực hiện") for p in doc.paragraphs)
    assert any(p.text.startswith("+ “Khéo” trong tuyên truyền") for p in doc.paragraphs)
    # bases in italics (style), the last one ending with a full stop
    bases = [p.text for p in doc.paragraphs if p.style.name == STYLE["basis"]]
    assert bases[0].endswith(";") and bases[-1].endswith(".")
    assert doc.styles[STYLE["basis"]].font.italic is True


def test_page_setup_and_headers(sample: Plan) -> None:
    doc = _doc(export_docx(sample, today=TODAY))
    s = doc.sections[0]
    assert (s.page_width.twips, s.page_height.twips) == (11906, 16838)
    assert 20 <= s.top_margin.mm <= 25 and 20 <= s.bottom_margin.mm <= 25
    assert 30 <= s.left_margin.mm <= 35 and 15 <= s.right_margin.mm <= 20
    assert s.different_first_page_header_footer
    header_xml = s.header._element.xml
    assert "PAGE" in header_xml and "fldChar" in header_xml
    assert "PAGE" not in s.first_page_header._element.xml
    # The page number is in the header only: the document has no footer part at all.
    parts = [str(p.partname) for p in doc.part.package.iter_parts()]
    assert not [p for p in parts if "footer" in p], parts
    assert s.footer.is_linked_to_previous
    hp = [p for p in s.header.paragraphs if p.text.strip()]
    assert hp and hp[0].style.name == STYLE["page_header"]


def test_fonts_in_every_slot(sample: Plan) -> None:
    doc = _doc(export_docx(sample, today=TODAY))
    styles = doc.styles.element
    rfonts = styles.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert all(rfonts.get(qn(a)) == FONT for a in SLOTS)
    assert not any(k.endswith("Theme") or k.endswith("theme") for k in rfonts.attrib)
    for name in STYLE.values():
        el = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert all(el.get(qn(a)) == FONT for a in SLOTS), name
    for style in doc.styles:
        rpr = style.element.rPr
        el = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if el is not None:
            assert not any("heme" in k for k in el.attrib), style.name


def test_header_table_geometry(sample: Plan) -> None:
    doc = _doc(export_docx(sample, today=TODAY))
    t = doc.tables[0]
    grid = [int(g.get(qn("w:w"))) for g in t._tbl.findall(f".//{qn('w:gridCol')}")]
    assert grid == [3827, 5670]  # 6.75 cm + 10 cm
    borders = t._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(b.get(qn("w:val")) == "nil" for b in borders)
    assert int(t._tbl.tblPr.find(qn("w:tblInd")).get(qn("w:w"))) < 0  # into the left margin
    rules = [p for c in t.rows[0].cells for p in c.paragraphs if p.style.name == STYLE["rule"]]
    assert len(rules) == 2
    sign = doc.tables[-1]
    assert sign.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"


def test_signer_prefix_and_deputy(sample: Plan) -> None:
    plan = replace(
        sample,
        signer=Signer(
            prefix="KT.", position="Trưởng phòng", deputy_position="Phó trưởng phòng", name="Lê B"
        ),
    )
    data = export_docx(plan, today=TODAY)
    cell = _doc(data).tables[-1].rows[0].cells[1]
    assert [p.text for p in cell.paragraphs] == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Lê B"]
    assert check_docx(data, "kt.docx") == []


def test_golden_outline(sample: Plan) -> None:
    got = outline(export_docx(sample, today=TODAY))
    if os.environ.get("UPDATE_GOLDEN") == "1":  # regenerate deliberately, then review the diff
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


def test_deterministic(sample: Plan) -> None:
    a = export_docx(sample, today=TODAY)
    b = export_docx(sample, today=TODAY)
    xa = zipfile.ZipFile(io.BytesIO(a)).read("word/document.xml")
    xb = zipfile.ZipFile(io.BytesIO(b)).read("word/document.xml")
    assert xa == xb
    assert a == b
    core = zipfile.ZipFile(io.BytesIO(a)).read("docProps/core.xml").decode()
    assert "2021-03-15T00:00:00" in core
    c = export_docx(sample, today=date(2021, 4, 1))
    assert (
        "2021-04-01T00:00:00" in zipfile.ZipFile(io.BytesIO(c)).read("docProps/core.xml").decode()
    )


def test_hostile_text_survives(sample: Plan) -> None:
    evil = "A & B <c> \"q\" 'x' ]]> \x01\x0b\x1f\ufffe end"
    plan = replace(
        sample,
        meta=replace(sample.meta, subject="Kế hoạch " + evil),
        preamble=(evil, "dòng 1\ndòng 2"),
        sections=(
            Section(
                "I",
                "thử <b>",
                (Block("paragraph", evil), Block("table", "", (("&", "<"),))),
            ),
        ),
    )
    data = export_docx(plan, today=TODAY)
    doc = _doc(data)
    texts = _texts(doc)
    clean = "A & B <c> \"q\" 'x' ]]>  end"
    assert "Kế hoạch " + clean in texts
    assert clean in texts
    assert "I. THỬ <B>" in texts
    assert "dòng 1\ndòng 2" in texts  # a line break stays a line break in its paragraph
    assert "&" in texts and "<" in texts
    # the only finding: the manual line break the plan's own text has
    assert [f.message for f in check_docx(data, "evil.docx")] == [
        "Ngắt dòng thủ công (Shift+Enter) giữa câu hoặc cuối đoạn canh đều: câu bị cắt thành "
        "dòng ngắn hoặc để lại dòng trống; hãy bỏ ngắt dòng."
    ]


def test_nfd_input_written_as_nfc(sample: Plan) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Tiếp tục đẩy mạnh")
    plan = replace(sample, preamble=(nfd,))
    doc = _doc(export_docx(plan, today=TODAY))
    assert unicodedata.normalize("NFC", nfd) in _texts(doc)


def _png(w: int = 320, h: int = 180) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (30, 90, 160)).save(buf, format="PNG")
    return buf.getvalue()


def test_schedule_and_charts(sample: Plan) -> None:
    rows = [
        ("Tháng 1/2021", "Xây dựng kế hoạch", "Phòng GDĐT", "Các trường"),
        ("Trước 25/11/2021", "Báo cáo cuối năm", "Các trường", ""),
    ]
    charts = [("Tiến độ theo đơn vị", _png()), ("Số việc đến hạn", _png(200, 200))]
    data = export_docx(sample, today=TODAY, schedule_rows=rows, charts=charts)
    doc = _doc(data)
    texts = _texts(doc)
    assert "IV. TIẾN ĐỘ THỰC HIỆN" in texts
    sched = next(t for t in doc.tables if t.rows[0].cells[0].text == "Thời gian")
    assert [c.text for c in sched.rows[0].cells] == [
        "Thời gian",
        "Nội dung công việc",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
    ]
    assert sched.rows[2].cells[1].text == "Báo cáo cuối năm"
    assert "PHỤ LỤC" in texts
    assert "Hình 1. Tiến độ theo đơn vị" in texts and "Hình 2. Số việc đến hạn" in texts
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("word/media/") for n in names) == 2
    assert check_docx(data, "full.docx") == []
    with pytest.raises(ExportError, match="PNG"):
        export_docx(sample, today=TODAY, charts=[("Hỏng", b"not a png")])


def test_template_checks(sample: Plan) -> None:
    ours = TEMPLATE_PATH.read_bytes()
    assert check_template(ours) == []
    plain = io.BytesIO()
    docx.Document().save(plain)
    missing = check_template(plain.getvalue())
    assert "ND30 Body" in missing and "ND30 Page Number" in missing
    with pytest.raises(ExportError, match="ND30 Body"):
        export_docx(sample, today=TODAY, template=plain.getvalue())
    data = export_docx(sample, today=TODAY, template=ours)
    assert check_docx(data, "t.docx") == []
    with pytest.raises(ExportError, match="mẫu"):
        check_template(b"not a zip")


def test_user_template_margins_pulled_into_range(sample: Plan) -> None:
    doc = _doc(TEMPLATE_PATH.read_bytes())
    doc.sections[0].left_margin = docx.shared.Mm(20)  # outside 30-35 mm
    doc.sections[0].right_margin = docx.shared.Mm(18)  # inside 15-20 mm: kept
    buf = io.BytesIO()
    doc.save(buf)
    out = _doc(export_docx(sample, today=TODAY, template=buf.getvalue()))
    assert round(out.sections[0].left_margin.mm) == 30
    assert round(out.sections[0].right_margin.mm) == 18


def test_template_builder_is_reproducible() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_template", Path(__file__).parent.parent / "templates" / "build_template.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == TEMPLATE_PATH.read_bytes()


def test_export_then_import_gives_back_the_plan(sample: Plan) -> None:
    from planner.docx.reader import import_docx
    from planner.model import plan_to_dict

    back = import_docx(export_docx(sample, today=TODAY), "sample.docx").plan
    a, b = plan_to_dict(sample), plan_to_dict(back)
    assert b["meta"] == a["meta"]
    assert b["sections"] == a["sections"]
    assert b["preamble"] == a["preamble"] and b["closing"] == a["closing"]
    assert b["signer"] == a["signer"]
    # only the final punctuation the exporter fixes differs
    assert [x["text"] for x in b["bases"]] == basis_lines([x.text for x in sample.bases])
    assert ["- " + r for r in b["recipients"]] == recipient_lines(sample.recipients)


def test_draft_round_trip(sample: Plan) -> None:
    from planner.docx.reader import import_docx

    back = import_docx(export_docx(_draft(sample), today=TODAY), "draft.docx").plan
    assert back.meta.number == "" and back.meta.issued is None
    assert back.meta.symbol == "KH-PGDĐT"


def test_sections_deeper_than_three(sample: Plan) -> None:
    deep = Section(
        "I",
        "Mục",
        children=(
            Section("1", "Khoản", children=(Section("a", "Điểm", (Block("dash", "Việc"),)),)),
        ),
    )
    plan = replace(sample, sections=(deep,), bases=(Base("Căn cứ Luật X"),))
    data = export_docx(plan, today=TODAY)
    texts = _texts(_doc(data))
    assert "I. MỤC" in texts and "1. Khoản" in texts and "a) Điểm" in texts
    assert "- Việc" in texts and "Căn cứ Luật X." in texts
    assert check_docx(data, "deep.docx") == []


@pytest.mark.soffice
def test_libreoffice_converts_to_pdf(sample: Plan, tmp_path: Path) -> None:
    soffice = require_soffice()
    pdftotext = require_program("pdftotext", why="poppler-utils reads the PDF's text back")
    src = tmp_path / "ke-hoach.docx"
    src.write_bytes(export_docx(sample, today=TODAY))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "ke-hoach.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Văn Chết" in text


def test_long_place_name_keeps_the_date_on_one_line(sample: Plan) -> None:
    plan = replace(
        sample, meta=replace(sample.meta, place="Thành phố Hồ Chí Minh", issued=date(2021, 12, 25))
    )
    data = export_docx(plan, today=TODAY)
    cell = _doc(data).tables[0].rows[1].cells[1]
    p = cell.paragraphs[0]
    assert p.text == "Thành phố Hồ Chí Minh, ngày 25 tháng 12 năm 2021"
    assert p.runs[0].font.size.pt == 13  # 14 pt would wrap in the 10 cm column
    assert check_docx(data, "hcm.docx") == []


def test_empty_plan_exports(sample: Plan) -> None:
    data = export_docx(Plan(), today=TODAY)
    texts = _texts(_doc(data))
    assert "KẾ HOẠCH" in texts and "Nơi nhận:" in texts and "- Lưu: VT." in texts


def test_rolled_over_draft_is_clean(sample: Plan) -> None:
    from planner.drafting.rollover import rollover

    draft = rollover(sample, 2021, today=TODAY).plan
    data = export_docx(draft, today=TODAY)
    assert check_docx(data, "2021.docx") == []
    texts = _texts(_doc(data))
    assert "Số:      /KH-PGDĐT" in texts
    assert "Thủ Dầu Một, ngày      tháng      năm 2021" in texts


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF),
    max_size=60,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(subject=_TEXT, body=_TEXT, recipient=_TEXT)
@example(subject="x", body="0\r0", recipient="y")  # a break inside one paragraph
def test_any_text_exports_and_reads_back(
    sample: Plan, subject: str, body: str, recipient: str
) -> None:
    from planner.text.clean import clean_line, clean_text

    plan = replace(
        sample,
        meta=replace(sample.meta, subject=subject),
        preamble=(body,),
        recipients=(recipient,),
    )
    data = export_docx(plan, today=TODAY)
    texts = _texts(_doc(data))
    if clean_line(subject):
        assert clean_line(subject) in texts
    lines = {part.strip() for text in texts for part in text.split("\n")}
    for line in clean_text(body).split("\n"):  # a break stays a break inside its paragraph
        if line.strip():
            assert line.strip() in lines
