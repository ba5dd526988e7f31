"""The body of a .docx as a list of paragraphs and tables, with all their text.

python-docx's `.text` skips text inside smart tags, content controls, tracked insertions,
hyperlinks and simple fields, and knows nothing of Word's automatic numbering. This module
walks every `w:t` itself (block-level content controls and custom XML included, deleted text
and the fallback copy of alternate content left out) and puts the label Word would show in
front of each numbered paragraph (`docx_numbering`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from planner.docx.word_numbering import FALSE_VALUES, W_VAL, Numbering, Styles, w
from planner.text.clean import clean_text

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
T_P, T_TBL, T_TR, T_TC, T_SDT, T_SDT_CONTENT, T_CUSTOM_XML = (
    w("p"),
    w("tbl"),
    w("tr"),
    w("tc"),
    w("sdt"),
    w("sdtContent"),
    w("customXml"),
)
T_T, T_TAB, T_BR, T_CR, T_NBH, T_SH, T_SYM, T_R = (
    w("t"),
    w("tab"),
    w("br"),
    w("cr"),
    w("noBreakHyphen"),
    w("softHyphen"),
    w("sym"),
    w("r"),
)
_TEXT_TAGS = (T_T, T_TAB, T_BR, T_CR, T_NBH, T_SH, T_SYM, T_P)
# Block-level wrappers whose paragraphs and tables are part of the body.
_WRAPPERS = (
    T_SDT,
    T_SDT_CONTENT,
    T_CUSTOM_XML,
    w("ins"),
    w("moveTo"),
    f"{{{MC_NS}}}AlternateContent",
    f"{{{MC_NS}}}Choice",
)


@dataclass
class Para:
    text: str
    bold: bool = False
    center: bool = False
    heading: int | None = None  # outline level from a Heading style / outlineLvl
    auto: bool = False  # the label comes from Word's numbering
    italic: bool = False
    # bold/italic spans of `text` when only part of it is emphasised: (start, end, style)
    spans: tuple[tuple[int, int, str], ...] = ()
    # the paragraph ends a section (holds a w:sectPr): True when that section is landscape
    section_end: bool | None = None


@dataclass
class Table:
    cells: list[list[list[Para]]]  # rows → cells → paragraphs (a full grid, merges spread)
    header_rows: int = 0  # rows marked to repeat as the header (w:tblHeader)
    merges: tuple[tuple[int, int, int, int], ...] = ()  # (row, col, rows, cols)
    no_header: bool = False  # the table says its first row is no header (tblLook firstRow=0)

    def rows(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple("\n".join(p.text for p in cell) for cell in row) for row in self.cells)


Item = Para | Table


class BodyReader:
    def __init__(self, doc: Any) -> None:
        part = doc.part
        styles_el = None
        try:
            styles_el = part.styles.element
        except (AttributeError, KeyError, NotImplementedError):
            styles_el = None
        self.styles = Styles(styles_el)
        numbering_el = None
        try:
            numbering_el = part.numbering_part.element
        except (AttributeError, KeyError, NotImplementedError):
            numbering_el = None
        self.numbering = Numbering(numbering_el, self.styles)
        self.body = doc.element.body
        # Alternate renderings hold a second copy of the same text; deleted/moved-away text
        # is not part of the document any more.
        for tag in (f"{{{MC_NS}}}Fallback", w("del"), w("moveFrom")):
            for el in list(self.body.iter(tag)):
                parent = el.getparent()
                if parent is not None:
                    parent.remove(el)

    def items(self) -> list[Item]:
        return list(self._blocks(self.body))

    def last_landscape(self) -> bool:
        """Whether the document's last section (the body's own w:sectPr) is landscape."""
        sect = self.body.find(w("sectPr"))
        return sect is not None and _landscape(sect)

    def _blocks(self, parent: Any, in_cell: bool = False) -> Iterator[Item]:
        for child in parent:
            tag = child.tag
            if tag == T_P:
                yield self._para(child, in_cell)
            elif tag == T_TBL:
                yield self._table(child)
            elif tag in _WRAPPERS:
                yield from self._blocks(child if tag != T_SDT else _content(child), in_cell)

    def _table(self, tbl: Any) -> Table:
        rows: list[list[list[Para]]] = []
        header = 0
        # (row, col) of the cell that opened a vertical merge still running in column col
        open_v: dict[int, tuple[int, int]] = {}
        spans: dict[tuple[int, int], list[int]] = {}  # origin -> [rows, cols]
        for tr in tbl.iter(T_TR):
            if _ancestor_table(tr) is not tbl:
                continue
            r = len(rows)
            tr_pr = tr.find(w("trPr"))
            if tr_pr is not None and tr_pr.find(w("tblHeader")) is not None and header == r:
                header += 1
            row: list[list[Para]] = []
            for tc in tr.iter(T_TC):
                if _ancestor_row(tc) is not tr:
                    continue
                tc_pr = tc.find(w("tcPr"))
                span, vmerge = 1, None
                if tc_pr is not None:
                    gs = tc_pr.find(w("gridSpan"))
                    if gs is not None and (gs.get(W_VAL) or "").isdecimal():
                        span = max(1, min(int(gs.get(W_VAL)), 63))
                    vm = tc_pr.find(w("vMerge"))
                    if vm is not None:
                        vmerge = vm.get(W_VAL) or "continue"
                c = len(row)
                paras: list[Para] = []
                for item in self._blocks(tc, in_cell=True):
                    if isinstance(item, Para):
                        paras.append(item)
                    else:  # nested table: its text, one cell a line
                        for nr in item.cells:
                            for nc in nr:
                                paras.extend(nc)
                paras = [p for p in paras if p.text.strip()]
                if vmerge == "continue" and c in open_v:
                    origin = open_v[c]
                    spans[origin][0] = r - origin[0] + 1
                    row.extend([] for _ in range(span))
                    continue
                if vmerge == "restart":
                    open_v[c] = (r, c)
                else:
                    open_v.pop(c, None)
                if span > 1 or vmerge == "restart":
                    spans[(r, c)] = [1, span]
                row.append(paras)
                row.extend([] for _ in range(span - 1))
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            row.extend([] for _ in range(width - len(row)))
        merges = tuple((r, c, n, m) for (r, c), (n, m) in sorted(spans.items()) if n > 1 or m > 1)
        look = tbl.find(f"{w('tblPr')}/{w('tblLook')}")
        no_header = look is not None and (look.get(w("firstRow")) or "").lower() in FALSE_VALUES
        return Table(rows, header, merges, no_header)

    def _para(self, p: Any, in_cell: bool = False) -> Para:
        ppr = p.find(w("pPr"))
        sid = None
        num: tuple[str, str | None] | None = None
        jc = None
        outline = None
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            if ps is not None:
                sid = ps.get(W_VAL)
            npr = ppr.find(w("numPr"))
            if npr is not None:
                nid = npr.find(w("numId"))
                ilvl = npr.find(w("ilvl"))
                num = (
                    nid.get(W_VAL, "0") if nid is not None else "",
                    ilvl.get(W_VAL) if ilvl is not None else None,
                )
            jel = ppr.find(w("jc"))
            if jel is not None:
                jc = jel.get(W_VAL)
            ol = ppr.find(w("outlineLvl"))
            if ol is not None and (ol.get(W_VAL) or "").isdecimal():
                outline = int(ol.get(W_VAL)) + 1 if int(ol.get(W_VAL)) < 9 else 0
        sid = sid or self.styles.default_para
        text, spans, bold, italic = self._runs(p, sid)
        center = (jc == "center") if jc is not None else bool(self.styles.get(sid, "center"))
        heading = self.styles.get(sid, "heading") if outline is None else (outline or None)
        para = Para(text, bold, center, heading, italic=italic, spans=spans)
        if ppr is not None and (sect := ppr.find(w("sectPr"))) is not None:
            para.section_end = _landscape(sect)
        hidden = ppr is not None and ppr.find(f"{w('rPr')}/{w('vanish')}") is not None
        # numbering: direct numPr (numId may be missing → the style's), else the style's
        style_num = self.styles.get(sid, "num")
        nid, ilvl_s = None, None
        if num is not None:
            nid = num[0] or (style_num[0] if style_num else None)
            ilvl_s = num[1]
        elif style_num is not None:
            nid, ilvl_s = style_num
        if nid and nid != "0":
            if ilvl_s is None and style_num is not None:
                ilvl_s = style_num[1]
            ilvl = (
                int(ilvl_s)
                if ilvl_s and ilvl_s.isdecimal()
                else self.numbering.level_for_style(nid, sid)
            )
            label = self.numbering.label(nid, min(ilvl, 8))
            # a hidden paragraph mark hides the label too; an empty table cell (TT) shows it
            if label is not None and not hidden and (para.text or in_cell):
                para = _apply_label(para, *label, ilvl)
        return para

    def _style_of(self, r: Any, sid: str | None, tag: str) -> bool:
        rpr = r.find(w("rPr"))
        if rpr is not None:
            el = rpr.find(w(tag))
            if el is not None:
                return el.get(W_VAL, "1").lower() not in FALSE_VALUES
            rs = rpr.find(w("rStyle"))
            if rs is not None:
                v = self.styles.get(rs.get(W_VAL), "bold" if tag == "b" else "italic")
                if v is not None:
                    return bool(v)
        v = self.styles.get(sid, "bold" if tag == "b" else "italic")
        if v is None:
            v = self.styles.default_bold if tag == "b" else self.styles.default_italic
        return bool(v)

    def _runs(
        self, p: Any, sid: str | None
    ) -> tuple[str, tuple[tuple[int, int, str], ...], bool, bool]:
        """The paragraph's text (cleaned, trimmed), its emphasis spans when only part of it
        is bold or italic, and whether all of it is bold, all italic."""
        chunks: list[tuple[str, str]] = []
        cache: dict[Any, str] = {}  # keyed by the run itself: holding it keeps its proxy
        for el, piece in _text_pieces(p):
            r = el.getparent()
            while r is not None and r.tag != T_R and r is not p:
                r = r.getparent()
            style = ""
            if r is not None and r.tag == T_R:
                if r not in cache:
                    b = self._style_of(r, sid, "b")
                    i = self._style_of(r, sid, "i")
                    cache[r] = ("b" if b else "") + ("i" if i else "")
                style = cache[r]
            chunks.append((clean_text(piece), style))
        raw = "".join(c for c, _ in chunks)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        styles: list[str] = []
        for c, st in chunks:
            styles.extend(st for _ in c)
        styles = styles[lead : lead + len(text)]
        visible = [st for ch, st in zip(text, styles, strict=True) if not ch.isspace()]
        bold = bool(visible) and all("b" in st for st in visible)
        italic = bool(visible) and all("i" in st for st in visible)
        marks = [
            ("b" if "b" in st and not bold else "") + ("i" if "i" in st and not italic else "")
            for st in styles
        ]
        return text, _spans(text, marks), bold, italic


def _content(sdt: Any) -> Any:
    c = sdt.find(T_SDT_CONTENT)
    return c if c is not None else []


def _ancestor_table(el: Any) -> Any:
    for a in el.iterancestors(T_TBL):
        return a
    return None


def _ancestor_row(el: Any) -> Any:
    for a in el.iterancestors(T_TR):
        return a
    return None


def _text_pieces(p: Any) -> Iterator[tuple[Any, str]]:
    """Each text-bearing element of the paragraph with the text it shows."""
    for el in p.iter(*_TEXT_TAGS):
        tag = el.tag
        if tag == T_T:
            yield el, el.text or ""
        elif tag == T_TAB:
            if el.getparent().tag == T_R:  # not a tab stop definition in pPr
                yield el, "\t"
        elif tag in (T_BR, T_CR):
            if tag == T_CR or el.get(w("type")) in (None, "textWrapping"):
                yield el, "\n"
        elif tag == T_NBH:
            yield el, "-"
        elif tag == T_SYM:
            try:
                code = int(el.get(w("char"), ""), 16)
            except ValueError:
                continue
            yield el, chr(code - 0xF000 if code >= 0xF000 else code)
        elif tag == T_P and el is not p:  # a paragraph in a text box
            yield el, "\n"


def _para_text(p: Any) -> str:
    return "".join(piece for _, piece in _text_pieces(p))


def _spans(text: str, marks: list[str]) -> tuple[tuple[int, int, str], ...]:
    """Runs of equal marks as (start, end, style), trimmed of spaces at their ends."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and marks[j] == marks[i]:
            j += 1
        if marks[i]:
            a, b = i, j
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b, marks[i]))
        i = j
    return tuple(out)


def _landscape(sect: Any) -> bool:
    pg = sect.find(w("pgSz"))
    if pg is None:
        return False
    try:
        wide, high = int(pg.get(w("w")) or 0), int(pg.get(w("h")) or 0)
    except ValueError:
        return False
    return pg.get(w("orient")) == "landscape" or wide > high


def _apply_label(para: Para, label: str, fmt: str, ilvl: int) -> Para:
    label = label.strip()
    if not label:  # a level whose text is empty shows nothing
        return para
    if fmt == "bullet":
        mark = "+" if label == "+" else "-"
        if label not in ("+", "-", "–", "—") and ilvl >= 1:
            mark = "+"
        label = mark
    if not para.text:
        return replace(para, text=label.rstrip("."), auto=True)
    shift = len(label) + 1
    spans = tuple((a + shift, b + shift, st) for a, b, st in para.spans)
    return replace(para, text=f"{label} {para.text}", auto=True, spans=spans)


def read_body(doc: Any) -> list[Item]:
    """Paragraphs and tables of a python-docx Document's body, in order."""
    return BodyReader(doc).items()
