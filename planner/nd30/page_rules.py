"""ND30 rules on the page as a whole: paper size and margins (Phụ lục I, I.1-I.3), the page
number in the page header (I.7), and the font, colour and Unicode form of every paragraph,
page headers and footers included (I.4).

It may import `planner.nd30.context`, `findings`, `reader` and `units`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from planner.nd30.context import FONT, CheckContext, where
from planner.nd30.findings import R_FONT, R_PAGE, R_PAGENUM, measure
from planner.nd30.reader import Para, section_text_width
from planner.nd30.resolver import FONT_SLOTS
from planner.nd30.units import (
    A4_HEIGHT_TWIPS,
    A4_TOLERANCE_TWIPS,
    A4_WIDTH_TWIPS,
    DEFAULT_FONT_SIZE_PT,
    MARGIN_TOLERANCE_MM,
    TWIPS_PER_MM,
)
from planner.text.fold import fold_keep_marks

# (python-docx side, least mm, most mm, the side's Vietnamese name)
MARGINS_MM = (
    ("top", 20, 25, "trên"), ("bottom", 20, 25, "dưới"),
    ("left", 30, 35, "trái"), ("right", 15, 20, "phải"),
)  # fmt: skip
PAGE_NUMBER_PT = (13, 14)
MULTI_PAGE_CHARS = 3500  # body text longer than this runs past one page: it needs numbers
_BLACK = ("auto", "000000")
_APPENDIX_OPENINGS = ("phụ lục", "biểu", "danh sách", "danh mục", "mẫu")
_BLACK_THEME = (None, "text1", "dark1")


def page_setup(ctx: CheckContext) -> None:
    """A4 portrait and the ND30 margins in every section; A4 landscape is allowed for a
    section after the signature that holds a Phụ lục, a Biểu or a wide table."""
    doc = ctx.doc
    after_closing = _appendix_sections(ctx)
    if not len(doc.sections):
        ctx.add(
            R_PAGE,
            "Văn bản không có thiết lập trang (khổ giấy, lề): Word sẽ dùng khổ và lề mặc "
            "định của máy; hãy đặt khổ A4 và lề theo quy định.",
            "cả văn bản",
        )
    for i, s in enumerate(doc.sections, start=1):
        at = f"phần (section) {i} của văn bản"
        w = s.page_width.twips if s.page_width is not None else 0
        h = s.page_height.twips if s.page_height is not None else 0
        if i - 1 in after_closing and _is_a4(h, w):
            _landscape_margins(ctx, s, at)
            continue
        if _is_a4(h, w):
            ctx.add(
                R_PAGE,
                "Trang nằm ngang (A4 ngang) trong phần nội dung; chỉ phụ lục, biểu hoặc bảng "
                "rộng đặt sau phần ký mới được trình bày trên trang nằm ngang.",
                at,
            )
            _landscape_margins(ctx, s, at)
            continue
        elif not (
            abs(w - A4_WIDTH_TWIPS) <= A4_TOLERANCE_TWIPS
            and abs(h - A4_HEIGHT_TWIPS) <= A4_TOLERANCE_TWIPS
        ):
            ctx.add(
                R_PAGE,
                f"Khổ giấy không phải A4 đứng 210 × 297 mm (đang là "
                f"{w / TWIPS_PER_MM:.0f} × {h / TWIPS_PER_MM:.0f} mm).",
                at,
            )
        for side, lo, hi, label in MARGINS_MM:
            m = getattr(s, f"{side}_margin")
            mm = (m.twips if m is not None else 0) / TWIPS_PER_MM
            if not lo - MARGIN_TOLERANCE_MM <= mm <= hi + MARGIN_TOLERANCE_MM:
                ctx.add(R_PAGE, f"Lề {label} {measure(mm)} mm, ngoài khoảng {lo}-{hi} mm.", at)


def _is_a4(w: int, h: int) -> bool:
    return (
        abs(w - A4_WIDTH_TWIPS) <= A4_TOLERANCE_TWIPS
        and abs(h - A4_HEIGHT_TWIPS) <= A4_TOLERANCE_TWIPS
    )


def _appendix_sections(ctx: CheckContext) -> set[int]:
    """Indexes of the sections that begin after the closing (the Nơi nhận and signer block)
    and hold a table or open with a Phụ lục, Biểu, Danh sách or Danh mục heading."""
    body = ctx.body
    label = next((p for p in body if fold_keep_marks(p.text).startswith("nơi nhận")), None)
    if label is None:
        return set()
    end = label.n
    if label.table is not None:
        end = max(p.n for p in body if p.table == label.table)
    out: set[int] = set()
    for sect in {p.section for p in body}:
        paras = [p for p in body if p.section == sect]
        filled = [p for p in paras if not p.empty]
        if not filled or min(p.n for p in paras) <= end:
            continue
        opens = fold_keep_marks(filled[0].text).startswith(_APPENDIX_OPENINGS)
        if opens or any(p.table is not None for p in paras):
            out.add(sect)
    return out


def _landscape_margins(ctx: CheckContext, s: Any, at: str) -> None:
    """Margins of a landscape appendix page: the ND30 margins read either way round (Word
    turns them with the page, or keeps them as they were)."""
    got = {}
    for side, _, _, _ in MARGINS_MM:
        m = getattr(s, f"{side}_margin")
        got[side] = (m.twips if m is not None else 0) / TWIPS_PER_MM
    turned = {"top": "left", "bottom": "right", "left": "top", "right": "bottom"}
    ranges = {side: (lo, hi) for side, lo, hi, _ in MARGINS_MM}

    def fits(mapping: dict[str, str]) -> bool:
        return all(
            ranges[mapping[side]][0] - MARGIN_TOLERANCE_MM
            <= got[side]
            <= ranges[mapping[side]][1] + MARGIN_TOLERANCE_MM
            for side in got
        )

    if fits({k: k for k in got}) or fits(turned):
        return
    ctx.add(
        R_PAGE,
        "Lề trang nằm ngang của phụ lục ngoài quy định: "
        + ", ".join(f"{label} {measure(got[side])} mm" for side, _, _, label in MARGINS_MM)
        + " (lề 20-25 mm, 30-35 mm và 15-20 mm như trang đứng, theo chiều trang).",
        at,
    )


def headers_footers(ctx: CheckContext) -> list[Para]:
    """Check where the page number is and how it looks; return the paragraphs of every page
    header and footer (for the font and colour rules)."""
    doc = ctx.doc
    out: list[Para] = []
    page_in_header = False
    for i, s in enumerate(doc.sections, start=1):
        width = section_text_width(s)
        title_pg = bool(s.different_first_page_header_footer)
        parts = [("header", s.header, "đầu trang"), ("footer", s.footer, "chân trang")]
        parts += [("header_first", s.first_page_header, "đầu trang của trang 1")]
        parts += [("footer_first", s.first_page_footer, "chân trang của trang 1")]
        if getattr(doc.settings, "odd_and_even_pages_header_footer", False):
            parts += [("header", s.even_page_header, "đầu trang chẵn")]
            parts += [("footer", s.even_page_footer, "chân trang chẵn")]
        for kind, hf, label in parts:
            if hf.is_linked_to_previous and i > 1:
                continue
            if kind.endswith("_first") and not title_pg:
                continue
            el = _part_element(hf)
            if el is None or hf.is_linked_to_previous:
                continue
            paras = ctx.rd.part(el, "footer" if "footer" in kind else "header", width)
            out.extend(paras)
            for p in paras:
                if not any(re.search(r"\bPAGE\b", f) for f in p.fields):
                    continue
                at = f"{label} (phần {i})"
                if kind.startswith("footer"):
                    ctx.add(R_PAGENUM, "Số trang đặt ở chân trang; phải ở đầu trang.", at)
                elif kind == "header_first" or (kind == "header" and not title_pg):
                    ctx.add(
                        R_PAGENUM,
                        "Số trang hiện cả ở trang 1; ND30 không đánh số trang thứ nhất "
                        "(chọn “Different First Page”).",
                        at,
                    )
                    page_in_header = True
                else:
                    page_in_header = True
                    _page_number_format(ctx, p, at)
    if not page_in_header and sum(len(p.text) for p in ctx.body) > MULTI_PAGE_CHARS:
        ctx.add(R_PAGENUM, "Văn bản nhiều trang nhưng không có số trang ở đầu trang.", "đầu trang")
    return out


def _part_element(hf: Any) -> Any | None:
    """The w:hdr or w:ftr element of a python-docx header or footer, or None when its
    relationship names no part (KeyError) or a part that is not a header or footer
    (AttributeError: it has no XML element): there is nothing there to check."""
    try:
        return hf._element
    except (KeyError, AttributeError):
        return None


def _page_number_format(ctx: CheckContext, p: Para, at: str) -> None:
    if p.props.get("jc") not in ("center",):
        ctx.add(R_PAGENUM, "Số trang phải canh giữa trong lề trên.", at)
    runs = [r for r in p.runs if r.text.strip()] or p.runs
    sizes = {float(r.props.get("size", DEFAULT_FONT_SIZE_PT)) for r in runs}
    lo, hi = PAGE_NUMBER_PT
    if not all(lo <= s <= hi for s in sizes):
        ctx.add(
            R_PAGENUM,
            f"Số trang cỡ {', '.join(f'{s:g}' for s in sorted(sizes))}; phải cỡ 13-14.",
            at,
        )
    if any(r.props.get("i") for r in runs):
        ctx.add(R_PAGENUM, "Số trang phải là chữ đứng, không nghiêng.", at)


def fonts(ctx: CheckContext, p: Para) -> None:
    """Times New Roman in every font slot, black text, Unicode in NFC."""
    for r in p.text_runs():
        bad = [
            f"{slot} = {r.props.get(f'font.{slot}') or '(chưa đặt)'}"
            for slot in FONT_SLOTS
            if r.props.get(f"font.{slot}") != FONT
        ]
        if bad:
            ctx.add(
                R_FONT,
                "Chữ không dùng phông Times New Roman cho mọi bộ ký tự (ascii, hAnsi, "
                "eastAsia, cs); đang có: " + "; ".join(bad) + ".",
                where(p),
            )
            break
    for r in p.text_runs():
        val, theme = r.props.get("color", ("auto", None))
        if not ((val or "auto").lower() in _BLACK and theme in _BLACK_THEME):
            ctx.add(R_FONT, "Chữ có màu; văn bản phải in màu đen.", where(p))
            break
    if p.nfd or p.text != unicodedata.normalize("NFC", p.text):
        ctx.add(
            R_FONT,
            "Chữ tiếng Việt ở dạng tổ hợp (NFD), không phải Unicode dựng sẵn (TCVN 6909:2001).",
            where(p),
        )
