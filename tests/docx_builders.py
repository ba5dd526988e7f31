"""Build .docx fixtures in code: python-docx for the body, raw XML where Word does more.

Every builder returns the file's bytes. `plan_docx(plan, ...)` writes a whole plan the way
staff lay it out (header table or paragraphs, typed or Word-made numbering, Heading styles or
bold Normal headings, Nơi nhận + signer as a table or as paragraphs); the seed builder writes
the built-in sample plan with it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Pt

from planner.model import Block, Plan, Section, load_plan

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_JSON = ROOT / "data" / "samples" / "ke-hoach-932-2020.json"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


# ---------------------------------------------------------------- low level


def new_document() -> docx.document.Document:
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    return doc


def to_bytes(doc: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def par(
    doc_or_cell,
    text: str | Sequence[str] = "",
    *,
    bold: bool = False,
    italic: bool = False,
    center: bool = False,
    style: str | None = None,
):
    """A paragraph; a list of strings makes one run each (runs split inside words)."""
    p = doc_or_cell.add_paragraph(style=style) if style else doc_or_cell.add_paragraph()
    parts = [text] if isinstance(text, str) else list(text)
    for part in parts:
        lines = part.split("\n")
        run = p.add_run(lines[0])
        for line in lines[1:]:
            run.add_break()
            run.add_text(line)
        run.bold = bold or None
        run.italic = italic or None
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def raw_par(doc, inner_xml: str, ppr: str = ""):
    """Append a `<w:p>` written as raw XML (smart tags, content controls, fields...)."""
    el = parse_xml(f"<w:p {NSDECL}>{ppr}{inner_xml}</w:p>")
    body = doc.element.body
    body.insert(len(body) - 1, el)  # the section properties stay last
    return el


def raw_body(doc, xml: str) -> None:
    """Append block-level XML (its root must declare xmlns:w, e.g. via NSDECL)."""
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def run_xml(text: str, *, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def borderless(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f"<w:tblBorders {NSDECL}>"
        + "".join(
            f'<w:{side} w:val="nil"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders>"
    )
    tbl_pr.append(borders)


def cell_lines(cell, lines: Iterable[tuple[str, dict]]) -> None:
    """Fill a table cell: first line in the existing paragraph, the others appended."""
    first = True
    for text, fmt in lines:
        if first:
            p = cell.paragraphs[0]
            run = p.add_run(text)
            run.bold = fmt.get("bold") or None
            run.italic = fmt.get("italic") or None
            if fmt.get("center"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            first = False
        else:
            p = par(
                cell,
                text,
                bold=fmt.get("bold", False),
                italic=fmt.get("italic", False),
                center=fmt.get("center", False),
            )


def replace_part(data: bytes, partname: str, content: bytes) -> bytes:
    """The same zip with one member's bytes replaced (or added)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != partname:
                dst.writestr(info, src.read(info.filename))
        dst.writestr(partname, content)
    return out.getvalue()


def read_part(data: bytes, partname: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(partname)


# ---------------------------------------------------------------- numbering


LEVEL_FORMATS = {
    "outline": [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")],
    "legal": [("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3.")],
    "dash": [("bullet", "-"), ("bullet", "+")],
    "plus": [("bullet", "+")],
    "bullet": [("bullet", "•"), ("bullet", "o")],
}


def add_numbering(doc, kind: str, *, style_links: Sequence[str] = (), start: int = 1) -> str:
    """Add an abstract list + a num to numbering.xml; returns the numId.

    `style_links` names paragraph styles (e.g. "Heading1") bound to levels 0, 1, ... in order:
    each style gets a numPr pointing to this list (style-linked numbering, as Word does for
    multilevel lists linked to headings).
    """
    numbering = doc.part.numbering_part.element
    ids = [int(x) for x in numbering.xpath("./w:abstractNum/@w:abstractNumId")] + [0]
    nids = [int(x) for x in numbering.xpath("./w:num/@w:numId")] + [0]
    aid, nid = max(ids) + 1, max(nids) + 1
    levels = []
    for i, (fmt, text) in enumerate(LEVEL_FORMATS[kind]):
        pstyle = f'<w:pStyle w:val="{style_links[i]}"/>' if i < len(style_links) else ""
        levels.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{start if i == 0 else 1}"/>'
            f'<w:numFmt w:val="{fmt}"/>{pstyle}<w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/></w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {NSDECL} w:abstractNumId="{aid}">'
        f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>'
    )
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num {NSDECL} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/></w:num>')
    )
    for i, sid in enumerate(style_links):
        style_el = doc.styles.element.xpath(f'./w:style[@w:styleId="{sid}"]')[0]
        ppr = style_el.find(f"{{{W_NS}}}pPr")
        if ppr is None:
            ppr = parse_xml(f"<w:pPr {NSDECL}/>")
            style_el.append(ppr)
        for old in ppr.findall(f"{{{W_NS}}}numPr"):
            ppr.remove(old)
        ppr.insert(
            0,
            parse_xml(f'<w:numPr {NSDECL}><w:ilvl w:val="{i}"/><w:numId w:val="{nid}"/></w:numPr>'),
        )
    return str(nid)


def restart_num(doc, numid: str, start: int = 1) -> str:
    """A new num on the same abstract list that restarts level 0 (Word's 'Restart at')."""
    numbering = doc.part.numbering_part.element
    aid = numbering.xpath(f'./w:num[@w:numId="{numid}"]/w:abstractNumId/@w:val')[0]
    nid = max(int(x) for x in numbering.xpath("./w:num/@w:numId")) + 1
    numbering.append(
        parse_xml(
            f'<w:num {NSDECL} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            "</w:num>"
        )
    )
    return str(nid)


def numbered(doc, text: str, numid: str, ilvl: int = 0, *, bold: bool = False, style=None):
    p = par(doc, text, bold=bold, style=style)
    p._p.get_or_add_pPr().insert(
        0,
        parse_xml(
            f'<w:numPr {NSDECL}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{numid}"/></w:numPr>'
        ),
    )
    return p


# ---------------------------------------------------------------- header and closing


def number_line(number: str, symbol: str, *, sep: str = "/") -> str:
    return f"Số: {number if number else ' ' * 6}{sep}{symbol}"


def date_line(place: str, day: int | None, month: int | None, year: int) -> str:
    if day is None or month is None:
        return f"{place}, ngày      tháng      năm {year}"
    d = f"{day:02d}"
    m = f"{month:02d}" if month < 3 else str(month)
    return f"{place}, ngày {d} tháng {m} năm {year}"


def add_header_table(doc, parent: str, authority: str, number: str, date_text: str) -> None:
    table = doc.add_table(rows=2, cols=2)
    borderless(table)
    left, right = table.rows[0].cells
    lines = [(parent, {"center": True})] if parent else []
    cell_lines(left, [*lines, (authority, {"bold": True, "center": True})])
    cell_lines(
        right,
        [(QUOC_HIEU, {"bold": True, "center": True}), (TIEU_NGU, {"bold": True, "center": True})],
    )
    cell_lines(table.rows[1].cells[0], [(number, {"center": True})])
    cell_lines(table.rows[1].cells[1], [(date_text, {"italic": True, "center": True})])


def add_header_paragraphs(
    doc, parent: str, authority: str, number: str, date_text: str, *, gap: str = "\t"
) -> None:
    """The header typed as paragraphs, the two columns kept apart by tabs (or spaces)."""
    par(doc, f"{parent}{gap}{QUOC_HIEU}" if parent else QUOC_HIEU)
    par(doc, [authority, f"{gap}{TIEU_NGU}"], bold=True)
    par(doc, f"{gap}-----------------------")
    par(doc, [number, gap, date_text])


def signer_lines(plan: Plan) -> list[str]:
    s = plan.signer
    lines = [f"{s.prefix} {s.position}".strip()]
    if s.deputy_position:
        lines.append(s.deputy_position)
    return [*lines, "", "(Đã ký)", "", s.name]


def add_closing_table(doc, recipients: Sequence[str], signer: Sequence[str]) -> None:
    table = doc.add_table(rows=1, cols=2)
    borderless(table)
    left, right = table.rows[0].cells
    cell_lines(
        left,
        [("Nơi nhận:", {"bold": True, "italic": True})] + [(f"- {r}", {}) for r in recipients],
    )
    cell_lines(right, [(x, {"bold": True, "center": True}) for x in signer])


def add_closing_paragraphs(doc, recipients: Sequence[str], signer: Sequence[str]) -> None:
    """Nơi nhận with the signer's first lines after tabs, the name below the list."""
    right = [x for x in signer if x]
    *beside, name = right
    par(doc, ["Nơi nhận:", f"\t\t\t{beside[0]}"], bold=True)
    for i, r in enumerate(recipients):
        extra = f"\t\t\t{beside[i + 1]}" if i + 1 < len(beside) else ""
        par(doc, f"- {r}{extra}")
    for line in beside[len(recipients) + 1 :]:
        par(doc, line, bold=True, center=True)
    par(doc, name, bold=True, center=True)


# ---------------------------------------------------------------- a whole plan


def plan_docx(
    plan: Plan,
    *,
    header: str = "table",
    closing: str = "table",
    numbering: str = "typed",
    headings: str = "bold",
    number_sep: str = "/",
    subject_lines: int = 1,
    date_suffix: str = "",
) -> bytes:
    """Write `plan` as staff would: see the module docstring for the variants."""
    doc = new_document()
    m = plan.meta
    num = number_line(m.number, m.symbol, sep=number_sep)
    d = m.issued
    dl = date_line(m.place, d.day if d else None, d.month if d else None, d.year if d else m.year)
    dl += date_suffix
    if header == "table":
        add_header_table(doc, m.parent_authority, m.authority, num, dl)
    else:
        gap = " " * 12 if header == "spaces" else "\t"
        add_header_paragraphs(doc, m.parent_authority, m.authority, num, dl, gap=gap)
    par(doc, "")
    par(doc, m.doc_type, bold=True, center=True)
    words = m.subject.split(" ")
    cut = len(words) // 2 if subject_lines > 1 else len(words)
    par(doc, " ".join(words[:cut]), bold=True, center=True)
    if cut < len(words):
        par(doc, " ".join(words[cut:]), bold=True, center=True)
    par(doc, "__________", center=True)
    for b in plan.bases:
        par(doc, b.text, italic=True)
    for text in plan.preamble:
        par(doc, text)
    lists: dict[str, str] = {}
    if numbering == "auto":
        links = ("Heading1", "Heading2", "Heading3") if headings == "styles" else ()
        lists["outline"] = add_numbering(doc, "outline", style_links=links)
        lists["dash"] = add_numbering(doc, "dash")
    _sections(doc, plan.sections, 0, numbering, headings, lists)
    for text in plan.closing:
        par(doc, text)
    sl = signer_lines(plan)
    if closing == "table":
        add_closing_table(doc, plan.recipients, sl)
    else:
        add_closing_paragraphs(doc, plan.recipients, sl)
    return to_bytes(doc)


_TYPED = ("{}. ", "{}. ", "{}) ", "{}. ", "{}. ", "{}. ")


def _sections(doc, sections, depth, numbering, headings, lists) -> None:
    for s in sections:
        title = s.title.upper() if depth == 0 and s.title.isupper() else s.title
        style = f"Heading {depth + 1}" if headings == "styles" and depth < 3 else None
        if numbering == "auto" and depth < 3:
            if style:
                par(doc, title, style=style)  # label from the style-linked list
            else:
                numbered(doc, title, lists["outline"], depth, bold=depth < 2)
        else:
            par(doc, _TYPED[depth].format(s.number) + title, bold=depth < 2, style=style)
        for b in s.blocks:
            _block(doc, b, numbering, lists)
        _sections(doc, s.children, depth + 1, numbering, headings, lists)


def _block(doc, b: Block, numbering: str, lists) -> None:
    if b.kind == "table":
        rows = b.rows
        width = max((len(r) for r in rows), default=1)
        table = doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        return
    if b.kind in ("dash", "plus") and numbering == "auto":
        numbered(doc, b.text, lists["dash"], 0 if b.kind == "dash" else 1)
        return
    mark = {"dash": "- ", "plus": "+ "}.get(b.kind, "")
    par(doc, mark + b.text)


def sample_plan() -> Plan:
    return load_plan(SAMPLE_JSON)


def seed_docx(**variants) -> bytes:
    """The 2020 seed plan (Kế hoạch 932/KH-PGDĐT) as a realistic .docx."""
    return plan_docx(sample_plan(), number_sep=" /", date_suffix=".", **variants)


def large_plan(n_sections: int = 200) -> Plan:
    """A generated plan with `n_sections` second-level sections (benchmarks)."""
    base = sample_plan()
    tops = []
    per_top = max(1, n_sections // 4)
    for t in range(4):
        children = []
        for i in range(per_top):
            blocks = [
                Block("paragraph", f"Nội dung {t + 1}.{i + 1}: " + base.sections[0].blocks[0].text),
                Block("dash", f"Nhiệm vụ {i + 1} năm 2020 của các đơn vị trường học."),
                Block("plus", "“Khéo” trong tuyên truyền, nâng cao nhận thức của cán bộ."),
            ]
            if i % 20 == 0:
                blocks.append(
                    Block(
                        "table",
                        "",
                        (("STT", "Nội dung", "Thời gian"), ("1", "Kiểm tra", "11/2020")),
                    )
                )
            children.append(Section(str(i + 1), f"Nhiệm vụ số {i + 1}", tuple(blocks)))
        roman = ("I", "II", "III", "IV")[t]
        tops.append(Section(roman, f"PHẦN THỨ {t + 1}", (), tuple(children)))
    from dataclasses import replace

    return replace(base, sections=tuple(tops))


# ---------------------------------------------------------------- hostile and broken files


def zip_of(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def minimal_docx(text: str = "Xin chào") -> bytes:
    doc = new_document()
    par(doc, text)
    return to_bytes(doc)


def with_document_xml(xml: bytes) -> bytes:
    return replace_part(minimal_docx(), "word/document.xml", xml)


def entity_bomb_docx() -> bytes:
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    xml = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "lol">' + lol + "]>"
        f"<w:document {NSDECL}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body>"
        "</w:document>"
    )
    return with_document_xml(xml.encode())


def deep_docx(depth: int) -> bytes:
    inner = "<w:customXml>" * depth + "</w:customXml>" * depth
    xml = f'<?xml version="1.0"?><w:document {NSDECL}><w:body>{inner}</w:body></w:document>'
    return with_document_xml(xml.encode())


def zip_bomb_docx(size: int = 150 * 1024 * 1024) -> bytes:
    """A docx whose one extra member inflates to `size` bytes of zeros (streamed in)."""
    base = minimal_docx()
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with dst.open("word/media/bomb.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return out.getvalue()


def lying_size_docx(real_size: int = 8 * 1024 * 1024, claimed: int = 1000) -> bytes:
    """A member whose zip headers claim `claimed` bytes but inflates to `real_size`."""
    data = bytearray(zip_bomb_docx(real_size))
    name = b"word/media/bomb.bin"
    # central directory entry: signature PK\x01\x02, uncompressed size at offset 24
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    _patch_sizes(data, cd, claimed)
    return bytes(data)


def _patch_sizes(data: bytearray, cd: int, claimed: int) -> None:
    import struct

    size32 = struct.unpack_from("<I", data, cd + 24)[0]
    if size32 == 0xFFFFFFFF:  # zip64 extra field holds the sizes
        name_len = struct.unpack_from("<H", data, cd + 28)[0]
        extra_at = cd + 46 + name_len
        struct.pack_into("<Q", data, extra_at + 4, claimed)
    else:
        struct.pack_into("<I", data, cd + 24, claimed)


def declared_bomb_docx(claimed: int = 150 * 1024 * 1024) -> bytes:
    """A small member whose central directory entry claims `claimed` unpacked bytes."""
    data = bytearray(replace_part(minimal_docx(), "word/media/big.bin", b"\0" * 1024))
    name = b"word/media/big.bin"
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    _patch_sizes(data, cd, claimed)
    return bytes(data)


SEED_MD = ROOT / "tests" / "data" / "seed" / "ke-hoach-932-2020.md"


def seed_md_docx() -> bytes:
    """The seed as it was typed (tests/data/seed/*.md), one Word paragraph a line.

    Markdown headings (`##`...) become Word Heading styles (the seed puts sibling sections on
    different levels, as converted documents do), `**…**` bold, `*…*` italic, a line ending
    with two spaces a manual line break; the seed's paragraphs broken mid-sentence stay broken.
    """
    doc = new_document()
    pending: list[str] = []
    for raw in SEED_MD.read_text(encoding="utf-8").split("\n"):
        pending.append(raw.rstrip())
        if raw.endswith("  "):
            continue  # a manual line break: same paragraph
        _md_paragraph(doc, pending)
        pending = []
    if pending:
        _md_paragraph(doc, pending)
    return to_bytes(doc)


def _md_paragraph(doc, lines: list[str]) -> None:
    level = 0
    first = lines[0]
    while first.startswith("#"):
        level += 1
        first = first[1:]
    lines = [first.strip(), *(x.strip() for x in lines[1:])]
    if not any(lines):
        par(doc, "")
        return
    bold = all(x.startswith("**") and x.endswith("**") for x in lines if x)
    italic = not bold and all(x.startswith("*") and x.endswith("*") for x in lines if x)
    text = "\n".join(x.strip("*") if (bold or italic) else x for x in lines)
    style = f"Heading {level}" if level else None
    par(doc, text, bold=bold, italic=italic, style=style, center=text.startswith("KẾ HOẠCH"))
