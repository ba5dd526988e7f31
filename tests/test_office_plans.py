"""Real offices' Word plans in, faithfully, and back out the same (issue #11).

Files are built the way offices type them (`tests/office_docs.py` plus the raw XML below):
content tables in the body and in a Phụ lục after the signature on a landscape section,
Word auto-numbered TT cells, merged cells, manual line breaks, bold labels, a three-line
signer, an upright `Thực hiện …` opening, an italic sub-line, a half-filled draft date, and
other document types.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.docx.reader import import_docx, import_report, report_lines
from planner.docx.writer import basis_lines, export_docx, recipient_lines
from planner.errors import DocxImportError
from planner.model import (
    Appendix,
    Block,
    Plan,
    plan_from_json,
    plan_to_dict,
    plan_to_json,
)
from tests import docx_builders as B
from tests import office_docs as O

TODAY = date(2026, 4, 2)


def build(body: list[str], *, closing: bool = True, after: list[str] = (),
          landscape_after: bool = False, header: str = "2x3") -> bytes:  # fmt: skip
    """A document: the office header, `body` (XML paragraphs/tables), Nơi nhận + signer,
    then `after` (on a landscape section when `landscape_after`)."""
    doc = docx.Document()
    O._setup(doc)
    O._append(doc, O.header_xml(header, rule="border", place="after"))
    for xml in body:
        O._append(doc, xml)
    if closing:
        O._closing(doc)
    if after:
        if landscape_after:
            O._append(doc, O.para("").replace("<w:pPr>", "<w:pPr>" + O._PORTRAIT, 1))
        for xml in after:
            O._append(doc, xml)
        if landscape_after:
            body_el = doc.element.body
            body_el.remove(body_el[-1])
            body_el.append(
                O.parse_xml(O._LANDSCAPE.replace("<w:sectPr>", f"<w:sectPr {O.DECL}>", 1))
            )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def retext(data: bytes, old: str, new: str) -> bytes:
    """The document with `old` replaced by `new` in every text run."""
    d = docx.Document(io.BytesIO(data))
    for t in d.element.body.iter(f"{{{O.W_NS}}}t"):
        if t.text and old in t.text:
            t.text = t.text.replace(old, new)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def title(*lines: str) -> list[str]:
    return [O.para(O.run(x, b=True), center=True) for x in lines]


def p(*runs: str) -> str:
    return O.para("".join(runs))


def r(text: str, **kw: bool) -> str:
    """A run; `\n` in `text` is a manual line break (w:br)."""
    xml = O.run(text, **kw)
    return xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')


def roundtrip(plan: Plan) -> Plan:
    return import_docx(export_docx(plan, today=TODAY), "xuat.docx").plan


def as_exported(plan: Plan) -> Plan:
    bases = tuple(
        replace(b, text=t)
        for b, t in zip(plan.bases, basis_lines([b.text for b in plan.bases]), strict=True)
    )
    recipients = tuple(x[2:] for x in recipient_lines(plan.recipients))
    return replace(plan, bases=bases, recipients=recipients)


KEYS = ("meta", "bases", "preamble", "sections", "closing", "recipients", "signer", "appendices")


def assert_same(got: Plan, expected: Plan) -> None:
    g, e = plan_to_dict(got), plan_to_dict(expected)
    for key in KEYS:
        assert g.get(key) == e.get(key), key


# ---------------------------------------------------------------- tables


def test_phu_luc_after_the_signature_stays_an_appendix_on_a_landscape_page():
    data = O.office_docx(header="2x3", appendix="landscape", schedule=O.focus_schedule())
    result = import_docx(data, "ke-hoach.docx")
    plan = result.plan
    # the body table stays in its section as a table, all 16 tasks
    body_table = plan.find_section("II").blocks[-1]
    assert body_table.kind == "table" and len(body_table.rows) == 17
    assert body_table.rows[16][1] == "Kiểm tra nội bộ cơ quan"
    # nothing after the signature went into the closing
    assert plan.closing == ("Trên đây là kế hoạch của Phòng Giáo dục và Đào tạo.",)
    (appendix,) = plan.appendices
    assert appendix.title == "Phụ lục"
    assert appendix.subtitles == ("SỐ LIỆU CÁC TRƯỜNG NĂM HỌC 2025-2026",)
    assert appendix.landscape
    (table,) = appendix.blocks
    assert table.header_rows == 2  # the header row and the (1) (2) (3)… row
    assert table.rows[1][:3] == ("(1)", "(2)", "(3)")
    assert plan.signer.name == "Nguyễn Văn An"
    # and back out: the appendix after the signature, landscape, then in again the same
    back = roundtrip(plan)
    assert_same(back, as_exported(plan))
    out = docx.Document(io.BytesIO(export_docx(plan, today=TODAY)))
    assert [s.orientation for s in out.sections] == [0, 1]  # portrait body, landscape Phụ lục


def _auto_tt_docx() -> bytes:
    """A 3-row assignment table whose TT cells are empty, numbered by Word, and merged cells."""
    doc = docx.Document()
    O._setup(doc)
    numbering = doc.part.numbering_part.element
    numbering.append(O.parse_xml(
        f'<w:abstractNum {O.DECL} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    ))  # fmt: skip
    numbering.append(
        O.parse_xml(f'<w:num {O.DECL} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    O._append(doc, O.header_xml("2x2", rule="border", place="after"))
    for xml in title("KẾ HOẠCH", "Kiểm tra chuyên đề năm 2026"):
        O._append(doc, xml)
    O._append(doc, p(r("I. PHÂN CÔNG", b=True)))

    def cell(
        text: str, *, num: bool = False, span: int = 1, vmerge: str = "", b: bool = False
    ) -> str:
        pr = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>' if num else ""
        tc = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        tc += (
            f'<w:vMerge w:val="{vmerge}"/>'
            if vmerge == "restart"
            else ("<w:vMerge/>" if vmerge else "")
        )
        body = f"<w:p><w:pPr>{pr}</w:pPr>{r(text, b=b) if text else ''}</w:p>"
        return f"<w:tc><w:tcPr>{tc}</w:tcPr>{body}</w:tc>"

    rows = [
        [cell("STT", b=True), cell("Nội dung", b=True), cell("Thực hiện", span=2, b=True)],
        [cell("", num=True), cell("Kiểm tra hồ sơ"), cell("Tổ chuyên môn", vmerge="restart"), cell("Quý IV")],
        [cell("", num=True), cell("Dự giờ"), cell("", vmerge="continue"), cell("Quý I")],
        [cell("", num=True), cell("Báo cáo\nkết quả"), cell("Các trường"), cell("Tháng 5")],
    ]  # fmt: skip
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(4))
    trs = "".join(f"<w:tr>{''.join(x)}</w:tr>" for x in rows)
    O._append(doc, f"<w:tbl {O.DECL}><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{trs}</w:tbl>")
    O._closing(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_auto_numbered_tt_cells_merged_cells_and_breaks_in_a_cell():
    plan = import_docx(_auto_tt_docx(), "phan-cong.docx").plan
    (table,) = plan.find_section("I").blocks
    assert [row[0] for row in table.rows] == ["STT", "1", "2", "3"]
    assert table.rows[0] == ("STT", "Nội dung", "Thực hiện", "")
    assert table.rows[2][2] == ""  # covered by the vertical merge above
    assert table.rows[3][1] == "Báo cáo\nkết quả"
    assert set(table.merges) == {(0, 2, 1, 2), (1, 2, 2, 1)}
    assert table.header_rows == 1
    assert_same(roundtrip(plan), as_exported(plan))


# ---------------------------------------------------------------- text as written


def _text_docx() -> bytes:
    body = [
        *title("KẾ HOẠCH", "Tổ chức Hội khỏe Phù Đổng năm 2026"),
        O.para(r("(Ban hành kèm theo Quyết định số 12/QĐ-UBND)", i=True), center=True),
        p(r("Thực hiện Chỉ thị số 11-CT/TU ngày 05/01/2026 của Tỉnh ủy, UBND huyện ban hành kế hoạch như sau:")),
        p(r("I. MỤC ĐÍCH", b=True)),
        p(r("a) Tuyên truyền:", b=True), r(" phổ biến rộng rãi đến học sinh.")),
        p(r("Dòng một của đoạn\ndòng hai của đoạn.")),
        p(r("- Tổ chức thi đấu các môn điền kinh;")),
        p(r("Trên đây là kế hoạch tổ chức Hội khỏe Phù Đổng.")),
    ]  # fmt: skip
    return build(body)


def test_labels_breaks_emphasis_and_roles_as_written():
    result = import_docx(_text_docx(), "hkpd.docx")
    plan = result.plan
    assert plan.meta.subject == "Tổ chức Hội khỏe Phù Đổng năm 2026"
    assert plan.meta.subtitles == ("(Ban hành kèm theo Quyết định số 12/QĐ-UBND)",)
    assert plan.bases == ()  # an upright “Thực hiện …” opens the text: not a Căn cứ
    assert plan.preamble[0].startswith("Thực hiện Chỉ thị số 11-CT/TU")
    blocks = plan.find_section("I").blocks
    label = "a) Tuyên truyền:"
    assert blocks[0] == Block(
        "paragraph", f"{label} phổ biến rộng rãi đến học sinh.", emphasis=((0, len(label), "b"),)
    )  # a paragraph, not a section; only its label bold
    assert blocks[1].text == "Dòng một của đoạn\ndòng hai của đoạn."  # one paragraph
    assert blocks[2] == Block("dash", "Tổ chức thi đấu các môn điền kinh;")
    assert [s.number for s in plan.sections] == ["I"]  # no invented a)
    assert_same(roundtrip(plan), as_exported(plan))


def test_three_line_signer_and_half_filled_draft_date():
    doc_body = [
        *title("KẾ HOẠCH", "Công tác năm 2026"),
        p(r("I. NỘI DUNG", b=True)),
        p(r("Nội dung.")),
    ]
    data = build(doc_body, closing=False)
    d = docx.Document(io.BytesIO(data))
    left = [O.para(O.run("Nơi nhận:", b=True, i=True)), O.para(O.run("- Như trên;")),
            O.para(O.run("- Lưu: VT."))]  # fmt: skip
    right = [O.para(O.run(x, b=True), center=True)
             for x in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình")]  # fmt: skip
    O._append(d, O._table([4395, 4960], [[O._cell(4395, left), O._cell(4960, right)]]))
    for t in d.element.body.iter(f"{{{O.W_NS}}}t"):
        if t.text and t.text.startswith("Bình Chánh, ngày"):
            t.text = "Bình Chánh, ngày      tháng 4 năm 2026"
    buf = io.BytesIO()
    d.save(buf)
    plan = import_docx(buf.getvalue(), "ky.docx").plan
    assert plan.signer.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert plan.signer.name == "Trần Văn Bình"
    assert (plan.meta.issued, plan.meta.issued_month, plan.meta.year) == (None, 4, 2026)
    back = roundtrip(plan)
    assert back.signer == plan.signer and back.meta == plan.meta


# ---------------------------------------------------------------- document types


@pytest.mark.parametrize(
    ("word", "symbol", "expected"),
    [("BÁO CÁO", "15/BC-UBND", "BÁO CÁO"), ("QUYẾT ĐỊNH", "12/QĐ-UBND", "QUYẾT ĐỊNH"),
     ("TỜ TRÌNH", "7/TTr-SGDĐT", "TỜ TRÌNH"), ("HƯỚNG DẪN", "3/HD-SGDĐT", "HƯỚNG DẪN"),
     ("THÔNG BÁO", "9/TB-UBND", "THÔNG BÁO"), ("CHƯƠNG TRÌNH", "2/CTr-UBND", "CHƯƠNG TRÌNH")],
)  # fmt: skip
def test_other_document_types_keep_their_type(word, symbol, expected):
    data = build(
        [*title(word, "Kết quả công tác năm 2025"), p(r("I. KẾT QUẢ", b=True)), p(r("Nội dung."))]
    )
    data = retext(data, "125/KH-PGDĐT", symbol)
    result = import_docx(data, "vb.docx")
    assert result.plan.meta.doc_type == expected
    assert result.plan.meta.symbol == symbol.split("/", 1)[1]
    assert result.plan.meta.authority == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"  # no type word glued on
    assert any(expected.lower() in w for w in result.warnings)
    assert roundtrip(result.plan).meta.doc_type == expected


def test_cong_van_is_refused_naming_its_type():
    body = [p(r("V/v triển khai nhiệm vụ năm học 2026")), p(r("Kính gửi: Các trường học.")),
            p(r("Sở Giáo dục và Đào tạo đề nghị các trường triển khai như sau."))]  # fmt: skip
    data = retext(build(body), "125/KH-PGDĐT", "125/UBND-VX")
    with pytest.raises(DocxImportError, match="công văn"):
        import_docx(data, "cv.docx")


# ---------------------------------------------------------------- round trips and report


def test_charts_appendix_is_recognised_as_generated():
    from planner.progress.tasks import schedule_rows

    plan = B.sample_plan()
    png = B.tiny_png() if hasattr(B, "tiny_png") else _png()
    data = export_docx(plan, today=TODAY, schedule_rows=schedule_rows(plan),
                       charts=[("Tiến độ", png), ("Trạng thái", png)])  # fmt: skip
    result = import_docx(data, "bieu-do.docx")
    assert result.plan.appendices == ()
    assert any("biểu đồ" in x for x in result.skipped)
    assert "Hình 1" not in plan_to_json(result.plan)


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"\x00\xff\xff\xff"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))  # fmt: skip


def test_report_names_every_part_and_quotes_what_was_not_understood():
    data = O.office_docx(header="3x3", appendix="landscape", schedule=O.assignment_table())
    result = import_docx(data, "kh.docx")
    report = import_report(result)
    assert report["doc_type"] == "KẾ HOẠCH"
    assert [s["depth"] for s in report["sections"]] == [1, 2, 3, 1]
    assert len(report["tables"]) == 2 and report["appendices"][0]["landscape"]
    text = "\n".join(report_lines(report))
    assert "Phụ lục sau chỗ ký (1):" in text and "trang ngang" in text
    assert "KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG — Nguyễn Văn An" in text


def test_plan_json_with_the_new_keys_loads_back():
    plan = import_docx(O.office_docx(appendix="landscape"), "kh.docx").plan
    assert plan_from_json(plan_to_json(plan)) == plan


# ---------------------------------------------------------------- the property

_WORD = st.sampled_from(
    "Tổ chức kiểm tra công tác năm học trường Phòng giáo dục 2026 báo cáo".split()
)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)


@st.composite
def _text_and_emphasis(draw: st.DrawFn) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    words = draw(st.lists(_WORD, min_size=1, max_size=8))
    words[0] = words[0][0].upper() + words[0][1:]  # a paragraph starts as a sentence does
    styles = draw(
        st.lists(
            st.sampled_from(["", "", "b", "i", "bi"]), min_size=len(words), max_size=len(words)
        )
    )
    breaks = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    text, spans = "", []
    for k, (word, style) in enumerate(zip(words, styles, strict=True)):
        if k:
            text += "\n" if breaks[k] else " "
        start = len(text)
        text += word
        if style:
            if (
                spans
                and spans[-1][2] == style
                and spans[-1][1] == start - 1
                and text[start - 1] == " "
            ):
                spans[-1] = (spans[-1][0], len(text), style)
            else:
                spans.append((start, len(text), style))
    text += "."  # and ends as one does: an unended line followed by a number is a paragraph
    # broken mid-sentence by Enter, which the reader joins back (README, Nhập kế hoạch từ Word)
    covered = {i for a, b, _ in spans for i in range(a, b)}
    if spans and len({s[2] for s in spans}) == 1:
        if all(i in covered for i, ch in enumerate(text) if not ch.isspace()):
            # A wholly emphasised paragraph (line breaks between bold words included) is the
            # paragraph's style, not a span.
            spans = []
    return text, tuple(spans)


@st.composite
def _blocks(draw: st.DrawFn) -> Block:
    kind = draw(st.sampled_from(["paragraph", "dash", "plus", "table"]))
    if kind == "table":
        ncols = draw(st.integers(2, 4))
        nrows = draw(st.integers(2, 4))
        rows = tuple(tuple(draw(_LINE) for _ in range(ncols)) for _ in range(nrows))
        merges: tuple[tuple[int, int, int, int], ...] = ()
        if draw(st.booleans()):
            rows = ((*rows[0][:1], "", *rows[0][2:]), *rows[1:])
            merges = ((0, 0, 1, 2),)
        return Block("table", "", rows, header_rows=draw(st.integers(0, 2)), merges=merges)
    text, spans = draw(_text_and_emphasis())
    return Block(kind, text, emphasis=spans)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    blocks=st.lists(_blocks(), min_size=1, max_size=5),
    appendix=st.lists(_blocks(), max_size=3),
    landscape=st.booleans(),
)
def test_import_of_export_gives_the_plan_back(blocks, appendix, landscape):
    plan = B.sample_plan()
    first = plan.sections[0]
    sections = (replace(first, blocks=tuple(blocks), children=()), *plan.sections[1:])
    appendices = ()
    if appendix:
        appendices = (
            Appendix(
                "Phụ lục", ("(Kèm theo Kế hoạch số 932/KH-PGDĐT)",), tuple(appendix), landscape
            ),
        )
    plan = replace(plan, sections=sections, appendices=appendices)
    assert_same(roundtrip(plan), as_exported(plan))
