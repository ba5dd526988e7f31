"""Low-level WordprocessingML helpers shared by the exporter and the template builder."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

# Page set-up inside ND30's ranges (twips: 1 mm = 56.7 twips).
A4_W, A4_H = 11906, 16838
MARGIN_TOP = MARGIN_BOTTOM = 1134  # 20 mm (20-25 mm allowed)
MARGIN_LEFT = 1701  # 30 mm (30-35 mm)
MARGIN_RIGHT = 851  # 15 mm (15-20 mm); 850 twips would be 14.99 mm
HEADER_DISTANCE = 567  # 10 mm: the page number sits in the top margin
MARGIN_RANGES = {  # twips, inclusive, with ~0.2 mm slack for rounding
    "top": (1122, 1430),
    "bottom": (1122, 1430),
    "left": (1690, 1995),
    "right": (840, 1145),
}

# The order of a paragraph's properties (CT_PPrBase), for elements python-docx doesn't place.
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _local(el: Any) -> str:
    return str(el.tag).rsplit("}", 1)[-1]


def insert_ppr_child(ppr: Any, child: Any) -> Any:
    """Put `child` into a w:pPr at the place the schema wants it (replacing one of its kind)."""
    name = _local(child)
    for old in ppr.findall(qn("w:" + name)):
        ppr.remove(old)
    rank = _PPR_ORDER.index(name)
    for i, el in enumerate(ppr):
        if _local(el) in _PPR_ORDER and _PPR_ORDER.index(_local(el)) > rank:
            ppr.insert(i, child)
            return child
    ppr.append(child)
    return child


def set_fonts(rpr: Any, font: str) -> None:
    """Set every font slot of a w:rPr (ascii, hAnsi, eastAsia, cs); drop theme fonts."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def set_bottom_border(ppr: Any, *, size: int = 6) -> None:
    """A solid rule under the paragraph (size in eighths of a point)."""
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    pbdr.append(bottom)
    insert_ppr_child(ppr, pbdr)


def add_page_field(paragraph: Any, char_style: Any | None = None) -> None:
    """Append a PAGE field (complex field, placeholder text "2") to a paragraph."""

    def run(kind: str, text: str = "") -> None:
        r = paragraph.add_run()
        if char_style is not None:
            r.style = char_style
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    run("begin")
    run("instr", " PAGE ")
    run("separate")
    run("text", "2")
    run("end")


def setup_section(section: Any) -> None:
    """A4 portrait, ND30 margins, header distance, different first page."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Twips(A4_W)
    section.page_height = Twips(A4_H)
    section.top_margin = Twips(MARGIN_TOP)
    section.bottom_margin = Twips(MARGIN_BOTTOM)
    section.left_margin = Twips(MARGIN_LEFT)
    section.right_margin = Twips(MARGIN_RIGHT)
    section.header_distance = Twips(HEADER_DISTANCE)
    section.footer_distance = Twips(HEADER_DISTANCE)
    section.gutter = Twips(0)
    section.different_first_page_header_footer = True


def clamp_margins(section: Any) -> None:
    """Keep A4 portrait and pull each margin of a user's template into ND30's range."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Twips(A4_W)
    section.page_height = Twips(A4_H)
    defaults = {
        "top": MARGIN_TOP,
        "bottom": MARGIN_BOTTOM,
        "left": MARGIN_LEFT,
        "right": MARGIN_RIGHT,
    }
    for side, (lo, hi) in MARGIN_RANGES.items():
        current = getattr(section, f"{side}_margin")
        tw = current.twips if current is not None else defaults[side]
        if not lo <= tw <= hi:
            tw = defaults[side]
        setattr(section, f"{side}_margin", Twips(tw))
    section.different_first_page_header_footer = True


def deterministic_zip(data: bytes, day: date) -> bytes:
    """Rewrite a .docx zip with every entry stamped `day`: equal input, equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
