"""An HTML preview of the exported document: A4 proportions, the ND30 header, Times New Roman.

`preview_html(plan)` is pure: it uses the exporter's own rules (number and date lines, Căn cứ
punctuation, heading labels, recipients, signer lines, emphasis pieces) so the preview says what
the .docx will say, and every piece of text goes through `html.escape`. Manual line breaks are
`<br>`, bold/italic spans `<b>`/`<i>`; a table's header rows are `<th>` and its merged cells
`rowspan`/`colspan`; the lines under the trích yếu follow it in italics; each appendix follows
the signature on a page of its own (a landscape one drawn landscape). Every length is printed
millimetres times `--mm` (the box's width / 210, or / 297 on a landscape page, from CSS
container units), so the A4 page (margins 20/15/20/30 mm) keeps its proportions at any width.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from planner.docx.reader import is_kinh_gui
from planner.docx.writer import (
    FIT_MARGIN,
    LEFT_COL,
    MOTTO,
    NATIONAL_TITLE,
    RIGHT_COL,
    RULE_SHARE,
    SCHEDULE_HEADER,
    SIZE_AUTHORITY,
    SIZE_DATE,
    SIZE_MOTTO,
    SIZE_SUBJECT,
    TEXT_WIDTH,
    date_line,
    heading_label,
    heading_level,
    number_line,
    opening_parts,
    recipient_lines,
    schedule_heading,
    signer_lines,
    split_agency,
)
from planner.docx.writer import _body_text as printed_text
from planner.docx.writer import _pieces as emphasis_pieces
from planner.model import Appendix, Block, Plan, Section
from planner.nd30.metrics import text_width_cm
from planner.text.clean import clean_line, clean_text


def _mm(x: float) -> str:
    """A length of `x` printed millimetres, scaled to the preview's width (container units)."""
    return f"calc({x:.3f} * var(--mm))"


def _pt(x: float) -> str:
    return _mm(x * 25.4 / 72)


def _cm(x: float) -> str:
    return _mm(x * 10)


_CSS = (
    ".nd30-wrap { container-type:inline-size; background:#e9ecef; padding:12px;"
    " border-radius:8px; }"
    ".nd30-scale { --mm: calc(100cqw / 210); }"
    f".nd30-page {{ box-sizing:border-box; width:100%; min-height:{_mm(297)};"
    f" padding:{_mm(20)} {_mm(15)} {_mm(20)} {_mm(30)}; background:#fff; color:#000;"
    " box-shadow:0 2px 10px rgba(0,0,0,.25);"
    ' font-family:"Times New Roman", Tinos, "Liberation Serif", Times, serif;'
    f" font-size:{_pt(14)} !important; line-height:1.15; }}"
    f".nd30-page p, .nd30-page td, .nd30-page th {{ margin:0; font-size:{_pt(14)} !important;"
    " line-height:1.15 !important; color:#000; }"
    f".nd30-hdr {{ border-collapse:collapse; width:{_cm(16.75)}; margin-left:{_cm(-0.25)};"
    " table-layout:fixed; }"
    ".nd30-hdr td { vertical-align:top; text-align:center; padding:0; border:none; }"
    f".nd30-hdr td.l {{ width:{_cm(6.75)}; }} .nd30-hdr td.r {{ width:{_cm(10)}; }}"
    f".nd30-hdr .pa {{ font-size:{_pt(12)} !important; }}"
    f".nd30-hdr .au {{ font-size:{_pt(12)} !important; font-weight:bold; }}"
    f".nd30-hdr .qh {{ font-size:{_pt(13)} !important; font-weight:bold; white-space:nowrap; }}"
    f".nd30-hdr .tn {{ font-size:{_pt(14)} !important; font-weight:bold; white-space:nowrap; }}"
    f".nd30-hdr .so {{ font-size:{_pt(13)} !important; padding-top:{_pt(6)}; white-space:pre; }}"
    f".nd30-hdr .dt {{ font-size:{_pt(14)} !important; font-style:italic; padding-top:{_pt(6)};"
    " white-space:pre; }"
    f".nd30-rule {{ border-bottom:{_pt(0.75)} solid #000; margin:{_pt(3)} auto 0; height:0; }}"
    f".nd30-type {{ text-align:center; font-weight:bold; margin-top:{_pt(18)} !important; }}"
    ".nd30-subj { text-align:center; font-weight:bold; }"
    f".nd30-body, .nd30-basis, .nd30-h {{ text-align:justify; text-indent:{_cm(1.27)};"
    f" margin-bottom:{_pt(6)} !important; }}"
    ".nd30-basis { font-style:italic; } .nd30-h1, .nd30-h2 { font-weight:bold; }"
    f".nd30-tbl {{ border-collapse:collapse; width:100%; margin:0 0 {_pt(6)};"
    f" font-size:{_pt(13)} !important; }}"
    f".nd30-tbl td, .nd30-tbl th {{ border:{_pt(0.75)} solid #000; padding:{_pt(2)} {_pt(4)};"
    f" vertical-align:top; text-align:left; font-size:{_pt(13)} !important; }}"
    ".nd30-tbl th { text-align:center; font-weight:bold; }"
    f".nd30-kg {{ border-collapse:collapse; margin:0 0 {_pt(6)}; }}"
    ".nd30-kg td { border:none; padding:0; vertical-align:top; }"
    f".nd30-kg p {{ margin:0 !important; }} .nd30-kg .kg {{ text-align:right;"
    f" padding-right:{_pt(6)}; }}"
    f".nd30-sign {{ width:100%; border-collapse:collapse; margin-top:{_pt(6)};"
    " table-layout:fixed; }"
    ".nd30-sign td { vertical-align:top; border:none; padding:0; }"
    f".nd30-sign .nn {{ font-size:{_pt(12)} !important; font-weight:bold; font-style:italic;"
    f" margin-top:{_pt(6)}; }}"
    f".nd30-sign .rc {{ font-size:{_pt(11)} !important; }}"
    ".nd30-sign .ps { text-align:center; font-weight:bold; }"
    f".nd30-sign .nm {{ text-align:center; font-weight:bold; margin-top:{_pt(84)}; }}"
    ".nd30-subj .sub { font-weight:normal; font-style:italic; }"
    ".nd30-land { --mm: calc(100cqw / 297); }"
    ".nd30-next { margin-top:12px; }"
    f".nd30-land .nd30-page {{ min-height:{_mm(210)}; }}"
    f".nd30-apx {{ text-align:center; font-weight:bold; margin-bottom:{_pt(6)} !important; }}"
    ".nd30-apx-sub { text-align:center; font-weight:bold; }"
    ".nd30-apx-sub.it { font-weight:normal; font-style:italic; }"
    ".nd30-note { font-family:sans-serif; font-size:0.8rem; color:#555; text-align:center;"
    " margin-top:8px; }"
)


def _e(text: str) -> str:
    return escape(text, quote=True)


def _rule(length_cm: float) -> str:
    return f'<div class="nd30-rule" style="width:{_cm(length_cm)}"></div>'


def _rich(text: str, emphasis: Sequence[tuple[int, int, str]] = ()) -> str:
    """A paragraph's text as the exporter prints it: escaped, bold/italic spans as `<b>`/`<i>`
    (the offsets hold only on clean text, as in the exporter), line breaks as `<br>`."""
    if clean_text(text) != text or text.strip() != text:
        text, emphasis = printed_text(text), ()
    pieces = emphasis_pieces(text, emphasis) if emphasis else [(text, "")]
    out = []
    for piece, style in pieces:
        html = _e(piece).replace("\n", "<br>")
        if "b" in style:
            html = f"<b>{html}</b>"
        if "i" in style:
            html = f"<i>{html}</i>"
        out.append(html)
    return "".join(out)


def _body(text: str) -> list[str]:
    """A preamble or closing paragraph (its line breaks kept), or nothing when blank."""
    text = printed_text(text)
    return [f'<p class="nd30-body">{_rich(text)}</p>'] if text else []


def _block(b: Block) -> list[str]:
    if b.kind == "table":
        return [*_body(b.text), _table(b)]
    text, emphasis = b.text, b.emphasis
    if clean_text(text) != text or text.strip() != text:
        text, emphasis = printed_text(text), ()
    if not text:
        return []
    mark = {"dash": "- ", "plus": "+ "}.get(b.kind, "")
    return [f'<p class="nd30-body">{_e(mark)}{_rich(text, emphasis)}</p>']


def _kinh_gui(b: Block) -> str:
    """`Kính gửi:` beside its recipients, one a line, as the exporter lays it out."""
    label, recipients = (clean_text(c).strip() for c in b.rows[0])
    lines = "".join(f"<p>{_e(x.strip())}</p>" for x in recipients.split("\n") if x.strip())
    return (
        f'<table class="nd30-kg"><tr><td style="width:{_cm(3.5)}"><p class="kg">{_e(label)}</p>'
        f"</td><td>{lines}</td></tr></table>"
    )


def _table(b: Block) -> str:
    """A data table: its header rows as `<th>`, merged cells as one cell spanning the cells it
    covers (merges the exporter would skip, out of the grid or overlapping, are skipped)."""
    rows = [[clean_text(c).strip() for c in r] for r in b.rows]
    if not rows or not any(rows):
        return ""
    n = max(len(r) for r in rows)
    rows = [r + [""] * (n - len(r)) for r in rows]
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r0, c0, nr, nc in b.merges:
        if nr < 1 or nc < 1 or r0 + nr > len(rows) or c0 + nc > n or (r0, c0) in covered:
            continue
        grid = {(r, c) for r in range(r0, r0 + nr) for c in range(c0, c0 + nc)}
        if grid & covered or (r0, c0) in spans:
            continue
        spans[(r0, c0)] = (nr, nc)
        covered |= grid - {(r0, c0)}
    head = min(b.header_rows, len(rows))
    html = ['<table class="nd30-tbl">']
    for i, r in enumerate(rows):
        tag = "th" if i < head else "td"
        cells = []
        for j, c in enumerate(r):
            if (i, j) in covered:
                continue
            nr, nc = spans.get((i, j), (1, 1))
            attrs = (f' rowspan="{nr}"' if nr > 1 else "") + (f' colspan="{nc}"' if nc > 1 else "")
            cells.append(f"<{tag}{attrs}>{_e(c).replace(chr(10), '<br>')}</{tag}>")
        html.append("<tr>" + "".join(cells) + "</tr>")
    html.append("</table>")
    return "".join(html)


def _appendix(a: Appendix) -> str:
    """One appendix on a page of its own: title, the lines under it (`(Kèm theo …)` italic,
    others bold, as the exporter writes them), its paragraphs and tables."""
    parts = []
    title = clean_line(a.title)
    if title:
        parts.append(f'<p class="nd30-apx">{_e(title)}</p>')
    for line in a.subtitles:
        text = clean_line(line)
        if text:
            it = " it" if text.startswith("(") else ""
            parts.append(f'<p class="nd30-apx-sub{it}">{_e(text)}</p>')
    if parts:
        parts.append(f'<div style="height:{_pt(6)}"></div>')
    for b in a.blocks:
        parts += _block(b)
    land = " nd30-land" if a.landscape else ""
    return (
        f'<div class="nd30-scale nd30-next{land}"><div class="nd30-page" lang="vi">'
        + "".join(parts)
        + "</div></div>"
    )


def _section(s: Section, depth: int) -> list[str]:
    level = heading_level(s.number, depth)
    label = heading_label(s.number)
    title = clean_line(s.title)
    if level == 1:
        title = title.upper()
    text = f"{label} {title}".strip()
    out = [f'<p class="nd30-h nd30-h{level}">{_e(text)}</p>'] if text else []
    for b in s.blocks:
        out += _block(b)
    for c in s.children:
        out += _section(c, depth + 1)
    return out


def _date_style(when: str) -> str:
    """The exporter's rule: a date line too long for 14 pt is set in 13 pt."""
    if text_width_cm(when, SIZE_DATE, italic=True) > RIGHT_COL / 567 * FIT_MARGIN:
        return f' style="font-size:{_pt(SIZE_DATE - 1)} !important"'
    return ""


def preview_html(plan: Plan, *, schedule_rows: Sequence[tuple[str, str, str, str]] = ()) -> str:
    """The document as one self-contained HTML fragment (styles included, text escaped)."""
    m = plan.meta
    width_cm = LEFT_COL / 567
    parent = clean_line(m.parent_authority).upper()
    authority = clean_line(m.authority).upper()
    au_lines = split_agency(authority, width_cm, SIZE_AUTHORITY, bold=True) if authority else []
    left = []
    if parent:
        pa = split_agency(parent, width_cm, SIZE_AUTHORITY, bold=False)
        left.append(f'<p class="pa">{"<br>".join(_e(x) for x in pa)}</p>')
    if au_lines:
        left.append(f'<p class="au">{"<br>".join(_e(x) for x in au_lines)}</p>')
        longest = max(text_width_cm(x, SIZE_AUTHORITY, bold=True) for x in au_lines)
        left.append(_rule(max(longest * RULE_SHARE, 1.2)))
    right = [
        f'<p class="qh">{_e(NATIONAL_TITLE)}</p>',
        f'<p class="tn">{_e(MOTTO)}</p>',
        _rule(text_width_cm(MOTTO, SIZE_MOTTO, bold=True)),
    ]
    when = date_line(m.place, m.issued, m.year, m.issued_month)
    parts = [
        f"<style>{_CSS}</style>",
        '<div class="nd30-wrap"><div class="nd30-scale"><div class="nd30-page" lang="vi">',
        '<table class="nd30-hdr">',
        f'<tr><td class="l">{"".join(left)}</td><td class="r">{"".join(right)}</td></tr>',
        f'<tr><td class="l"><p class="so">{_e(number_line(m.number, m.symbol))}</p></td>'
        f'<td class="r"><p class="dt"{_date_style(when)}>{_e(when)}</p></td></tr>',
        "</table>",
        f'<p class="nd30-type">{_e(clean_line(m.doc_type).upper() or "KẾ HOẠCH")}</p>',
    ]
    subject = clean_line(m.subject)
    if subject:
        line = min(text_width_cm(subject, SIZE_SUBJECT, bold=True), TEXT_WIDTH / 567)
        parts.append(f'<p class="nd30-subj">{_e(subject)}</p>')
        for sub in m.subtitles:
            text = clean_line(sub)
            if text:
                parts.append(f'<p class="nd30-subj"><span class="sub">{_e(text)}</span></p>')
        parts.append(_rule(max(line * RULE_SHARE, 1.5)))
        parts.append(f'<div style="height:{_pt(12)}"></div>')
    for kind, part in opening_parts(plan):
        if isinstance(part, Block):
            parts += [_kinh_gui(part)] if is_kinh_gui(part.rows) else _block(part)
        elif kind == "basis":
            parts.append(f'<p class="nd30-basis">{_e(part)}</p>')
        else:
            parts += _body(part)
    for s in plan.sections:
        parts += _section(s, 1)
    if schedule_rows:
        parts.append(f'<p class="nd30-h nd30-h1">{_e(schedule_heading(plan))}</p>')
        parts.append(_table(Block("table", rows=(SCHEDULE_HEADER, *map(tuple, schedule_rows)))))
    for text in plan.closing:
        parts += _body(text)
    sg = plan.signer
    positions = signer_lines(plan)
    recipients = "".join(f'<p class="rc">{_e(x)}</p>' for x in recipient_lines(plan.recipients))
    signer = "".join(f'<p class="ps">{_e(x)}</p>' for x in positions)
    signer += f'<p class="nm">{_e(clean_line(sg.name))}</p>'
    parts += [
        '<table class="nd30-sign"><tr>',
        f'<td style="width:48%"><p class="nn">Nơi nhận:</p>{recipients}</td>',
        f"<td>{signer}</td>",
        "</tr></table>",
        "</div></div>",
        *[_appendix(a) for a in plan.appendices],
        '<p class="nd30-note">Bản xem trước: ngắt trang và số trang (từ trang 2, giữa lề trên) '
        "do Word quyết định khi mở tệp.</p>",
        "</div>",
    ]
    return "".join(parts)
