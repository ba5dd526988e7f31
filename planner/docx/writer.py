"""Write a plan as a Word document that follows Nghị định 30/2020/NĐ-CP (Phụ lục I).

`export_docx(plan, today=...)` takes its look from `templates/nd30-ke-hoach.docx` (or a
user's template with the same style names, see `planner/nd30/styles.py`) and writes:

- A4 portrait, margins 20/20/30/15 mm (a user template's margins are kept when inside ND30's
  ranges), Times New Roman in every font slot, page number (PAGE field) centred in the page
  header from page 2 on (different first page);
- a borderless two-column header table (6.75 cm + 10 cm, reaching 0.25 cm into the left
  margin): cơ quan chủ quản / cơ quan ban hành with a rule under it (40 % of its length) and
  `Số:` on the left; Quốc hiệu / Tiêu ngữ with a rule as long as the line and the date line on
  the right; rules are bottom borders of short paragraphs whose indents give their length;
- `KẾ HOẠCH` and the trích yếu with a rule under it (40 % of its line), the Căn cứ lines in
  italics (one a paragraph, `;` at the end of each and `.` after the last: only the final
  punctuation is fixed), the body (justified, first line 1.27 cm, 6 pt after, 1.15 lines),
  headings with their labels as text (`I.` + UPPER title, `1.`, `a)`), `- `/`+ ` items,
  tables, an optional *Tiến độ thực hiện* table, the closing;
- the Nơi nhận + signature table (prefix such as `KT.` over the position, the deputy position,
  room to sign, the name); recipients each `- …;`, the last `- Lưu: VT….` (added if missing);
- optional charts in a *Phụ lục* after the signature;
- for a draft (`draft_mark=True`), a boxed bold *DỰ THẢO* at the right of every page header.

Text is cleaned (`planner.text.clean`) and set as element text through lxml, so `&`, `<`
and quotes stay what they are. The output depends only on the plan, `today` and the options:
core properties take their dates from `today` and the zip entries are stamped with it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from docx.text.paragraph import Paragraph

from planner.docx.ooxml import (
    A4_H,
    A4_W,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    add_page_field,
    clamp_margins,
    deterministic_zip,
    insert_ppr_child,
    setup_section,
)
from planner.docx.reader import is_kinh_gui
from planner.docx.safety import Removal
from planner.errors import ExportError, InputFileError
from planner.model import Block, Plan, Section, size_problem
from planner.nd30.metrics import text_width_cm
from planner.nd30.styles import REQUIRED_STYLES, STYLE
from planner.paths import TEMPLATE_PATH
from planner.review.model import Approval
from planner.text.clean import clean_line, clean_text
from planner.text.dates import nd30_date_words
from planner.text.numbering import label_style, next_roman

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SCHEDULE_TITLE = "TIẾN ĐỘ THỰC HIỆN"
SCHEDULE_HEADER = ("Thời gian", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp")
DRAFT_MARK = "DỰ THẢO"  # the page-header mark of a document exported before it is ready
SIZE_DRAFT_MARK = 12
DRAFT_MARK_ROOM_CM = 0.3  # the frame's width beyond the boxed text (border, rounding)
BLANK = "      "  # the blank left for the number, day and month of a draft

# Geometry (twips; 567 twips = 1 cm).
LEFT_COL = 3827  # 6.75 cm
RIGHT_COL = 5670  # 10 cm
TEXT_WIDTH = A4_W - MARGIN_LEFT - MARGIN_RIGHT  # 9355 = 16.5 cm
HEADER_INDENT = TEXT_WIDTH - LEFT_COL - RIGHT_COL  # -142: 0.25 cm into the left margin
SIGN_LEFT = 4535  # 8 cm
SIGN_RIGHT = TEXT_WIDTH - SIGN_LEFT
RULE_SHARE = 0.4  # short rules: 40 % of the text above (ND30: 1/3 to 1/2)
MAX_CHART_WIDTH_CM = 16.0
FIT_MARGIN = 0.98  # estimates are a little short of real widths: keep 2 % spare

# Sizes used for length estimates; they match the template's styles.
SIZE_AUTHORITY = 12
SIZE_MOTTO = 14
SIZE_SUBJECT = 14
SIZE_DATE = 14

_PLACE_WORDS = ("THÀNH PHỐ", "TỈNH", "QUẬN", "HUYỆN", "THỊ XÃ", "THỊ TRẤN", "PHƯỜNG", "XÃ")
_LEAD_MARK = re.compile(r"^\s*[-–—+•*]\s*")


# ---------------------------------------------------------------- formatting rules


def number_line(number: str, symbol: str) -> str:
    """`Số: 932/KH-PGDĐT`; numbers below 10 padded; a draft leaves the number blank."""
    num = clean_line(number).replace(" ", "")
    sym = clean_line(symbol).replace(" ", "")
    if num.isdigit() and int(num) < 10:
        num = f"{int(num):02d}"
    head = f"Số: {num}" if num else f"Số:{BLANK}"
    return f"{head}/{sym}" if sym else head


def date_line(place: str, issued: date | None, year: int, month: int = 0) -> str:
    """`Thủ Dầu Một, ngày 14 tháng 7 năm 2020`, or the blank draft form (with the month when
    the draft has one: `ngày      tháng 4 năm 2026`)."""
    where = clean_line(place)
    if issued is not None:
        when = nd30_date_words(issued)
    else:
        mm = f" {month} " if 1 <= month <= 12 else BLANK
        when = f"ngày{BLANK}tháng{mm}năm {year}" if year else f"ngày{BLANK}tháng{mm}năm"
    return f"{where}, {when}" if where else when[0].upper() + when[1:]


def basis_lines(texts: Sequence[str]) -> list[str]:
    """Căn cứ lines: `;` after each, `.` after the last (only final punctuation changes)."""
    lines = [clean_line(t) for t in texts]
    lines = [t for t in lines if t]
    out = []
    for i, t in enumerate(lines):
        last = i == len(lines) - 1
        if last and t[-1] in ".,":
            out.append(t)
            continue
        core = t.rstrip(" ;:,.")
        out.append(core + ("." if last else ";"))
    return out


def opening_parts(plan: Plan) -> list[tuple[str, str | Block]]:
    """What stands between the trích yếu and the first section, in print order: the Căn cứ
    lines ("basis", as `basis_lines` prints them), the preamble paragraphs ("body") and the
    tables among them ("table", `Plan.preamble_tables`: each after `at` of the lines and
    paragraphs before it; tables past the end come last, in their order)."""
    texts: list[tuple[str, str | Block]] = [
        ("basis", x) for x in basis_lines([b.text for b in plan.bases])
    ]
    texts += [("body", x) for x in plan.preamble]
    out: list[tuple[str, str | Block]] = []
    tables = list(plan.preamble_tables)
    for i, part in enumerate(texts):
        while tables and tables[0][0] <= i:
            out.append(("table", tables.pop(0)[1]))
        out.append(part)
    out += [("table", block) for _, block in tables]
    return out


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """`- X;` for each recipient; the last is `- Lưu: VT….` (added when missing)."""
    items = []
    for r in recipients:
        t = _LEAD_MARK.sub("", clean_line(r)).rstrip(" ;:,.")
        t = re.sub(r"\s+([,;:.])", r"\1", t)
        if t:
            items.append(t)
    if not items or not items[-1].casefold().startswith("lưu"):
        items.append("Lưu: VT")
    return [f"- {t}{'.' if i == len(items) - 1 else ';'}" for i, t in enumerate(items)]


def heading_label(number: str) -> str:
    """The visible label: `I.`, `1.`, `a)` (a number already punctuated is kept)."""
    n = clean_line(number)
    if not n:
        return ""
    if n[-1] in ".)":
        return n
    if label_style(n) == "alpha":
        return f"{n})"
    return f"{n}."


_HEADING_LEVELS = {"roman": 1, "decimal": 2, "alpha": 3}


def heading_level(number: str, depth: int) -> int:
    """1 for Roman labels, 2 for digits, 3 for letters; by depth otherwise."""
    style = label_style(clean_line(number).rstrip(".)"))
    return _HEADING_LEVELS[style] if style else min(depth, 3)


def split_agency(text: str, width_cm: float, size: float, *, bold: bool) -> list[str]:
    """An agency name as printed lines: one if it fits, else broken before its place name."""
    width_cm *= FIT_MARGIN
    if text_width_cm(text, size, bold=bold) <= width_cm:
        return [text]
    upper = text.upper()
    best: list[str] | None = None
    for word in _PLACE_WORDS:
        for m in re.finditer(rf"(?<=\s){re.escape(word)}\b", upper):
            head, tail = text[: m.start()].rstrip(), text[m.start() :]
            if (
                head
                and text_width_cm(head, size, bold=bold) <= width_cm
                and text_width_cm(tail, size, bold=bold) <= width_cm
            ):
                best = best or [head, tail]
    return best or [text]


# ---------------------------------------------------------------- template


def _open(data: bytes, name: str) -> Any:
    from planner.docx.safety import open_docx

    try:
        return open_docx(data, name)
    except InputFileError as e:
        raise ExportError(f"Không dùng được tệp mẫu: {e}") from None


def missing_styles(doc: Any) -> list[str]:
    """Style names the exporter needs that `doc` lacks (or has with another type)."""
    kinds = {}
    for s in doc.styles.element.findall(qn("w:style")):
        name_el = s.find(qn("w:name"))
        if name_el is not None:
            kinds[name_el.get(qn("w:val"))] = s.get(qn("w:type"))
    return [name for name, kind in REQUIRED_STYLES if kinds.get(name) != kind]


def check_template(data: bytes, name: str = "mẫu.docx") -> list[str]:
    """Names of the styles a user's template lacks (empty: the template is usable)."""
    return missing_styles(_open(clean_template(data, name)[0], name))


def clean_template(data: bytes, name: str = "mẫu.docx") -> tuple[bytes, list[Removal]]:
    """A user's template without macros, external links, attached templates, altChunk,
    embedded objects and fetching fields (`planner.docx.safety.clean_docx`), and what was
    removed; `removal_lines` says it to the user. `export_docx` cleans its template itself."""
    from planner.docx.safety import clean_docx

    try:
        return clean_docx(data, name)
    except InputFileError as e:
        raise ExportError(f"Không dùng được tệp mẫu: {e}") from None


def _load_template(template: bytes | None, name: str = "mẫu.docx") -> Any:
    if template is None:
        try:
            data = TEMPLATE_PATH.read_bytes()
        except OSError:
            raise ExportError(
                f"Không tìm thấy tệp mẫu {TEMPLATE_PATH.name} trong thư mục templates."
            ) from None
        return _open(data, TEMPLATE_PATH.name)
    doc = _open(clean_template(template, name)[0], name)
    missing = missing_styles(doc)
    if missing:
        raise ExportError(
            "Tệp mẫu Word thiếu các kiểu (style) cần cho văn bản theo Nghị định 30: "
            + ", ".join(missing)
            + ". Hãy dùng tệp mẫu của chương trình hoặc thêm các kiểu này vào tệp mẫu."
        )
    return doc


# ---------------------------------------------------------------- writer


class _Writer:
    """Builds paragraphs as lxml elements directly (python-docx's add_paragraph looks the
    style up and scans the body on every call, which is quadratic on long plans)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.styles = {key: doc.styles[name] for key, name in STYLE.items()}
        self.style_ids = {key: style.style_id for key, style in self.styles.items()}
        self.sect_pr = doc.element.body.find(qn("w:sectPr"))
        self.after_table = False  # the next body paragraph gets 6 pt before it
        self.section_started = False  # a section break has been written

    # -- paragraphs

    def _p(
        self, key: str, text: str, emphasis: Sequence[tuple[int, int, str]] = (), plain: str = ""
    ) -> Any:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ps = OxmlElement("w:pStyle")
        ps.set(qn("w:val"), self.style_ids[key])
        ppr.append(ps)
        p.append(ppr)
        if not emphasis:
            if plain or text:
                p.append(_run(plain + text))
            return p
        if plain:
            p.append(_run(plain, ""))
        for piece, style in _pieces(text, emphasis):
            p.append(_run(piece, style))
        return p

    def para(
        self,
        container: Any,
        key: str,
        text: str = "",
        emphasis: Sequence[tuple[int, int, str]] = (),
        plain: str = "",
    ) -> Any:
        p = self._p(key, text, emphasis, plain)
        if container is self.doc:
            if self.after_table:
                spacing = OxmlElement("w:spacing")
                spacing.set(qn("w:before"), "120")
                insert_ppr_child(p[0], spacing)
                self.after_table = False
            if self.sect_pr is not None:
                self.sect_pr.addprevious(p)
            else:
                self.doc.element.body.append(p)
        else:
            container._element.append(p)
        return Paragraph(p, container)

    def first_para(self, cell: Any, key: str, text: str = "") -> Any:
        """The cell's own blank first paragraph if still untouched, else a new one."""
        paras = cell._tc.findall(qn("w:p"))
        first = paras[0] if paras else None
        if first is None or len(paras) > 1 or len(first):
            return self.para(cell, key, text)
        new = self._p(key, text)
        first.addprevious(new)
        first.getparent().remove(first)
        return Paragraph(new, cell)

    def lines_para(self, container: Any, key: str, lines: Sequence[str], first: bool) -> Any:
        p = self.first_para(container, key) if first else self.para(container, key)
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        return p

    def rule(self, container: Any, width_twips: int, length_cm: float) -> Any:
        """A solid rule of `length_cm`, centred in a box `width_twips` wide."""
        length = min(round(length_cm * 567), width_twips)
        side = max(0, (width_twips - length) // 2)
        p = self.para(container, "rule")
        p.paragraph_format.left_indent = Twips(side)
        p.paragraph_format.right_indent = Twips(side)
        return p

    # -- tables

    def table(self, widths: Sequence[int], rows: int, *, borders: bool, indent: int = 0) -> Any:
        t = self.doc.add_table(rows=rows, cols=len(widths))
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        t.autofit = False
        tbl_pr = t._tbl.tblPr
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = OxmlElement("w:tblW")
            tbl_pr.append(tbl_w)
        tbl_w.set(qn("w:w"), str(sum(widths)))
        tbl_w.set(qn("w:type"), "dxa")
        _set_tbl_child(tbl_pr, _table_borders("single" if borders else "nil"))
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        _set_tbl_child(tbl_pr, layout)
        if indent:
            ind = OxmlElement("w:tblInd")
            ind.set(qn("w:w"), str(indent))
            ind.set(qn("w:type"), "dxa")
            _set_tbl_child(tbl_pr, ind)
        if not borders:
            mar = OxmlElement("w:tblCellMar")
            for side in ("left", "right"):
                el = OxmlElement(f"w:{side}")
                el.set(qn("w:w"), "0")
                el.set(qn("w:type"), "dxa")
                mar.append(el)
            _set_tbl_child(tbl_pr, mar)
        for col, w in zip(t.columns, widths, strict=True):
            col.width = Twips(w)
        for row in t.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Twips(w)
        return t


_TBL_PR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()


def _pieces(text: str, emphasis: Sequence[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """`text` cut at its emphasis spans: (piece, "" | "b" | "i" | "bi")."""
    out: list[tuple[str, str]] = []
    at = 0
    for start, end, style in sorted(emphasis):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        if start > at:
            out.append((text[at:start], ""))
        out.append((text[start:end], style))
        at = end
    if at < len(text):
        out.append((text[at:], ""))
    return out


def _run(text: str, style: str | None = None) -> Any:
    """A w:r holding `text` (tabs as w:tab, line breaks as w:br; spaces kept). `style` ""
    sets bold and italic off, "b"/"i"/"bi" on; None leaves them to the paragraph style."""
    r = OxmlElement("w:r")
    if style is not None:
        rpr = OxmlElement("w:rPr")
        for tag, on in (("b", "b" in style), ("i", "i" in style)):
            for name in (f"w:{tag}", f"w:{tag}Cs"):
                el = OxmlElement(name)
                if not on:
                    el.set(qn("w:val"), "0")
                rpr.append(el)
        r.append(rpr)
    for k, line in enumerate(text.split("\n")):
        if k:
            r.append(OxmlElement("w:br"))
        for i, piece in enumerate(line.split("\t")):
            if i:
                r.append(OxmlElement("w:tab"))
            if piece:
                t = OxmlElement("w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                t.text = piece
                r.append(t)
    return r


def _set_tbl_child(tbl_pr: Any, child: Any) -> None:
    name = str(child.tag).rsplit("}", 1)[-1]
    for old in tbl_pr.findall(child.tag):
        tbl_pr.remove(old)
    rank = _TBL_PR_ORDER.index(name)
    for i, el in enumerate(tbl_pr):
        other = str(el.tag).rsplit("}", 1)[-1]
        if other in _TBL_PR_ORDER and _TBL_PR_ORDER.index(other) > rank:
            tbl_pr.insert(i, child)
            return
    tbl_pr.append(child)


def _table_borders(val: str) -> Any:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    return borders


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


# ---------------------------------------------------------------- document parts


def _header_block(w: _Writer, plan: Plan) -> None:
    m = plan.meta
    t = w.table((LEFT_COL, RIGHT_COL), 2, borders=False, indent=HEADER_INDENT)
    left, right = t.rows[0].cells
    width_cm = LEFT_COL / 567
    parent = clean_line(m.parent_authority).upper()
    authority = clean_line(m.authority).upper()
    first = True
    if parent:
        lines = split_agency(parent, width_cm, SIZE_AUTHORITY, bold=False)
        w.lines_para(left, "parent_authority", lines, first)
        first = False
    lines = split_agency(authority, width_cm, SIZE_AUTHORITY, bold=True)
    w.lines_para(left, "authority", lines, first)
    longest = max(text_width_cm(x, SIZE_AUTHORITY, bold=True) for x in lines) if authority else 3
    w.rule(left, LEFT_COL, max(longest * RULE_SHARE, 1.2))
    w.first_para(right, "national_title", NATIONAL_TITLE)
    w.para(right, "motto", MOTTO)
    w.rule(right, RIGHT_COL, text_width_cm(MOTTO, SIZE_MOTTO, bold=True))
    left2, right2 = t.rows[1].cells
    w.first_para(left2, "number", number_line(m.number, m.symbol))
    when = date_line(m.place, m.issued, m.year, m.issued_month)
    dp = w.first_para(right2, "place_date", when)
    if text_width_cm(when, SIZE_DATE, italic=True) > RIGHT_COL / 567 * FIT_MARGIN:
        for run in dp.runs:
            run.font.size = Pt(SIZE_DATE - 1)  # ND30 allows 13-14 pt: keep it on one line
    for row in t.rows:
        _cant_split(row)


def _title(w: _Writer, plan: Plan) -> None:
    body = w.doc
    w.para(body, "doc_type", clean_line(plan.meta.doc_type).upper() or "KẾ HOẠCH")
    subject = clean_line(plan.meta.subject)
    if subject:
        w.para(body, "subject", subject)
    for sub in plan.meta.subtitles:
        text = clean_line(sub)
        if text:
            w.para(body, "subject", text, ((0, len(text), "i"),))
    if subject:
        line = min(text_width_cm(subject, SIZE_SUBJECT, bold=True), TEXT_WIDTH / 567)
        rule = w.rule(body, TEXT_WIDTH, max(line * RULE_SHARE, 1.5))
        rule.paragraph_format.space_after = Twips(240)


def _body_text(text: str) -> str:
    """A block's text as printed: cleaned, each line trimmed, blank lines at the ends gone
    (manual line breaks inside stay: the paragraph prints them as line breaks)."""
    return "\n".join(x.strip() for x in clean_text(text).split("\n")).strip("\n")


def _block(w: _Writer, block: Block, width: int = TEXT_WIDTH) -> None:
    doc = w.doc
    if block.kind == "table":
        if _body_text(block.text):
            w.para(doc, "body", _body_text(block.text))
        _data_table(w, block, None, width)
        return
    text = block.text
    emphasis = block.emphasis
    if clean_text(text) != text or text.strip() != text:  # offsets only hold on clean text
        text, emphasis = _body_text(text), ()
    if not text:
        return
    if block.kind in ("dash", "plus"):
        mark = "- " if block.kind == "dash" else "+ "
        w.para(doc, block.kind, text, emphasis, plain=mark)
        return
    w.para(doc, "body", text, emphasis)


def _data_table(
    w: _Writer, block: Block, widths: Sequence[int] | None, total: int = TEXT_WIDTH
) -> None:
    rows = [[clean_text(c).strip() for c in r] for r in block.rows]
    if not rows or not any(rows):
        return
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    if widths is None:
        widths = _column_widths(rows, total)
    t = w.table(widths, len(rows), borders=True)
    w.after_table = True
    covered: set[tuple[int, int]] = set()
    for r0, c0, nr, nc in block.merges:
        if r0 + nr > len(rows) or c0 + nc > ncols or (r0, c0) in covered:
            continue
        span = {(r, c) for r in range(r0, r0 + nr) for c in range(c0, c0 + nc)}
        if span & covered:
            continue
        t.cell(r0, c0).merge(t.cell(r0 + nr - 1, c0 + nc - 1))
        covered |= span - {(r0, c0)}
    head = min(block.header_rows, len(rows))
    if not head:  # say so: the reader takes a table's first row as its header otherwise
        look = OxmlElement("w:tblLook")
        look.set(qn("w:val"), "0000")
        look.set(qn("w:firstRow"), "0")
        _set_tbl_child(t._tbl.tblPr, look)
    for i, values in enumerate(rows):
        row = t.rows[i]
        if i < head:
            _repeat_header(row)
        key = "table_heading" if i < head else "table_text"
        for j, text in enumerate(values):
            if (i, j) in covered:
                continue
            cell = t.cell(i, j)
            w.first_para(cell, key, text)


KINH_GUI_LABEL_TWIPS = 1985  # the `Kính gửi:` column (3.5 cm); the recipients take the rest


def _opening_table(w: _Writer, block: Block) -> None:
    """A table before the first section: `Kính gửi:` beside its recipients as offices lay
    it out (borderless, the label right-aligned, one recipient a paragraph, body size), any
    other as a content table."""
    if not is_kinh_gui(block.rows):
        _block(w, block)
        return
    label, recipients = (clean_text(c).strip() for c in block.rows[0])
    widths = [KINH_GUI_LABEL_TWIPS, TEXT_WIDTH - KINH_GUI_LABEL_TWIPS]
    t = w.table(widths, 1, borders=False)
    w.after_table = True
    look = OxmlElement("w:tblLook")  # no header row: the reader keeps it as written
    look.set(qn("w:val"), "0000")
    look.set(qn("w:firstRow"), "0")
    _set_tbl_child(t._tbl.tblPr, look)
    lines = [x.strip() for x in recipients.split("\n") if x.strip()]
    for cell, texts, align in (
        (t.cell(0, 0), [label], WD_ALIGN_PARAGRAPH.RIGHT),
        (t.cell(0, 1), lines, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        for k, text in enumerate(texts):
            p = w.first_para(cell, "body", text) if k == 0 else w.para(cell, "body", text)
            fmt = p.paragraph_format
            fmt.alignment = align
            fmt.first_line_indent = Twips(0)
            fmt.space_before = fmt.space_after = Twips(0)
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = Twips(113)  # a little room before the recipients


def _column_widths(rows: Sequence[Sequence[str]], total: int) -> list[int]:
    """Column widths by the longest word and the amount of text each column holds: a
    `TT` column stays narrow, a `Nội dung` column gets the room."""
    ncols = len(rows[0])
    need = []
    for j in range(ncols):
        cells = [r[j] for r in rows if j < len(r)]
        longest = max((len(x) for c in cells for x in c.split()), default=1)
        amount = sum(len(c) for c in cells) / max(1, len(cells))
        need.append(max(longest * 1.2, amount, 3.0))
    scale = total / sum(need)
    widths = [max(850, round(n * scale)) for n in need]  # 1.5 cm: room for `STT`
    extra = total - sum(widths)
    widths[max(range(ncols), key=lambda k: widths[k])] += extra
    if min(widths) < 400:  # too many columns for the room: equal shares
        base = total // ncols
        widths = [base] * (ncols - 1) + [total - base * (ncols - 1)]
    return widths


def _section(w: _Writer, s: Section, depth: int) -> None:
    level = heading_level(s.number, depth)
    label = heading_label(s.number)
    title = clean_line(s.title)
    if level == 1:
        title = title.upper()
    text = f"{label} {title}".strip() if label else title
    if text:
        w.para(w.doc, f"heading{level}", text)
    for b in s.blocks:
        _block(w, b)
    for c in s.children:
        _section(w, c, depth + 1)


def _schedule(w: _Writer, plan: Plan, rows: Sequence[tuple[str, str, str, str]]) -> None:
    w.para(w.doc, "heading1", schedule_heading(plan))
    widths = (1701, 3969, 1843, TEXT_WIDTH - 1701 - 3969 - 1843)
    table = Block("table", rows=(SCHEDULE_HEADER, *(tuple(r) for r in rows)))
    _data_table(w, table, widths)


def schedule_heading(plan: Plan) -> str:
    """The schedule's heading, numbered after the last section when those are all Roman."""
    label = next_roman([clean_line(s.number).rstrip(".") for s in plan.sections])
    return f"{label}. {SCHEDULE_TITLE}" if label else SCHEDULE_TITLE


def _signature(w: _Writer, plan: Plan) -> None:
    t = w.table((SIGN_LEFT, SIGN_RIGHT), 1, borders=False)
    _cant_split(t.rows[0])
    left, right = t.rows[0].cells
    w.first_para(left, "recipients_label", "Nơi nhận:")
    for line in recipient_lines(plan.recipients):
        w.para(left, "recipient", line)
    lines = signer_lines(plan)
    s = plan.signer
    first = True
    for line in lines:
        if first:
            w.first_para(right, "signer_position", line)
            first = False
        else:
            w.para(right, "signer_position", line)
    name = clean_line(s.name)
    if first:
        w.first_para(right, "signer_name", name)
    else:
        w.para(right, "signer_name", name)


def signer_lines(plan: Plan) -> list[str]:
    """The position lines over the signature: the signer's own `lines` when it has them,
    else the prefix with the position (`KT. TRƯỞNG PHÒNG`) and the deputy position."""
    s = plan.signer
    if s.lines:
        return [x for x in (clean_line(t).upper() for t in s.lines) if x]
    position = clean_line(s.position).upper()
    head = f"{clean_line(s.prefix).upper()} {position}".strip()
    return [x for x in (head, clean_line(s.deputy_position).upper()) if x]


def _orient(sect_pr: Any, landscape: bool) -> None:
    """Turn a w:sectPr portrait or landscape (page size swapped, margins kept)."""
    pg = sect_pr.find(qn("w:pgSz"))
    if pg is None:
        pg = OxmlElement("w:pgSz")
        sect_pr.insert(0, pg)
    a, b = sorted((int(pg.get(qn("w:w")) or A4_W), int(pg.get(qn("w:h")) or A4_H)))
    pg.set(qn("w:w"), str(b if landscape else a))
    pg.set(qn("w:h"), str(a if landscape else b))
    if landscape:
        pg.set(qn("w:orient"), "landscape")
    elif qn("w:orient") in pg.attrib:
        del pg.attrib[qn("w:orient")]


def _section_break(w: _Writer, landscape: bool) -> None:
    """End the section so far (printed `landscape` or not): a paragraph holding a copy of the
    document's page set-up; what follows starts on a new page."""
    if w.sect_pr is None:
        return
    import copy

    sect = copy.deepcopy(w.sect_pr)
    _orient(sect, landscape)
    if w.section_started:  # only the first section has a first page without its number
        for title_pg in sect.findall(qn("w:titlePg")):
            sect.remove(title_pg)
    w.section_started = True
    typ = sect.find(qn("w:type"))
    if typ is not None:
        sect.remove(typ)
    p = w.para(w.doc, "body")
    insert_ppr_child(p._p.get_or_add_pPr(), sect)


def _appendices(w: _Writer, plan: Plan, charts: Sequence[tuple[str, bytes]]) -> None:
    """The plan's appendices after the signature, each landscape one on its own landscape
    section, then the charts' Phụ lục (portrait)."""
    parts: list[tuple[bool, Any]] = [(a.landscape, a) for a in plan.appendices]
    if charts:
        parts.append((False, None))
    landscape = False
    for wide, appendix in parts:
        if wide != landscape:
            _section_break(w, landscape)
            landscape = wide
        if appendix is None:
            _appendix(w, plan, charts)
            continue
        width = _text_width(w, landscape)
        w.para(w.doc, "appendix_title", clean_line(appendix.title))
        for line in appendix.subtitles:
            _subtitle(w, line)
        for block in appendix.blocks:
            _block(w, block, width)
    if w.section_started and w.sect_pr is not None:
        _orient(w.sect_pr, landscape)
        for title_pg in w.sect_pr.findall(qn("w:titlePg")):
            w.sect_pr.remove(title_pg)


def _text_width(w: _Writer, landscape: bool) -> int:
    if not landscape or w.sect_pr is None:
        return TEXT_WIDTH
    return A4_H - MARGIN_LEFT - MARGIN_RIGHT


def _subtitle(w: _Writer, line: str) -> None:
    """A line under a title: `(Kèm theo …)` italic, anything else bold, centred."""
    text = clean_line(line)
    if text:
        w.para(w.doc, "subject", text, ((0, len(text), "i" if text.startswith("(") else "b"),))


def _appendix(w: _Writer, plan: Plan, charts: Sequence[tuple[str, bytes]]) -> None:
    doc = w.doc
    w.para(doc, "appendix_title", "PHỤ LỤC")
    subject = clean_line(plan.meta.subject)
    w.para(
        doc, "subject", "Biểu đồ tiến độ thực hiện" + (f" Kế hoạch {subject}" if subject else "")
    )
    for i, (title, png) in enumerate(charts, start=1):
        if not isinstance(png, bytes | bytearray) or not bytes(png).startswith(b"\x89PNG"):
            raise ExportError(
                f"Biểu đồ “{clean_line(title)}” không phải ảnh PNG, không đưa vào được."
            )
        p = w.para(doc, "figure")
        try:
            p.add_run().add_picture(io.BytesIO(bytes(png)), width=Cm(MAX_CHART_WIDTH_CM))
        except Exception:
            raise ExportError(
                f"Biểu đồ “{clean_line(title)}” không đọc được như ảnh PNG."
            ) from None
        w.para(doc, "caption", f"Hình {i}. {clean_line(title)}")


def _page_header(w: _Writer, *, draft_mark: bool = False) -> None:
    section = w.doc.sections[-1]
    header = section.header
    header.is_linked_to_previous = False
    hdr = header._element
    for el in list(hdr):
        hdr.remove(el)
    p = header.add_paragraph(style=w.styles["page_header"])
    add_page_field(p, w.styles["page_number"])
    if draft_mark:
        first = section.first_page_header
        first.is_linked_to_previous = False
        fhdr = first._element
        for el in list(fhdr):
            fhdr.remove(el)
        first._element.append(_draft_mark_para(w))
        hdr.insert(0, _draft_mark_para(w))


def _draft_mark_para(w: _Writer) -> Any:
    """`DỰ THẢO`, bold 12 pt in a thin box, at the right of the page header (every page).

    The paragraph is a frame anchored to the right margin, so on pages 2+ it sits on the
    page number's line instead of adding a line to the header.
    """
    p = w._p("page_header", "")
    ppr = p[0]
    frame = OxmlElement("w:framePr")
    text = f"\u00a0{DRAFT_MARK}\u00a0"
    width = round((text_width_cm(text, SIZE_DRAFT_MARK, bold=True) + DRAFT_MARK_ROOM_CM) * 567)
    for key, val in (("w", str(width)), ("wrap", "around"), ("vAnchor", "text"),
                     ("hAnchor", "margin"), ("xAlign", "right"), ("y", "1")):  # fmt: skip
        frame.set(qn(f"w:{key}"), val)
    insert_ppr_child(ppr, frame)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "right")
    insert_ppr_child(ppr, jc)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    insert_ppr_child(ppr, spacing)
    r = _run(text)
    rpr = OxmlElement("w:rPr")
    for tag in ("w:b", "w:bCs"):
        rpr.append(OxmlElement(tag))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(SIZE_DRAFT_MARK * 2))
        rpr.append(el)
    bdr = OxmlElement("w:bdr")
    for key, val in (("val", "single"), ("sz", "8"), ("space", "1"), ("color", "000000")):
        bdr.set(qn(f"w:{key}"), val)
    rpr.append(bdr)
    r.insert(0, rpr)
    p.append(r)
    return p


# w:compat children that must come before w:doNotExpandShiftReturn (the schema's order)
_COMPAT_BEFORE = frozenset(
    "useSingleBorderforContiguousCells wpJustification noTabHangInd noLeading spaceForUL "
    "noColumnBalance balanceSingleByteDoubleByteWidth noExtraLineSpacing "
    "doNotLeaveBackslashAlone ulTrailSpace".split()
)

# w:settings children that come after w:compat (the schema's order)
_SETTINGS_AFTER_COMPAT = frozenset(
    "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
    "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
    "decimalSymbol listSeparator".split()
)


def keep_breaks_unstretched(doc: Any) -> None:
    """Set Word's "Don't expand character spaces on a line ending with SHIFT+RETURN"
    (w:doNotExpandShiftReturn; LibreOffice reads it too): a line the plan breaks on purpose
    (a `\n` in a block, a break the source document had) then prints as a short last line,
    not stretched across the justified paragraph. `check-docx` knows the setting (see
    `planner.nd30.body_rules`)."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        after = [c for c in settings if c.tag.split("}")[-1] in _SETTINGS_AFTER_COMPAT]
        if after:
            after[0].addprevious(compat)
        else:
            settings.append(compat)
    old = compat.find(qn("w:doNotExpandShiftReturn"))
    if old is not None:
        compat.remove(old)
    at = 0
    for i, child in enumerate(compat):
        if child.tag.split("}")[-1] in _COMPAT_BEFORE:
            at = i + 1
    compat.insert(at, OxmlElement("w:doNotExpandShiftReturn"))


def _core_properties(doc: Any, plan: Plan, today: date, approval: Approval | None) -> None:
    stamp = datetime(today.year, today.month, today.day)
    props = doc.core_properties
    props.title = clean_line(f"{plan.meta.doc_type} {plan.meta.subject}")[:255]
    props.subject = clean_line(plan.meta.subject)[:255]
    props.author = clean_line(plan.meta.authority)[:255] or "Soạn Kế hoạch"
    props.last_modified_by = "Soạn Kế hoạch"
    props.comments = clean_line(approval.line)[:255] if approval else ""
    props.content_status = "Đã duyệt" if approval else ""
    props.keywords = ""
    props.category = clean_line(plan.meta.doc_type)[:255]
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def export_docx(
    plan: Plan,
    *,
    today: date,
    template: bytes | None = None,
    schedule_rows: Sequence[tuple[str, str, str, str]] = (),
    charts: Sequence[tuple[str, bytes]] = (),
    draft_mark: bool = False,
    template_name: str = "mẫu.docx",
    approval: Approval | None = None,
) -> bytes:
    """The plan as .docx bytes following ND30; equal inputs give equal bytes.

    An `approval` (`planner.review`: who approved the plan, when, which version) is recorded in
    the file's properties, never on the printed page: status (`contentStatus`) *Đã duyệt*, the
    comments field `Đã duyệt bởi … lúc … (phiên bản …)`.

    With `draft_mark` every page header carries a boxed *DỰ THẢO* at its right (page 1 too):
    the caller sets it when the plan is not ready to sign
    (`planner.drafting.readiness.check_readiness`) and the user has not confirmed the final
    version. A user's `template` (named `template_name` in messages) is cleaned first
    (`clean_template`): nothing hostile in it reaches the document.
    """
    too_big = size_problem(plan)  # refused up front, before minutes of work
    if too_big:
        raise ExportError(f"Không xuất được văn bản Word: {too_big}. Hãy chia bảng nhỏ hơn.")
    doc = _load_template(template, template_name)
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    body.get_or_add_sectPr()  # a template without page set-up gets one
    section = doc.sections[-1]
    if template is None:
        setup_section(section)
    else:
        clamp_margins(section)
    w = _Writer(doc)
    _page_header(w, draft_mark=draft_mark)
    _header_block(w, plan)
    _title(w, plan)
    for kind, part in opening_parts(plan):
        if isinstance(part, Block):
            _opening_table(w, part)
        elif kind == "basis":
            w.para(doc, "basis", part)
        elif _body_text(part):
            w.para(doc, "body", _body_text(part))
    for s in plan.sections:
        _section(w, s, 1)
    if schedule_rows:
        _schedule(w, plan, schedule_rows)
    for text in plan.closing:
        if _body_text(text):
            w.para(doc, "body", _body_text(text))
    _signature(w, plan)
    _appendices(w, plan, charts)
    keep_breaks_unstretched(doc)
    _core_properties(doc, plan, today, approval)
    buf = io.BytesIO()
    doc.save(buf)
    return deterministic_zip(buf.getvalue(), today)


# ---------------------------------------------------------------- PDF through LibreOffice


def soffice_path() -> str | None:
    """LibreOffice's command when installed (`soffice` or `libreoffice`), else None."""
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: float = 180) -> bytes:
    """Convert .docx bytes to PDF with LibreOffice headless (a private profile per call)."""
    import subprocess
    import tempfile

    exe = soffice_path()
    if exe is None:
        raise ExportError("Máy này chưa cài LibreOffice nên chưa tạo được tệp PDF.")
    with tempfile.TemporaryDirectory(prefix="nd30-pdf-") as tmp:
        src = Path(tmp) / "ke-hoach.docx"
        src.write_bytes(data)
        cmd = [
            exe, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
            "--convert-to", "pdf", "--outdir", tmp, str(src),
        ]  # fmt: skip
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ExportError(
                "LibreOffice chuyển sang PDF quá lâu nên đã dừng; hãy thử lại."
            ) from None
        except OSError as e:
            raise ExportError(f"Không chạy được LibreOffice để tạo PDF ({e.strerror}).") from None
        pdf = Path(tmp) / "ke-hoach.pdf"
        if not pdf.exists():
            raise ExportError("LibreOffice không tạo được tệp PDF từ văn bản này.")
        return pdf.read_bytes()
