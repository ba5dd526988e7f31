"""Build `templates/nd30-ke-hoach.docx`: the Word template that carries the ND30 look.

Run from the project root: `.venv/bin/python templates/build_template.py`.

It starts from python-docx's default document, removes every style the exporter does not use,
sets Times New Roman in every font slot (ascii, hAnsi, eastAsia, cs) of the document defaults
and of every style, black text, A4 portrait with margins inside ND30's ranges (top/bottom
20 mm, left 30 mm, right 15 mm), a different first page, and a page number (PAGE field)
centred in the page header from page 2 on. The style names and their looks are listed in
`planner/nd30/styles.py`; the output is the same bytes on every run.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Pt, RGBColor  # noqa: E402

from planner.docx.ooxml import (  # noqa: E402
    add_page_field,
    deterministic_zip,
    set_bottom_border,
    set_fonts,
    setup_section,
)
from planner.nd30.styles import FONT, STYLE, STYLE_SPECS, StyleSpec  # noqa: E402

OUT = Path(__file__).resolve().parent / "nd30-ke-hoach.docx"
KEEP = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid"}


def _fix_defaults(styles_el) -> None:  # type: ignore[no-untyped-def]
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FONT)
    rpr.get_or_add_sz().set(qn("w:val"), "28")
    rpr.find(qn("w:szCs")).set(qn("w:val"), "28")
    rpr.get_or_add_color().set(qn("w:val"), "000000")
    rpr.find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.get_or_add_spacing()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _prune_styles(doc) -> None:  # type: ignore[no-untyped-def]
    styles_el = doc.styles.element
    for style in list(doc.styles):
        if style.name not in KEEP:
            styles_el.remove(style.element)
    for style in doc.styles:
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr, FONT)
        rpr._remove_color()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)


def _add_style(doc, spec: StyleSpec) -> None:  # type: ignore[no-untyped-def]
    kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
    style = doc.styles.add_style(spec.name, kind)
    style.quick_style = True
    if spec.based_on:
        style.base_style = doc.styles[spec.based_on]
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = spec.italic
    font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element.get_or_add_rPr(), FONT)
    if spec.kind == "character":
        return
    ppr = style.element.get_or_add_pPr()
    if spec.keep_next:
        ppr.get_or_add_keepNext()
    if spec.page_break_before:
        ppr.get_or_add_pageBreakBefore()
    if spec.border_bottom:
        set_bottom_border(ppr)
    spacing = ppr.get_or_add_spacing()
    spacing.set(qn("w:before"), str(spec.before))
    spacing.set(qn("w:after"), str(spec.after))
    spacing.set(qn("w:line"), str(spec.line))
    spacing.set(qn("w:lineRule"), "auto")
    ppr.get_or_add_ind().set(qn("w:firstLine"), str(spec.first_line))
    if spec.align:
        ppr.get_or_add_jc().set(qn("w:val"), spec.align)
    if spec.outline is not None:
        ppr.get_or_add_outlineLvl().set(qn("w:val"), str(spec.outline))


def build() -> bytes:
    """The template's bytes (the same on every run)."""
    doc = Document()
    _prune_styles(doc)
    _fix_defaults(doc.styles.element)
    for spec in STYLE_SPECS:
        _add_style(doc, spec)
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    setup_section(doc.sections[0])
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    par = header.paragraphs[0]
    par.style = doc.styles[STYLE["page_header"]]
    add_page_field(par, doc.styles[STYLE["page_number"]])
    first = doc.sections[0].first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].style = doc.styles[STYLE["page_header"]]
    doc.add_paragraph("", style=doc.styles[STYLE["body"]])
    props = doc.core_properties
    props.title = "Mẫu kế hoạch theo Nghị định 30/2020/NĐ-CP"
    props.author = "Soạn Kế hoạch"
    props.last_modified_by = "Soạn Kế hoạch"
    props.revision = 1
    from datetime import datetime

    fixed = datetime(2020, 3, 5)
    props.created = fixed
    props.modified = fixed
    props.last_printed = fixed
    buf = io.BytesIO()
    doc.save(buf)
    return deterministic_zip(buf.getvalue(), fixed.date())


def main() -> int:
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
