"""The document as the checker reads it: `Para` records (text, resolved formatting, runs, where
it sits) for the body, each page header and footer, and the cells of their tables.

`Reader(doc)` walks the body in reading order, through tables and content controls; it gives
each paragraph the width its text has (section text width, or its table cell less the cell
margins) and the lengths of the thin shapes drawn in it (rules). `segments` cuts a header line
laid out with tabs or runs of spaces into its pieces. It may import python-docx,
`planner.nd30.resolver`, `planner.nd30.metrics` and `planner.nd30.units`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from docx.oxml.ns import qn

from planner.nd30.metrics import text_width_cm
from planner.nd30.resolver import Resolver, int_value
from planner.nd30.units import (
    A4_WIDTH_TWIPS,
    CELL_MARGIN_TWIPS,
    CM_PER_INCH,
    DEFAULT_FONT_SIZE_PT,
    EMU_PER_CM,
    LEFT_MARGIN_TWIPS,
    PT_PER_INCH,
    PX_PER_INCH,
    RIGHT_MARGIN_TWIPS,
    RULE_MAX_HEIGHT_CM,
    TEXT_WIDTH_TWIPS,
    TWIPS_PER_CM,
)

_LABEL_CHARS = 48  # a paragraph quoted in a finding: at most this many characters
_R = qn("w:r")
_RUN_PARENTS = {qn("w:hyperlink"), qn("w:ins"), qn("w:smartTag"), qn("w:fldSimple")}
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_VML = "{urn:schemas-microsoft-com:vml}"
_CM_PER_UNIT = {
    "pt": CM_PER_INCH / PT_PER_INCH,
    "in": CM_PER_INCH,
    "cm": 1.0,
    "mm": 0.1,
    "px": CM_PER_INCH / PX_PER_INCH,
}
_SEPARATOR = re.compile(r"(\t| {4,})")  # what lays out a line's pieces without a table


@dataclass
class Run:
    """A run's text (tabs as `\\t`, line breaks as `\\n`) and its resolved properties."""

    text: str
    props: dict[str, Any]


@dataclass
class Para:
    """One paragraph: its text, resolved properties (see `Resolver`), runs and place."""

    n: int  # 1-based reading order over the whole part
    el: Any
    text: str
    props: dict[str, Any]
    runs: list[Run]
    part: str  # "body" | "header" | "footer"
    width_twips: float  # width available to the paragraph's text
    table: int | None = None  # index of the body-level table holding it
    cell: tuple[int, int] | None = None
    manual_break: bool = False
    fields: list[str] = field(default_factory=list)
    shape_cm: list[float] = field(default_factory=list)
    segment: bool = False  # a piece of a line laid out with tabs or spaces

    @property
    def empty(self) -> bool:
        """True when the paragraph holds only whitespace."""
        return not self.text.strip()

    def text_runs(self) -> list[Run]:
        """The runs holding visible text."""
        return [r for r in self.runs if r.text.strip()]

    def all_(self, key: str) -> bool:
        """True when every text run has the toggle `key` (`"b"`, `"i"`) on, and there is one."""
        runs = self.text_runs()
        return bool(runs) and all(r.props.get(key, False) for r in runs)

    def any_(self, key: str) -> bool:
        """True when some text run has the toggle `key` on."""
        return any(r.props.get(key, False) for r in self.text_runs())

    def sizes(self) -> set[float]:
        """The font sizes (pt) of the text runs."""
        return {float(r.props.get("size", DEFAULT_FONT_SIZE_PT)) for r in self.text_runs()}

    def label(self) -> str:
        """Where it is, for a finding: `đoạn 12 “the first words…”`."""
        t = " ".join(self.text.split())
        t = t if len(t) <= _LABEL_CHARS else t[: _LABEL_CHARS - 3] + "…"
        return f"đoạn {self.n} “{t}”" if t else f"đoạn {self.n}"

    def line_width_cm(self) -> float:
        """The width (cm) a line of this paragraph has: its room less left and right indents."""
        ind = self.props.get("ind.left", 0) + self.props.get("ind.right", 0)
        return max(0.0, float(self.width_twips - ind) / TWIPS_PER_CM)

    def est_width_cm(self) -> float:
        """The estimated printed width (cm) of the text on one line, from the font metrics."""
        runs = self.text_runs() or self.runs
        total = 0.0
        for r in runs:
            total += text_width_cm(
                r.text.upper() if r.props.get("caps") else r.text,
                float(r.props.get("size", DEFAULT_FONT_SIZE_PT)),
                bold=bool(r.props.get("b")),
                italic=bool(r.props.get("i")),
            )
        return total


def iter_runs(p: Any) -> Iterator[Any]:
    """The w:r elements of a paragraph in order, inside hyperlinks, insertions, smart tags,
    simple fields and content controls too."""
    for child in p:
        if child.tag == _R:
            yield child
        elif child.tag in _RUN_PARENTS:
            yield from iter_runs(child)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from iter_runs(content)


def shape_lengths(r: Any) -> list[float]:
    """Lengths (cm) of thin drawn shapes (rules) in a run: DrawingML extents and VML
    lines/shapes at most `RULE_MAX_HEIGHT_CM` high."""
    out: list[float] = []
    for ext in r.iter(f"{_WP}extent"):
        try:
            cx = int(ext.get("cx", "0"))
            cy = int(ext.get("cy", "0"))
        except ValueError:
            continue
        if cx > 0 and cy <= RULE_MAX_HEIGHT_CM * EMU_PER_CM:
            out.append(cx / EMU_PER_CM)
    for line in r.iter(f"{_VML}line"):
        a, b = _vml_point(line.get("from")), _vml_point(line.get("to"))
        if a is not None and b is not None:
            out.append(abs(b[0] - a[0]) / PT_PER_INCH * CM_PER_INCH)
    for shape in r.iter(f"{_VML}shape", f"{_VML}rect"):
        m = re.search(r"width:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", shape.get("style") or "")
        h = re.search(r"height:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", shape.get("style") or "")
        if m:
            w = _to_cm(float(m.group(1)), m.group(2) or "px")
            hh = _to_cm(float(h.group(1)), h.group(2) or "px") if h else 0.0
            if hh <= RULE_MAX_HEIGHT_CM:
                out.append(w)
    return out


def _to_cm(value: float, unit: str) -> float:
    return value * _CM_PER_UNIT[unit]


def _vml_point(s: str | None) -> tuple[float, float] | None:
    """A VML point ("12pt,3pt") in points, or None when absent or unreadable."""
    if not s:
        return None
    try:
        parts = [float(x.strip().rstrip("pt") or 0) for x in s.split(",")]
    except ValueError:
        return None
    return (parts[0], parts[1] if len(parts) > 1 else 0.0)


class Reader:
    """Walks a document's body, headers and footers into `Para` records."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.res = Resolver(doc)
        self.text_width = (
            section_text_width(doc.sections[-1]) if len(doc.sections) else TEXT_WIDTH_TWIPS
        )
        self.tables: list[Any] = []
        self.body: list[Para] = []
        self._n = 0
        self._walk(doc.element.body, "body", self.body, self.text_width, None, None, None)

    def part(self, element: Any, part: str, width: float) -> list[Para]:
        """Paragraphs of a page header or footer (numbered from 1 within it); `width` in twips."""
        out: list[Para] = []
        saved, self._n = self._n, 0
        self._walk(element, part, out, width, None, None, None)
        self._n = saved
        return out

    def _walk(
        self,
        container: Any,
        part: str,
        out: list[Para],
        width: float,
        table: int | None,
        cell: tuple[int, int] | None,
        tstyle: str | None,
    ) -> None:
        for child in container:
            if child.tag == qn("w:p"):
                self._n += 1
                out.append(self._para(child, part, width, table, cell, tstyle))
            elif child.tag == qn("w:tbl"):
                idx = table
                if part == "body" and table is None:
                    self.tables.append(child)
                    idx = len(self.tables) - 1
                self._table(child, part, out, idx)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self._walk(content, part, out, width, table, cell, tstyle)

    def _table(self, tbl: Any, part: str, out: list[Para], idx: int | None) -> None:
        tpr = tbl.find(qn("w:tblPr"))
        tstyle = None
        mar_l = mar_r = CELL_MARGIN_TWIPS
        if tpr is not None:
            st = tpr.find(qn("w:tblStyle"))
            tstyle = st.get(qn("w:val")) if st is not None else None
            mar = tpr.find(qn("w:tblCellMar"))
            if mar is not None:
                mar_l = _mar(mar, ("left", "start"), mar_l)
                mar_r = _mar(mar, ("right", "end"), mar_r)
        grid = [
            int_value(g.get(qn("w:w"))) or 0
            for g in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
        ]
        for ri, tr in enumerate(tbl.findall(qn("w:tr"))):
            col = 0
            for ci, tc in enumerate(tr.findall(qn("w:tc"))):
                tcpr = tc.find(qn("w:tcPr"))
                span = 1
                w: float | None = None
                ml, mr = mar_l, mar_r
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    if gs is not None:
                        span = int_value(gs.get(qn("w:val"))) or 1
                    tcw = tcpr.find(qn("w:tcW"))
                    if tcw is not None and tcw.get(qn("w:type")) in (None, "dxa"):
                        w = int_value(tcw.get(qn("w:w")))
                    tmar = tcpr.find(qn("w:tcMar"))
                    if tmar is not None:
                        ml = _mar(tmar, ("left", "start"), ml)
                        mr = _mar(tmar, ("right", "end"), mr)
                if not w:
                    w = sum(grid[col : col + span]) or self.text_width / 2
                col += span
                self._walk(tc, part, out, max(0, w - ml - mr), idx, (ri, ci), tstyle)

    def _para(
        self,
        p: Any,
        part: str,
        width: float,
        table: int | None,
        cell: tuple[int, int] | None,
        tstyle: str | None,
    ) -> Para:
        props = self.res.paragraph(p, tstyle)
        runs: list[Run] = []
        fields: list[str] = []
        shapes: list[float] = []
        brk = False
        for simple in p.iter(qn("w:fldSimple")):
            fields.append(simple.get(qn("w:instr")) or "")
        for r in iter_runs(p):
            parts: list[str] = []
            for el in r:
                tag = el.tag
                if tag == qn("w:t"):
                    parts.append(el.text or "")
                elif tag == qn("w:tab"):
                    parts.append("\t")
                elif tag in (qn("w:br"), qn("w:cr")):
                    if el.get(qn("w:type")) in (None, "textWrapping"):
                        parts.append("\n")
                        brk = True
                elif tag == qn("w:instrText"):
                    fields.append(el.text or "")
                elif tag in (qn("w:drawing"), qn("w:pict"), "{" + _MC + "}AlternateContent"):
                    shapes.extend(shape_lengths(el))
            runs.append(Run("".join(parts), self.res.run(r, p, tstyle)))
        text = "".join(r.text for r in runs)
        return Para(self._n, p, text, props, runs, part, width, table, cell, brk, fields, shapes)


def _mar(el: Any, names: tuple[str, ...], default: int) -> int:
    """A cell margin (twips) from w:tblCellMar or w:tcMar, the first of `names` present."""
    for n in names:
        m = el.find(qn(f"w:{n}"))
        if m is not None:
            v = int_value(m.get(qn("w:w")))
            if v is not None:
                return v
    return default


def section_text_width(sect: Any) -> float:
    """The text width (twips) of a python-docx Section: page width less left and right
    margins, each taken from the ND30 page when the section does not set it."""
    try:
        w = sect.page_width.twips if sect.page_width is not None else A4_WIDTH_TWIPS
        left = sect.left_margin.twips if sect.left_margin is not None else LEFT_MARGIN_TWIPS
        right = sect.right_margin.twips if sect.right_margin is not None else RIGHT_MARGIN_TWIPS
    except (AttributeError, ValueError):
        # python-docx parses w:pgSz and w:pgMar lazily: a malformed value raises here.
        return TEXT_WIDTH_TWIPS
    return float(max(1, w - left - right))


def segments(p: Para) -> list[Para]:
    """A line cut at tabs and runs of 4+ spaces into pieces, each keeping its runs' formatting
    and an equal share of the width; `[p]` for a line in one piece, `[]` for an empty one."""
    pieces: list[list[Run]] = [[]]
    for r in p.runs:
        for part in _SEPARATOR.split(r.text):
            if not part:
                continue
            if _SEPARATOR.fullmatch(part):
                if pieces[-1]:
                    pieces.append([])
            else:
                pieces[-1].append(Run(part, r.props))
    pieces = [x for x in pieces if "".join(r.text for r in x).strip()]
    if len(pieces) <= 1:
        return [p] if p.text.strip() else []
    width = p.width_twips / len(pieces)
    return [
        replace(p, runs=x, text="".join(r.text for r in x).strip(), width_twips=width, segment=True)
        for x in pieces
    ]
