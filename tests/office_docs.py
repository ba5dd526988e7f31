"""Word files as other offices type them, built in code (python-docx + raw XML).

`office_docx(...)` writes a short, ND30-correct kế hoạch the way a district office keeps it in
Word: direct formatting on `Normal`, the header in a borderless table of one of the shapes seen
in real files (2×2, 2×3, 3×3, 1×2), the rules under the authority, the Tiêu ngữ and the trích
yếu drawn in one of the ways Word users draw them (paragraph border, style border, underlined
spaces or tabs, VML line or shape, DrawingML line inline, anchored or inside
`mc:AlternateContent`), placed in the line's paragraph, the next paragraph, the next table row
or anchored at the top of the cell; Nơi nhận and the signer side by side; optionally a
schedule table in the body and a Phụ lục on a landscape section after the signature.

Each keyword changes one thing, so a test can build the right and the wrong version of a file
and compare the findings. `schedule_rows_*` give realistic schedule tables (as row tuples)
for the task suggestion tests; `add_table` writes any of them into a document.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Sequence

import docx
from docx.oxml import parse_xml

from planner.nd30.metrics import text_width_cm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
DECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
TWIPS_PER_CM = 567.0
EMU_PER_CM = 360000
PT_PER_CM = 72 / 2.54

PARENT = "UBND HUYỆN BÌNH CHÁNH"
AUTHORITY = "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NUMBER = "Số: 125/KH-PGDĐT"
DATE = "Bình Chánh, ngày 05 tháng 01 năm 2026"
SUBJECT = ("Thực hiện nhiệm vụ trọng tâm năm học 2025-2026",)
SUBJECT_TWO = (
    "Thực hiện nhiệm vụ trọng tâm năm học 2025-2026",
    "của ngành Giáo dục và Đào tạo huyện",
)
TEXT_WIDTH = 9355  # A4 less 3 cm and 1.5 cm margins, twips
LEFT_W, RIGHT_W = 3742, 5613  # the two header columns (twips)
GAP_W = 300  # the empty middle column of a 2×3 or 3×3 header

RULE_KINDS = (
    "border", "style_border", "top_border", "underline", "underline_tab",
    "vml_line", "vml_shape", "dml_inline", "dml_anchor", "mc", "vml_group",
)  # fmt: skip
RULE_PLACES = ("after", "same", "cell_top", "next_row")
HEADER_SHAPES = ("2x2", "2x3", "3x3", "1x2")


# ---------------------------------------------------------------- runs and paragraphs


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def run(text: str, *, size: float = 14, b: bool = False, i: bool = False, u: bool = False) -> str:
    rpr = f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>'
    rpr = ("<w:b/>" if b else "") + ("<w:i/>" if i else "") + rpr
    rpr += '<w:u w:val="single"/>' if u else ""
    parts = []
    for k, piece in enumerate(text.split("\t")):
        if k:
            parts.append("<w:tab/>")
        if piece:
            parts.append(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>')
    return f"<w:r><w:rPr>{rpr}</w:rPr>{''.join(parts)}</w:r>"


def para(inner: str = "", *, center: bool = False, ppr: str = "", keep: bool = False) -> str:
    """A paragraph; `center` also clears the first-line indent and the space after."""
    props = ppr
    if center or keep:
        jc = "center" if center else "left"
        for tag, xml in (
            ("jc", f'<w:jc w:val="{jc}"/>'),
            ("spacing", '<w:spacing w:after="0"/>'),
            ("ind", '<w:ind w:firstLine="0"/>'),
        ):
            if f"<w:{tag} " not in props:
                props = xml + props
    return f"<w:p><w:pPr>{_order_ppr(props)}</w:pPr>{inner}</w:p>"


_PPR_ORDER = ("pStyle", "numPr", "pBdr", "tabs", "spacing", "ind", "jc")


def _order_ppr(props: str) -> str:
    """pPr children in schema order (Word refuses them out of order)."""
    el = parse_xml(f"<w:pPr {DECL}>{props}</w:pPr>")
    kids = list(el)
    kids.sort(
        key=lambda k: (
            _PPR_ORDER.index(k.tag.split("}")[1]) if k.tag.split("}")[1] in _PPR_ORDER else 99
        )
    )
    return "".join(_xml(k) for k in kids)


def _xml(el) -> str:  # type: ignore[no-untyped-def]
    from lxml import etree

    s = etree.tostring(el, encoding="unicode")
    for k, v in NS.items():
        s = s.replace(f' xmlns:{k}="{v}"', "")
    return s


# ---------------------------------------------------------------- rules


def rule_cm(text: str, size: float, *, share: float) -> float:
    """A rule `share` as long as `text` printed bold at `size` pt."""
    return share * text_width_cm(text, size, bold=True)


def _indents(cell_twips: float, length_cm: float) -> str:
    side = max(0, int((cell_twips - length_cm * TWIPS_PER_CM) / 2))
    return f'<w:ind w:left="{side}" w:right="{side}" w:firstLine="0"/>'


def _vml_line(length_cm: float) -> str:
    pt = length_cm * PT_PER_CM
    return (
        f'<w:r><w:pict><v:line id="l1" from="20pt,3pt" to="{20 + pt:.2f}pt,3pt" '
        'strokeweight=".5pt" style="position:absolute;z-index:251659264"/></w:pict></w:r>'
    )


def _vml_shape(length_cm: float) -> str:
    pt = length_cm * PT_PER_CM
    return (
        '<w:r><w:pict><v:shapetype id="_x0000_t32" coordsize="21600,21600" o:spt="32" '
        'path="m,l21600,21600e" filled="f"/>'
        f'<v:shape id="s1" type="#_x0000_t32" o:connectortype="straight" '
        f'style="position:absolute;margin-left:30pt;margin-top:2pt;width:{pt:.2f}pt;height:0;'
        'z-index:251660288" path="m,l21600,e" strokecolor="black"/></w:pict></w:r>'
    )


def _vml_group(length_cm: float) -> str:
    """The rule as old Word draws it: a `v:group` (absolute, its size in points) holding
    `v:line`s in the group's own coordinates (`coordsize`, no units): here the rule in two
    touching pieces and a hairline doubling the first, as a group of lines edited by hand."""
    pt = length_cm * PT_PER_CM
    return (
        '<w:r><w:pict><v:group id="g1" coordorigin="0,0" coordsize="2000,20" '
        f'style="position:absolute;margin-left:18pt;margin-top:2pt;width:{pt:.2f}pt;'
        'height:1pt;z-index:251662336">'
        '<v:line id="g1a" from="0,10" to="1200,10" strokeweight=".5pt"/>'
        '<v:line id="g1b" from="1200,10" to="2000,10" strokeweight=".5pt"/>'
        '<v:line id="g1c" from="0,12" to="600,12" strokeweight=".25pt"/>'
        "</v:group></w:pict></w:r>"
    )


def _wsp(cx: int) -> str:
    return (
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:cNvCnPr/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm>'
        '<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="6350"><a:solidFill>'
        '<a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp>'
        "</a:graphicData></a:graphic>"
    )


def _dml(length_cm: float, *, anchored: bool) -> str:
    cx = int(length_cm * EMU_PER_CM)
    if not anchored:
        frame = (
            f'<wp:inline><wp:extent cx="{cx}" cy="0"/><wp:docPr id="7" name="Line 7"/>'
            f"{_wsp(cx)}</wp:inline>"
        )
    else:
        frame = (
            '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
            'relativeHeight="251661312" behindDoc="0" locked="0" layoutInCell="1" '
            'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>540000</wp:posOffset>'
            "</wp:positionH>"
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>20000</wp:posOffset>'
            "</wp:positionV>"
            f'<wp:extent cx="{cx}" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:wrapNone/><wp:docPr id="8" name="Straight Connector 8"/>'
            f"<wp:cNvGraphicFramePr/>{_wsp(cx)}</wp:anchor>"
        )
    return f"<w:r><w:drawing>{frame}</w:drawing></w:r>"


def _mc(length_cm: float) -> str:
    inner_choice = _dml(length_cm, anchored=True)[len("<w:r>") : -len("</w:r>")]
    inner_fallback = _vml_line(length_cm)[len("<w:r>") : -len("</w:r>")]
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        f"{inner_choice}</mc:Choice><mc:Fallback>{inner_fallback}</mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def shape_run(kind: str, length_cm: float) -> str:
    """The run drawing a rule of `length_cm` (only for the drawn kinds)."""
    return {
        "vml_line": lambda: _vml_line(length_cm),
        "vml_shape": lambda: _vml_shape(length_cm),
        "dml_inline": lambda: _dml(length_cm, anchored=False),
        "dml_anchor": lambda: _dml(length_cm, anchored=True),
        "mc": lambda: _mc(length_cm),
        "vml_group": lambda: _vml_group(length_cm),
    }[kind]()


def rule_para(kind: str, length_cm: float, cell_twips: float, size: float = 12) -> str:
    """A paragraph of its own holding the rule (any kind; "none": an empty paragraph)."""
    if kind == "none":
        return para("")
    if kind in ("border", "top_border"):
        side = "bottom" if kind == "border" else "top"
        bdr = f'<w:pBdr><w:{side} w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
        return para("", ppr=bdr + _indents(cell_twips, length_cm) + '<w:spacing w:after="0"/>')
    if kind == "style_border":
        return para("", ppr='<w:pStyle w:val="HeaderRule"/>' + _indents(cell_twips, length_cm))
    if kind == "underline":
        n = 1
        while text_width_cm(" " * (n + 1), size) <= length_cm:
            n += 1
        return para(run(" " * n, size=size, u=True), center=True)
    if kind == "underline_tab":
        start = int((cell_twips - length_cm * TWIPS_PER_CM) / 2)
        stop = start + int(length_cm * TWIPS_PER_CM)
        tabs = f'<w:tabs><w:tab w:val="left" w:pos="{start}"/><w:tab w:val="left" w:pos="{stop}"/></w:tabs>'
        return para(run("\t", size=size) + run("\t", size=size, u=True), keep=True, ppr=tabs)
    return para(shape_run(kind, length_cm), center=True)


# ---------------------------------------------------------------- the header


def _cell(width: int, paras: Sequence[str], mar: str = "") -> str:
    tcmar = f"<w:tcMar>{mar}</w:tcMar>" if mar else ""
    body = "".join(paras) or para("")
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{tcmar}</w:tcPr>{body}</w:tc>'


def _table(
    widths: Sequence[int], rows: Sequence[Sequence[str]], cell_mar: str = "", pct: bool = False
) -> str:
    """A borderless table; `pct` writes the cells' widths as shares of the table (w:tcW
    type pct) over an even grid, as generators that do not measure columns write them."""
    if pct:
        total = sum(widths)
        even = total // len(widths)
        grid = "".join(f'<w:gridCol w:w="{even}"/>' for _ in widths)
        rows = [
            [c.replace(f'<w:tcW w:w="{w}" w:type="dxa"/>', f'<w:tcW w:w="{round(w * 5000 / total)}" w:type="pct"/>', 1)
             for c, w in zip(r, widths, strict=False)]
            for r in rows
        ]  # fmt: skip
        trs = "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows)
        borders = "".join(
            f'<w:{s} w:val="nil"/>'
            for s in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        return (
            f'<w:tbl {DECL}><w:tblPr><w:tblW w:w="5000" w:type="pct"/>'
            f"<w:tblBorders>{borders}</w:tblBorders></w:tblPr>"
            f"<w:tblGrid>{grid}</w:tblGrid>{trs}</w:tbl>"
        )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    mar = f"<w:tblCellMar>{cell_mar}</w:tblCellMar>" if cell_mar else ""
    trs = "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows)
    return (
        f'<w:tbl {DECL}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{mar}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{trs}</w:tbl>"
    )


def header_xml(
    shape: str = "2x2",
    *,
    rule: str = "border",
    place: str = "after",
    motto_rule: str | None = None,
    motto_place: str | None = None,
    left_w: int = LEFT_W,
    right_w: int = RIGHT_W,
    cell_mar: str = "",
    date: str = DATE,
    authority_rule_share: float = 0.4,
    issuer_lines: int = 2,
    pct: bool = False,
    right_mar: str = "",
) -> str:
    """The header table. `rule`/`place` draw the authority's rule; `motto_rule`/`motto_place`
    the Tiêu ngữ's (by default the same kind and place)."""
    motto_rule = motto_rule or rule
    motto_place = motto_place or place
    inner_l = left_w - 216 if not cell_mar else left_w
    inner_r = right_w - 216 if not cell_mar else right_w
    a_len = rule_cm(AUTHORITY, 12, share=authority_rule_share)
    m_len = rule_cm(TIEU_NGU, 13, share=1.0)
    issuer = [PARENT, AUTHORITY] if issuer_lines == 2 else ["ỦY BAN NHÂN DÂN", PARENT, AUTHORITY]
    left = [
        para(run(x, size=12, b=k == len(issuer) - 1), center=True) for k, x in enumerate(issuer)
    ]
    right = [
        para(run(QUOC_HIEU, size=12, b=True), center=True),
        para(run(TIEU_NGU, size=13, b=True), center=True),
    ]
    left_below: list[str] = []
    right_below: list[str] = []
    for paras, kind, where, length, width, below in (
        (left, rule, place, a_len, inner_l, left_below),
        (right, motto_rule, motto_place, m_len, inner_r, right_below),
    ):
        if where == "after":
            paras.append(rule_para(kind, length, width))
        elif where == "same":
            paras[-1] = paras[-1].replace("</w:p>", shape_run(kind, length) + "</w:p>")
        elif where == "cell_top":
            paras[0] = paras[0].replace("</w:p>", shape_run(kind, length) + "</w:p>")
        elif where == "next_row":
            below.append(rule_para(kind, length, width))
        elif where != "none":
            raise ValueError(where)
    number = para(run(NUMBER, size=13), center=True)
    date_p = para(run(date, size=14, i=True), center=True)
    if shape == "1x2":
        return _table(
            [left_w, right_w],
            [
                [
                    _cell(left_w, [*left, *left_below, number]),
                    _cell(right_w, [*right, *right_below, date_p]),
                ]
            ],
            cell_mar,
        )
    if shape == "2x2":
        if pct:
            return _table(
                [left_w, right_w],
                [[_cell(left_w, left), _cell(right_w, right)],
                 [_cell(left_w, [number]), _cell(right_w, [date_p])]],
                pct=True,
            )  # fmt: skip
        if right_mar:
            return _table(
                [left_w, right_w],
                [[_cell(left_w, left), _cell(right_w, right, right_mar)],
                 [_cell(left_w, [number]), _cell(right_w, [date_p], right_mar)]],
            )  # fmt: skip
        if left_below or right_below:
            number_cell = [*left_below, number]
            date_cell = [*right_below, date_p]
        else:
            number_cell, date_cell = [number], [date_p]
        return _table(
            [left_w, right_w],
            [
                [_cell(left_w, left), _cell(right_w, right)],
                [_cell(left_w, number_cell), _cell(right_w, date_cell)],
            ],
            cell_mar,
        )
    lw = left_w - GAP_W // 2
    rw = right_w - GAP_W // 2
    gap = _cell(GAP_W, [])
    if shape == "2x3":
        return _table(
            [lw, GAP_W, rw],
            [
                [_cell(lw, left), gap, _cell(rw, right)],
                [_cell(lw, [*left_below, number]), gap, _cell(rw, [*right_below, date_p])],
            ],
            cell_mar,
        )
    if shape == "3x3":
        return _table(
            [lw, GAP_W, rw],
            [
                [_cell(lw, left), gap, _cell(rw, right)],
                [_cell(lw, left_below), gap, _cell(rw, right_below)],
                [_cell(lw, [number]), gap, _cell(rw, [date_p])],
            ],
            cell_mar,
        )
    raise ValueError(shape)


# ---------------------------------------------------------------- the document


_NORMAL_RPR = (
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
    'w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/>'
)


def _setup(doc) -> None:  # type: ignore[no-untyped-def]
    """Normal as offices set it: Times New Roman 14, justified, 1 cm first line, 6 pt after."""
    styles = doc.styles.element
    defaults = styles.find(f"{{{W_NS}}}docDefaults")
    if defaults is not None:
        styles.remove(defaults)
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag.endswith("}rPr") or child.tag.endswith("}pPr"):
            normal.remove(child)
    normal.append(
        parse_xml(
            f'<w:pPr {DECL}><w:spacing w:before="0" w:after="120" w:line="240" '
            'w:lineRule="auto"/><w:ind w:firstLine="567"/><w:jc w:val="both"/></w:pPr>'
        )
    )
    normal.append(parse_xml(f"<w:rPr {DECL}>{_NORMAL_RPR}</w:rPr>"))
    styles.append(
        parse_xml(
            f'<w:style {DECL} w:type="paragraph" w:customStyle="1" w:styleId="HeaderRule">'
            '<w:name w:val="Header Rule"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr>'
            '<w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
            '<w:spacing w:after="0"/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr>'
            "</w:style>"
        )
    )
    s = doc.sections[0]
    s.page_width, s.page_height = docx.shared.Twips(11906), docx.shared.Twips(16838)
    s.top_margin = s.bottom_margin = docx.shared.Mm(20)
    s.left_margin, s.right_margin = docx.shared.Mm(30), docx.shared.Mm(15)


def _append(doc, xml: str) -> None:  # type: ignore[no-untyped-def]
    body = doc.element.body
    wrapped = xml if xml.startswith("<w:tbl ") else xml.replace("<w:p>", f"<w:p {DECL}>", 1)
    body.insert(len(body) - 1, parse_xml(wrapped))


def grid_table_xml(
    rows: Sequence[Sequence[str]], widths: Sequence[int], *, header_rows: int = 1, size: float = 13
) -> str:
    """A bordered table (schedule, Biểu) with a bold centred header row."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(
        f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    trs = []
    for r, row in enumerate(rows):
        cells = []
        for c, w in enumerate(widths):
            text = row[c] if c < len(row) else ""
            head = r < header_rows
            cells.append(_cell(w, [para(run(text, size=size, b=head), center=head, keep=not head)]))
        trs.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return (
        f'<w:tbl {DECL}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f"<w:tblBorders>{borders}</w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        f"{''.join(trs)}</w:tbl>"
    )


KINH_GUI_W = (2268, 5670)  # the label's column and the recipients' column (twips)


def kinh_gui_xml(recipients: Sequence[str]) -> str:
    """`Kính gửi:` in a borderless 1×2 table as offices lay it out: the label right-aligned
    in a narrow left column, the recipients one a paragraph on the right (each `- …;` when
    there are several, as ND30 writes them)."""
    label = para(
        run("Kính gửi:", size=14),
        ppr='<w:jc w:val="right"/><w:spacing w:after="0"/><w:ind w:firstLine="0"/>',
    )
    many = len(recipients) > 1
    right = [para(run(f"- {x}" if many else x, size=14), keep=True) for x in recipients]
    return _table(list(KINH_GUI_W), [[_cell(KINH_GUI_W[0], [label]), _cell(KINH_GUI_W[1], right)]])


def broken_para(*lines: str) -> str:
    """A justified body paragraph whose `lines` are split by manual line breaks (Shift+Enter,
    w:br), as staff type them."""
    runs = "<w:r><w:br/></w:r>".join(run(x) for x in lines)
    return para(runs)


def kinh_gui_paras(recipients: Sequence[str]) -> list[str]:
    """`Kính gửi:` typed as paragraphs, indented: one recipient on the label's line, several
    one a paragraph under it (`- …;`)."""
    ind = '<w:ind w:left="1701" w:firstLine="0"/><w:spacing w:after="0"/>'
    if len(recipients) == 1:
        return [para(run(f"Kính gửi: {recipients[0]}"), ppr=ind)]
    sub = '<w:ind w:left="2835" w:firstLine="0"/><w:spacing w:after="0"/>'
    return [para(run("Kính gửi:"), ppr=ind)] + [para(run(f"- {x}"), ppr=sub) for x in recipients]


def _closing(doc) -> None:  # type: ignore[no-untyped-def]
    left = [
        para(run("Nơi nhận:", size=12, b=True, i=True), keep=True),
        para(run("- Sở GDĐT (để b/c);", size=11), keep=True),
        para(run("- UBND huyện (để b/c);", size=11), keep=True),
        para(run("- Các trường MN, TH, THCS;", size=11), keep=True),
        para(run("- Lưu: VT, TCCB.", size=11), keep=True),
    ]
    right = [
        para(run("KT. TRƯỞNG PHÒNG", size=14, b=True), center=True),
        para(run("PHÓ TRƯỞNG PHÒNG", size=14, b=True), center=True),
        para("", center=True, ppr='<w:spacing w:after="600"/>'),
        para("", center=True, ppr='<w:spacing w:after="600"/>'),
        para(run("Nguyễn Văn An", size=14, b=True), center=True),
    ]
    _append(doc, _table([4395, 4960], [[_cell(4395, left), _cell(4960, right)]]))


_LANDSCAPE = (
    '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
    '<w:pgMar w:top="1701" w:right="1134" w:bottom="851" w:left="1134" w:header="720" '
    'w:footer="720" w:gutter="0"/></w:sectPr>'
)
_PORTRAIT = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="720" '
    'w:footer="720" w:gutter="0"/></w:sectPr>'
)

APPENDIX_ROWS: tuple[tuple[str, ...], ...] = (
    ("TT", "Đơn vị", "Số lớp", "Số học sinh", "Số giáo viên", "Tỷ lệ GV/lớp", "Ghi chú"),
    ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"),
    ("1", "Trường Mầm non Hoa Sen", "12", "385", "26", "2,17", ""),
    ("2", "Trường Tiểu học Bình Chánh", "30", "1.050", "45", "1,50", ""),
)


def office_docx(
    *,
    header: str = "2x2",
    rule: str = "border",
    place: str = "after",
    motto_rule: str | None = None,
    motto_place: str | None = None,
    subject: Sequence[str] = SUBJECT,
    subject_rule: str = "border",
    nfd: bool = False,
    appendix: str = "",
    left_w: int = LEFT_W,
    right_w: int = RIGHT_W,
    cell_mar: str = "",
    date: str = DATE,
    schedule: Sequence[Sequence[str]] = (),
    issuer_lines: int = 2,
    pct: bool = False,
    right_mar: str = "",
    kinh_gui: Sequence[str] = (),
    preamble_table: Sequence[Sequence[str]] = (),
    more_body: Sequence[str] = (),
    kinh_gui_as: str = "table",
) -> bytes:
    """A short kế hoạch as an office types it (see the module docstring).

    `kinh_gui`: the recipients of a `Kính gửi:` table (1×2, borderless, one recipient a
    paragraph) under the trích yếu's rule, or typed as paragraphs with `kinh_gui_as`
    "paragraphs" (`kinh_gui_paras`). `preamble_table`: a bordered table (rows, the
    first its header) between the opening paragraph and `I. MỤC ĐÍCH…`. `more_body`: raw
    paragraphs (XML) at the end of the body, under `II. NHIỆM VỤ TRỌNG TÂM`.

    `appendix`: "" none; "landscape" a Phụ lục table on a landscape section after the
    signature; "body_landscape" the body itself on a landscape section (an error).
    """
    doc = docx.Document()
    _setup(doc)
    _append(
        doc,
        header_xml(
            header, rule=rule, place=place, motto_rule=motto_rule, motto_place=motto_place,
            left_w=left_w, right_w=right_w, cell_mar=cell_mar, date=date,
            issuer_lines=issuer_lines, pct=pct, right_mar=right_mar,
        ),
    )  # fmt: skip
    _append(doc, para(""))
    _append(doc, para(run("KẾ HOẠCH", b=True), center=True))
    for line in subject:
        _append(doc, para(run(line, b=True), center=True))
    longest = max(text_width_cm(x, 14, bold=True) for x in subject)
    _append(doc, rule_para(subject_rule, 0.4 * longest, TEXT_WIDTH, size=14))
    if kinh_gui and kinh_gui_as == "table":
        _append(doc, kinh_gui_xml(kinh_gui))
    elif kinh_gui:
        for xml in kinh_gui_paras(kinh_gui):
            _append(doc, xml)
    bases = (
        "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;",
        "Căn cứ Kế hoạch số 45/KH-UBND ngày 02/01/2026 của Ủy ban nhân dân huyện về nhiệm vụ "
        "năm học 2025-2026.",
    )
    for b in bases:
        _append(doc, para(run(b, i=True)))
    body = (
        "Phòng Giáo dục và Đào tạo xây dựng kế hoạch thực hiện nhiệm vụ trọng tâm như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "Nâng cao chất lượng giáo dục toàn diện, đổi mới phương pháp dạy học và kiểm tra.",
        "a) Đối với các trường mầm non",
        "- Bảo đảm an toàn tuyệt đối cho trẻ;",
        "+ Tổ chức bán trú đúng quy định.",
        "II. NHIỆM VỤ TRỌNG TÂM",
    )
    for line in body:
        bold = line.startswith(("I.", "II.", "1."))
        if line.startswith("I.") and preamble_table:
            _append(
                doc, grid_table_xml(preamble_table, _widths(len(preamble_table[0]), TEXT_WIDTH))
            )
        _append(doc, para(run(line, b=bold)))
    for xml in more_body:
        _append(doc, xml)
    if schedule:
        widths = _widths(len(schedule[0]), TEXT_WIDTH)
        _append(doc, grid_table_xml(schedule, widths))
    _append(doc, para(run("Trên đây là kế hoạch của Phòng Giáo dục và Đào tạo.")))
    if appendix == "body_landscape":
        _append(doc, para("").replace("<w:pPr>", "<w:pPr>" + _PORTRAIT, 1))
        _append(doc, para(run("Các trường báo cáo kết quả về Phòng trước ngày 25/5/2026.")))
        _append(doc, grid_table_xml(APPENDIX_ROWS, _widths(len(APPENDIX_ROWS[0]), 14570)))
        _append(doc, para("").replace("<w:pPr>", "<w:pPr>" + _LANDSCAPE, 1))
    _closing(doc)
    if appendix == "landscape":
        _append(doc, para("").replace("<w:pPr>", "<w:pPr>" + _PORTRAIT, 1))
        _append(doc, para(run("Phụ lục", b=True), center=True))
        _append(doc, para(run("SỐ LIỆU CÁC TRƯỜNG NĂM HỌC 2025-2026", b=True), center=True))
        _append(
            doc, grid_table_xml(APPENDIX_ROWS, _widths(len(APPENDIX_ROWS[0]), 14570), header_rows=2)
        )
        _append(doc, para(""))
    if appendix == "landscape":
        body_el = doc.element.body
        last = body_el[-1]
        body_el.remove(last)
        body_el.append(parse_xml(_LANDSCAPE.replace("<w:sectPr>", f"<w:sectPr {DECL}>", 1)))
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    return to_nfd(data) if nfd else data


def _widths(n: int, total: int) -> list[int]:
    first = 700
    rest = (total - first) // max(1, n - 1)
    return [first] + [rest] * (n - 1)


def to_nfd(data: bytes) -> bytes:
    """The same file with every text of document.xml decomposed (NFD), as some converters and
    Mac tools leave Vietnamese."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "word/document.xml":
                content = unicodedata.normalize("NFD", content.decode("utf-8")).encode("utf-8")
            dst.writestr(info, content)
    return out.getvalue()


# ---------------------------------------------------------------- schedule tables

SCHEDULE_HEAD = ("TT", "Nhiệm vụ trọng tâm", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian",
                 "Sản phẩm")  # fmt: skip
FOCUS_TASKS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Rà soát, sắp xếp mạng lưới trường lớp", "Bộ phận Tổ chức", "UBND các xã", "Quý II/2026", "Đề án sắp xếp"),
    ("Tổ chức tuyển sinh đầu cấp năm học 2026-2027", "Bộ phận Phổ thông", "Các trường", "tháng 7/2026", "Báo cáo kết quả tuyển sinh"),
    ("Kiểm tra công tác bán trú", "Bộ phận Mầm non", "Trạm Y tế", "Thường xuyên", "Biên bản kiểm tra"),
    ("Tổng kết năm học 2025-2026", "Lãnh đạo Phòng", "Các trường", "Xong trong Quý II/2026", "Báo cáo tổng kết"),
    ("Bồi dưỡng thường xuyên giáo viên", "Bộ phận Chuyên môn", "Trung tâm GDNN-GDTX", "Hàng năm", "Chứng chỉ bồi dưỡng"),
    ("Báo cáo thống kê cuối năm", "Bộ phận Kế hoạch", "Các trường", "trước ngày 25/11", "Báo cáo thống kê"),
    ("Thi giáo viên dạy giỏi cấp huyện", "Bộ phận Chuyên môn", "Công đoàn ngành", "tháng 3/2026", "Quyết định công nhận"),
    ("Kiểm định chất lượng giáo dục", "Bộ phận Khảo thí", "Các trường", "Quý III/2026", "Báo cáo tự đánh giá"),
    ("Phổ cập giáo dục, xóa mù chữ", "Bộ phận Phổ thông", "UBND các xã", "Hàng năm", "Hồ sơ phổ cập"),
    ("Chuyển đổi số trong quản lý trường học", "Bộ phận Văn phòng", "Viettel huyện", "Thường xuyên", "Dữ liệu ngành"),
    ("Xây dựng trường chuẩn quốc gia", "Bộ phận Kế hoạch", "UBND các xã", "Quý IV/2026", "Hồ sơ công nhận"),
    ("Hội khỏe Phù Đổng cấp huyện", "Bộ phận Phổ thông", "Trung tâm Văn hóa", "từ tháng 4 đến tháng 5/2026", "Kết quả thi đấu"),
    ("Sơ kết học kỳ I", "Lãnh đạo Phòng", "Các trường", "trước ngày 15/01/2026", "Báo cáo sơ kết"),
    ("Tập huấn chương trình giáo dục phổ thông 2018", "Bộ phận Chuyên môn", "Các trường", "tháng 8/2026", "Kế hoạch bài dạy"),
    ("Công tác thi đua, khen thưởng", "Bộ phận Thi đua", "Công đoàn ngành", "Cuối năm học", "Hồ sơ thi đua"),
    ("Kiểm tra nội bộ cơ quan", "Lãnh đạo Phòng", "", "6 tháng cuối năm", "Kết luận kiểm tra"),
)  # fmt: skip


def focus_schedule() -> tuple[tuple[str, ...], ...]:
    """The 16-row nhiệm vụ trọng tâm schedule (header row + 16 tasks), TT typed."""
    rows = [SCHEDULE_HEAD]
    rows += [(str(k + 1), *t) for k, t in enumerate(FOCUS_TASKS)]
    return tuple(rows)


def assignment_table() -> tuple[tuple[str, ...], ...]:
    """A 10-row assignment table (Phân công), other headers, TT left blank (auto-numbered)."""
    head = ("STT", "Nội dung công việc", "Đơn vị thực hiện", "Phối hợp", "Thời hạn")
    rows = [
        ("Xây dựng kế hoạch kiểm tra chuyên đề", "Bộ phận Thanh tra", "Các trường", "tháng 9/2026"),
        ("Kiểm tra hồ sơ chuyên môn", "Tổ chuyên môn", "", "Quý IV/2026"),
        (
            "Tổ chức hội thảo đổi mới phương pháp",
            "Trường THCS Bình Chánh",
            "Bộ phận Chuyên môn",
            "tháng 10/2026",
        ),
        ("Cập nhật cơ sở dữ liệu ngành", "Các trường", "Bộ phận Văn phòng", "Thường xuyên"),
        ("Báo cáo sơ kết học kỳ I", "Các trường", "", "trước ngày 10/01/2027"),
        ("Kiểm kê tài sản cuối năm", "Bộ phận Tài vụ", "Các trường", "tháng 12/2026"),
        (
            "Tổ chức Hội thi giáo viên chủ nhiệm giỏi",
            "Bộ phận Chuyên môn",
            "Công đoàn ngành",
            "Quý I/2027",
        ),
        ("Giao ban hiệu trưởng", "Lãnh đạo Phòng", "Các trường", "Hàng tháng"),
        ("Tuyên truyền phòng chống dịch bệnh", "Trạm Y tế", "Các trường", "Hàng năm"),
        ("Tổng hợp nhu cầu biên chế", "Bộ phận Tổ chức", "Các trường", "trước ngày 30/11/2026"),
    ]
    return (head, *(("", *r) for r in rows))


def bieu_form() -> tuple[tuple[str, ...], ...]:
    """A Biểu (statistics form): numbered columns, figures, no task, no unit, no time."""
    return (*APPENDIX_ROWS, ("3", "Trường THCS Tân Kiên", "24", "980", "48", "2,00", ""))
