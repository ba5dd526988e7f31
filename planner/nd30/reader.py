"""The document as the checker reads it: `Para` records (text, resolved formatting, runs, where
it sits) for the body, each page header and footer, and the cells of their tables.

`Reader(doc)` walks the body in reading order, through tables and content controls; it reads
text in NFC (noting paragraphs typed in NFD), gives each paragraph its section, the width its
text has (its own section's text width, or its table cell, from `w:tcW` or the grid, less the
cell margins of the cell, the table or the table's style) and the rules drawn in it: thin
shapes (VML lines and shapes, DrawingML lines, inline or floating) and underlined spaces or
tabs in an otherwise empty paragraph. `segments` cuts a header line
laid out with tabs or runs of spaces into its pieces. It may import python-docx,
`planner.nd30.resolver`, `planner.nd30.metrics` and `planner.nd30.units`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from docx.oxml.ns import qn

from planner.nd30.metrics import text_width_cm, text_width_pt
from planner.nd30.resolver import Resolver, int_value
from planner.nd30.units import (
    A4_WIDTH_TWIPS,
    CELL_MARGIN_TWIPS,
    CM_PER_INCH,
    DEFAULT_FONT_SIZE_PT,
    DEFAULT_TAB_TWIPS,
    EMU_PER_CM,
    LEFT_MARGIN_TWIPS,
    PT_PER_INCH,
    PX_PER_INCH,
    RIGHT_MARGIN_TWIPS,
    RULE_MAX_HEIGHT_CM,
    TEXT_WIDTH_TWIPS,
    TWIPS_PER_CM,
    TWIPS_PER_PT,
)

_LABEL_CHARS = 48  # a paragraph quoted in a finding: at most this many characters
_R = qn("w:r")
_RUN_PARENTS = {qn("w:hyperlink"), qn("w:ins"), qn("w:smartTag"), qn("w:fldSimple")}
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_VML = "{urn:schemas-microsoft-com:vml}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PCT_FULL = 5000  # w:tcW of type pct: fiftieths of a percent of the table's width
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
    section: int = 0  # index of the document section holding it (body only)
    col: int | None = None  # first grid column of its table cell
    float_cm: list[float] = field(default_factory=list)  # floating (anchored) shapes only
    underline_cm: float = 0.0  # an underlined run of spaces or tabs drawn as a rule
    nfd: bool = False  # its text was typed decomposed (NFD); `text` is NFC

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
    return [length for length, _ in shapes(r)]


def shapes(r: Any) -> list[tuple[float, bool]]:
    """(length in cm, floating) of each thin drawn shape (a rule) in a run or paragraph:
    DrawingML frames (inline or anchored) at most `RULE_MAX_HEIGHT_CM` high or holding a
    `line` preset, VML lines, and VML shapes or rectangles that thin. A shape Word offers
    twice (`mc:AlternateContent`: a DrawingML choice and a VML fallback) counts as both,
    which only repeats its length."""
    out: list[tuple[float, bool]] = []
    for frame in r.iter(f"{_WP}inline", f"{_WP}anchor"):
        ext = frame.find(f"{_WP}extent")
        if ext is None:
            continue
        try:
            cx = int(ext.get("cx", "0"))
            cy = int(ext.get("cy", "0"))
        except ValueError:
            continue
        is_line = any(
            g.get("prst") in ("line", "straightConnector1") for g in frame.iter(f"{_A}prstGeom")
        )
        if cx > 0 and (cy <= RULE_MAX_HEIGHT_CM * EMU_PER_CM or (is_line and cy < cx / 10)):
            out.append((cx / EMU_PER_CM, frame.tag == f"{_WP}anchor"))
    grouped: set[Any] = set()
    for group in r.iter(f"{_VML}group"):
        if any(a.tag == f"{_VML}group" for a in group.iterancestors()):
            continue  # read with the outermost group
        grouped.update(group.iter(f"{_VML}line", f"{_VML}shape", f"{_VML}rect"))
        floating = _vml_floating(group)
        out.extend((length, floating) for length in _vml_group_rules(group))
    for line in r.iter(f"{_VML}line"):
        if line in grouped:
            continue
        a, b = _vml_point(line.get("from")), _vml_point(line.get("to"))
        if a is not None and b is not None and abs(b[1] - a[1]) <= abs(b[0] - a[0]) / 10:
            out.append((abs(b[0] - a[0]) / PT_PER_INCH * CM_PER_INCH, _vml_floating(line)))
    for shape in r.iter(f"{_VML}shape", f"{_VML}rect"):
        if shape in grouped:
            continue
        style = shape.get("style") or ""
        m = re.search(r"(?<![-\w])width:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", style)
        h = re.search(r"(?<![-\w])height:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", style)
        if m:
            w = _to_cm(float(m.group(1)), m.group(2) or "px")
            hh = _to_cm(float(h.group(1)), h.group(2) or "px") if h else 0.0
            if hh <= RULE_MAX_HEIGHT_CM:
                out.append((w, _vml_floating(shape)))
    return out


def _vml_style_length(style: str, key: str, bare: str = "") -> float | None:
    """A length in a VML `style` (`width:120pt`) in points; a bare number is in `bare` units
    (CSS pixels for a shape on the page) or, with `bare` "", in the parent group's
    coordinates. None when absent."""
    m = re.search(rf"(?<![-\w]){key}:\s*(-?[\d.]+)\s*(pt|in|cm|mm|px)?", style)
    if not m:
        return None
    try:
        value = float(m.group(1))
    except ValueError:
        return None
    unit = m.group(2) or bare
    return _to_cm(value, unit) / CM_PER_INCH * PT_PER_INCH if unit else value


def _vml_pair(s: str | None, default: tuple[float, float]) -> tuple[float, float]:
    """A VML pair of bare numbers (`coordsize="2000,20"`), `default` when absent or bad."""
    try:
        parts = [float(x) for x in (s or "").split(",")]
    except ValueError:
        return default
    if len(parts) != 2:
        return default
    return parts[0], parts[1]


def _vml_group_rules(group: Any) -> list[float]:
    """Lengths (cm) of the rules a VML group draws, the way old Word draws the rule under the
    header: `v:line`s (and thin shapes) in the group's own coordinates (`coordorigin`,
    `coordsize`), scaled to the group's size on the page (`style` width and height, points).
    Horizontal pieces that touch or overlap make one rule; pieces apart make one rule each
    (one group may draw the rule under the authority and the one under the Tiêu ngữ)."""
    style = group.get("style") or ""
    width = _vml_style_length(style, "width", "px")
    height = _vml_style_length(style, "height", "px") or 0.0
    if not width or width <= 0:
        return []
    origin = _vml_pair(group.get("coordorigin"), (0.0, 0.0))
    size = _vml_pair(group.get("coordsize"), (1000.0, 1000.0))
    if size[0] <= 0:
        return []
    sx = width / size[0]  # points per coordinate unit
    sy = height / size[1] if size[1] > 0 else 0.0
    spans: list[tuple[float, float]] = []

    def walk(el: Any, ox: float, oy: float, kx: float, ky: float) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{_VML}line":
                a = _vml_pair(child.get("from"), (0.0, 0.0))
                b = _vml_pair(child.get("to"), (0.0, 0.0))
                dx, dy = abs(b[0] - a[0]) * kx, abs(b[1] - a[1]) * ky
                if dx > 0 and dy <= dx / 10:
                    x0, x1 = sorted(((a[0] - ox) * kx, (b[0] - ox) * kx))
                    spans.append((x0, x1))
            elif tag in (f"{_VML}shape", f"{_VML}rect", f"{_VML}group"):
                st = child.get("style") or ""
                left = _vml_style_length(st, "left") or 0.0
                w = _vml_style_length(st, "width") or 0.0
                h = _vml_style_length(st, "height") or 0.0
                if w <= 0:
                    continue
                if tag == f"{_VML}group":
                    co = _vml_pair(child.get("coordorigin"), (0.0, 0.0))
                    cs = _vml_pair(child.get("coordsize"), (1000.0, 1000.0))
                    if cs[0] > 0 and cs[1] > 0:
                        walk(
                            child,
                            co[0] - (left - ox) * cs[0] / w,
                            co[1],
                            kx * w / cs[0],
                            ky * h / cs[1],
                        )
                elif h * ky <= RULE_MAX_HEIGHT_CM / CM_PER_INCH * PT_PER_INCH:
                    spans.append(((left - ox) * kx, (left - ox + w) * kx))

    walk(group, origin[0], origin[1], sx, sy)
    rules: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if rules and x0 <= rules[-1][1] + 0.5:  # touching (half a point): one rule
            rules[-1][1] = max(rules[-1][1], x1)
        else:
            rules.append([x0, x1])
    return [(x1 - x0) / PT_PER_INCH * CM_PER_INCH for x0, x1 in rules]


def _vml_floating(el: Any) -> bool:
    """Whether a VML shape floats (absolute position) rather than sits in the line."""
    return "position:absolute" in (el.get("style") or "").replace(" ", "")


def _to_cm(value: float, unit: str) -> float:
    return value * _CM_PER_UNIT[unit]


def _vml_point(s: str | None) -> tuple[float, float] | None:
    """A VML point ("12pt,3pt", "1in,0", "0,0") in points, or None when absent or
    unreadable; a number without a unit is in points, as Word writes them."""
    if not s:
        return None
    out: list[float] = []
    for x in s.split(","):
        m = re.fullmatch(r"\s*(-?[\d.]*)\s*(pt|in|cm|mm|px)?\s*", x)
        if not m:
            return None
        try:
            value = float(m.group(1) or 0)
        except ValueError:
            return None
        out.append(_to_cm(value, m.group(2) or "pt") / CM_PER_INCH * PT_PER_INCH)
    return (out[0], out[1] if len(out) > 1 else 0.0)


class Reader:
    """Walks a document's body, headers and footers into `Para` records."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.res = Resolver(doc)
        self.section_widths = [section_text_width(s) for s in doc.sections] or [TEXT_WIDTH_TWIPS]
        self.text_width = self.section_widths[0]
        self.tables: list[Any] = []
        self.body: list[Para] = []
        self._n = 0
        self._section = 0
        self._walk(doc.element.body, "body", self.body, self.text_width, None, None, None)

    def part(self, element: Any, part: str, width: float) -> list[Para]:
        """Paragraphs of a page header or footer (numbered from 1 within it); `width` in twips."""
        out: list[Para] = []
        saved, self._n = self._n, 0
        saved_width, self.text_width = self.text_width, width
        self._walk(element, part, out, width, None, None, None)
        self._n, self.text_width = saved, saved_width
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
                p = self._para(child, part, width, table, cell, tstyle)
                out.append(p)
                if part == "body" and table is None and _ends_section(child):
                    # The paragraph holding a w:sectPr is the last of its section.
                    self._section = min(self._section + 1, len(self.section_widths) - 1)
                    self.text_width = self.section_widths[self._section]
                    width = self.text_width
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
        table_w: float | None = None
        if tpr is not None:
            st = tpr.find(qn("w:tblStyle"))
            tstyle = st.get(qn("w:val")) if st is not None else None
            # Cell margins: Word's default, then the table style's chain, then the table's own.
            for el in [*(s.find(qn("w:tblPr")) for s in self.res.chain(tstyle)), tpr]:
                mar = el.find(qn("w:tblCellMar")) if el is not None else None
                if mar is not None:
                    mar_l = _mar(mar, ("left", "start"), mar_l)
                    mar_r = _mar(mar, ("right", "end"), mar_r)
            tw = tpr.find(qn("w:tblW"))
            if tw is not None:
                table_w = _width(tw, self.text_width)
        grid = [
            int_value(g.get(qn("w:w"))) or 0
            for g in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
        ]
        whole = table_w or float(sum(grid)) or self.text_width
        for ri, tr in enumerate(tbl.findall(qn("w:tr"))):
            trpr = tr.find(qn("w:trPr"))
            before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
            col = int_value(before.get(qn("w:val"))) or 0 if before is not None else 0
            for ci, tc in enumerate(tr.findall(qn("w:tc"))):
                tcpr = tc.find(qn("w:tcPr"))
                span = 1
                w: float | None = None
                ml, mr = mar_l, mar_r
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    if gs is not None:
                        span = max(1, int_value(gs.get(qn("w:val"))) or 1)
                    tcw = tcpr.find(qn("w:tcW"))
                    if tcw is not None:
                        w = _width(tcw, whole)
                    tmar = tcpr.find(qn("w:tcMar"))
                    if tmar is not None:
                        ml = _mar(tmar, ("left", "start"), ml)
                        mr = _mar(tmar, ("right", "end"), mr)
                if not w:
                    w = sum(grid[col : col + span]) or self.text_width / 2
                start = len(out)
                self._walk(tc, part, out, max(0, w - ml - mr), idx, (ri, ci), tstyle)
                for p in out[start:]:
                    if p.col is None:
                        p.col = col
                col += span

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
        found: list[tuple[float, bool]] = []
        brk = False
        nfd = False
        for simple in p.iter(qn("w:fldSimple")):
            fields.append(simple.get(qn("w:instr")) or "")
        for child in p:
            # A shape put in the paragraph outside any run, as some converters write it.
            if child.tag in (qn("w:pict"), "{" + _MC + "}AlternateContent"):
                found.extend(shapes(child))
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
                    found.extend(shapes(el))
            raw = "".join(parts)
            folded = unicodedata.normalize("NFC", raw) if not raw.isascii() else raw
            nfd = nfd or folded != raw
            runs.append(Run(folded, self.res.run(r, p, tstyle)))
        text = "".join(r.text for r in runs)
        para = Para(
            self._n, p, text, props, runs, part, width, table, cell, brk, fields,
            [length for length, _ in found],
        )  # fmt: skip
        para.section = self._section if part == "body" else 0
        para.float_cm = [length for length, floating in found if floating]
        para.nfd = nfd
        if not text.strip() and runs:
            para.underline_cm = underline_length(para)
        return para


def _ends_section(p: Any) -> bool:
    """Whether the w:p holds a w:sectPr (it ends a section)."""
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:sectPr")) is not None


def _width(el: Any, whole: float) -> float | None:
    """A w:tcW or w:tblW in twips: `dxa` (or no type) as it is, `pct` as a share of `whole`
    (fiftieths of a percent, or a percentage written `50%`); None for `auto`, `nil` or an
    unreadable value (the grid decides)."""
    kind = el.get(qn("w:type"))
    raw = el.get(qn("w:w")) or ""
    if kind == "pct":
        if raw.endswith("%"):
            try:
                return whole * float(raw[:-1]) / 100
            except ValueError:
                return None
        v = int_value(raw)
        return whole * v / _PCT_FULL if v else None
    if kind in (None, "dxa"):
        v = int_value(raw)
        return float(v) if v else None
    return None


def underline_length(p: Para) -> float:
    """Length (cm) of the underlined spaces and tabs of an otherwise empty paragraph (a rule
    typed as underlined blanks); 0 when none is underlined. A tab runs to the paragraph's next
    tab stop after the current position, or to the next default stop."""
    x = 0.0  # twips from the paragraph's left indent
    length = 0.0
    stops = sorted(t for t in p.props.get("tabs", ()) if t > 0)
    for r in p.runs:
        size = float(r.props.get("size", DEFAULT_FONT_SIZE_PT))
        on = bool(r.props.get("u"))
        for ch in r.text:
            if ch == "\t":
                nxt = next((t for t in stops if t > x + 1), None)
                if nxt is None:
                    nxt = (int(x // DEFAULT_TAB_TWIPS) + 1) * DEFAULT_TAB_TWIPS
                step = nxt - x
            elif ch == "\n":
                continue
            else:
                step = text_width_pt(ch, size) * TWIPS_PER_PT
            if on:
                length += step
            x += step
    return length / TWIPS_PER_CM


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
