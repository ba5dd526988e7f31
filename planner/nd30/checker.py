"""Conformance check of any .docx against Nghị định 30/2020/NĐ-CP (Phụ lục I).

`check_docx(data, name)` reads a Word file (through `planner.docx.safety.open_docx`) and
returns `findings.Finding(rule, message, where)` records in Vietnamese. This module is the
driver: `resolver` resolves formatting the way Word does, `reader` reads the document into
paragraphs, and the rules live by ND30 area in `page_rules`, `header_rules`, `body_rules`,
`closing_rules` and `placeholder_rules`, sharing a `context.CheckContext`; `safety_rules`
adds *nguy cơ an toàn* findings (hostile content, hidden characters) beside them. It may import
those, `planner.docx.safety` and `planner.errors`.

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
the state form (`25/NQ-TW`); placeholders left in the text (`…/KH-UBND`, `ngày …/…/2021`, a
guidance sentence; `placeholder_rules`); text in NFC; Nơi nhận (12 pt bold italic, `- …;`, final
`- Lưu: VT….`, 11 pt) and the signature (upper-case bold position, bold name not in capitals,
room to sign). Findings of one kind are grouped: one finding with a count and the first place.

Files typed by other offices are read as Word shows them: text in NFC (an NFD file gets the
one NFD finding, not false ones), the rules under the header drawn any way Word allows
(border, underlined blanks, VML or DrawingML line, floating in the cell or in the next row,
under the last line of a multi-line trích yếu), each line measured in its own section and
cell, and an A4 landscape section allowed for a Phụ lục, Biểu or wide table after the
signature.
"""

from __future__ import annotations

from typing import Any

from planner.docx.safety import clean_docx, open_docx
from planner.errors import InputFileError
from planner.nd30 import (
    body_rules,
    closing_rules,
    header_rules,
    page_rules,
    placeholder_rules,
    safety_rules,
)
from planner.nd30.context import CheckContext
from planner.nd30.findings import Finding


def check_document(doc: Any) -> list[Finding]:
    """ND30 findings for an opened python-docx Document, grouped (see `findings.Findings`)."""
    ctx = CheckContext(doc)
    page_rules.page_setup(ctx)
    headers_and_footers = page_rules.headers_footers(ctx)
    for p in ctx.body + headers_and_footers:
        page_rules.fonts(ctx, p)
    header_end = header_rules.header_block(ctx)
    body_start = body_rules.title(ctx, header_end)
    body_start = body_rules.bases(ctx, body_start)
    sign_table = closing_rules.signature(ctx)
    body_rules.body_text(ctx, body_start, sign_table)
    body_rules.citations(ctx)
    placeholder_rules.placeholders(ctx)
    safety_rules.hidden_text(ctx, ctx.body + headers_and_footers)
    return ctx.findings.result()


def check_docx(data: bytes, name: str) -> list[Finding]:
    """ND30 findings for a .docx given as bytes; unreadable files raise InputFileError."""
    # Formatting is checked on a copy without the hostile parts (a .docm opens too); what was
    # in them is reported as safety findings.
    cleaned, removed = clean_docx(data, name)
    doc = open_docx(cleaned, name)
    try:
        return check_document(doc) + safety_rules.hostile(removed)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        # A structure python-docx accepted but this checker does not understand: say so
        # plainly rather than show a traceback.
        raise InputFileError(
            f"Tệp “{name}” có cấu trúc lạ nên chưa kiểm tra được thể thức; hãy mở bằng Word "
            "và lưu lại dưới dạng .docx rồi thử lại."
        ) from None
