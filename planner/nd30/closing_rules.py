"""ND30 rules on the closing (Phụ lục I, II.7 and II.9): `Nơi nhận:` and its list (12 pt bold
italic label, `- …;` items in 11 pt, the final `- Lưu: VT….`), and the signature (upper-case
bold position, bold name not in capitals, room to sign between them).

It may import `planner.nd30.context`, `findings`, `reader`, `units` and `planner.text`.
"""

from __future__ import annotations

import re

from planner.nd30.context import CheckContext, sizes_text, sizes_within
from planner.nd30.findings import R_RECIP, R_SIGN
from planner.nd30.reader import Para
from planner.nd30.units import SINGLE_LINE
from planner.text.fold import fold_keep_marks

SIGN_ROOM_TWIPS = 720  # 36 pt (about 1.3 cm) at least between position and name
EMPTY_AUTO_LINE_TWIPS = 280  # an empty 14 pt line with automatic line spacing


def signature(ctx: CheckContext) -> int | None:
    """Check Nơi nhận and the signer; return the index of the body table holding them (where
    the body ends), or None when they are not in a table."""
    body = ctx.body
    label_i = next(
        (i for i, p in enumerate(body) if fold_keep_marks(p.text).startswith("nơi nhận")), None
    )
    if label_i is None:
        ctx.add(R_RECIP, "Không có phần “Nơi nhận:”.", "cuối văn bản")
        return None
    lab = body[label_i]
    if lab.text.strip() != "Nơi nhận:":
        ctx.add(R_RECIP, "Viết đúng “Nơi nhận:” (chữ N hoa, có dấu hai chấm).", lab.label())
    if not (lab.all_("b") and lab.all_("i")):
        ctx.add(R_RECIP, "“Nơi nhận:” phải in đậm và nghiêng.", lab.label())
    if not sizes_within(lab, 12, 12):
        ctx.add(R_RECIP, f"“Nơi nhận:” cỡ {sizes_text(lab)}; phải cỡ 12.", lab.label())
    if lab.props.get("jc") not in (None, "left", "start") or lab.props.get("ind.firstLine", 0) > 0:
        ctx.add(R_RECIP, "“Nơi nhận:” phải sát lề trái.", lab.label())
    items: list[tuple[Para, str]] = []
    for p in body[label_i + 1 :]:
        if p.table != lab.table or p.cell != lab.cell:
            break
        if not p.empty:
            items.extend((p, line.strip()) for line in p.text.split("\n") if line.strip())
    if not items:
        ctx.add(R_RECIP, "Không có nơi nhận nào dưới “Nơi nhận:”.", lab.label())
    for k, (p, line) in enumerate(items):
        last = k == len(items) - 1
        if not line.startswith("-"):
            ctx.add(R_RECIP, "Mỗi nơi nhận bắt đầu bằng dấu gạch (-).", p.label())
        if not last and not line.endswith(";"):
            ctx.add(R_RECIP, "Mỗi nơi nhận kết thúc bằng dấu chấm phẩy (;).", p.label())
        if p.any_("i") or p.any_("b"):
            ctx.add(R_RECIP, "Tên nơi nhận phải là chữ đứng, không đậm.", p.label())
        if not sizes_within(p, 11, 11):
            ctx.add(R_RECIP, f"Tên nơi nhận cỡ {sizes_text(p)}; phải cỡ 11.", p.label())
    if items:
        p, line = items[-1]
        if not re.match(r"^-\s*Lưu\s*:\s*VT\b", line):
            ctx.add(R_RECIP, "Nơi nhận cuối cùng phải là “- Lưu: VT, …”.", p.label())
        elif not line.endswith("."):
            ctx.add(R_RECIP, "Dòng “Lưu: VT…” kết thúc bằng dấu chấm (.).", p.label())
    if lab.table is not None:
        _signer(ctx, [p for p in body if p.table == lab.table and p.cell != lab.cell])
    return lab.table


def _signer(ctx: CheckContext, paras: list[Para]) -> None:
    filled = [p for p in paras if not p.empty]
    notes = [p for p in filled if re.fullmatch(r"\(.*\)", p.text.strip())]
    filled = [p for p in filled if p not in notes]
    if len(filled) < 2:
        ctx.add(R_SIGN, "Không tìm thấy chức vụ và họ tên người ký.", "bảng ký cuối văn bản")
        return
    name = filled[-1]
    for p in filled[:-1]:
        flat = " ".join(p.text.split())
        if flat != flat.upper():
            ctx.add(R_SIGN, "Quyền hạn, chức vụ người ký phải viết in hoa.", p.label())
        if not p.all_("b"):
            ctx.add(R_SIGN, "Quyền hạn, chức vụ người ký phải in đậm.", p.label())
        if not sizes_within(p, 13, 14):
            ctx.add(R_SIGN, f"Chức vụ người ký cỡ {sizes_text(p)}; phải cỡ 13-14.", p.label())
        if re.match(r"^(KT|TM|TL|TUQ|Q)\s", flat):
            ctx.add(
                R_SIGN,
                "Chữ viết tắt quyền hạn ký phải có dấu chấm (KT., TM., TL., TUQ., Q.).",
                p.label(),
            )
    flat = " ".join(name.text.split())
    if flat == flat.upper() and any(ch.isalpha() for ch in flat):
        ctx.add(R_SIGN, "Họ tên người ký viết hoa chữ cái đầu, không viết in hoa cả.", name.label())
    if not name.all_("b"):
        ctx.add(R_SIGN, "Họ tên người ký phải in đậm.", name.label())
    if not sizes_within(name, 13, 14):
        ctx.add(R_SIGN, f"Họ tên người ký cỡ {sizes_text(name)}; phải cỡ 13-14.", name.label())
    pos = filled[-2]
    gap = name.props.get("spacing.before", 0) + pos.props.get("spacing.after", 0)
    between = [p for p in paras if pos.n < p.n < name.n]
    gap += sum(_line_height_twips(p) for p in between)
    if notes:
        return  # "(Đã ký)" / "(Ký, đóng dấu)": a copy, the signature is marked in words
    if gap < SIGN_ROOM_TWIPS and not any(
        p.shape_cm or "graphic" in str(p.el.xml if hasattr(p.el, "xml") else "") for p in between
    ):
        ctx.add(
            R_SIGN,
            "Không chừa khoảng trống để ký và đóng dấu giữa chức vụ và họ tên.",
            name.label(),
        )


def _line_height_twips(p: Para) -> int:
    """The room (twips) an empty paragraph between position and name takes: its line (exact
    or at-least spacing, else an automatic 14 pt line), at least a single line, plus its
    spacing before and after."""
    line = (
        p.props.get("spacing.line", SINGLE_LINE)
        if p.props.get("spacing.lineRule") not in (None, "auto")
        else EMPTY_AUTO_LINE_TWIPS
    )
    return int(
        max(line, SINGLE_LINE) + p.props.get("spacing.before", 0) + p.props.get("spacing.after", 0)
    )
