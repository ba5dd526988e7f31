"""ND30 rules from the title to the end of the body (Phụ lục I, II.5-II.6): the document type
(`KẾ HOẠCH`), the trích yếu and its rule, the Căn cứ lines, body paragraphs (size, alignment,
indent, spacing, line spacing, upright text, no manual line breaks), heading labels (`I.`,
`1.`, `a)`, no automatic numbering) and how Party documents are cited.

It may import `planner.nd30.context`, `findings`, `reader` and `planner.text`.
"""

from __future__ import annotations

import re
from itertools import pairwise

from docx.oxml.ns import qn

from planner.nd30.context import (
    SHORT_RULE_SHARE,
    TYPED_RULE,
    CheckContext,
    sizes_text,
    sizes_within,
)
from planner.nd30.findings import R_BODY, R_CITE, R_SIZE, R_TITLE, measure
from planner.nd30.reader import Para
from planner.nd30.units import ONE_AND_HALF_LINES, SINGLE_LINE, TWIPS_PER_PT
from planner.text.fold import fold_keep_marks

DOC_TYPES = (
    "KẾ HOẠCH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "THÔNG BÁO",
    "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN", "BÁO CÁO", "BIÊN BẢN",
    "TỜ TRÌNH", "HỢP ĐỒNG", "CÔNG ĐIỆN", "GIẤY MỜI", "CÔNG VĂN", "GIẤY GIỚI THIỆU",
)  # fmt: skip
TITLE_SEARCH_PARAS = 3  # a table this far below the header ends the search for the title
SUBJECT_MAX_LINES = 4  # a trích yếu typed as separate centred bold lines: at most this many
HEADING_MAX_CHARS = 250  # a labelled paragraph longer than this is a sentence, not a heading
FIRST_LINE_TWIPS = (540, 750)  # first-line indent 1 cm or 1.27 cm, with room for rounding
PARAGRAPH_GAP_TWIPS = 6 * TWIPS_PER_PT  # at least 6 pt between paragraphs
# Line spacing from single to 1.5 lines: in 240ths of a line for lineRule "auto" (with a
# little room), otherwise in twips as a share of the font size.
AUTO_LINE_RANGE = (SINGLE_LINE - 4, ONE_AND_HALF_LINES + 4)
EXACT_LINE_SHARE = (0.95, 1.8)
BODY_SIZE_PT = 14.0  # the body size assumed when a paragraph has no text runs

_PARTY_STATE_FORM = re.compile(
    r"\b(\d+[a-z]?)/(NQ|QĐ|CT|KL|QC|QyĐ|HD|TB|KH|CTr|BC|TTr|KHPH|CTPH)-"
    r"(TW|TƯ|TU|HU|ĐU|QU|TVTU|BCĐ|BTGTW|BDVTW|BTCTW|UBKTTW)\b"
)
_SPACED_SYMBOL = re.compile(r"\bsố\s+(\d+[a-z]?)\s+/\s*([A-ZĐ])", re.IGNORECASE)
_DOTTED_HEADING = re.compile(r"^\d+(\.\d+)+\.?\s")
_LETTER_DOT = re.compile(r"^[a-zđ]\.\s")
_KINH_GUI = re.compile(r"^\s*kính\s+gửi\s*:?", re.IGNORECASE)
_BULLETS = ("•", "◦", "▪", "■", "●", "○", "", "", "", "*")


def title(ctx: CheckContext, start: int) -> int:
    """Check the document type and the trích yếu below the header (which ends at `start`);
    return the index in `ctx.body` where the Căn cứ lines or the body begin."""
    body = ctx.body
    i = start
    while i < len(body) and (body[i].empty or body[i].table is not None):
        if body[i].table is not None and not body[i].empty and i > start + TITLE_SEARCH_PARAS:
            break
        i += 1
    if i >= len(body):
        ctx.add(
            R_TITLE,
            "Không tìm thấy tên loại văn bản (ví dụ “KẾ HOẠCH”).",
            "sau phần đầu văn bản",
        )
        return start
    p = body[i]
    flat = " ".join(p.text.split())
    is_type = flat.upper() in DOC_TYPES or fold_keep_marks(flat) in {
        fold_keep_marks(t) for t in DOC_TYPES
    }
    header_text = " ".join(fold_keep_marks(q.text) for q in body[:start])
    if not is_type:
        if "v/v" in header_text or fold_keep_marks(flat).startswith("v/v"):
            return i  # a công văn: no title line
        ctx.add(
            R_TITLE,
            "Không tìm thấy tên loại văn bản (ví dụ “KẾ HOẠCH”) dưới phần đầu.",
            p.label(),
        )
        return i
    if flat != flat.upper():
        ctx.add(R_TITLE, "Tên loại văn bản phải viết in hoa.", p.label())
    if not p.all_("b"):
        ctx.add(R_TITLE, "Tên loại văn bản phải in đậm.", p.label())
    if p.any_("i"):
        ctx.add(R_TITLE, "Tên loại văn bản phải là chữ đứng.", p.label())
    if p.props.get("jc") != "center":
        ctx.add(R_TITLE, "Tên loại văn bản phải canh giữa.", p.label())
    if not sizes_within(p, 13, 14):
        ctx.add(R_TITLE, f"Tên loại văn bản cỡ {sizes_text(p)}; phải cỡ 13-14.", p.label())
    j = i + 1
    while j < len(body) and body[j].empty:
        j += 1
    if j >= len(body):
        return j
    s = body[j]
    if fold_keep_marks(s.text).startswith("v/v") and fold_keep_marks(flat) == "kế hoạch":
        ctx.add(
            R_TITLE,
            "Kế hoạch không dùng dòng “V/v”; trích yếu viết ngay dưới tên loại.",
            s.label(),
        )
    if fold_keep_marks(s.text).startswith("căn cứ"):
        ctx.add(R_TITLE, "Thiếu trích yếu nội dung dưới tên loại văn bản.", p.label())
        return j
    lines = [s]
    # A long trích yếu is often typed as two or three centred bold paragraphs; the rule
    # sits under the last of them.
    while len(lines) < SUBJECT_MAX_LINES and j + 1 < len(body):
        last, nxt = lines[-1], body[j + 1]
        if (
            nxt.empty
            or nxt.table is not None
            or last.props.get("border.bottom")
            or last.shape_cm
            or nxt.props.get("border.top")
            or not nxt.all_("b")
            or nxt.props.get("jc") != "center"
            or TYPED_RULE.match(nxt.text)
            or fold_keep_marks(nxt.text).startswith("căn cứ")
        ):
            break
        lines.append(nxt)
        j += 1
    for s in lines:
        if not s.all_("b"):
            ctx.add(R_TITLE, "Trích yếu nội dung phải in đậm.", s.label())
        if s.any_("i"):
            ctx.add(R_TITLE, "Trích yếu nội dung phải là chữ đứng.", s.label())
        if s.props.get("jc") != "center":
            ctx.add(R_TITLE, "Trích yếu nội dung phải canh giữa.", s.label())
        if not sizes_within(s, 13, 14):
            ctx.add(R_TITLE, f"Trích yếu cỡ {sizes_text(s)}; phải cỡ 13-14.", s.label())
    s = lines[-1]
    length = ctx.rule_under(s, R_TITLE)
    if length is None:
        ctx.add(R_TITLE, "Thiếu đường kẻ ngang, nét liền dưới trích yếu nội dung.", s.label())
    elif length >= 0:
        line = max(min(x.est_width_cm(), x.line_width_cm()) for x in lines)
        lo, hi = SHORT_RULE_SHARE
        if not lo * line <= length <= hi * line:
            ctx.add(
                R_TITLE,
                f"Đường kẻ dưới trích yếu dài {measure(length)} cm; phải bằng 1/3 đến 1/2 dòng "
                f"chữ ({measure(line / 3)}-{measure(line / 2)} cm).",
                s.label(),
            )
    k = j + 1
    while k < len(body) and body[k].empty:
        k += 1
    return k


def kinh_gui(ctx: CheckContext, start: int) -> int:
    """Check `Kính gửi:` and its recipients when they stand at `start` (under the trích yếu,
    before the Căn cứ lines), in paragraphs or beside each other in a borderless table (a
    1×2 table: the label, then the recipients one a paragraph); return the index in
    `ctx.body` after them, or `start` when there is none.

    ND30 (Phụ lục I, the công văn's "Kính gửi"): size 14, upright, a colon after the label;
    one recipient on the label's line, several one a line, each opened by `-`, each ending
    with `;` and the last with `.`."""
    body = ctx.body
    i = start
    while i < len(body) and body[i].empty:
        i += 1
    if i >= len(body) or not fold_keep_marks(body[i].text).startswith("kính gửi"):
        return start
    p = body[i]
    end = i + 1
    if p.table is not None:
        while end < len(body) and body[end].table == p.table:
            end += 1
        recipients = [q.text.strip() for q in body[i + 1 : end] if not q.empty]
    else:
        while end < len(body) and body[end].text.strip().startswith(("-", "–")):
            end += 1
        recipients = [q.text.strip() for q in body[i + 1 : end]]
    head = p.text.strip()
    label = _KINH_GUI.match(head)
    first = head[label.end() :].strip() if label else ""
    if first:
        recipients.insert(0, first)
    paras = [q for q in body[i:end] if not q.empty]
    if label is None or not label.group(0).rstrip().endswith(":"):
        ctx.add(R_BODY, "Sau “Kính gửi” phải có dấu hai chấm (:).", p.label())
    if any(not sizes_within(q, 13, 14) for q in paras):
        ctx.add(R_SIZE, "“Kính gửi” và nơi gửi phải cỡ chữ 13-14.", p.label())
    if any(q.any_("i") for q in paras):
        ctx.add(R_BODY, "“Kính gửi” và nơi gửi phải là chữ đứng.", p.label())
    if not recipients:
        ctx.add(R_BODY, "Sau “Kính gửi:” chưa ghi cơ quan, đơn vị nhận văn bản.", p.label())
    elif len(recipients) > 1:
        marks = all(x.startswith(("-", "–")) for x in recipients)
        ends = all(x.endswith(";") for x in recipients[:-1]) and recipients[-1].endswith(".")
        if not (marks and ends):
            ctx.add(
                R_BODY,
                "Gửi nhiều nơi: mỗi nơi một dòng, đầu dòng có gạch ngang (-), cuối dòng có dấu "
                "chấm phẩy (;), dòng cuối cùng có dấu chấm (.).",
                p.label(),
            )
    return end


def bases(ctx: CheckContext, start: int) -> int:
    """Check the Căn cứ lines from `start` (after a `Kính gửi:`, see `kinh_gui`); return the
    index in `ctx.body` after them."""
    block = []
    i = kinh_gui(ctx, start)
    while i < len(ctx.body):
        p = ctx.body[i]
        if p.empty:
            i += 1
            continue
        if not fold_keep_marks(p.text).startswith("căn cứ") or p.table is not None:
            break
        block.append(p)
        i += 1
    for k, p in enumerate(block):
        text = p.text.strip()
        last = k == len(block) - 1
        if not p.all_("i"):
            ctx.add(R_BODY, "Dòng “Căn cứ …” phải in nghiêng.", p.label())
        if len(re.findall(r"(?:^|[;.]\s*)căn cứ\b", fold_keep_marks(text))) > 1:
            ctx.add(R_BODY, "Mỗi căn cứ phải là một đoạn riêng.", p.label())
        if not last and not text.endswith(";"):
            ctx.add(R_BODY, "Mỗi dòng căn cứ kết thúc bằng dấu chấm phẩy (;).", p.label())
        if last and text[-1:] not in (".", ","):
            ctx.add(
                R_BODY,
                "Căn cứ cuối cùng kết thúc bằng dấu chấm (.) hoặc dấu phẩy (,).",
                p.label(),
            )
        _body_format(ctx, p, italic_ok=True)
    return i


def body_text(ctx: CheckContext, start: int, sign_table: int | None) -> None:
    """Check the body paragraphs from `start` up to the signature table `sign_table`."""
    for p in ctx.body[start:]:
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
            ctx.add(
                R_BODY,
                "Đánh số hoặc gạch đầu dòng tự động; số mục (I., 1., a)) và dấu -, + phải là "
                "chữ gõ trong văn bản.",
                p.label(),
            )
        if _DOTTED_HEADING.match(text):
            ctx.add(R_BODY, "Đề mục kiểu “1.1.1”; ND30 dùng I., 1., a).", p.label())
        elif _LETTER_DOT.match(text):
            ctx.add(R_BODY, "Điểm viết “a.”; phải viết “a)”.", p.label())
        elif re.match(r"^[IVXLC]+\.\s", text):
            head = text.split("\n")[0]
            if head != head.upper():
                ctx.add(R_BODY, "Đề mục La Mã (I., II.) phải viết in hoa.", p.label())
            if not p.all_("b"):
                ctx.add(R_BODY, "Đề mục La Mã (I., II.) phải in đậm.", p.label())
        elif re.match(r"^\d+\.\s", text) and len(text) < HEADING_MAX_CHARS:
            # A heading (outline level, or a bold label with plain text after it) must be
            # bold throughout; a plain numbered sentence in the body is left alone.
            looks_heading = p.props.get("outline") is not None or p.any_("b")
            if looks_heading and not p.all_("b"):
                ctx.add(R_BODY, "Đề mục số (1., 2.) phải in đậm.", p.label())
        elif re.match(r"^[a-zđ]\)\s", text) and p.any_("i"):
            ctx.add(R_BODY, "Điểm a), b) phải là chữ đứng.", p.label())
        elif text[:1] in _BULLETS:
            ctx.add(
                R_BODY,
                "Dùng dấu gạch (-) hoặc cộng (+) đầu dòng, không dùng ký hiệu khác.",
                p.label(),
            )
        _body_format(ctx, p, italic_ok=False, heading=_is_heading(text, p))


def _body_format(ctx: CheckContext, p: Para, *, italic_ok: bool, heading: bool = False) -> None:
    if not sizes_within(p, 13, 14):
        ctx.add(R_SIZE, "Phần nội dung phải cỡ chữ 13-14.", p.label())
    if p.props.get("jc") not in ("both", "distribute"):
        ctx.add(R_BODY, "Đoạn văn phải canh đều hai bên.", p.label())
    if not heading:
        first = p.props.get("ind.firstLine", 0) - p.props.get("ind.hanging", 0)
        lo, hi = FIRST_LINE_TWIPS
        if not lo <= first <= hi:
            ctx.add(R_BODY, "Đoạn văn phải lùi đầu dòng 1 cm hoặc 1,27 cm.", p.label())
    if p.props.get("spacing.before", 0) + p.props.get("spacing.after", 0) < PARAGRAPH_GAP_TWIPS:
        ctx.add(R_BODY, "Khoảng cách giữa các đoạn văn phải tối thiểu 6 pt.", p.label())
    line = p.props.get("spacing.line", SINGLE_LINE)
    rule = p.props.get("spacing.lineRule", "auto")
    size = max(p.sizes() or {BODY_SIZE_PT})
    if rule == "auto":
        lo, hi = AUTO_LINE_RANGE
        ok = lo <= line <= hi
    else:
        share_lo, share_hi = EXACT_LINE_SHARE
        ok = size * TWIPS_PER_PT * share_lo <= line <= size * TWIPS_PER_PT * share_hi
    if not ok:
        ctx.add(R_BODY, "Khoảng cách giữa các dòng phải từ một dòng đơn đến 1,5 dòng.", p.label())
    if not italic_ok and not heading and p.all_("i"):
        ctx.add(R_SIZE, "Phần nội dung phải là chữ đứng, không nghiêng cả đoạn.", p.label())
    if p.manual_break and p.props.get("jc") in ("both", "distribute"):
        if not breaks_unstretched(ctx):
            ctx.add(
                R_BODY,
                "Ngắt dòng thủ công (Shift+Enter) trong đoạn canh đều: Word sẽ giãn dòng trước "
                "đó; hãy tách thành đoạn mới.",
                p.label(),
            )
        elif splits_sentence(p.text):
            ctx.add(
                R_BODY,
                "Ngắt dòng thủ công (Shift+Enter) giữa câu hoặc cuối đoạn canh đều: câu bị cắt "
                "thành dòng ngắn hoặc để lại dòng trống; hãy bỏ ngắt dòng.",
                p.label(),
            )


_SENTENCE_END = re.compile(r"[.;:!?…][\"'”’)\]]*$")
_LIST_START = re.compile(r"^(?:[-–—+•]|[a-zđ]\)|\d{1,2}[.)]|[IVXLC]+\.)(?=\s|$)")


def splits_sentence(text: str) -> bool:
    """Whether a manual line break in `text` is not one ND30's text would have: it cuts a
    sentence (the line before it ends without sentence or list punctuation — `.`, `;`,
    `:`, `!`, `?` — and the next does not open an item: `-`, `+`, `a)`, `1.`, `I.`), or it
    ends the paragraph (an empty line left under the text)."""
    lines = [x.strip() for x in text.split("\n")]
    if len(lines) > 1 and lines[0] and not any(lines[1:]):
        return True
    return any(
        before and after and not _SENTENCE_END.search(before) and not _LIST_START.match(after)
        for before, after in pairwise(lines)
    )


def breaks_unstretched(ctx: CheckContext) -> bool:
    """Whether the document tells Word not to stretch a justified line ending in a manual
    break (settings: w:compat/w:doNotExpandShiftReturn, as the exporter writes it): such a
    break then prints as a short line, the way ND30's text reads, unless it cuts a
    sentence (see `splits_sentence`)."""
    try:
        settings = ctx.doc.settings.element
    except (KeyError, AttributeError, ValueError):
        return False
    compat = settings.find(qn("w:compat"))
    flag = compat.find(qn("w:doNotExpandShiftReturn")) if compat is not None else None
    if flag is None:
        return False
    return (flag.get(qn("w:val")) or "1").lower() not in ("0", "false", "off")


def citations(ctx: CheckContext) -> None:
    """Party symbols in the state form (`25/NQ-TW`) and spaced symbols (`số 25 /NQ`)."""
    for p in ctx.body:
        for m in _PARTY_STATE_FORM.finditer(p.text):
            ctx.add(
                R_CITE,
                f"Ký hiệu văn bản của Đảng viết sai dạng: “{m.group(0)}”; phải là "
                f"“{m.group(1)}-{m.group(2)}/{m.group(3)}”.",
                p.label(),
            )
        for m in _SPACED_SYMBOL.finditer(p.text):
            ctx.add(R_CITE, f"Có khoảng trắng trong số, ký hiệu: “{m.group(0)}…”.", p.label())


def _is_heading(text: str, p: Para) -> bool:
    return bool(
        (re.match(r"^([IVXLC]+\.|\d+\.|[a-zđ]\))\s", text) and len(text) < HEADING_MAX_CHARS)
        or p.props.get("jc") == "center"
    )
