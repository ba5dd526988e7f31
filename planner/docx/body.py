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


@dataclass
class Table:
    cells: list[list[list[Para]]]  # rows → cells → paragraphs

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

    def _blocks(self, parent: Any) -> Iterator[Item]:
        for child in parent:
            tag = child.tag
            if tag == T_P:
                yield self._para(child)
            elif tag == T_TBL:
                yield self._table(child)
            elif tag in _WRAPPERS:
                yield from self._blocks(child if tag != T_SDT else _content(child))

    def _table(self, tbl: Any) -> Table:
        rows = []
        for tr in tbl.iter(T_TR):
            if _ancestor_table(tr) is not tbl:
                continue
            row = []
            for tc in tr.iter(T_TC):
                if _ancestor_row(tc) is not tr:
                    continue
                paras: list[Para] = []
                for item in self._blocks(tc):
                    if isinstance(item, Para):
                        paras.append(item)
                    else:  # nested table: its text, one cell a line
                        for r in item.cells:
                            for c in r:
                                paras.extend(c)
                row.append([p for p in paras if p.text.strip()])
            rows.append(row)
        return Table(rows)

    def _para(self, p: Any) -> Para:
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
        text = _para_text(p)
        bold = self._bold(p, sid)
        center = (jc == "center") if jc is not None else bool(self.styles.get(sid, "center"))
        heading = self.styles.get(sid, "heading") if outline is None else (outline or None)
        para = Para(clean_text(text).strip(), bold, center, heading)
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
            if label is not None and para.text:
                para = _apply_label(para, *label, ilvl)
        return para

    def _bold(self, p: Any, sid: str | None) -> bool:
        para_bold = self.styles.get(sid, "bold")
        if para_bold is None:
            para_bold = self.styles.default_bold
        seen_text = False
        for r in p.iter(T_R):
            t = "".join(x.text or "" for x in r.iter(T_T))
            if not t.strip():
                continue
            seen_text = True
            rpr = r.find(w("rPr"))
            b = None
            if rpr is not None:
                bel = rpr.find(w("b"))
                if bel is not None:
                    b = bel.get(W_VAL, "1").lower() not in FALSE_VALUES
                elif (rs := rpr.find(w("rStyle"))) is not None:
                    b = self.styles.get(rs.get(W_VAL), "bold")
            if b is None:
                b = para_bold
            if not b:
                return False
        return seen_text


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


def _para_text(p: Any) -> str:
    out: list[str] = []
    for el in p.iter(*_TEXT_TAGS):
        tag = el.tag
        if tag == T_T:
            out.append(el.text or "")
        elif tag == T_TAB:
            if el.getparent().tag == T_R:  # not a tab stop definition in pPr
                out.append("\t")
        elif tag in (T_BR, T_CR):
            out.append("\n")
        elif tag == T_NBH:
            out.append("-")
        elif tag == T_SYM:
            try:
                code = int(el.get(w("char"), ""), 16)
            except ValueError:
                continue
            out.append(chr(code - 0xF000 if code >= 0xF000 else code))
        elif tag == T_P and el is not p:  # a paragraph in a text box
            out.append("\n")
    return "".join(out)


def _apply_label(para: Para, label: str, fmt: str, ilvl: int) -> Para:
    if fmt == "bullet":
        mark = "+" if label.strip() == "+" else "-"
        if label.strip() not in ("+", "-", "–", "—") and ilvl >= 1:
            mark = "+"
        return replace(para, text=f"{mark} {para.text}", auto=True)
    label = label.strip()
    if not label:
        return para
    return replace(para, text=f"{label} {para.text}", auto=True)


def read_body(doc: Any) -> list[Item]:
    """Paragraphs and tables of a python-docx Document's body, in order."""
    return BodyReader(doc).items()
