"""The named styles of the ND30 template (`templates/nd30-ke-hoach.docx`).

The names are stable: the exporter writes every element with one of them, a user's own
template must define them all (`planner.docx.writer.check_template`), and
`templates/build_template.py` builds our template from `STYLE_SPECS`.

| key | style name | type | used for |
|---|---|---|---|
| parent_authority | ND30 Parent Authority | paragraph | cơ quan chủ quản (12 pt, upper case) |
| authority | ND30 Authority | paragraph | cơ quan ban hành (12 pt, bold, upper case) |
| national_title | ND30 National Title | paragraph | Quốc hiệu (13 pt, bold) |
| motto | ND30 Motto | paragraph | Tiêu ngữ (14 pt, bold) |
| rule | ND30 Rule | paragraph | the short solid rules (a bottom border; length set by indents) |
| number | ND30 Number | paragraph | `Số: 932/KH-PGDĐT` (13 pt) |
| place_date | ND30 Place Date | paragraph | địa danh, ngày tháng năm (14 pt, italic) |
| doc_type | ND30 Doc Type | paragraph | `KẾ HOẠCH` (14 pt, bold) |
| subject | ND30 Subject | paragraph | trích yếu (14 pt, bold) |
| basis | ND30 Basis | paragraph | Căn cứ lines (14 pt, italic, justified) |
| body | ND30 Body | paragraph | body text (14 pt, justified, first line 1.27 cm, 6 pt after) |
| heading1 | ND30 Heading 1 | paragraph | `I.` + UPPER title, bold |
| heading2 | ND30 Heading 2 | paragraph | `1.` + title, bold |
| heading3 | ND30 Heading 3 | paragraph | `a)` + title, upright (levels 3 to 6) |
| dash | ND30 Dash Item | paragraph | `- ` items |
| plus | ND30 Plus Item | paragraph | `+ ` items |
| table_text | ND30 Table Text | paragraph | text in table cells (13 pt) |
| table_heading | ND30 Table Heading | paragraph | a table's header row (13 pt, bold, centred) |
| recipients_label | ND30 Recipients Label | paragraph | `Nơi nhận:` (12 pt, bold italic) |
| recipient | ND30 Recipient | paragraph | recipients (11 pt) |
| signer_position | ND30 Signer Position | paragraph | `KT.` + position, deputy (14 pt, bold) |
| signer_name | ND30 Signer Name | paragraph | the signer's name (14 pt, bold; room to sign above) |
| page_header | ND30 Page Header | paragraph | the page header paragraph holding the page number |
| page_number | ND30 Page Number | character | the page number (13 pt, upright) |
| appendix_title | ND30 Appendix Title | paragraph | `PHỤ LỤC` (new page, bold, centred) |
| figure | ND30 Figure | paragraph | a chart image |
| caption | ND30 Caption | paragraph | a chart's title (13 pt, italic) |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FONT = "Times New Roman"


@dataclass(frozen=True)
class StyleSpec:
    """How one style looks in our template (sizes in points, lengths in twips)."""

    key: str
    name: str
    kind: str = "paragraph"  # or "character"
    based_on: str | None = "Normal"
    size: float = 14
    bold: bool = False
    italic: bool = False
    align: str | None = None  # "center" | "both" | "left"
    first_line: int = 0  # twips
    before: int = 0  # twips
    after: int = 0  # twips
    line: int = 240  # 240ths of a line (auto rule)
    keep_next: bool = False
    outline: int | None = None
    border_bottom: bool = False
    page_break_before: bool = False


_BODY: dict[str, Any] = {"align": "both", "first_line": 720, "after": 120, "line": 276}

STYLE_SPECS: tuple[StyleSpec, ...] = (
    StyleSpec("parent_authority", "ND30 Parent Authority", size=12, align="center"),
    StyleSpec("authority", "ND30 Authority", size=12, bold=True, align="center"),
    StyleSpec("national_title", "ND30 National Title", size=13, bold=True, align="center"),
    StyleSpec("motto", "ND30 Motto", size=14, bold=True, align="center"),
    StyleSpec("rule", "ND30 Rule", size=1, align="center", before=20, border_bottom=True),
    StyleSpec("number", "ND30 Number", size=13, align="center", before=120),
    StyleSpec("place_date", "ND30 Place Date", size=14, italic=True, align="center", before=120),
    StyleSpec("doc_type", "ND30 Doc Type", bold=True, align="center", before=360, keep_next=True),
    StyleSpec("subject", "ND30 Subject", bold=True, align="center", keep_next=True),
    StyleSpec("basis", "ND30 Basis", italic=True, **_BODY),
    StyleSpec("body", "ND30 Body", **_BODY),
    StyleSpec("heading1", "ND30 Heading 1", bold=True, keep_next=True, outline=0, **_BODY),
    StyleSpec("heading2", "ND30 Heading 2", bold=True, keep_next=True, outline=1, **_BODY),
    StyleSpec("heading3", "ND30 Heading 3", keep_next=True, outline=2, **_BODY),
    StyleSpec("dash", "ND30 Dash Item", **_BODY),
    StyleSpec("plus", "ND30 Plus Item", **_BODY),
    StyleSpec("table_text", "ND30 Table Text", size=13, align="left", before=40, after=40),
    StyleSpec(
        "table_heading",
        "ND30 Table Heading",
        size=13,
        bold=True,
        align="center",
        before=40,
        after=40,
    ),
    StyleSpec(
        "recipients_label",
        "ND30 Recipients Label",
        size=12,
        bold=True,
        italic=True,
        align="left",
        before=120,
    ),
    StyleSpec("recipient", "ND30 Recipient", size=11, align="left"),
    StyleSpec("signer_position", "ND30 Signer Position", bold=True, align="center"),
    StyleSpec("signer_name", "ND30 Signer Name", bold=True, align="center", before=1680),
    StyleSpec("page_header", "ND30 Page Header", size=13, align="center"),
    StyleSpec("page_number", "ND30 Page Number", kind="character", based_on=None, size=13),
    StyleSpec(
        "appendix_title",
        "ND30 Appendix Title",
        bold=True,
        align="center",
        after=240,
        page_break_before=True,
        keep_next=True,
    ),
    StyleSpec("figure", "ND30 Figure", align="center", before=120, keep_next=True),
    StyleSpec("caption", "ND30 Caption", size=13, italic=True, align="center", after=240),
)

STYLE = {s.key: s.name for s in STYLE_SPECS}
REQUIRED_STYLES: tuple[tuple[str, str], ...] = tuple((s.name, s.kind) for s in STYLE_SPECS)
