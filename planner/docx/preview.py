"""An HTML preview of the exported document: A4 proportions, the ND30 header, Times New Roman.

`preview_html(plan)` is pure: it uses the exporter's own rules (number and date lines, Căn cứ
punctuation, heading labels, recipients) so the preview says what the .docx will say, and
every piece of text goes through `html.escape`. Every length is printed millimetres
times `--mm` (the box's width / 210, from CSS container units), so the A4 page (margins
20/15/20/30 mm) keeps its proportions at any width.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

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
    basis_lines,
    date_line,
    heading_label,
    heading_level,
    number_line,
    recipient_lines,
    schedule_heading,
    split_agency,
)
from planner.model import Block, Plan, Section
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
    f".nd30-sign {{ width:100%; border-collapse:collapse; margin-top:{_pt(6)};"
    " table-layout:fixed; }"
    ".nd30-sign td { vertical-align:top; border:none; padding:0; }"
    f".nd30-sign .nn {{ font-size:{_pt(12)} !important; font-weight:bold; font-style:italic;"
    f" margin-top:{_pt(6)}; }}"
    f".nd30-sign .rc {{ font-size:{_pt(11)} !important; }}"
    ".nd30-sign .ps { text-align:center; font-weight:bold; }"
    f".nd30-sign .nm {{ text-align:center; font-weight:bold; margin-top:{_pt(84)}; }}"
    ".nd30-note { font-family:sans-serif; font-size:0.8rem; color:#555; text-align:center;"
    " margin-top:8px; }"
)


def _e(text: str) -> str:
    return escape(text, quote=True)


def _lines(text: str) -> list[str]:
    return [x.strip() for x in clean_text(text).split("\n") if x.strip()]


def _rule(length_cm: float) -> str:
    return f'<div class="nd30-rule" style="width:{_cm(length_cm)}"></div>'


def _block(b: Block) -> list[str]:
    out = []
    if b.kind == "table":
        out += [f'<p class="nd30-body">{_e(x)}</p>' for x in _lines(b.text)]
        out.append(_table([list(r) for r in b.rows]))
        return out
    mark = {"dash": "- ", "plus": "+ "}.get(b.kind, "")
    for i, line in enumerate(_lines(b.text)):
        text = mark + line.lstrip("-+ ") if (i == 0 and mark) else line
        out.append(f'<p class="nd30-body">{_e(text)}</p>')
    return out


def _table(rows: list[list[str]]) -> str:
    rows = [r for r in rows if r]
    if not rows:
        return ""
    n = max(len(r) for r in rows)
    html = ['<table class="nd30-tbl">']
    for i, r in enumerate(rows):
        tag = "th" if i == 0 else "td"
        cells = [clean_text(c).strip() for c in r] + [""] * (n - len(r))
        html.append(
            "<tr>"
            + "".join(f"<{tag}>{_e(c).replace(chr(10), '<br>')}</{tag}>" for c in cells)
            + "</tr>"
        )
    html.append("</table>")
    return "".join(html)


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
    when = date_line(m.place, m.issued, m.year)
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
        parts.append(_rule(max(line * RULE_SHARE, 1.5)))
        parts.append(f'<div style="height:{_pt(12)}"></div>')
    parts += [
        f'<p class="nd30-basis">{_e(x)}</p>' for x in basis_lines([b.text for b in plan.bases])
    ]
    for text in plan.preamble:
        parts += [f'<p class="nd30-body">{_e(x)}</p>' for x in _lines(text)]
    for s in plan.sections:
        parts += _section(s, 1)
    if schedule_rows:
        parts.append(f'<p class="nd30-h nd30-h1">{_e(schedule_heading(plan))}</p>')
        parts.append(_table([list(SCHEDULE_HEADER), *[list(r) for r in schedule_rows]]))
    for text in plan.closing:
        parts += [f'<p class="nd30-body">{_e(x)}</p>' for x in _lines(text)]
    sg = plan.signer
    head = f"{clean_line(sg.prefix).upper()} {clean_line(sg.position).upper()}".strip()
    positions = [x for x in (head, clean_line(sg.deputy_position).upper()) if x]
    recipients = "".join(f'<p class="rc">{_e(x)}</p>' for x in recipient_lines(plan.recipients))
    signer = "".join(f'<p class="ps">{_e(x)}</p>' for x in positions)
    signer += f'<p class="nm">{_e(clean_line(sg.name))}</p>'
    parts += [
        '<table class="nd30-sign"><tr>',
        f'<td style="width:48%"><p class="nn">Nơi nhận:</p>{recipients}</td>',
        f"<td>{signer}</td>",
        "</tr></table>",
        "</div></div>",
        '<p class="nd30-note">Bản xem trước: ngắt trang và số trang (từ trang 2, giữa lề trên) '
        "do Word quyết định khi mở tệp.</p>",
        "</div>",
    ]
    return "".join(parts)
