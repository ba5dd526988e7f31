"""Style resolution, the way Word does it: docDefaults → table style → paragraph style chain →
character style chain → direct formatting.

`Resolver(doc)` gives each paragraph and run of a python-docx Document its effective properties
as a flat dict (`"size"` in points, `"ind.firstLine"` and `"spacing.before"` in twips, `"jc"`,
`"b"`/`"i"`/`"caps"` as booleans, `"font.ascii"` … with theme fonts read from the theme part).
Bold, italic and caps are toggles: each style layer flips them, direct formatting sets them.
It may import python-docx, lxml and `planner.nd30.units`; nothing else of the checker.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from planner.nd30.units import HALF_POINTS_PER_PT

TOGGLES = ("b", "i", "caps")  # run properties that style layers flip rather than set
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_SLOTS = {
    "asciiTheme": "ascii",
    "hAnsiTheme": "hAnsi",
    "eastAsiaTheme": "eastAsia",
    "cstheme": "cs",
}
_FALSE = {"0", "false", "off", "none"}
_MAX_STYLE_CHAIN = 50  # a basedOn chain longer than this is a loop Word would refuse
_MAX_OUTLINE_LEVEL = 8  # w:outlineLvl 9 means "body text"
_THEME_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
_DRAWINGML = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def is_on(el: Any) -> bool:
    """Whether an on/off property element (`<w:b/>`, `<w:i w:val="0"/>`) is on."""
    return el.get(qn("w:val"), "true").lower() not in _FALSE


def int_value(value: str | None) -> int | None:
    """An integer attribute (twips, half-points, a count) or None when absent or unreadable."""
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


class Resolver:
    """Effective run and paragraph properties of one document, resolved like Word."""

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
        self.theme = theme_fonts(doc)
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
        """The style `sid` and its basedOn ancestors as w:style elements, root first."""
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid in self.styles and sid not in seen and len(out) < _MAX_STYLE_CHAIN:
            seen.add(sid)
            s = self.styles[sid]
            out.append(s)
            based = s.find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
        return out[::-1]

    def style_layer(self, sid: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(run properties, paragraph properties) of a style with its chain merged, derived
        style winning; the same units as `rpr_props` and `ppr_props`."""
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
        """What one w:rPr says: `font.<slot>` names, `size` in points, the toggles as booleans,
        `color` as (hex value or "auto", theme colour or None), `u` (underlined) as a boolean."""
        out: dict[str, Any] = {}
        if rpr is None:
            return out
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for slot in FONT_SLOTS:
                v = fonts.get(qn(f"w:{slot}"))
                if v is not None:
                    out[f"font.{slot}"] = v
            for attr, slot in _THEME_SLOTS.items():
                v = fonts.get(qn(f"w:{attr}"))
                if v is not None:
                    out[f"font.{slot}"] = self.theme.get(v, "")
        sz = rpr.find(qn("w:sz"))
        if sz is not None and int_value(sz.get(qn("w:val"))) is not None:
            out["size"] = int(sz.get(qn("w:val"))) / HALF_POINTS_PER_PT
        for t in TOGGLES:
            el = rpr.find(qn(f"w:{t}"))
            if el is not None:
                out[t] = is_on(el)
        u = rpr.find(qn("w:u"))
        if u is not None:
            out["u"] = (u.get(qn("w:val")) or "single") not in ("none", "0", "false")
        color = rpr.find(qn("w:color"))
        if color is not None:
            out["color"] = (color.get(qn("w:val")) or "auto", color.get(qn("w:themeColor")))
        return out

    def ppr_props(self, ppr: Any) -> dict[str, Any]:
        """What one w:pPr says: `jc`; `ind.*` and `spacing.before`/`after` in twips;
        `spacing.line` in 240ths of a line (lineRule auto) or twips; `border.top`/`bottom`,
        `outline` (0-8 or None) and `numbered` (automatic numbering) flags, `tabs` (the tab stop
        positions, twips)."""
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
                v = int_value(ind.get(qn(f"w:{attr}")))
                if v is not None:
                    out[f"ind.{key}"] = v
                    if key == "firstLine":
                        out["ind.hanging"] = 0
                    if key == "hanging":
                        out["ind.firstLine"] = 0
        sp = ppr.find(qn("w:spacing"))
        if sp is not None:
            for attr in ("before", "after", "line"):
                v = int_value(sp.get(qn(f"w:{attr}")))
                if v is not None:
                    out[f"spacing.{attr}"] = v
            rule = sp.get(qn("w:lineRule"))
            if rule:
                out["spacing.lineRule"] = rule
        tabs = ppr.find(qn("w:tabs"))
        if tabs is not None:
            out["tabs"] = tuple(
                v
                for t in tabs.findall(qn("w:tab"))
                if t.get(qn("w:val")) not in ("clear", "bar")
                and (v := int_value(t.get(qn("w:pos")))) is not None
            )
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is not None:
            for side in ("top", "bottom"):
                el = bdr.find(qn(f"w:{side}"))
                if el is not None:
                    out[f"border.{side}"] = el.get(qn("w:val")) not in (None, "nil", "none")
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is not None and int_value(lvl.get(qn("w:val"))) is not None:
            level = int_value(lvl.get(qn("w:val")))
            out["outline"] = level if level is not None and level <= _MAX_OUTLINE_LEVEL else None
        if ppr.find(qn("w:numPr")) is not None:
            num = ppr.find(qn("w:numPr")).find(qn("w:numId"))
            out["numbered"] = num is None or num.get(qn("w:val")) != "0"
        return out

    def paragraph(self, p: Any, table_style: str | None) -> dict[str, Any]:
        """Effective paragraph properties of the w:p `p` (units as `ppr_props`), plus `style`,
        its paragraph style id."""
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
        """Effective run properties of the w:r `r` in paragraph `p` (units as `rpr_props`)."""
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
                if k in TOGGLES:
                    props[k] = bool(props.get(k, False)) ^ bool(v)
                else:
                    props[k] = v
        props.update(self.rpr_props(rpr))
        return props


def theme_fonts(doc: Any) -> dict[str, str]:
    """Theme font names by the keys WordprocessingML uses (minorHAnsi, majorEastAsia…); empty
    when the document has no theme part or it is not well-formed XML."""
    out: dict[str, str] = {}
    try:
        part = doc.part.part_related_by(_THEME_REL)
    except (KeyError, ValueError):
        return out
    try:
        root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return out
    for kind in ("major", "minor"):
        el = root.find(f".//{_DRAWINGML}{kind}Font")
        if el is None:
            continue
        for tag, suffix in (("latin", "HAnsi"), ("ea", "EastAsia"), ("cs", "Bidi")):
            f = el.find(f"{_DRAWINGML}{tag}")
            name = f.get("typeface", "") if f is not None else ""
            out[f"{kind}{suffix}"] = name
        out[f"{kind}Ascii"] = out.get(f"{kind}HAnsi", "")
    return out
