"""The HTML preview (`planner.docx.preview.preview_html`) says what the .docx says: appendices
after the signature (title, sub-lines, tables with header rows and merged cells), the signer's
own lines, the lines under the trích yếu, line breaks and bold/italic spans; all text escaped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from planner.docx.preview import preview_html
from planner.model import Appendix, Block, Signer
from planner.sample import sample_plan

HOSTILE = '<script>alert(1)</script> <img src=x onerror="y"> & "q"'


class Tables(HTMLParser):
    """Every table of the fragment as rows of (tag, attrs, text) cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, dict[str, str], str]]]] = []
        self._cell: list | None = None  # type: ignore[type-arg]
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = [tag, dict(attrs), ""]
        elif tag == "br" and self._cell is not None:
            self._cell[2] += "\n"

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(tuple(self._cell))
            self._cell = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._cell is not None:
            self._cell[2] += data


def parse(html: str) -> Tables:
    t = Tables()
    t.feed(html)
    return t


GRID = (
    ("TT", "Đơn vị", "Số liệu", ""),
    ("", "", "Lớp", "Học sinh"),
    ("(1)", "(2)", "(3)", "(4)"),
    ("1", "Trường A\nđiểm chính", "12", "400"),
)
MERGES = ((0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 1, 2))


def with_appendix(landscape: bool = True):  # type: ignore[no-untyped-def]
    table = Block("table", "", GRID, header_rows=3, merges=MERGES)
    appendix = Appendix(
        title="Phụ lục I",
        subtitles=("SỐ LIỆU CÁC TRƯỜNG", "(Kèm theo Kế hoạch số 125/KH-PGDĐT)"),
        blocks=(Block("paragraph", "Số liệu tính đến 31/5/2026."), table),
        landscape=landscape,
    )
    return replace(sample_plan(), appendices=(appendix,))


def test_appendix_follows_the_signature_with_title_sub_lines_and_table():
    html = preview_html(with_appendix())
    sign = html.index('class="nd30-sign"')
    title = html.index(">Phụ lục I<")
    assert sign < title < html.index(">SỐ LIỆU CÁC TRƯỜNG<")
    assert html.index("(Kèm theo Kế hoạch số 125/KH-PGDĐT)") > title
    assert re.search(r'class="nd30-apx-sub it">\(Kèm theo', html)  # italic, as exported
    assert 'class="nd30-apx-sub">SỐ LIỆU' in html  # bold
    assert "Số liệu tính đến 31/5/2026." in html[title:]
    # the appendix is a page of its own, drawn landscape
    assert re.search(r'class="nd30-scale nd30-next nd30-land"><div class="nd30-page"', html)
    portrait = preview_html(with_appendix(landscape=False))
    assert 'class="nd30-scale nd30-next"><div class="nd30-page"' in portrait
    assert 'nd30-next nd30-land"' not in portrait
    assert 'nd30-next"' not in preview_html(sample_plan())  # no appendix, no extra page


def test_header_rows_and_merged_cells_are_rowspan_and_colspan():
    tables = parse(preview_html(with_appendix())).tables
    grid = tables[-1]
    assert grid[0] == [
        ("th", {"rowspan": "2"}, "TT"),
        ("th", {"rowspan": "2"}, "Đơn vị"),
        ("th", {"colspan": "2"}, "Số liệu"),
    ]
    assert grid[1] == [("th", {}, "Lớp"), ("th", {}, "Học sinh")]  # covered cells left out
    assert [c[0] for c in grid[2]] == ["th"] * 4  # the (1) (2)… row is a header row too
    assert grid[3] == [
        ("td", {}, "1"),
        ("td", {}, "Trường A\nđiểm chính"),  # the line break as <br>
        ("td", {}, "12"),
        ("td", {}, "400"),
    ]


def test_a_table_without_header_rows_and_bad_merges():
    block = Block("table", "", (("a", "b"), ("c", "d")), header_rows=0, merges=((1, 1, 2, 2),))
    sections = (replace(sample_plan().sections[0], blocks=(block,)), *sample_plan().sections[1:])
    grid = parse(preview_html(replace(sample_plan(), sections=sections))).tables[1]
    assert grid == [[("td", {}, "a"), ("td", {}, "b")], [("td", {}, "c"), ("td", {}, "d")]]


def test_signer_lines_as_written_and_title_sub_lines():
    plan = sample_plan()
    signer = Signer("KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Cường",
                    lines=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))  # fmt: skip
    meta = replace(plan.meta, subtitles=("(Ban hành kèm theo Quyết định số 12/QĐ-UBND)",))
    html = preview_html(replace(plan, signer=signer, meta=meta))
    positions = re.findall(r'<p class="ps">([^<]*)</p>', html)
    assert positions == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert '<p class="nm">Lê Văn Cường</p>' in html
    subject = html.index('class="nd30-subj"')
    sub = html.index('<span class="sub">(Ban hành kèm theo Quyết định số 12/QĐ-UBND)</span>')
    assert subject < sub < html.index('class="nd30-basis"')


def test_line_breaks_and_bold_italic_spans():
    text = "Nhiệm vụ: kiểm tra\ndòng hai nghiêng"
    block = Block("paragraph", text, emphasis=((0, 8, "b"), (19, 27, "i"), (28, 32, "bi")))
    dash = Block("dash", "Mục một\nmục hai")
    s0 = sample_plan().sections[0]
    plan = replace(
        sample_plan(),
        sections=(replace(s0, blocks=(block, dash)), *sample_plan().sections[1:]),
        preamble=("Lời mở đầu\ndòng sau",),
    )
    html = preview_html(plan)
    assert (
        '<p class="nd30-body"><b>Nhiệm vụ</b>: kiểm tra<br><i>dòng hai</i> <i><b>nghi</b></i>'
        "êng</p>" in html
    )
    assert '<p class="nd30-body">- Mục một<br>mục hai</p>' in html
    assert '<p class="nd30-body">Lời mở đầu<br>dòng sau</p>' in html


def test_every_new_piece_of_text_is_escaped():
    plan = with_appendix()
    h = HOSTILE
    table = Block("table", "", ((h, h), (h, h)), merges=((1, 0, 1, 2),))
    appendix = Appendix(title=h, subtitles=(h, f"({h})"), blocks=(Block("plus", h), table))
    emph = Block("paragraph", h + "\n" + h, emphasis=((0, 8, "b"), (10, 20, "i")))
    s0 = plan.sections[0]
    plan = replace(
        plan,
        appendices=(*plan.appendices, appendix),
        meta=replace(plan.meta, subtitles=(h,)),
        signer=Signer(name=h, lines=(h, h)),
        sections=(replace(s0, blocks=(emph,)), *plan.sections[1:]),
    )
    html = preview_html(plan)
    assert "<script" not in html and "<img" not in html
    assert 'onerror="' not in html
    assert html.lower().count("&lt;script&gt;") == 13  # signer lines in capitals
    tags = set(parse(html).tags)
    assert tags <= {"style", "div", "table", "tr", "td", "th", "p", "br", "b", "i", "span"}
