"""A new plan from nothing: the office's header and signer, and a skeleton to fill in.

`new_plan(year, header_from=last_plan, today=...)` takes the header (cơ quan chủ quản, cơ quan
ban hành, ký hiệu, địa danh, loại văn bản), the signer and the Nơi nhận from the office's last
plan, or from the keyword arguments (which win over `header_from`). The body is the usual
skeleton of a kế hoạch: I. MỤC ĐÍCH, YÊU CẦU / II. NỘI DUNG / III. TỔ CHỨC THỰC HIỆN, each with
one guidance sentence, and no Căn cứ.

A guidance sentence is written `[Hướng dẫn: …]` and the block keeps it in its `guidance` key
(see DESIGN.md, the plan file): the readiness check (`planner.drafting.readiness`) and the ND30
checker (`planner.nd30.placeholder_rules`) report it as a placeholder until the user replaces
the text. The number, the date of issue and the trích yếu are left for the user (the number
for the văn thư).
"""

from __future__ import annotations

from datetime import date

from planner.errors import PlannerError
from planner.model import Block, Meta, Plan, Section, Signer
from planner.nd30.placeholder_rules import GUIDANCE_PREFIX
from planner.text.clean import clean_line

# How far from today's year a new plan's year may be.
YEARS_BACK = 1
YEARS_AHEAD = 10

SKELETON = (
    (
        "I",
        "MỤC ĐÍCH, YÊU CẦU",
        "nêu mục đích của kế hoạch (kết quả cần đạt trong năm) và các yêu cầu đối với "
        "đơn vị, cá nhân thực hiện.",
    ),
    (
        "II",
        "NỘI DUNG",
        "nêu từng nhiệm vụ, hoạt động cụ thể (mỗi nhiệm vụ một mục 1, 2, 3), kèm thời gian "
        "thực hiện và kết quả cần đạt.",
    ),
    (
        "III",
        "TỔ CHỨC THỰC HIỆN",
        "giao nhiệm vụ cho từng đơn vị, bộ phận (chủ trì, phối hợp), nêu chế độ báo cáo "
        "và thời hạn báo cáo.",
    ),
)


class NewPlanError(PlannerError):
    """A new plan cannot be made with these values (a year out of range)."""


def guidance_text(sentence: str) -> str:
    """The text of a guidance block: `[Hướng dẫn: sentence]`."""
    return f"[{GUIDANCE_PREFIX} {sentence}]"


def guidance_block(sentence: str) -> Block:
    """A paragraph holding a guidance sentence, marked with its `guidance` key."""
    text = guidance_text(sentence)
    return Block("paragraph", text, extra={"guidance": text})


def skeleton() -> tuple[Section, ...]:
    """The three sections of a new kế hoạch, each with its guidance sentence."""
    return tuple(
        Section(number=n, title=title, blocks=(guidance_block(sentence),))
        for n, title, sentence in SKELETON
    )


def new_plan(
    year: int,
    *,
    header_from: Plan | None = None,
    today: date,
    parent_authority: str | None = None,
    authority: str | None = None,
    symbol: str | None = None,
    place: str | None = None,
    subject: str | None = None,
    signer_position: str | None = None,
    signer_name: str | None = None,
) -> Plan:
    """A new plan for `year` (see the module docstring); values given here win over the
    last plan's. NewPlanError when the year is far from `today`'s."""
    lo, hi = today.year - YEARS_BACK, today.year + YEARS_AHEAD
    if not lo <= year <= hi:
        raise NewPlanError(
            f"Năm {year} không hợp lý cho một kế hoạch mới (chọn năm từ {lo} đến {hi})."
        )
    last = header_from or Plan()
    m, s = last.meta, last.signer

    def pick(value: str | None, old: str) -> str:
        return clean_line(value) if value is not None else old

    meta = Meta(
        parent_authority=pick(parent_authority, m.parent_authority),
        authority=pick(authority, m.authority),
        number="",
        symbol=pick(symbol, m.symbol),
        place=pick(place, m.place),
        issued=None,
        year=year,
        doc_type=m.doc_type or "KẾ HOẠCH",
        subject=pick(subject, ""),
    )
    signer = Signer(
        prefix=s.prefix,
        position=pick(signer_position, s.position),
        deputy_position=s.deputy_position,
        name=pick(signer_name, s.name),
    )
    return Plan(
        meta=meta,
        bases=(),
        preamble=(),
        sections=skeleton(),
        closing=(),
        recipients=last.recipients,
        signer=signer,
        tasks=(),
    )
