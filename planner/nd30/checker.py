"""Conformance check of any .docx against Nghị định 30/2020/NĐ-CP (Phụ lục I).

`check_docx(data, name)` reads a Word file (through `planner.docx.safety.open_docx`) and
returns `Finding(rule, message, where)` records in Vietnamese. Formatting is resolved the way
Word does: document defaults, then the table style, the paragraph style and its `basedOn`
chain, the character style chain (bold/italic/caps are toggles: style layers flip them, direct
formatting sets them), then the run's direct formatting; theme fonts are read from the theme.

Rule references follow the numbering of the team's ND30 notes (Phụ lục I): I.1 khổ giấy,
I.3 lề, I.4 phông chữ, I.5 cỡ chữ, I.7 số trang; II.1 Quốc hiệu và Tiêu ngữ, II.2 tên cơ quan,
II.3 số và ký hiệu, II.4 địa danh và thời gian, II.5 tên loại và trích yếu, II.6 nội dung
(II.6.b viện dẫn văn bản), II.7 chức vụ, họ tên, chữ ký, II.9 nơi nhận.

What it checks (each also in the "Mistakes worth flagging" list of the notes): A4 portrait and
margins; Times New Roman in every font slot and black text everywhere (body, tables, page
headers and footers); page number in the page header, centred, 13-14 pt, not on page 1 and
not in the footer; Quốc hiệu, Tiêu ngữ (spaced hyphens, bold, upright), their rule; the
issuing authority (upper case, bold) and its rule; `Số:` and the symbol (no space, padding,
upper case); the date line (italic, comma after the place, ND30 zero-padding, no abbreviated
place name); the header lines fitting on one printed line; `KẾ HOẠCH`, the trích yếu and its
rule, no `V/v` on a kế hoạch; the Căn cứ lines (italic, one a paragraph, `;`/`.`); the body
(13-14 pt, justified, first line 1-1.27 cm, ≥ 6 pt between paragraphs, line spacing single to
1.5, upright, no manual line break in a justified paragraph); heading labels (`I.` with an
UPPER title, bold `1.`, `a)` not `a.`, no `1.1.1`, no automatic numbering); Party symbols in
the state form (`25/NQ-TW`); text in NFC; Nơi nhận (12 pt bold italic, `- …;`, final
`- Lưu: VT….`, 11 pt) and the signature (upper-case bold position, bold name not in capitals,
room to sign). Findings of one kind are grouped: one finding with a count and the first place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from docx.oxml.ns import qn

from planner.docx.safety import open_docx
from planner.errors import InputFileError
from planner.nd30.metrics import text_width_cm

FONT = "Times New Roman"
TWIPS_PER_CM = 567.0
EMU_PER_CM = 360000.0
FIT_SLACK = 1.0  # header lines: estimated width must not exceed the available width

R_PAGE = "Phụ lục I, mục I.1-I.3 (khổ giấy, lề)"
R_FONT = "Phụ lục I, mục I.4 (phông chữ)"
R_SIZE = "Phụ lục I, mục I.5 (cỡ chữ, kiểu chữ)"
R_PAGENUM = "Phụ lục I, mục I.7 (số trang)"
R_NATIONAL = "Phụ lục I, mục II.1 (Quốc hiệu và Tiêu ngữ)"
R_AUTHORITY = "Phụ lục I, mục II.2 (tên cơ quan ban hành)"
R_NUMBER = "Phụ lục I, mục II.3 (số, ký hiệu)"
R_DATE = "Phụ lục I, mục II.4 (địa danh, thời gian)"
R_TITLE = "Phụ lục I, mục II.5 (tên loại, trích yếu)"
R_BODY = "Phụ lục I, mục II.6 (nội dung văn bản)"
R_CITE = "Phụ lục I, mục II.6.b (viện dẫn văn bản)"
R_SIGN = "Phụ lục I, mục II.7 (chức vụ, họ tên người ký)"
R_RECIP = "Phụ lục I, mục II.9 (nơi nhận)"
R_LAYOUT = "Phụ lục I, mục I.6 (vị trí trình bày)"

DOC_TYPES = (
    "KẾ HOẠCH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "THÔNG BÁO",
    "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN", "BÁO CÁO", "BIÊN BẢN",
    "TỜ TRÌNH", "HỢP ĐỒNG", "CÔNG ĐIỆN", "GIẤY MỜI", "CÔNG VĂN", "GIẤY GIỚI THIỆU",
)  # fmt: skip
_TOGGLES = ("b", "i", "caps")
_THEME_SLOTS = {
    "asciiTheme": "ascii",
    "hAnsiTheme": "hAnsi",
    "eastAsiaTheme": "eastAsia",
    "cstheme": "cs",
}
_FALSE = {"0", "false", "off", "none"}
_PARTY_STATE_FORM = re.compile(
    r"\b(\d+[a-z]?)/(NQ|QĐ|CT|KL|QC|QyĐ|HD|TB|KH|CTr|BC|TTr|KHPH|CTPH)-"
    r"(TW|TƯ|TU|HU|ĐU|QU|TVTU|BCĐ|BTGTW|BDVTW|BTCTW|UBKTTW)\b"
)
_SPACED_SYMBOL = re.compile(r"\bsố\s+(\d+[a-z]?)\s+/\s*([A-ZĐ])", re.IGNORECASE)
_DOTTED_HEADING = re.compile(r"^\d+(\.\d+)+\.?\s")
_LETTER_DOT = re.compile(r"^[a-zđ]\.\s")
_BULLETS = ("•", "◦", "▪", "■", "●", "○", "", "", "", "*")
_ABBREV_PLACE = re.compile(r"\b(TP|Tp|tp|TX|Tx|T\.P)\s*\.|\bHCM\b|\bTP\s|\bTPHCM\b")


@dataclass(frozen=True)
class Finding:
    """One breach of ND30: the rule it breaks, what is wrong, and where."""

    rule: str
    message: str
    where: str


# ---------------------------------------------------------------- formatting resolution


def _on(el: Any) -> bool:
    return el.get(qn("w:val"), "true").lower() not in _FALSE


def _twips(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


class Resolver:
    """Effective run and paragraph properties, resolved like Word."""

    def __init__(self, doc: Any) -> None:
        root = doc.styles.element
        self.styles: dict[str, Any] = {}
        self.default: dict[str, str] = {}
        for s in root.findall(qn("w:style")):
            sid = s.get(qn("w:styleId"))
            if sid:
                self.styles[sid] = s
                if s.get(qn("w:default")) in ("1", "true"):
                    self.default.setdefault(s.get(qn("w:type")) or "", sid)
        self.theme = _theme_fonts(doc)
        defaults = root.find(qn("w:docDefaults"))
        self.doc_rpr: dict[str, Any] = {}
        self.doc_ppr: dict[str, Any] = {}
        if defaults is not None:
            rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
            self.doc_rpr = self.rpr_props(rpr)
            self.doc_ppr = self.ppr_props(ppr)
        self._cache: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = {}

    def chain(self, sid: str | None) -> list[Any]:
        """The style and its basedOn ancestors, root first."""
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid in self.styles and sid not in seen and len(out) < 50:
            seen.add(sid)
            s = self.styles[sid]
            out.append(s)
            based = s.find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        return out[::-1]

    def style_layer(self, sid: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(rPr, pPr) of a style with its chain merged, derived style winning."""
        key = ("s", sid or "")
        if key not in self._cache:
            r: dict[str, Any] = {}
            p: dict[str, Any] = {}
            for s in self.chain(sid):
                r.update(self.rpr_props(s.find(qn("w:rPr"))))
                p.update(self.ppr_props(s.find(qn("w:pPr"))))
            self._cache[key] = (r, p)
        return self._cache[key]

    def rpr_props(self, rpr: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if rpr is None:
            return out
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                v = fonts.get(qn(f"w:{slot}"))
                if v is not None:
                    out[f"font.{slot}"] = v
            for attr, slot in _THEME_SLOTS.items():
                v = fonts.get(qn(f"w:{attr}"))
                if v is not None:
                    out[f"font.{slot}"] = self.theme.get(v, "")
        sz = rpr.find(qn("w:sz"))
        if sz is not None and _twips(sz.get(qn("w:val"))) is not None:
            out["size"] = int(sz.get(qn("w:val"))) / 2
        for t in _TOGGLES:
            el = rpr.find(qn(f"w:{t}"))
            if el is not None:
                out[t] = _on(el)
        color = rpr.find(qn("w:color"))
        if color is not None:
            out["color"] = (color.get(qn("w:val")) or "auto", color.get(qn("w:themeColor")))
        return out

    def ppr_props(self, ppr: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if ppr is None:
            return out
        jc = ppr.find(qn("w:jc"))
        if jc is not None:
            out["jc"] = jc.get(qn("w:val"))
        ind = ppr.find(qn("w:ind"))
        if ind is not None:
            for attr, key in (
                ("firstLine", "firstLine"), ("hanging", "hanging"), ("left", "left"),
                ("start", "left"), ("right", "right"), ("end", "right"),
            ):  # fmt: skip
                v = _twips(ind.get(qn(f"w:{attr}")))
                if v is not None:
                    out[f"ind.{key}"] = v
                    if key == "firstLine":
                        out["ind.hanging"] = 0
                    if key == "hanging":
                        out["ind.firstLine"] = 0
        sp = ppr.find(qn("w:spacing"))
        if sp is not None:
            for attr in ("before", "after", "line"):
                v = _twips(sp.get(qn(f"w:{attr}")))
                if v is not None:
                    out[f"spacing.{attr}"] = v
            rule = sp.get(qn("w:lineRule"))
            if rule:
                out["spacing.lineRule"] = rule
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is not None:
            for side in ("top", "bottom"):
                el = bdr.find(qn(f"w:{side}"))
                if el is not None:
                    out[f"border.{side}"] = el.get(qn("w:val")) not in (None, "nil", "none")
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is not None and _twips(lvl.get(qn("w:val"))) is not None:
            level = _twips(lvl.get(qn("w:val")))
            out["outline"] = level if level is not None and level < 9 else None
        if ppr.find(qn("w:numPr")) is not None:
            num = ppr.find(qn("w:numPr")).find(qn("w:numId"))
            out["numbered"] = num is None or num.get(qn("w:val")) != "0"
        return out

    def paragraph(self, p: Any, table_style: str | None) -> dict[str, Any]:
        ppr = p.find(qn("w:pPr"))
        sid = self._pstyle(ppr)
        props = dict(self.doc_ppr)
        if table_style:
            props.update(self.style_layer(table_style)[1])
        props.update(self.style_layer(sid)[1])
        props.update(self.ppr_props(ppr))
        props["style"] = sid
        return props

    def _pstyle(self, ppr: Any) -> str | None:
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            if ps is not None:
                style_id: str | None = ps.get(qn("w:val"))
                return style_id
        return self.default.get("paragraph")

    def run(self, r: Any, p: Any, table_style: str | None) -> dict[str, Any]:
        ppr = p.find(qn("w:pPr"))
        rpr = r.find(qn("w:rPr"))
        rsid = None
        if rpr is not None and rpr.find(qn("w:rStyle")) is not None:
            rsid = rpr.find(qn("w:rStyle")).get(qn("w:val"))
        layers = []
        if table_style:
            layers.append(self.style_layer(table_style)[0])
        layers.append(self.style_layer(self._pstyle(ppr))[0])
        if rsid:
            layers.append(self.style_layer(rsid)[0])
        props = dict(self.doc_rpr)
        for layer in layers:
            for k, v in layer.items():
                if k in _TOGGLES:
                    props[k] = bool(props.get(k, False)) ^ bool(v)
                else:
                    props[k] = v
        props.update(self.rpr_props(rpr))
        return props


def _theme_fonts(doc: Any) -> dict[str, str]:
    """Theme font names by the keys WordprocessingML uses (minorHAnsi, majorEastAsia...)."""
    out: dict[str, str] = {}
    try:
        part = doc.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        )
    except (KeyError, ValueError):
        return out
    from lxml import etree

    try:
        root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return out
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for kind in ("major", "minor"):
        el = root.find(f".//{a}{kind}Font")
        if el is None:
            continue
        for tag, suffix in (("latin", "HAnsi"), ("ea", "EastAsia"), ("cs", "Bidi")):
            f = el.find(f"{a}{tag}")
            name = f.get("typeface", "") if f is not None else ""
            out[f"{kind}{suffix}"] = name
        out[f"{kind}Ascii"] = out.get(f"{kind}HAnsi", "")
    return out


# ---------------------------------------------------------------- the document as records


@dataclass
class Run:
    text: str
    props: dict[str, Any]


@dataclass
class Para:
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
        return not self.text.strip()

    def text_runs(self) -> list[Run]:
        return [r for r in self.runs if r.text.strip()]

    def all_(self, key: str) -> bool:
        runs = self.text_runs()
        return bool(runs) and all(r.props.get(key, False) for r in runs)

    def any_(self, key: str) -> bool:
        return any(r.props.get(key, False) for r in self.text_runs())

    def sizes(self) -> set[float]:
        return {float(r.props.get("size", 10)) for r in self.text_runs()}

    def label(self) -> str:
        t = " ".join(self.text.split())
        t = t if len(t) <= 48 else t[:45] + "…"
        return f"đoạn {self.n} “{t}”" if t else f"đoạn {self.n}"

    def line_width_cm(self) -> float:
        ind = self.props.get("ind.left", 0) + self.props.get("ind.right", 0)
        return max(0.0, float(self.width_twips - ind) / TWIPS_PER_CM)

    def est_width_cm(self) -> float:
        runs = self.text_runs() or self.runs
        total = 0.0
        for r in runs:
            total += text_width_cm(
                r.text.upper() if r.props.get("caps") else r.text,
                float(r.props.get("size", 10)),
                bold=bool(r.props.get("b")),
                italic=bool(r.props.get("i")),
            )
        return total


_R = qn("w:r")
_RUN_PARENTS = {qn("w:hyperlink"), qn("w:ins"), qn("w:smartTag"), qn("w:fldSimple")}


def _iter_runs(p: Any) -> Iterator[Any]:
    for child in p:
        if child.tag == _R:
            yield child
        elif child.tag in _RUN_PARENTS:
            yield from _iter_runs(child)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _iter_runs(content)


def _shape_lengths(r: Any) -> list[float]:
    """Lengths (cm) of drawn shapes in a run: DrawingML extents and VML lines/shapes."""
    out: list[float] = []
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    for ext in r.iter(f"{wp}extent"):
        try:
            cx = int(ext.get("cx", "0"))
            cy = int(ext.get("cy", "0"))
        except ValueError:
            continue
        if cx > 0 and cy <= 0.15 * EMU_PER_CM:
            out.append(cx / EMU_PER_CM)
    v = "{urn:schemas-microsoft-com:vml}"
    for line in r.iter(f"{v}line"):
        a, b = _vml_point(line.get("from")), _vml_point(line.get("to"))
        if a is not None and b is not None:
            out.append(abs(b[0] - a[0]) / 72 * 2.54)
    for shape in r.iter(f"{v}shape", f"{v}rect"):
        m = re.search(r"width:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", shape.get("style") or "")
        h = re.search(r"height:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", shape.get("style") or "")
        if m:
            w = _to_cm(float(m.group(1)), m.group(2) or "px")
            hh = _to_cm(float(h.group(1)), h.group(2) or "px") if h else 0.0
            if hh <= 0.15:
                out.append(w)
    return out


def _to_cm(value: float, unit: str) -> float:
    return value * {"pt": 2.54 / 72, "in": 2.54, "cm": 1.0, "mm": 0.1, "px": 2.54 / 96}[unit]


def _vml_point(s: str | None) -> tuple[float, float] | None:
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
        self.text_width = _section_text_width(doc.sections[-1]) if len(doc.sections) else 9355.0
        self.tables: list[Any] = []
        self.body: list[Para] = []
        self._n = 0
        self._walk(doc.element.body, "body", self.body, self.text_width, None, None, None)

    def part(self, element: Any, part: str, width: float) -> list[Para]:
        """Paragraphs of a page header or footer (numbered from 1 within it)."""
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
                self._table(child, part, out, idx, tstyle)
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self._walk(content, part, out, width, table, cell, tstyle)

    def _table(self, tbl: Any, part: str, out: list[Para], idx: int | None, _: Any) -> None:
        tpr = tbl.find(qn("w:tblPr"))
        tstyle = None
        mar_l = mar_r = 108
        if tpr is not None:
            st = tpr.find(qn("w:tblStyle"))
            tstyle = st.get(qn("w:val")) if st is not None else None
            mar = tpr.find(qn("w:tblCellMar"))
            if mar is not None:
                mar_l = _mar(mar, ("left", "start"), mar_l)
                mar_r = _mar(mar, ("right", "end"), mar_r)
        grid = [
            _twips(g.get(qn("w:w"))) or 0
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
                        span = _twips(gs.get(qn("w:val"))) or 1
                    tcw = tcpr.find(qn("w:tcW"))
                    if tcw is not None and tcw.get(qn("w:type")) in (None, "dxa"):
                        w = _twips(tcw.get(qn("w:w")))
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
        for r in _iter_runs(p):
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
                    shapes.extend(_shape_lengths(el))
            runs.append(Run("".join(parts), self.res.run(r, p, tstyle)))
        text = "".join(r.text for r in runs)
        return Para(self._n, p, text, props, runs, part, width, table, cell, brk, fields, shapes)


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _mar(el: Any, names: tuple[str, ...], default: int) -> int:
    for n in names:
        m = el.find(qn(f"w:{n}"))
        if m is not None:
            v = _twips(m.get(qn("w:w")))
            if v is not None:
                return v
    return default


def _section_text_width(sect: Any) -> float:
    try:
        w = sect.page_width.twips if sect.page_width is not None else 11906
        left = sect.left_margin.twips if sect.left_margin is not None else 1701
        right = sect.right_margin.twips if sect.right_margin is not None else 850
    except (AttributeError, ValueError):
        return 9355.0
    return float(max(1, w - left - right))


# ---------------------------------------------------------------- findings


class _Findings:
    """Collects findings, grouping repeats of one message into one finding with a count."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], list[str]] = {}

    def add(self, rule: str, message: str, where: str) -> None:
        self.items.setdefault((rule, message), []).append(where)

    def result(self) -> list[Finding]:
        out = []
        for (rule, message), places in self.items.items():
            where = places[0]
            if len(places) > 1:
                where = f"{where} (và {len(places) - 1} chỗ khác)"
                message = f"{message} ({len(places)} chỗ)"
            out.append(Finding(rule, message, where))
        return out


def _n(x: float) -> str:
    """A measure written the Vietnamese way: one decimal, comma as the separator."""
    return f"{x:.1f}".replace(".", ",")


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold().replace("hoà", "hòa")
    return " ".join(s.split())


def _size_in(p: Para, lo: float, hi: float) -> bool:
    return all(lo <= s <= hi for s in p.sizes())


def _sizes_text(p: Para) -> str:
    return ", ".join(f"{s:g}" for s in sorted(p.sizes())) or "?"


class Checker:
    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.rd = Reader(doc)
        self.f = _Findings()
        self.body = self.rd.body
        self.tabbed = False  # the header is laid out with tabs or spaces, not a table

    # -- driver

    def run(self) -> list[Finding]:
        self.page_setup()
        hf = self.headers_footers()
        for p in self.body + hf:
            self.fonts(p)
        header_end = self.header_block()
        body_start = self.title(header_end)
        body_start = self.bases(body_start)
        sign_table = self.signature()
        self.body_text(body_start, sign_table)
        self.citations()
        return self.f.result()

    def add(self, rule: str, message: str, where: str) -> None:
        self.f.add(rule, message, where)

    # -- page

    def page_setup(self) -> None:
        if not len(self.doc.sections):
            self.add(
                R_PAGE,
                "Văn bản không có thiết lập trang (khổ giấy, lề): Word sẽ dùng khổ và lề mặc "
                "định của máy; hãy đặt khổ A4 và lề theo quy định.",
                "cả văn bản",
            )
        for i, s in enumerate(self.doc.sections, start=1):
            where = f"phần (section) {i} của văn bản"
            w = s.page_width.twips if s.page_width is not None else 0
            h = s.page_height.twips if s.page_height is not None else 0
            if not (abs(w - 11906) <= 60 and abs(h - 16838) <= 60):
                self.add(
                    R_PAGE,
                    f"Khổ giấy không phải A4 đứng 210 × 297 mm (đang là "
                    f"{w / 56.7:.0f} × {h / 56.7:.0f} mm).",
                    where,
                )
            for side, lo, hi, label in (
                ("top", 20, 25, "trên"), ("bottom", 20, 25, "dưới"),
                ("left", 30, 35, "trái"), ("right", 15, 20, "phải"),
            ):  # fmt: skip
                m = getattr(s, f"{side}_margin")
                mm = (m.twips if m is not None else 0) / 56.7
                if not lo - 0.3 <= mm <= hi + 0.3:
                    self.add(
                        R_PAGE,
                        f"Lề {label} {_n(mm)} mm, ngoài khoảng {lo}-{hi} mm.",
                        where,
                    )

    def headers_footers(self) -> list[Para]:
        out: list[Para] = []
        page_in_header = False
        for i, s in enumerate(self.doc.sections, start=1):
            width = _section_text_width(s)
            title_pg = bool(s.different_first_page_header_footer)
            parts = [("header", s.header, "đầu trang"), ("footer", s.footer, "chân trang")]
            parts += [("header_first", s.first_page_header, "đầu trang của trang 1")]
            parts += [("footer_first", s.first_page_footer, "chân trang của trang 1")]
            if getattr(self.doc.settings, "odd_and_even_pages_header_footer", False):
                parts += [("header", s.even_page_header, "đầu trang chẵn")]
                parts += [("footer", s.even_page_footer, "chân trang chẵn")]
            for kind, hf, label in parts:
                if hf.is_linked_to_previous and i > 1:
                    continue
                if kind.endswith("_first") and not title_pg:
                    continue
                try:
                    el = hf._element
                except Exception:
                    continue
                if hf.is_linked_to_previous:
                    continue
                paras = self.rd.part(el, "footer" if "footer" in kind else "header", width)
                out.extend(paras)
                for p in paras:
                    if not any(re.search(r"\bPAGE\b", f) for f in p.fields):
                        continue
                    where = f"{label} (phần {i})"
                    if kind.startswith("footer"):
                        self.add(R_PAGENUM, "Số trang đặt ở chân trang; phải ở đầu trang.", where)
                    elif kind == "header_first" or (kind == "header" and not title_pg):
                        self.add(
                            R_PAGENUM,
                            "Số trang hiện cả ở trang 1; ND30 không đánh số trang thứ nhất "
                            "(chọn “Different First Page”).",
                            where,
                        )
                        page_in_header = True
                    else:
                        page_in_header = True
                        self._page_number_format(p, where)
        if not page_in_header and sum(len(p.text) for p in self.body) > 3500:
            self.add(
                R_PAGENUM,
                "Văn bản nhiều trang nhưng không có số trang ở đầu trang.",
                "đầu trang",
            )
        return out

    def _page_number_format(self, p: Para, where: str) -> None:
        if p.props.get("jc") not in ("center",):
            self.add(R_PAGENUM, "Số trang phải canh giữa trong lề trên.", where)
        runs = [r for r in p.runs if r.text.strip()] or p.runs
        sizes = {float(r.props.get("size", 10)) for r in runs}
        if not all(13 <= s <= 14 for s in sizes):
            self.add(
                R_PAGENUM,
                f"Số trang cỡ {', '.join(f'{s:g}' for s in sorted(sizes))}; phải cỡ 13-14.",
                where,
            )
        if any(r.props.get("i") for r in runs):
            self.add(R_PAGENUM, "Số trang phải là chữ đứng, không nghiêng.", where)

    # -- fonts and colour

    def fonts(self, p: Para) -> None:
        for r in p.text_runs():
            bad = [
                f"{slot} = {r.props.get(f'font.{slot}') or '(chưa đặt)'}"
                for slot in ("ascii", "hAnsi", "eastAsia", "cs")
                if r.props.get(f"font.{slot}") != FONT
            ]
            if bad:
                self.add(
                    R_FONT,
                    "Chữ không dùng phông Times New Roman cho mọi bộ ký tự (ascii, hAnsi, "
                    "eastAsia, cs); đang có: " + "; ".join(bad) + ".",
                    _where(p),
                )
                break
        for r in p.text_runs():
            val, theme = r.props.get("color", ("auto", None))
            black = (val or "auto").lower() in ("auto", "000000") and theme in (
                None, "text1", "dark1",
            )  # fmt: skip
            if not black:
                self.add(R_FONT, "Chữ có màu; văn bản phải in màu đen.", _where(p))
                break
        if p.text != unicodedata.normalize("NFC", p.text):
            self.add(
                R_FONT,
                "Chữ tiếng Việt ở dạng tổ hợp (NFD), không phải Unicode dựng sẵn (TCVN 6909:2001).",
                _where(p),
            )

    # -- header block

    def header_block(self) -> int:
        """Checks the header; returns the index in `body` after the header block."""
        limit = min(len(self.body), 40)
        nat = next(
            (i for i in range(limit) if "chủ nghĩa việt nam" in _fold(self.body[i].text)), None
        )
        if nat is None:
            self.add(
                R_NATIONAL,
                "Không tìm thấy Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”.",
                "đầu văn bản",
            )
            return 0
        qh = self._pick(self.body[nat], lambda t: "chủ nghĩa việt nam" in t)
        self._national(qh)
        motto_i = next(
            (
                i
                for i in range(nat, min(nat + 6, len(self.body)))
                if "hạnh phúc" in _fold(self.body[i].text)
            ),
            None,
        )
        if motto_i is None:
            self.add(
                R_NATIONAL, "Không tìm thấy Tiêu ngữ “Độc lập - Tự do - Hạnh phúc”.", qh.label()
            )
        else:
            self._motto(self._pick(self.body[motto_i], lambda t: "hạnh phúc" in t))
        table = qh.table
        in_header = [p for p in self.body if table is not None and p.table == table]
        if not in_header:
            in_header = self.body[: (motto_i or nat) + 4]
        number = next(
            (p for p in in_header if re.search(r"(^|\t|\s{4})\s*số\b", _fold(p.text))), None
        )
        date_p = next((p for p in in_header if re.search(r"ngày.*tháng.*năm", _fold(p.text))), None)
        if number is not None:
            number = self._pick(number, lambda t: bool(re.match(r"^\s*số\b", t)))
        if date_p is not None:
            date_p = self._pick(date_p, lambda t: bool(re.search(r"ngày.*tháng.*năm", t)))
        if table is None:
            cand = self._left_column(in_header, number)
        else:
            cand = [
                p
                for p in in_header
                if not p.empty
                and p.n != qh.n
                and (number is None or p.n < number.n)
                and "hạnh phúc" not in _fold(p.text)
                and (qh.cell is None or (p.cell is not None and p.cell[1] != qh.cell[1]))
            ]
        self._authority(cand)
        if self.tabbed:
            self.add(
                R_LAYOUT,
                "Phần đầu văn bản được căn bằng dấu tab hoặc dấu cách; hãy trình bày bằng bảng "
                "hai cột không viền để các dòng thẳng hàng khi in.",
                qh.label(),
            )
        if number is None:
            self.add(R_NUMBER, "Không tìm thấy dòng số, ký hiệu (“Số: …/…”).", "đầu văn bản")
        else:
            self._number(number)
        if date_p is None:
            self.add(R_DATE, "Không tìm thấy dòng địa danh, ngày tháng năm.", "đầu văn bản")
        else:
            self._date(date_p)
        last = max(p.n for p in in_header)
        return next((i for i, p in enumerate(self.body) if p.n > last), len(self.body))

    def _fits(self, p: Para, rule: str, what: str) -> None:
        if p.segment:
            return  # a piece of a tab-aligned line: its room depends on tab stops
        if p.est_width_cm() > p.line_width_cm() * FIT_SLACK + 0.01:
            self.add(
                rule,
                f"{what} dài khoảng {_n(p.est_width_cm())} cm, rộng hơn chỗ dành cho nó "
                f"({_n(p.line_width_cm())} cm): sẽ bị xuống dòng khi in; phải nằm trên một dòng.",
                p.label(),
            )

    def _national(self, p: Para) -> None:
        text = " ".join(p.text.split())
        if text != text.upper():
            self.add(R_NATIONAL, "Quốc hiệu phải viết in hoa.", p.label())
        if not p.all_("b"):
            self.add(R_NATIONAL, "Quốc hiệu phải in đậm.", p.label())
        if p.any_("i"):
            self.add(R_NATIONAL, "Quốc hiệu phải là chữ đứng.", p.label())
        if not _size_in(p, 12, 13):
            self.add(R_NATIONAL, f"Quốc hiệu cỡ {_sizes_text(p)}; phải cỡ 12-13.", p.label())
        if "\n" not in p.text:
            self._fits(p, R_NATIONAL, "Quốc hiệu")

    def _motto(self, p: Para) -> None:
        text = p.text.strip()
        if not re.fullmatch(r"Độc lập - Tự do - Hạnh phúc", unicodedata.normalize("NFC", text)):
            if re.search(r"[–—]", text):
                msg = "Tiêu ngữ phải dùng gạch nối (-) có cách chữ: “Độc lập - Tự do - Hạnh phúc”."
            elif re.search(r"\S-|-\S", text):
                msg = "Tiêu ngữ thiếu dấu cách hai bên gạch nối: “Độc lập - Tự do - Hạnh phúc”."
            else:
                msg = "Tiêu ngữ phải viết đúng “Độc lập - Tự do - Hạnh phúc”."
            self.add(R_NATIONAL, msg, p.label())
        if p.any_("i"):
            self.add(R_NATIONAL, "Tiêu ngữ phải là chữ đứng, không nghiêng.", p.label())
        if not p.all_("b"):
            self.add(R_NATIONAL, "Tiêu ngữ phải in đậm.", p.label())
        if not _size_in(p, 13, 14):
            self.add(R_NATIONAL, f"Tiêu ngữ cỡ {_sizes_text(p)}; phải cỡ 13-14.", p.label())
        self._fits(p, R_NATIONAL, "Tiêu ngữ")
        length = self._rule_under(p, R_NATIONAL)
        if length is None:
            self.add(R_NATIONAL, "Thiếu đường kẻ ngang, nét liền dưới Tiêu ngữ.", p.label())
        elif length >= 0:
            text_w = min(p.est_width_cm(), p.line_width_cm())
            if not 0.75 * text_w <= length <= 1.3 * text_w:
                self.add(
                    R_NATIONAL,
                    f"Đường kẻ dưới Tiêu ngữ dài {_n(length)} cm; phải dài bằng dòng chữ "
                    f"(khoảng {_n(text_w)} cm).",
                    p.label(),
                )

    def _rule_under(self, p: Para, rule: str = R_BODY) -> float | None:
        """Length (cm) of the rule under `p`: its border, the next paragraph's, or a shape.

        None when there is none; -1 when it is typed with characters (`-----`, `____`), which
        is reported here since ND30 wants a solid line.
        """
        if p.props.get("border.bottom"):
            return p.line_width_cm()
        if p.shape_cm:
            return max(p.shape_cm)
        idx = next((i for i, q in enumerate(self.body) if q.n == p.n), None)
        if idx is None:
            return None
        for q in self.body[idx + 1 : idx + 3]:
            if q.table != p.table or q.cell != p.cell:
                break
            if q.shape_cm:
                return max(q.shape_cm)
            if q.empty and (q.props.get("border.bottom") or q.props.get("border.top")):
                return q.line_width_cm()
            if not q.empty:
                if q.props.get("border.top"):
                    return q.line_width_cm()
                if _TYPED_RULE.match(q.text):
                    self.add(
                        rule,
                        "Đường kẻ được gõ bằng ký tự (----, ____); phải là nét liền "
                        "(đường viền đoạn văn hoặc đường vẽ).",
                        q.label(),
                    )
                    return -1.0
                break
        return None

    def _pick(self, p: Para, pred: Callable[[str], bool]) -> Para:
        """For a header line laid out with tabs or runs of spaces, the piece `pred` accepts."""
        if p.table is not None:
            return p
        segs = _segments(p)
        if len(segs) <= 1:
            return p
        self.tabbed = True
        return next((s for s in segs if pred(_fold(s.text))), segs[0])

    def _left_column(self, header: list[Para], number: Para | None) -> list[Para]:
        """Agency lines of a header laid out without a table: the left piece of each line."""
        out = []
        for p in header:
            if number is not None and p.n >= number.n:
                break
            segs = _segments(p)
            piece = segs[0] if segs else p
            folded = _fold(piece.text)
            if piece.empty or "chủ nghĩa việt nam" in folded or "hạnh phúc" in folded:
                continue
            if _TYPED_RULE.match(piece.text):
                continue
            if re.match(r"^\s*số\b", folded):
                break
            out.append(piece)
        return out

    def _authority(self, cand: list[Para]) -> None:
        if not cand:
            self.add(R_AUTHORITY, "Không tìm thấy tên cơ quan ban hành văn bản.", "đầu văn bản")
            return
        authority = cand[-1]
        for p in cand:
            flat = " ".join(p.text.split())
            if flat != flat.upper():
                self.add(R_AUTHORITY, "Tên cơ quan phải viết in hoa.", p.label())
            if not _size_in(p, 12, 13):
                self.add(R_AUTHORITY, f"Tên cơ quan cỡ {_sizes_text(p)}; phải cỡ 12-13.", p.label())
            if p.any_("i"):
                self.add(R_AUTHORITY, "Tên cơ quan phải là chữ đứng.", p.label())
        if not authority.all_("b"):
            self.add(R_AUTHORITY, "Tên cơ quan ban hành phải in đậm.", authority.label())
        if len(cand) >= 2 and not cand[-2].any_("b") and cand[0].all_("b"):
            self.add(R_AUTHORITY, "Tên cơ quan chủ quản không in đậm.", cand[0].label())
        length = self._rule_under(authority, R_AUTHORITY)
        if length is None:
            self.add(
                R_AUTHORITY,
                "Thiếu đường kẻ ngang, nét liền dưới tên cơ quan ban hành.",
                authority.label(),
            )
            return
        if length < 0:
            return
        lines = authority.text.split("\n")
        size = max(authority.sizes() or {12.0})
        text_w = max(text_width_cm(x, size, bold=True) for x in lines)
        text_w = min(text_w, authority.line_width_cm())
        if not 0.28 * text_w <= length <= 0.6 * text_w:
            self.add(
                R_AUTHORITY,
                f"Đường kẻ dưới tên cơ quan dài {_n(length)} cm; phải bằng 1/3 đến 1/2 độ dài "
                f"dòng chữ ({_n(text_w / 3)}-{_n(text_w / 2)} cm).",
                authority.label(),
            )

    def _number(self, p: Para) -> None:
        text = p.text.strip()
        if not text.startswith("Số:"):
            self.add(R_NUMBER, "Chữ “Số” viết hoa chữ S, sau có dấu hai chấm: “Số: …”.", p.label())
        m = re.match(
            r"^\s*số\s*:?\s*(?P<num>[^/]*?)(?P<gap>\s*)/(?P<gap2>\s*)(?P<sym>.*)$", text, re.I
        )
        if m:
            num, sym = m.group("num"), m.group("sym").strip()
            if num and (m.group("gap") or m.group("gap2")):
                self.add(
                    R_NUMBER,
                    "Có khoảng trắng trong số, ký hiệu (viết liền: “932/KH-PGDĐT”).",
                    p.label(),
                )
            if num.isdigit() and int(num) < 10 and len(num) == 1:
                self.add(
                    R_NUMBER, f"Số nhỏ hơn 10 phải thêm số 0 phía trước (“0{num}”).", p.label()
                )
            if any(ch.islower() for ch in sym.replace("Qy", "QY")):
                self.add(R_NUMBER, "Ký hiệu văn bản phải viết in hoa.", p.label())
        if not _size_in(p, 13, 13):
            self.add(R_NUMBER, f"Dòng số, ký hiệu cỡ {_sizes_text(p)}; phải cỡ 13.", p.label())
        if p.any_("i"):
            self.add(R_NUMBER, "Dòng số, ký hiệu phải là chữ đứng.", p.label())

    def _date(self, p: Para) -> None:
        text = unicodedata.normalize("NFC", p.text.strip())
        m = re.match(
            r"^(?P<place>.*?)(?P<comma>,?)\s*ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm",
            text,
            re.I,
        )
        if m:
            place, d, mo = m.group("place").strip(), m.group("d"), m.group("m")
            if place and not m.group("comma"):
                self.add(R_DATE, "Thiếu dấu phẩy sau địa danh.", p.label())
            if place and _ABBREV_PLACE.search(place):
                self.add(R_DATE, f"Địa danh “{place}” viết tắt; phải viết đầy đủ.", p.label())
            if d and int(d) < 10 and len(d) == 1:
                self.add(R_DATE, f"Ngày nhỏ hơn 10 phải thêm số 0 phía trước (“0{d}”).", p.label())
            if mo and int(mo) <= 2 and len(mo) == 1:
                self.add(R_DATE, f"Tháng 1, 2 phải thêm số 0 phía trước (“0{mo}”).", p.label())
            if mo and int(mo) >= 3 and mo.startswith("0"):
                self.add(
                    R_DATE, f"Tháng {int(mo)} không được thêm số 0 phía trước (“{mo}”).", p.label()
                )
        if not p.all_("i"):
            self.add(R_DATE, "Dòng địa danh, ngày tháng phải in nghiêng.", p.label())
        if not _size_in(p, 13, 14):
            self.add(
                R_DATE, f"Dòng địa danh, ngày tháng cỡ {_sizes_text(p)}; phải cỡ 13-14.", p.label()
            )
        self._fits(p, R_DATE, "Dòng địa danh, ngày tháng")

    # -- title, subject, bases

    def title(self, start: int) -> int:
        i = start
        while i < len(self.body) and (self.body[i].empty or self.body[i].table is not None):
            if self.body[i].table is not None and not self.body[i].empty and i > start + 3:
                break
            i += 1
        if i >= len(self.body):
            self.add(
                R_TITLE,
                "Không tìm thấy tên loại văn bản (ví dụ “KẾ HOẠCH”).",
                "sau phần đầu văn bản",
            )
            return start
        p = self.body[i]
        flat = " ".join(p.text.split())
        is_type = flat.upper() in DOC_TYPES or _fold(flat) in {_fold(t) for t in DOC_TYPES}
        header_text = " ".join(_fold(q.text) for q in self.body[:start])
        if not is_type:
            if "v/v" in header_text or _fold(flat).startswith("v/v"):
                return i  # a công văn: no title line
            self.add(
                R_TITLE,
                "Không tìm thấy tên loại văn bản (ví dụ “KẾ HOẠCH”) dưới phần đầu.",
                p.label(),
            )
            return i
        if flat != flat.upper():
            self.add(R_TITLE, "Tên loại văn bản phải viết in hoa.", p.label())
        if not p.all_("b"):
            self.add(R_TITLE, "Tên loại văn bản phải in đậm.", p.label())
        if p.any_("i"):
            self.add(R_TITLE, "Tên loại văn bản phải là chữ đứng.", p.label())
        if p.props.get("jc") != "center":
            self.add(R_TITLE, "Tên loại văn bản phải canh giữa.", p.label())
        if not _size_in(p, 13, 14):
            self.add(R_TITLE, f"Tên loại văn bản cỡ {_sizes_text(p)}; phải cỡ 13-14.", p.label())
        j = i + 1
        while j < len(self.body) and self.body[j].empty:
            j += 1
        if j >= len(self.body):
            return j
        s = self.body[j]
        if _fold(s.text).startswith("v/v") and _fold(flat) == "kế hoạch":
            self.add(
                R_TITLE,
                "Kế hoạch không dùng dòng “V/v”; trích yếu viết ngay dưới tên loại.",
                s.label(),
            )
        if _fold(s.text).startswith("căn cứ"):
            self.add(R_TITLE, "Thiếu trích yếu nội dung dưới tên loại văn bản.", p.label())
            return j
        if not s.all_("b"):
            self.add(R_TITLE, "Trích yếu nội dung phải in đậm.", s.label())
        if s.any_("i"):
            self.add(R_TITLE, "Trích yếu nội dung phải là chữ đứng.", s.label())
        if s.props.get("jc") != "center":
            self.add(R_TITLE, "Trích yếu nội dung phải canh giữa.", s.label())
        if not _size_in(s, 13, 14):
            self.add(R_TITLE, f"Trích yếu cỡ {_sizes_text(s)}; phải cỡ 13-14.", s.label())
        length = self._rule_under(s, R_TITLE)
        if length is None:
            self.add(R_TITLE, "Thiếu đường kẻ ngang, nét liền dưới trích yếu nội dung.", s.label())
        elif length >= 0:
            line = min(s.est_width_cm(), s.line_width_cm())
            if not 0.28 * line <= length <= 0.6 * line:
                self.add(
                    R_TITLE,
                    f"Đường kẻ dưới trích yếu dài {_n(length)} cm; phải bằng 1/3 đến 1/2 dòng "
                    f"chữ ({_n(line / 3)}-{_n(line / 2)} cm).",
                    s.label(),
                )
        k = j + 1
        while k < len(self.body) and self.body[k].empty:
            k += 1
        return k

    def bases(self, start: int) -> int:
        block = []
        i = start
        while i < len(self.body):
            p = self.body[i]
            if p.empty:
                i += 1
                continue
            if not _fold(p.text).startswith("căn cứ") or p.table is not None:
                break
            block.append(p)
            i += 1
        for k, p in enumerate(block):
            text = p.text.strip()
            last = k == len(block) - 1
            if not p.all_("i"):
                self.add(R_BODY, "Dòng “Căn cứ …” phải in nghiêng.", p.label())
            if len(re.findall(r"(?:^|[;.]\s*)căn cứ\b", _fold(text))) > 1:
                self.add(R_BODY, "Mỗi căn cứ phải là một đoạn riêng.", p.label())
            if not last and not text.endswith(";"):
                self.add(R_BODY, "Mỗi dòng căn cứ kết thúc bằng dấu chấm phẩy (;).", p.label())
            if last and text[-1:] not in (".", ","):
                self.add(
                    R_BODY,
                    "Căn cứ cuối cùng kết thúc bằng dấu chấm (.) hoặc dấu phẩy (,).",
                    p.label(),
                )
            self._body_format(p, italic_ok=True)
        return i

    # -- body

    def body_text(self, start: int, sign_table: int | None) -> None:
        for p in self.body[start:]:
            if p.table is not None:
                if sign_table is not None and p.table == sign_table:
                    break
                continue
            if p.empty or (p.props.get("style") and "Caption" in (p.props.get("style") or "")):
                continue
            if p.props.get("jc") == "center":
                continue  # titles, figures, captions, appendix headings
            text = p.text.strip()
            if p.props.get("numbered"):
                self.add(
                    R_BODY,
                    "Đánh số hoặc gạch đầu dòng tự động; số mục (I., 1., a)) và dấu -, + phải là "
                    "chữ gõ trong văn bản.",
                    p.label(),
                )
            if _DOTTED_HEADING.match(text):
                self.add(R_BODY, "Đề mục kiểu “1.1.1”; ND30 dùng I., 1., a).", p.label())
            elif _LETTER_DOT.match(text):
                self.add(R_BODY, "Điểm viết “a.”; phải viết “a)”.", p.label())
            elif re.match(r"^[IVXLC]+\.\s", text):
                head = text.split("\n")[0]
                if head != head.upper():
                    self.add(R_BODY, "Đề mục La Mã (I., II.) phải viết in hoa.", p.label())
                if not p.all_("b"):
                    self.add(R_BODY, "Đề mục La Mã (I., II.) phải in đậm.", p.label())
            elif re.match(r"^\d+\.\s", text) and len(text) < 250:
                # A heading (outline level, or a bold label with plain text after it) must be
                # bold throughout; a plain numbered sentence in the body is left alone.
                looks_heading = p.props.get("outline") is not None or p.any_("b")
                if looks_heading and not p.all_("b"):
                    self.add(R_BODY, "Đề mục số (1., 2.) phải in đậm.", p.label())
            elif re.match(r"^[a-zđ]\)\s", text) and p.any_("i"):
                self.add(R_BODY, "Điểm a), b) phải là chữ đứng.", p.label())
            elif text[:1] in _BULLETS:
                self.add(
                    R_BODY,
                    "Dùng dấu gạch (-) hoặc cộng (+) đầu dòng, không dùng ký hiệu khác.",
                    p.label(),
                )
            self._body_format(p, italic_ok=False, heading=_is_heading(text, p))

    def _body_format(self, p: Para, *, italic_ok: bool, heading: bool = False) -> None:
        if not _size_in(p, 13, 14):
            self.add(R_SIZE, "Phần nội dung phải cỡ chữ 13-14.", p.label())
        if p.props.get("jc") not in ("both", "distribute"):
            self.add(R_BODY, "Đoạn văn phải canh đều hai bên.", p.label())
        if not heading:
            first = p.props.get("ind.firstLine", 0) - p.props.get("ind.hanging", 0)
            if not 540 <= first <= 750:
                self.add(
                    R_BODY,
                    "Đoạn văn phải lùi đầu dòng 1 cm hoặc 1,27 cm.",
                    p.label(),
                )
        if p.props.get("spacing.before", 0) + p.props.get("spacing.after", 0) < 120:
            self.add(R_BODY, "Khoảng cách giữa các đoạn văn phải tối thiểu 6 pt.", p.label())
        line = p.props.get("spacing.line", 240)
        rule = p.props.get("spacing.lineRule", "auto")
        size = max(p.sizes() or {14.0})
        if rule == "auto":
            ok = 236 <= line <= 364
        else:
            ok = size * 20 * 0.95 <= line <= size * 20 * 1.8
        if not ok:
            self.add(
                R_BODY, "Khoảng cách giữa các dòng phải từ một dòng đơn đến 1,5 dòng.", p.label()
            )
        if not italic_ok and not heading and p.all_("i"):
            self.add(R_SIZE, "Phần nội dung phải là chữ đứng, không nghiêng cả đoạn.", p.label())
        if p.manual_break and p.props.get("jc") in ("both", "distribute"):
            self.add(
                R_BODY,
                "Ngắt dòng thủ công (Shift+Enter) trong đoạn canh đều: Word sẽ giãn dòng trước "
                "đó; hãy tách thành đoạn mới.",
                p.label(),
            )

    def citations(self) -> None:
        for p in self.body:
            for m in _PARTY_STATE_FORM.finditer(p.text):
                self.add(
                    R_CITE,
                    f"Ký hiệu văn bản của Đảng viết sai dạng: “{m.group(0)}”; phải là "
                    f"“{m.group(1)}-{m.group(2)}/{m.group(3)}”.",
                    p.label(),
                )
            for m in _SPACED_SYMBOL.finditer(p.text):
                self.add(R_CITE, f"Có khoảng trắng trong số, ký hiệu: “{m.group(0)}…”.", p.label())

    # -- closing

    def signature(self) -> int | None:
        label_i = next(
            (i for i, p in enumerate(self.body) if _fold(p.text).startswith("nơi nhận")), None
        )
        if label_i is None:
            self.add(R_RECIP, "Không có phần “Nơi nhận:”.", "cuối văn bản")
            return None
        lab = self.body[label_i]
        if lab.text.strip() != "Nơi nhận:":
            self.add(R_RECIP, "Viết đúng “Nơi nhận:” (chữ N hoa, có dấu hai chấm).", lab.label())
        if not (lab.all_("b") and lab.all_("i")):
            self.add(R_RECIP, "“Nơi nhận:” phải in đậm và nghiêng.", lab.label())
        if not _size_in(lab, 12, 12):
            self.add(R_RECIP, f"“Nơi nhận:” cỡ {_sizes_text(lab)}; phải cỡ 12.", lab.label())
        if (
            lab.props.get("jc") not in (None, "left", "start")
            or lab.props.get("ind.firstLine", 0) > 0
        ):
            self.add(R_RECIP, "“Nơi nhận:” phải sát lề trái.", lab.label())
        items: list[tuple[Para, str]] = []
        for p in self.body[label_i + 1 :]:
            if p.table != lab.table or p.cell != lab.cell:
                break
            if not p.empty:
                items.extend((p, line.strip()) for line in p.text.split("\n") if line.strip())
        if not items:
            self.add(R_RECIP, "Không có nơi nhận nào dưới “Nơi nhận:”.", lab.label())
        for k, (p, line) in enumerate(items):
            last = k == len(items) - 1
            if not line.startswith("-"):
                self.add(R_RECIP, "Mỗi nơi nhận bắt đầu bằng dấu gạch (-).", p.label())
            if not last and not line.endswith(";"):
                self.add(R_RECIP, "Mỗi nơi nhận kết thúc bằng dấu chấm phẩy (;).", p.label())
            if p.any_("i") or p.any_("b"):
                self.add(R_RECIP, "Tên nơi nhận phải là chữ đứng, không đậm.", p.label())
            if not _size_in(p, 11, 11):
                self.add(R_RECIP, f"Tên nơi nhận cỡ {_sizes_text(p)}; phải cỡ 11.", p.label())
        if items:
            p, line = items[-1]
            if not re.match(r"^-\s*Lưu\s*:\s*VT\b", line):
                self.add(R_RECIP, "Nơi nhận cuối cùng phải là “- Lưu: VT, …”.", p.label())
            elif not line.endswith("."):
                self.add(R_RECIP, "Dòng “Lưu: VT…” kết thúc bằng dấu chấm (.).", p.label())
        if lab.table is not None:
            self._signer([p for p in self.body if p.table == lab.table and p.cell != lab.cell])
        return lab.table

    def _signer(self, paras: list[Para]) -> None:
        filled = [p for p in paras if not p.empty]
        notes = [p for p in filled if re.fullmatch(r"\(.*\)", p.text.strip())]
        filled = [p for p in filled if p not in notes]
        if len(filled) < 2:
            self.add(R_SIGN, "Không tìm thấy chức vụ và họ tên người ký.", "bảng ký cuối văn bản")
            return
        name = filled[-1]
        for p in filled[:-1]:
            flat = " ".join(p.text.split())
            if flat != flat.upper():
                self.add(R_SIGN, "Quyền hạn, chức vụ người ký phải viết in hoa.", p.label())
            if not p.all_("b"):
                self.add(R_SIGN, "Quyền hạn, chức vụ người ký phải in đậm.", p.label())
            if not _size_in(p, 13, 14):
                self.add(R_SIGN, f"Chức vụ người ký cỡ {_sizes_text(p)}; phải cỡ 13-14.", p.label())
            if re.match(r"^(KT|TM|TL|TUQ|Q)\s", flat):
                self.add(
                    R_SIGN,
                    "Chữ viết tắt quyền hạn ký phải có dấu chấm (KT., TM., TL., TUQ., Q.).",
                    p.label(),
                )
        flat = " ".join(name.text.split())
        if flat == flat.upper() and any(ch.isalpha() for ch in flat):
            self.add(
                R_SIGN, "Họ tên người ký viết hoa chữ cái đầu, không viết in hoa cả.", name.label()
            )
        if not name.all_("b"):
            self.add(R_SIGN, "Họ tên người ký phải in đậm.", name.label())
        if not _size_in(name, 13, 14):
            self.add(
                R_SIGN, f"Họ tên người ký cỡ {_sizes_text(name)}; phải cỡ 13-14.", name.label()
            )
        pos = filled[-2]
        gap = name.props.get("spacing.before", 0) + pos.props.get("spacing.after", 0)
        between = [p for p in paras if pos.n < p.n < name.n]
        gap += sum(
            max(
                p.props.get("spacing.line", 240)
                if p.props.get("spacing.lineRule") not in (None, "auto")
                else 280,
                240,
            )
            + p.props.get("spacing.before", 0)
            + p.props.get("spacing.after", 0)
            for p in between
        )
        if notes:
            return  # "(Đã ký)" / "(Ký, đóng dấu)": a copy, the signature is marked in words
        if gap < 720 and not any(
            p.shape_cm or "graphic" in str(p.el.xml if hasattr(p.el, "xml") else "")
            for p in between
        ):
            self.add(
                R_SIGN,
                "Không chừa khoảng trống để ký và đóng dấu giữa chức vụ và họ tên.",
                name.label(),
            )


_SEPARATOR = re.compile(r"(\t| {4,})")
_TYPED_RULE = re.compile(r"^[\s\-_=─—–.]{3,}$")


def _segments(p: Para) -> list[Para]:
    """A line cut at tabs and runs of 4+ spaces into pieces, each keeping its runs' formatting."""
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


def _is_heading(text: str, p: Para) -> bool:
    return bool(
        (re.match(r"^([IVXLC]+\.|\d+\.|[a-zđ]\))\s", text) and len(text) < 250)
        or p.props.get("jc") == "center"
    )


def _where(p: Para) -> str:
    if p.part == "header":
        return f"đầu trang: {p.label()}"
    if p.part == "footer":
        return f"chân trang: {p.label()}"
    return p.label()


def check_document(doc: Any) -> list[Finding]:
    """Findings for an opened python-docx Document."""
    return Checker(doc).run()


def check_docx(data: bytes, name: str) -> list[Finding]:
    """ND30 findings for a .docx given as bytes; unreadable files raise InputFileError."""
    doc = open_docx(data, name)
    try:
        return check_document(doc)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        # A structure python-docx accepted but this checker does not understand: say so
        # plainly rather than show a traceback.
        raise InputFileError(
            f"Tệp “{name}” có cấu trúc lạ nên chưa kiểm tra được thể thức; hãy mở bằng Word "
            "và lưu lại dưới dạng .docx rồi thử lại."
        ) from None
