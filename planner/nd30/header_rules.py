"""ND30 rules on the header block (Phụ lục I, II.1-II.4): Quốc hiệu and Tiêu ngữ with their
rule, the issuing authority with its rule, `Số:` and the symbol, the place and date line, and
each of them fitting on one printed line.

The header may be a two-column table (as ND30 lays it out) or lines laid out with tabs or
spaces (reported, then read piece by piece). It may import `planner.nd30.context`,
`findings`, `reader`, `metrics` and `planner.text`.
"""

from __future__ import annotations

import re
import unicodedata

from planner.nd30.context import (
    SHORT_RULE_SHARE,
    TYPED_RULE,
    CheckContext,
    sizes_text,
    sizes_within,
)
from planner.nd30.findings import (
    R_AUTHORITY,
    R_DATE,
    R_LAYOUT,
    R_NATIONAL,
    R_NUMBER,
    measure,
)
from planner.nd30.metrics import text_width_cm
from planner.nd30.reader import Para, segments
from planner.text.fold import fold_keep_marks

HEADER_SEARCH_PARAS = 40  # the Quốc hiệu is looked for among the first paragraphs only
MOTTO_SEARCH_PARAS = 6  # the Tiêu ngữ follows the Quốc hiệu within this many paragraphs
HEADER_TAIL_PARAS = 4  # a header without a table: lines after the Tiêu ngữ still in it
MOTTO_RULE_SHARE = (0.75, 1.3)  # the Tiêu ngữ's rule as long as its line, give or take
AUTHORITY_SIZE_PT = 12.0  # the authority's size when its runs have no text
_ABBREV_PLACE = re.compile(r"\b(TP|Tp|tp|TX|Tx|T\.P)\s*\.|\bHCM\b|\bTP\s|\bTPHCM\b")


def header_block(ctx: CheckContext) -> int:
    """Check the header; return the index in `ctx.body` just after the header block."""
    body = ctx.body
    limit = min(len(body), HEADER_SEARCH_PARAS)
    nat = next(
        (i for i in range(limit) if "chủ nghĩa việt nam" in fold_keep_marks(body[i].text)), None
    )
    if nat is None:
        ctx.add(
            R_NATIONAL,
            "Không tìm thấy Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”.",
            "đầu văn bản",
        )
        return 0
    qh = ctx.pick(body[nat], lambda t: "chủ nghĩa việt nam" in t)
    _national(ctx, qh)
    motto_i = next(
        (
            i
            for i in range(nat, min(nat + MOTTO_SEARCH_PARAS, len(body)))
            if "hạnh phúc" in fold_keep_marks(body[i].text)
        ),
        None,
    )
    if motto_i is None:
        ctx.add(R_NATIONAL, "Không tìm thấy Tiêu ngữ “Độc lập - Tự do - Hạnh phúc”.", qh.label())
    else:
        _motto(ctx, ctx.pick(body[motto_i], lambda t: "hạnh phúc" in t))
    table = qh.table
    in_header = [p for p in body if table is not None and p.table == table]
    if not in_header:
        in_header = body[: (motto_i or nat) + HEADER_TAIL_PARAS]
    number = next(
        (p for p in in_header if re.search(r"(^|\t|\s{4})\s*số\b", fold_keep_marks(p.text))),
        None,
    )
    date_p = next(
        (p for p in in_header if re.search(r"ngày.*tháng.*năm", fold_keep_marks(p.text))), None
    )
    if number is not None:
        number = ctx.pick(number, lambda t: bool(re.match(r"^\s*số\b", t)))
    if date_p is not None:
        date_p = ctx.pick(date_p, lambda t: bool(re.search(r"ngày.*tháng.*năm", t)))
    if table is None:
        cand = _left_column(in_header, number)
    else:
        cand = [
            p
            for p in in_header
            if not p.empty
            and p.n != qh.n
            and (number is None or p.n < number.n)
            and "hạnh phúc" not in fold_keep_marks(p.text)
            and (qh.cell is None or (p.cell is not None and p.cell[1] != qh.cell[1]))
        ]
    _authority(ctx, cand)
    if ctx.tabbed:
        ctx.add(
            R_LAYOUT,
            "Phần đầu văn bản được căn bằng dấu tab hoặc dấu cách; hãy trình bày bằng bảng "
            "hai cột không viền để các dòng thẳng hàng khi in.",
            qh.label(),
        )
    if number is None:
        ctx.add(R_NUMBER, "Không tìm thấy dòng số, ký hiệu (“Số: …/…”).", "đầu văn bản")
    else:
        _number(ctx, number)
    if date_p is None:
        ctx.add(R_DATE, "Không tìm thấy dòng địa danh, ngày tháng năm.", "đầu văn bản")
    else:
        _date(ctx, date_p)
    last = max(p.n for p in in_header)
    return next((i for i, p in enumerate(body) if p.n > last), len(body))


def _national(ctx: CheckContext, p: Para) -> None:
    text = " ".join(p.text.split())
    if text != text.upper():
        ctx.add(R_NATIONAL, "Quốc hiệu phải viết in hoa.", p.label())
    if not p.all_("b"):
        ctx.add(R_NATIONAL, "Quốc hiệu phải in đậm.", p.label())
    if p.any_("i"):
        ctx.add(R_NATIONAL, "Quốc hiệu phải là chữ đứng.", p.label())
    if not sizes_within(p, 12, 13):
        ctx.add(R_NATIONAL, f"Quốc hiệu cỡ {sizes_text(p)}; phải cỡ 12-13.", p.label())
    if "\n" not in p.text:
        ctx.fits(p, R_NATIONAL, "Quốc hiệu")


def _motto(ctx: CheckContext, p: Para) -> None:
    text = p.text.strip()
    if not re.fullmatch(r"Độc lập - Tự do - Hạnh phúc", unicodedata.normalize("NFC", text)):
        if re.search(r"[–—]", text):
            msg = "Tiêu ngữ phải dùng gạch nối (-) có cách chữ: “Độc lập - Tự do - Hạnh phúc”."
        elif re.search(r"\S-|-\S", text):
            msg = "Tiêu ngữ thiếu dấu cách hai bên gạch nối: “Độc lập - Tự do - Hạnh phúc”."
        else:
            msg = "Tiêu ngữ phải viết đúng “Độc lập - Tự do - Hạnh phúc”."
        ctx.add(R_NATIONAL, msg, p.label())
    if p.any_("i"):
        ctx.add(R_NATIONAL, "Tiêu ngữ phải là chữ đứng, không nghiêng.", p.label())
    if not p.all_("b"):
        ctx.add(R_NATIONAL, "Tiêu ngữ phải in đậm.", p.label())
    if not sizes_within(p, 13, 14):
        ctx.add(R_NATIONAL, f"Tiêu ngữ cỡ {sizes_text(p)}; phải cỡ 13-14.", p.label())
    ctx.fits(p, R_NATIONAL, "Tiêu ngữ")
    length = ctx.rule_under(p, R_NATIONAL)
    if length is None:
        ctx.add(R_NATIONAL, "Thiếu đường kẻ ngang, nét liền dưới Tiêu ngữ.", p.label())
    elif length >= 0:
        text_w = min(p.est_width_cm(), p.line_width_cm())
        lo, hi = MOTTO_RULE_SHARE
        if not lo * text_w <= length <= hi * text_w:
            ctx.add(
                R_NATIONAL,
                f"Đường kẻ dưới Tiêu ngữ dài {measure(length)} cm; phải dài bằng dòng chữ "
                f"(khoảng {measure(text_w)} cm).",
                p.label(),
            )


def _left_column(header: list[Para], number: Para | None) -> list[Para]:
    """Agency lines of a header laid out without a table: the left piece of each line."""
    out = []
    for p in header:
        if number is not None and p.n >= number.n:
            break
        segs = segments(p)
        piece = segs[0] if segs else p
        folded = fold_keep_marks(piece.text)
        if piece.empty or "chủ nghĩa việt nam" in folded or "hạnh phúc" in folded:
            continue
        if TYPED_RULE.match(piece.text):
            continue
        if re.match(r"^\s*số\b", folded):
            break
        out.append(piece)
    return out


def _authority(ctx: CheckContext, cand: list[Para]) -> None:
    if not cand:
        ctx.add(R_AUTHORITY, "Không tìm thấy tên cơ quan ban hành văn bản.", "đầu văn bản")
        return
    authority = cand[-1]
    for p in cand:
        flat = " ".join(p.text.split())
        if flat != flat.upper():
            ctx.add(R_AUTHORITY, "Tên cơ quan phải viết in hoa.", p.label())
        if not sizes_within(p, 12, 13):
            ctx.add(R_AUTHORITY, f"Tên cơ quan cỡ {sizes_text(p)}; phải cỡ 12-13.", p.label())
        if p.any_("i"):
            ctx.add(R_AUTHORITY, "Tên cơ quan phải là chữ đứng.", p.label())
    if not authority.all_("b"):
        ctx.add(R_AUTHORITY, "Tên cơ quan ban hành phải in đậm.", authority.label())
    if len(cand) >= 2 and not cand[-2].any_("b") and cand[0].all_("b"):
        ctx.add(R_AUTHORITY, "Tên cơ quan chủ quản không in đậm.", cand[0].label())
    length = ctx.rule_under(authority, R_AUTHORITY)
    if length is None:
        ctx.add(
            R_AUTHORITY,
            "Thiếu đường kẻ ngang, nét liền dưới tên cơ quan ban hành.",
            authority.label(),
        )
        return
    if length < 0:
        return
    lines = authority.text.split("\n")
    size = max(authority.sizes() or {AUTHORITY_SIZE_PT})
    text_w = max(text_width_cm(x, size, bold=True) for x in lines)
    text_w = min(text_w, authority.line_width_cm())
    lo, hi = SHORT_RULE_SHARE
    if not lo * text_w <= length <= hi * text_w:
        ctx.add(
            R_AUTHORITY,
            f"Đường kẻ dưới tên cơ quan dài {measure(length)} cm; phải bằng 1/3 đến 1/2 độ dài "
            f"dòng chữ ({measure(text_w / 3)}-{measure(text_w / 2)} cm).",
            authority.label(),
        )


def _number(ctx: CheckContext, p: Para) -> None:
    text = p.text.strip()
    if not text.startswith("Số:"):
        ctx.add(R_NUMBER, "Chữ “Số” viết hoa chữ S, sau có dấu hai chấm: “Số: …”.", p.label())
    m = re.match(r"^\s*số\s*:?\s*(?P<num>[^/]*?)(?P<gap>\s*)/(?P<gap2>\s*)(?P<sym>.*)$", text, re.I)
    if m:
        num, sym = m.group("num"), m.group("sym").strip()
        if num and (m.group("gap") or m.group("gap2")):
            ctx.add(
                R_NUMBER,
                "Có khoảng trắng trong số, ký hiệu (viết liền: “932/KH-PGDĐT”).",
                p.label(),
            )
        if num.isdigit() and int(num) < 10 and len(num) == 1:
            ctx.add(R_NUMBER, f"Số nhỏ hơn 10 phải thêm số 0 phía trước (“0{num}”).", p.label())
        if any(ch.islower() for ch in sym.replace("Qy", "QY")):
            ctx.add(R_NUMBER, "Ký hiệu văn bản phải viết in hoa.", p.label())
    if not sizes_within(p, 13, 13):
        ctx.add(R_NUMBER, f"Dòng số, ký hiệu cỡ {sizes_text(p)}; phải cỡ 13.", p.label())
    if p.any_("i"):
        ctx.add(R_NUMBER, "Dòng số, ký hiệu phải là chữ đứng.", p.label())


def _date(ctx: CheckContext, p: Para) -> None:
    text = unicodedata.normalize("NFC", p.text.strip())
    m = re.match(
        r"^(?P<place>.*?)(?P<comma>,?)\s*ngày\s*(?P<d>\d*)\s*tháng\s*(?P<m>\d*)\s*năm",
        text,
        re.I,
    )
    if m:
        place, d, mo = m.group("place").strip(), m.group("d"), m.group("m")
        if place and not m.group("comma"):
            ctx.add(R_DATE, "Thiếu dấu phẩy sau địa danh.", p.label())
        if place and _ABBREV_PLACE.search(place):
            ctx.add(R_DATE, f"Địa danh “{place}” viết tắt; phải viết đầy đủ.", p.label())
        if d and int(d) < 10 and len(d) == 1:
            ctx.add(R_DATE, f"Ngày nhỏ hơn 10 phải thêm số 0 phía trước (“0{d}”).", p.label())
        if mo and int(mo) <= 2 and len(mo) == 1:
            ctx.add(R_DATE, f"Tháng 1, 2 phải thêm số 0 phía trước (“0{mo}”).", p.label())
        if mo and int(mo) >= 3 and mo.startswith("0"):
            ctx.add(R_DATE, f"Tháng {int(mo)} không được thêm số 0 phía trước (“{mo}”).", p.label())
    if not p.all_("i"):
        ctx.add(R_DATE, "Dòng địa danh, ngày tháng phải in nghiêng.", p.label())
    if not sizes_within(p, 13, 14):
        ctx.add(R_DATE, f"Dòng địa danh, ngày tháng cỡ {sizes_text(p)}; phải cỡ 13-14.", p.label())
    ctx.fits(p, R_DATE, "Dòng địa danh, ngày tháng")
